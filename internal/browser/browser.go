// Package browser provides the headless Chromium that Baken's browser tests drive: it
// finds Debian's chromium on the PATH and builds the chromedp allocator options for it.
// Nothing here downloads a browser; scripts/test-deps installs the Debian package.
package browser

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Executable is the name of the browser looked up on the PATH (Debian's chromium package).
const Executable = "chromium"

// Find returns the path of the browser executable.
func Find() (string, error) {
	path, err := exec.LookPath(Executable)
	if err != nil {
		return "", fmt.Errorf("browser: %s not found on the PATH (scripts/test-deps installs it): %w", Executable, err)
	}
	return path, nil
}

// Options returns the allocator options that start the browser at path headless, with its
// profile in userDataDir (a new empty folder the caller removes). The flags keep it off the
// network (this machine's network is closed, and it would try Google's hosts at every
// start) and let it run as root (--no-sandbox), as tests here and in CI do.
func Options(path, userDataDir string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(userDataDir),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		// Containers have a small /dev/shm; Chrome crashes when it fills up.
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.WindowSize(1280, 900),
	}
}

// inCI reports whether the tests run in CI, where nothing may be skipped.
func inCI() bool { return strings.EqualFold(os.Getenv("CI"), "true") }

// Require returns the path of the browser executable, or ends the test: a failure in CI
// (CI=true), a skip with the reason elsewhere.
func Require(tb testing.TB) string {
	tb.Helper()
	path, err := Find()
	if err == nil {
		return path
	}
	if inCI() {
		tb.Fatalf("a browser is required in CI: %v", err)
	}
	tb.Skipf("%v; with CI=true this fails", err)
	return ""
}
