package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

// TestBenchHTTP runs the dashboard load briefly through the real wiring: it signs in,
// serves on loopback and gets only 200s. It checks that the workload works, not its speed.
func TestBenchHTTP(t *testing.T) {
	var out bytes.Buffer
	args := []string{"bench", "http", "--rows", "2000", "--clients", "4", "--duration", "300ms", "--path", "/,/kaart"}
	if err := run(context.Background(), args, noenv, strings.NewReader(""), &out, io.Discard); err != nil {
		t.Fatalf("bench http: %v\n%s", err, out.String())
	}
	for _, want := range []string{"first request /:", "first request /kaart:", "requests/s", "p99", "errors: 0"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
