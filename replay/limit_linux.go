package replay

import "golang.org/x/sys/unix"

// limitMemory bounds the address space of process pid to bytes
// (RLIMIT_AS; bytes <= 0: unbounded).
func limitMemory(pid int, bytes int64) error {
	if bytes <= 0 {
		return nil
	}
	return unix.Prlimit(pid, unix.RLIMIT_AS, &unix.Rlimit{Cur: uint64(bytes), Max: uint64(bytes)}, nil)
}
