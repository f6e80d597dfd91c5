package main

import (
	"context"
	_ "embed"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"baken/internal/browser"
	"baken/internal/demo"
)

// axeSource is axe-core, vendored by scripts/vendor-test-assets: nothing is fetched at
// test time.
//
//go:embed testdata/axe/axe.min.js
var axeSource string

// axeRun checks the page against the WCAG 2.1 A and AA rules and returns the violations
// and the checks left for a person to review, cut down to what a message needs.
const axeRun = `(() => {
	const cut = v => ({id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html, summary: n.failureSummary || ''}))});
	return axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
		.then(r => ({violations: r.violations.map(cut), incomplete: r.incomplete.map(cut), passes: r.passes.length}));
})()`

type axeResult struct {
	Violations []axeRule `json:"violations"`
	Incomplete []axeRule `json:"incomplete"`
	Passes     int       `json:"passes"`
}

type axeRule struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target  []string `json:"target"`
		HTML    string   `json:"html"`
		Summary string   `json:"summary"`
	} `json:"nodes"`
}

func (r axeRule) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s <%s>", r.ID, r.Impact, r.Help, r.HelpURL)
	for _, n := range r.Nodes {
		fmt.Fprintf(&b, "\n    %s  %s", strings.Join(n.Target, " "), n.HTML)
		if n.Summary != "" {
			fmt.Fprintf(&b, "\n      %s", strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
	}
	return b.String()
}

// browserAccount is the demo account the browser signs in with (with demo.Password): it
// may see registrations.
const browserAccount = "analist"

// browserTab is the browser tab the steps act in, and the server they talk to.
type browserTab struct {
	ctx  context.Context
	base string // http://127.0.0.1:port
	logf func(format string, args ...any)
}

// A browserAction is what a person does in a step. It ends on a page and returns the
// response of that page's document (after redirects), or nil when it loads no page.
type browserAction func(bt *browserTab) (*network.Response, error)

// A browserStep is one step of the tour. A step that ends on a page (h1 set) is checked:
// the page answers 200 at path, has a main and an h1 matching h1, and axe finds no
// violation of WCAG 2.1 A or AA; with BAKEN_SCREENSHOTS set, a full-page PNG of it is
// written there.
type browserStep struct {
	name string // names the subtest and the screenshot
	do   browserAction
	path string // the path the page must be on; "" for the path the action opened
	h1   string // a regular expression for the page's h1; "" when the step loads no page
}

// browserSteps is the tour, in order: adding a page is one line.
func browserSteps() []browserStep {
	return []browserStep{
		{"inloggen", visit("/inloggen"), "", `^Inloggen$`},
		{"overzicht", signInWith(browserAccount, demo.Password), "/", `^Overzicht`},
		{"overzicht-grafiek", chartDrawn("/?trend=jaar"), "/", `^Overzicht`},
		{"registraties", visit("/registraties"), "", `^Registraties`},
		{"registraties-gefilterd", filterList("/registraties"), "/registraties", `^Registraties`},
		{"export", download("/registraties/export"), "", ""},
		{"registratie", followFirst("/registraties", `main a[href^="/registraties/"]:not([href^="/registraties/export"])`), "", `^Registratie`},
		{"kaart", visit("/kaart"), "", `^Kaart`},
		{"buurten", visit("/buurten"), "", `^Buurten`},
		{"buurt", visit("/buurten/BU03840101"), "", `Buytenstee`},
		{"analyse", analysisMapDrawn("/analyse"), "", `^Analyse`},
		{"analyse-te-weinig", visit("/analyse?categorie=woninginbraak&van=2024-01-01&tot=2024-12-31"), "/analyse", `^Analyse`},
		{"analyse-near-repeat", analysisMapDrawn("/analyse?categorie=fietsendiefstal&cel=250"), "/analyse", `^Analyse`},
		{"importeren", visit("/importeren"), "", `^Registraties importeren`},
		{"programma", visit("/programma"), "", `^Plan en programma`},
		{"jaarprogramma", visit("/programma/2024"), "", `^Jaarprogramma 2024`},
		{"actie-geschiedenis", followFirst("/programma/2024", `main a[href^="/programma/actie/"][href$="/geschiedenis"]`), "", `^Geschiedenis van actie`},
		{"voortgang", visit("/programma/2024/voortgang"), "", `^Voortgang jaarprogramma 2024`},
		{"raadsbrief", download("/programma/2024/raadsbrief"), "", ""},
		// Only a beleidsadviseur (or beheerder) changes the programme and issues documents.
		{"inloggen-beleid", signInWith("beleid", demo.Password), "/", `^Overzicht`},
		{"actie-bewerken", followFirst("/programma/2024", `main a[href^="/programma/actie/"][href$="/bewerken"]`), "", `^Actie bewerken`},
		{"metingen", followFirst("/programma", `main a[href$="/metingen"]`), "", `^Metingen`},
		{"meting-bewerken", followEach("/programma", `main a[href$="/metingen"]`, `main a[href*="/meting/"][href$="/bewerken"]`), "", `^Meting bewerken`},
		{"uitgeven", submitForm("/programma/2024/voortgang", `main form[action^="/programma/2024/uitgeven"]`), "/programma/2024/voortgang", `^Voortgang`},
		{"uitgelogd", signOutThenVisit("/"), "/inloggen", `^Inloggen$`},
	}
}

func TestBrowser(t *testing.T) {
	exe := browser.Require(t)
	shots := os.Getenv("BAKEN_SCREENSHOTS")
	if shots != "" {
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}

	db := filepath.Join(t.TempDir(), "demo.db")
	addr := startServe(t, "demo", "--addr", "127.0.0.1:0", "--db", db, "--log-level", "warn")

	// One browser for every page; its profile folder is removed after the browser ends
	// (cleanups run last-registered first).
	profile := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, browser.Options(exe, profile)...)
	t.Cleanup(cancelAlloc)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelTab)
	// The first Do starts the browser; it must not run under a step's shorter timeout,
	// whose end would stop the browser.
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	pageErrors := collectPageErrors(t, tabCtx)

	steps := browserSteps()
	shot := 0
	for _, s := range steps {
		var file string
		if s.h1 != "" {
			shot++
			file = fmt.Sprintf("%02d-%s.png", shot, s.name)
		}
		t.Run(s.name, func(t *testing.T) {
			stepCtx, cancel := context.WithTimeout(tabCtx, 15*time.Second)
			defer cancel()
			bt := &browserTab{ctx: stepCtx, base: "http://" + addr, logf: t.Logf}
			defer func() {
				for _, e := range pageErrors() {
					t.Errorf("the browser reports %s", e)
				}
			}()
			resp, err := s.do(bt)
			if err != nil {
				t.Fatal(err)
			}
			if s.h1 == "" {
				return
			}
			checkBrowserPage(t, bt, s, resp)
			if shots != "" {
				png, err := chromedp.Run(stepCtx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatalf("screenshot: %v", err)
				}
				if err := os.WriteFile(filepath.Join(shots, file), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// checkBrowserPage checks the page a step ended on: status, path, main, h1, and axe.
func checkBrowserPage(t *testing.T, bt *browserTab, s browserStep, resp *network.Response) {
	t.Helper()
	if resp == nil {
		t.Fatalf("step %s loaded no page", s.name)
	}
	u, err := url.Parse(resp.URL)
	if err != nil {
		t.Fatalf("page URL %q: %v", resp.URL, err)
	}
	if resp.Status != 200 {
		t.Fatalf("page %s answers %d", u.Path, resp.Status)
	}
	page := u.RequestURI()
	if s.path != "" && u.Path != s.path {
		t.Fatalf("the page is %s, want %s", page, s.path)
	}
	// The action waited for the page's load event, so main is there or missing for good.
	for _, sel := range []string{"main", "main h1"} {
		if err := present(bt, page, sel); err != nil {
			t.Fatal(err)
		}
	}
	h1, err := chromedp.Run(bt.ctx, chromedp.Text(chromedp.CSS("main h1")))
	if err != nil {
		t.Fatalf("page %s: h1: %v", page, err)
	}
	if !regexp.MustCompile(s.h1).MatchString(strings.TrimSpace(h1)) {
		t.Errorf("page %s: h1 = %q, want a match for %s", page, h1, s.h1)
	}
	res, err := runAxe(bt.ctx)
	if err != nil {
		t.Fatalf("page %s: axe: %v", page, err)
	}
	for _, v := range res.Violations {
		t.Errorf("page %s: axe violation %s", page, v)
	}
	for _, v := range res.Incomplete {
		t.Logf("page %s: axe needs review %s", page, v)
	}
	t.Logf("page %s: h1 %q; axe: %d rules pass, %d violated, %d to review", page, h1, res.Passes, len(res.Violations), len(res.Incomplete))
}

// runAxe injects axe-core into the page (each page load drops it) and runs it.
func runAxe(ctx context.Context) (axeResult, error) {
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
		return axeResult{}, fmt.Errorf("inject: %w", err)
	}
	return chromedp.Run(ctx, chromedp.Evaluate[axeResult](axeRun, chromedp.EvalAwaitPromise))
}

// collectPageErrors records what the browser reports as going wrong in the pages:
// uncaught script errors, content security policy violations (an inline script or style
// the policy blocks), and resources that fail to load. The returned func hands out those
// recorded since its last call.
func collectPageErrors(t *testing.T, ctx context.Context) func() []string {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	documents := map[network.RequestID]bool{} // only the listener touches it
	add := func(s string) {
		mu.Lock()
		seen = append(seen, s)
		mu.Unlock()
	}
	err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			if e.Type == network.ResourceTypeDocument {
				documents[e.RequestID] = true
			}
		case *runtime.EventExceptionThrown:
			add("script: " + (&chromedp.ExceptionError{ExceptionDetails: e.ExceptionDetails}).Error())
		case *cdplog.EventEntryAdded:
			// The browser asks for /favicon.ico by itself; Baken need not have one.
			if e.Entry.Level == cdplog.EntryLevelError && !documents[e.Entry.NetworkRequestID] &&
				!strings.HasSuffix(e.Entry.URL, "/favicon.ico") {
				msg := fmt.Sprintf("%s: %s", e.Entry.Source, e.Entry.Text)
				if e.Entry.URL != "" {
					msg += " (" + e.Entry.URL + ")"
				}
				add(msg)
			}
		}
	})
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("enable the browser's log: %v", err)
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		s := seen
		seen = nil
		return s
	}
}

// visit goes to path.
func visit(path string) browserAction {
	return func(bt *browserTab) (*network.Response, error) {
		return chromedp.Run(bt.ctx, chromedp.NavigateResponse(bt.base+path))
	}
}

// visitOK goes to path and fails unless it answers 200.
func visitOK(bt *browserTab, path string) error {
	resp, err := visit(path)(bt)
	if err != nil {
		return err
	}
	if resp.Status != 200 {
		return fmt.Errorf("page %s answers %d", path, resp.Status)
	}
	return nil
}

// present fails unless the page (opened at path) has an element matching the CSS
// selector sel; actions on a missing element would wait until the step times out.
func present(bt *browserTab, path, sel string) error {
	n, err := chromedp.Run(bt.ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("page %s has no %s", path, sel)
	}
	return nil
}

// signInWith fills in the sign-in form and sends it.
func signInWith(name, password string) browserAction {
	return func(bt *browserTab) (*network.Response, error) {
		if err := visitOK(bt, "/inloggen"); err != nil {
			return nil, err
		}
		const submit = `main form button[type="submit"]`
		for _, sel := range []string{"#naam", "#wachtwoord", submit} {
			if err := present(bt, "/inloggen", sel); err != nil {
				return nil, err
			}
		}
		if err := chromedp.Do(bt.ctx,
			chromedp.SendKeys(chromedp.CSS("#naam"), name),
			chromedp.SendKeys(chromedp.CSS("#wachtwoord"), password),
		); err != nil {
			return nil, fmt.Errorf("fill in the sign-in form: %w", err)
		}
		return chromedp.RunResponse(bt.ctx, chromedp.Click(chromedp.CSS(submit)))
	}
}

// signOutThenVisit opens path, presses the sign-out button in its header, and opens path
// again, which must now send the browser to the sign-in page.
func signOutThenVisit(path string) browserAction {
	return func(bt *browserTab) (*network.Response, error) {
		if err := visitOK(bt, path); err != nil {
			return nil, err
		}
		const button = `header form[action="/uitloggen"] button`
		if err := present(bt, path, button); err != nil {
			return nil, err
		}
		resp, err := chromedp.RunResponse(bt.ctx, chromedp.Click(chromedp.CSS(button)))
		if err != nil {
			return nil, fmt.Errorf("sign out: %w", err)
		}
		if resp.Status != 200 {
			return nil, fmt.Errorf("signing out answers %d at %s", resp.Status, resp.URL)
		}
		return visit(path)(bt)
	}
}

// filterList opens path and sends its filter form (the first form in main) with the second
// option of the form's first list chosen. It submits the form as the browser does
// without scripts, so the result is a page whose URL carries the filter.
func filterList(path string) browserAction {
	return func(bt *browserTab) (*network.Response, error) {
		if err := visitOK(bt, path); err != nil {
			return nil, err
		}
		problem, err := chromedp.Run(bt.ctx, chromedp.Evaluate[string](`(() => {
			const f = document.querySelector('main form');
			if (!f) return 'no form in main';
			const s = f.querySelector('select');
			if (!s || s.options.length < 2) return 'no list with two options in the form';
			s.selectedIndex = 1;
			s.dispatchEvent(new Event('change', {bubbles: true}));
			return '';
		})()`))
		if err != nil {
			return nil, fmt.Errorf("filter on %s: %w", path, err)
		}
		if problem != "" {
			return nil, fmt.Errorf("filter on %s: %s", path, problem)
		}
		resp, err := chromedp.RunResponse(bt.ctx, chromedp.Submit(chromedp.CSS("main form")))
		if err != nil {
			return nil, fmt.Errorf("send the filter form on %s: %w", path, err)
		}
		if u, err := url.Parse(resp.URL); err == nil && u.RawQuery == "" {
			return nil, fmt.Errorf("the filter form on %s led to %s, with no filter in the URL", path, resp.URL)
		}
		return resp, nil
	}
}

// submitForm opens path and sends the form that matches the CSS selector form as it is
// filled in, as the browser does without scripts.
func submitForm(path, form string) browserAction {
	return func(bt *browserTab) (*network.Response, error) {
		if err := visitOK(bt, path); err != nil {
			return nil, err
		}
		if err := present(bt, path, form); err != nil {
			return nil, err
		}
		return chromedp.RunResponse(bt.ctx, chromedp.Submit(chromedp.CSS(form)))
	}
}

// followFirst opens path and follows the first link that matches the CSS selector link.
func followFirst(path, link string) browserAction {
	return func(bt *browserTab) (*network.Response, error) {
		if err := visitOK(bt, path); err != nil {
			return nil, err
		}
		if err := present(bt, path, link); err != nil {
			return nil, err
		}
		return chromedp.RunResponse(bt.ctx, chromedp.Click(chromedp.CSS(link)))
	}
}

// followEach opens path and follows, on each page in turn, the first link that matches
// the next CSS selector; every page on the way must answer 200.
func followEach(path string, links ...string) browserAction {
	return func(bt *browserTab) (*network.Response, error) {
		if err := visitOK(bt, path); err != nil {
			return nil, err
		}
		var resp *network.Response
		for _, link := range links {
			if resp != nil && resp.Status != 200 {
				return nil, fmt.Errorf("page %s answers %d", resp.URL, resp.Status)
			}
			if err := present(bt, path, link); err != nil {
				return nil, err
			}
			var err error
			if resp, err = chromedp.RunResponse(bt.ctx, chromedp.Click(chromedp.CSS(link))); err != nil {
				return nil, fmt.Errorf("follow %s on %s: %w", link, path, err)
			}
			path = resp.URL
		}
		return resp, nil
	}
}

// download fetches what the current page's export link or form points at (the filtered
// registrations), or path when the page has neither, with the browser's session, and
// checks that a file comes back.
func download(path string) browserAction {
	return func(bt *browserTab) (*network.Response, error) {
		type result struct {
			URL         string `json:"url"`
			Status      int    `json:"status"`
			Type        string `json:"type"`
			Disposition string `json:"disposition"`
			Size        int    `json:"size"`
		}
		r, err := chromedp.Run(bt.ctx, chromedp.Evaluate[result](fmt.Sprintf(`(async () => {
			const path = %q;
			let url = path;
			const a = document.querySelector('main a[href^="' + path + '"]');
			const f = document.querySelector('main form[action^="' + path + '"]');
			if (a) url = a.getAttribute('href');
			else if (f) url = f.getAttribute('action') + '?' + new URLSearchParams(new FormData(f));
			const r = await fetch(url, {credentials: 'same-origin'});
			const body = await r.arrayBuffer();
			return {url: url, status: r.status, type: r.headers.get('Content-Type') || '',
				disposition: r.headers.get('Content-Disposition') || '', size: body.byteLength};
		})()`, path), chromedp.EvalAwaitPromise))
		if err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		if r.Status != 200 {
			return nil, fmt.Errorf("page %s answers %d", r.URL, r.Status)
		}
		if strings.HasPrefix(r.Type, "text/html") || r.Size == 0 {
			return nil, fmt.Errorf("export %s gave %d bytes of %s, want a file", r.URL, r.Size, r.Type)
		}
		bt.logf("export %s: %d bytes of %s, %s", r.URL, r.Size, r.Type, r.Disposition)
		return nil, nil
	}
}

// chartDrawn opens the dashboard at path and checks that js/charts.js drew the trend
// chart with uPlot in place of the server-drawn SVG (hidden, not removed), named for
// assistive technology, and that it follows the window's width.
func chartDrawn(path string) browserAction {
	return func(bt *browserTab) (*network.Response, error) {
		resp, err := visit(path)(bt)
		if err != nil {
			return nil, err
		}
		if err := present(bt, path, `#trend-chart.chart--live > .chart__live[role="img"][aria-label] .uplot canvas`); err != nil {
			return nil, err
		}
		const state = `(() => {
			const svg = document.querySelector('#trend-chart .chart__svg');
			const c = document.querySelector('#trend-chart .chart__live');
			const u = c.querySelector('.uplot');
			const values = Array.from(u.querySelectorAll('.u-legend .u-value')).map(e => e.textContent);
			const lastRow = document.querySelector('#trend-chart ~ details tbody tr:last-child td');
			return {svg: svg ? getComputedStyle(svg).display : 'missing', label: c.getAttribute('aria-label'),
				container: c.clientWidth, chart: u.getBoundingClientRect().width,
				legend: values[values.length - 1] || '', latest: lastRow ? lastRow.textContent : 'missing'};
		})()`
		type chartState struct {
			SVG       string  `json:"svg"`
			Label     string  `json:"label"`
			Container float64 `json:"container"`
			Chart     float64 `json:"chart"`
			Legend    string  `json:"legend"`
			Latest    string  `json:"latest"`
		}
		wide, err := chromedp.Run(bt.ctx, chromedp.Evaluate[chartState](state))
		if err != nil {
			return nil, err
		}
		// Without the pointer over it, the legend shows the latest period's count as the
		// table writes it (not a dash).
		if wide.SVG != "none" || !strings.HasPrefix(wide.Label, "Registraties per jaar") || wide.Chart < 100 || wide.Chart > wide.Container+1 ||
			wide.Legend == "" || wide.Legend != wide.Latest {
			return nil, fmt.Errorf("page %s: the chart is %+v", path, wide)
		}
		// A narrow window: the chart follows its container (resize, then a frame).
		if err := chromedp.Do(bt.ctx, chromedp.EmulateViewport(400, 800)); err != nil {
			return nil, err
		}
		// fits waits a moment for the chart to fit its container after a resize.
		fits := func(ok func(chartState) bool) (chartState, error) {
			var c chartState
			for range 20 {
				if c, err = chromedp.Run(bt.ctx, chromedp.Evaluate[chartState](state)); err != nil || ok(c) {
					return c, err
				}
				time.Sleep(50 * time.Millisecond)
			}
			return c, fmt.Errorf("page %s: after a resize the chart is %+v, before %+v", path, c, wide)
		}
		narrow, err := fits(func(c chartState) bool { return c.Chart < wide.Chart && c.Chart <= c.Container+1 })
		// Back to the browser's own window (the next steps, axe and the screenshot use it).
		if _, err := chromedp.Call(bt.ctx, emulation.ClearDeviceMetricsOverride, cdp.Empty{}); err != nil {
			return nil, err
		}
		if err != nil {
			return nil, err
		}
		if _, err := fits(func(c chartState) bool { return c.Chart == wide.Chart }); err != nil {
			return nil, err
		}
		bt.logf("page %s: chart %.0f px wide in %.0f, %.0f in %.0f after a resize; %q", path, wide.Chart, wide.Container, narrow.Chart, narrow.Container, wide.Label)
		return resp, nil
	}
}
