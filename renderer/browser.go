package renderer

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

//go:embed fonts.conf
var fontsConf string

// findChrome returns the Chromium binary to launch.
func findChrome(path string) (string, error) {
	if path != "" {
		if _, err := os.Stat(path); err != nil {
			return "", fmt.Errorf("find chromium: %s: %w", path, ErrNoChrome)
		}
		return path, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("find chromium: not on PATH (install it with scripts/setup.sh, or give its path: Config.ChromePath, kiln's --chrome / KILN_CHROME_PATH): %w", ErrNoChrome)
}

// blackhole is the proxy every Chromium of a Pool is pointed at. Chromium
// must never reach the network by itself: all requests are served through
// Fetch interception, and anything that slips past it (preconnects, DNS
// prefetch, WebSockets) ends here. It accepts and closes connections and
// counts them, so that a leak shows up in tests.
type blackhole struct {
	ln    net.Listener
	conns atomic.Int64
}

func newBlackhole() (*blackhole, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("start proxy sink: %w", err)
	}
	b := &blackhole{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			b.conns.Add(1)
			c.Close()
		}
	}()
	return b, nil
}

func (b *blackhole) addr() string { return b.ln.Addr().String() }
func (b *blackhole) close()       { b.ln.Close() }

// browser is one Chromium process with its own temporary profile and
// process group.
type browser struct {
	id       int
	ctx      context.Context // the browser's chromedp context
	cancel   context.CancelFunc
	allocCx  context.CancelFunc
	dir      string // profile and fontconfig dir, removed on close
	pgid     atomic.Int64
	jobs     atomic.Int64
	dead     atomic.Bool // crashed or stopped answering
	retiring atomic.Bool // past RecycleAfter: close when its tabs come back

	mu        sync.Mutex
	open      int // tabs not yet closed
	closeOnce sync.Once
}

// startBrowser launches Chromium and waits until it answers, or until
// stop closes (ErrClosed).
func startBrowser(id int, chrome string, cfg Config, proxy string, stop <-chan struct{}) (*browser, error) {
	dir, err := os.MkdirTemp("", profilePrefix)
	if err != nil {
		return nil, fmt.Errorf("start browser: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start browser: %w", err)
	}
	fc := cfg.FontConfig
	if fc == "" {
		fc = filepath.Join(dir, "fonts.conf")
		// The font cache is shared by every browser of every run: building
		// it for the CJK fonts takes seconds.
		conf := fmt.Sprintf(fontsConf, filepath.Join(os.TempDir(), "kiln-fontconfig-cache"))
		if err := os.WriteFile(fc, []byte(conf), 0o600); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("start browser: %w", err)
		}
	}
	b := &browser{id: id, dir: dir}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.NoFirstRun,
		chromedp.Flag("no-startup-window", true),
		chromedp.NoDefaultBrowserCheck,
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-component-extensions-with-background-pages", true),
		chromedp.Flag("no-service-autorun", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("disable-hang-monitor", true),
		chromedp.Flag("disable-ipc-flooding-protection", true),
		chromedp.Flag("disable-popup-blocking", true),
		chromedp.Flag("disable-prompt-on-repost", true),
		chromedp.Flag("disable-quic", true),
		// Chromium's field-trial testing config turns on experiments in
		// builds like Debian's; off, as in Playwright.
		chromedp.Flag("disable-field-trial-config", true),
		// CDP screenshots from a new surface (Playwright's default too).
		chromedp.Flag("enable-features", "CDPScreenshotNewSurface"),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,InterestFeedContentSuggestions,CalculateNativeWinOcclusion,BackForwardCache,AcceptCHFrame,AutofillServerCommunication,CertificateTransparencyComponentUpdater,PaintHolding,LazyImageLoading,LazyFrameLoading,PreloadTopChromeWebUI,SpareRendererForSitePerProcess,DestroyProfileOnBrowserClose,NetworkTimeServiceQuerying,PreconnectToSearch,AimEnabled,LensOverlay"),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("dns-prefetch-disable", true),
		chromedp.Flag("blink-settings", "primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4,imagesEnabled=true"),
		// No route out: every connection Chromium opens goes to the sink,
		// loopback included (the default bypass list exempts it).
		chromedp.ProxyServer("http://" + proxy),
		chromedp.Flag("proxy-bypass-list", "<-loopback>"),
		chromedp.Env("FONTCONFIG_FILE=" + fc),
		chromedp.ModifyCmdFunc(func(cmd *exec.Cmd) {
			if cmd.SysProcAttr == nil {
				cmd.SysProcAttr = &syscall.SysProcAttr{}
			}
			// Own process group, so Close can end every helper process.
			cmd.SysProcAttr.Setpgid = true
			cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
		}),
	}
	if os.Geteuid() == 0 {
		// Chromium refuses to start as root with its sandbox on.
		opts = append(opts, chromedp.NoSandbox)
	}
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	b.ctx, b.cancel, b.allocCx = ctx, cancel, allocCancel

	// The first run starts the process; its context must not carry a
	// timeout (it would bound the browser's life), so wait on the side.
	done := make(chan error, 1)
	go func() {
		// Start the process and talk to the browser target alone: every
		// job's tab is created in a browser context of its own, and the
		// window Chromium would open at start (--no-startup-window) would
		// cost a renderer process doing nothing.
		_, err := chromedp.CallBrowser(ctx, cdpbrowser.GetVersion, cdp.Empty{})
		done <- err
	}()
	select {
	case err = <-done:
	case <-time.After(cfg.StartTimeout):
		err = errors.New("timed out")
	case <-stop:
		b.close()
		return nil, fmt.Errorf("start browser: %w", ErrClosed)
	}
	if err != nil {
		b.close()
		return nil, fmt.Errorf("start browser: %v: %w", err, ErrBrowser)
	}
	if c := chromedp.FromContext(ctx); c != nil && c.Browser != nil && c.Browser.Process() != nil {
		b.pgid.Store(int64(c.Browser.Process().Pid))
	}
	return b, nil
}

// close stops the browser, every process in its group, and removes its
// temporary profile.
func (b *browser) close() {
	b.closeOnce.Do(b.doClose)
}

func (b *browser) doClose() {
	// Kiln keeps no state in a browser worth a graceful close: kill the
	// whole group at once, then let chromedp reap and clean up.
	pg := int(b.pgid.Load())
	if pg > 0 {
		_ = syscall.Kill(-pg, syscall.SIGKILL)
	}
	if b.cancel != nil {
		b.cancel()
	}
	if b.allocCx != nil {
		b.allocCx()
	}
	if pg > 0 {
		// Wait (bounded) until every process of the group has died:
		// helpers die asynchronously. Dead ones are zombies until their new
		// parent (init, or whatever reaps orphans here) reaps them, which
		// took 1.5–2.5 s in a container; they hold no files, so they are
		// not waited for.
		for i := 0; i < 150 && groupRunning(pg); i++ {
			time.Sleep(10 * time.Millisecond)
		}
	}
	os.RemoveAll(b.dir)
}

// groupRunning reports whether a process of group pg is still running,
// that is exists and is not a zombie (read from /proc; where there is no
// /proc, whether the group exists at all).
func groupRunning(pg int) bool {
	if syscall.Kill(-pg, 0) != nil {
		return false
	}
	dirs, err := os.ReadDir("/proc")
	if err != nil {
		return true
	}
	want := strconv.Itoa(pg)
	for _, d := range dirs {
		if c := d.Name()[0]; c < '0' || c > '9' {
			continue
		}
		b, err := os.ReadFile("/proc/" + d.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ...: comm may hold spaces and parens.
		i := strings.LastIndexByte(string(b), ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) >= 3 && f[2] == want && f[0] != "Z" && f[0] != "X" {
			return true
		}
	}
	return false
}

// Profiles live in os.TempDir()/kiln-chromium-*, each with an owner file
// naming the Kiln process that made it. A process that is killed (SIGKILL,
// OOM) cannot remove its profiles; the next pool to start removes those
// whose owner no longer runs.
const (
	profilePrefix = "kiln-chromium-"
	ownerFile     = "kiln-owner"
)

// sweepProfiles removes the profiles under tmp whose owning process is
// gone, and reports how many it removed. Profiles of live processes (and
// those without an owner file, which this version never makes) are kept.
func sweepProfiles(tmp string) int {
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), profilePrefix) {
			continue
		}
		dir := filepath.Join(tmp, e.Name())
		b, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 || processAlive(pid) {
			continue
		}
		if os.RemoveAll(dir) == nil {
			n++
		}
	}
	return n
}

// processAlive reports whether pid names a running process (signal 0
// checks without sending; EPERM means it runs under another user).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
