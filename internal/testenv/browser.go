package testenv

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser starts a headless Chromium (found as LookPath finds "chromium",
// or at KILN_CHROME_PATH) for one test and returns a tab's context that
// ends after timeout; the browser closes when the test ends.
func Browser(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	chrome := LookPath(t, "chromium", "KILN_CHROME_PATH")
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	ctx, cancel := context.WithTimeout(bctx, timeout)
	t.Cleanup(func() { cancel(); bcancel(); acancel() })
	return ctx
}
