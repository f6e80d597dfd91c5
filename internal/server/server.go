// Package server runs Baken's HTTP server: the http.Server with its timeouts, the
// middleware every request passes (request IDs, logging, panic recovery, security
// headers, cross-origin protection), sessions with sign-in throttling, the health check,
// and the mounting of the web application and the JSON API.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"baken/internal/store"
)

// Config configures a Server.
type Config struct {
	Addr   string
	DB     *store.DB
	Logger *slog.Logger
	// ImageOrigins are origins the pages may load images from besides this site (a base
	// map's tile server); empty keeps every image on this site.
	ImageOrigins []string
	// Mount adds the application's routes (web pages, API) to mux.
	Mount []func(mux *http.ServeMux)
	// Middleware runs after the security headers and the cross-origin check, in order,
	// before the routes (the session middleware).
	Middleware []func(http.Handler) http.Handler
}

// Server is Baken's HTTP server.
type Server struct {
	cfg     Config
	handler http.Handler
}

// New builds a server.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	for _, m := range cfg.Mount {
		m(mux)
	}
	mw := []func(http.Handler) http.Handler{
		s.recoverPanics,
		s.requestID,
		s.logRequests,
		securityHeaders(cfg.ImageOrigins),
		http.NewCrossOriginProtection().Handler,
	}
	s.handler = chain(mux, append(mw, cfg.Middleware...)...)
	return s
}

// Handler returns the full handler with middleware, for tests and for Serve.
func (s *Server) Handler() http.Handler { return s.handler }

// ListenAndServe listens on cfg.Addr, calls ready with the bound address, and serves until
// ctx is done; then it shuts down gracefully.
func (s *Server) ListenAndServe(ctx context.Context, ready func(addr net.Addr)) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // uploads of large CSV files
		WriteTimeout:      5 * time.Minute, // exports
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.cfg.Logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.cfg.DB.Ping(r.Context()); err != nil {
		s.cfg.Logger.Error("health check", "request_id", RequestID(r.Context()), "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, `{"status":"unavailable","database":%q}`+"\n", s.cfg.DB.Dialect())
		return
	}
	fmt.Fprintf(w, `{"status":"ok","database":%q}`+"\n", s.cfg.DB.Dialect())
}

func chain(h http.Handler, mw ...func(http.Handler) http.Handler) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

type requestIDKey struct{}

// RequestID returns the request's ID, for logs and error pages.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id := hex.EncodeToString(b[:])
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		s.cfg.Logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("request_id", RequestID(r.Context())),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", sw.status),
			slog.Int("bytes", sw.bytes),
			slog.Duration("duration", time.Since(start)))
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.cfg.Logger.Error("panic", "request_id", RequestID(r.Context()), "path", r.URL.Path, "panic", fmt.Sprint(v))
				http.Error(w, "Interne fout / internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets a strict content security policy (no inline script or style, no
// third-party origins except the configured image origins, such as a base map's tile
// server) and the usual hardening headers.
func securityHeaders(imageOrigins []string) func(http.Handler) http.Handler {
	img := strings.TrimSpace("'self' data: " + strings.Join(imageOrigins, " "))
	csp := "default-src 'self'; script-src 'self'; style-src 'self'; img-src " + img + "; " +
		"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			securityHeaderValues(w.Header(), csp, r.TLS != nil)
			next.ServeHTTP(w, r)
		})
	}
}

func securityHeaderValues(h http.Header, csp string, tls bool) {
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	if tls {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
}
