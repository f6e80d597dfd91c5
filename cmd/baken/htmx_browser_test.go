package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"baken/internal/browser"
	"baken/internal/demo"

	"github.com/chromedp/chromedp"
)

// htmxWait runs in the page: it waits (up to 5 s) until the URL has want in its query
// and the results heading has the focus, and returns "" or what went wrong. marker
// tells a swap from a page load: a load drops window.bakenMarker.
const htmxWait = `(want) => new Promise(resolve => {
	const end = Date.now() + 5000;
	const check = () => {
		if (!window.bakenMarker) return resolve('the page was loaded again, not swapped');
		const h = document.activeElement;
		if (location.search.includes(want) && h && h.id === 'results-h') return resolve('');
		if (Date.now() > end) return resolve('no swap: URL ' + location.href + ', focus on ' + (h ? h.tagName + '#' + h.id : 'nothing'));
		setTimeout(check, 50);
	};
	check();
})`

// TestBrowserHTMX uses the registrations list as a person with JavaScript does: the
// filter form and the pager swap the results in place (issue 5), with the filter in the
// URL, the focus on the new total, no CSP violation, and no axe violation.
func TestBrowserHTMX(t *testing.T) {
	exe := browser.Require(t)
	addr := startServe(t, "demo", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "demo.db"), "--log-level", "warn")
	profile := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, browser.Options(exe, profile)...)
	t.Cleanup(cancelAlloc)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelTab)
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	pageErrors := collectPageErrors(t, tabCtx)
	defer func() {
		for _, e := range pageErrors() {
			t.Errorf("the browser reports %s", e)
		}
	}()
	bt := &browserTab{ctx: tabCtx, base: "http://" + addr, logf: t.Logf}
	if _, err := signInWith(browserAccount, demo.Password)(bt); err != nil {
		t.Fatal(err)
	}
	if err := visitOK(bt, "/registraties"); err != nil {
		t.Fatal(err)
	}
	// htmx is loaded deferred; wait for it.
	if _, err := chromedp.Run(tabCtx, chromedp.Evaluate[bool](`new Promise(r => { const c = () => window.htmx ? r(true) : setTimeout(c, 20); c(); })`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("htmx not loaded: %v", err)
	}
	swap := func(what, want, js string) {
		t.Helper()
		problem, err := chromedp.Run(tabCtx, chromedp.Evaluate[string](`(() => { window.bakenMarker = 1; `+js+` })()`))
		if err != nil || problem != "" {
			t.Fatalf("%s: %v %s", what, err, problem)
		}
		problem, err = chromedp.Run(tabCtx, chromedp.Evaluate[string](`(`+htmxWait+`)(`+jsString(want)+`)`, chromedp.EvalAwaitPromise))
		if err != nil || problem != "" {
			t.Fatalf("%s: %v %s", what, err, problem)
		}
		res, err := runAxe(tabCtx)
		if err != nil {
			t.Fatalf("%s: axe: %v", what, err)
		}
		for _, v := range res.Violations {
			t.Errorf("%s: axe violation %s", what, v)
		}
	}
	swap("filter", "volgorde=oudste", `
		const s = document.querySelector('#volgorde');
		if (!s) return 'no sort select';
		s.value = 'oudste';
		document.querySelector('main form button[type="submit"]').click();
		return '';`)
	swap("next page", "pagina=2", `
		const a = document.querySelector('.pager a[rel="next"]');
		if (!a) return 'no next link';
		a.click();
		return '';`)
	if os.Getenv("BAKEN_SCREENSHOTS") != "" {
		png, err := chromedp.Run(tabCtx, chromedp.FullScreenshot(100))
		if err == nil {
			os.WriteFile(filepath.Join(os.Getenv("BAKEN_SCREENSHOTS"), "registraties-htmx.png"), png, 0o644)
		}
	}
}

// jsString quotes s as a JavaScript string (s is a plain query fragment).
func jsString(s string) string { return "'" + s + "'" }
