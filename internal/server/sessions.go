package server

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"baken/internal/baken"
	"baken/internal/password"
	"baken/internal/store"
)

// SessionCookie is the name of the session cookie. Its value is a random token; the
// session itself is a row in the database, so that any server behind a load balancer can
// serve any request.
const SessionCookie = "baken_sessie"

// SessionOptions configure sessions and sign-in throttling. Zero fields take the
// defaults. Times are the store's clock (store.Options.Now), which tests set.
type SessionOptions struct {
	// IdleTimeout ends a session this long after its last request (30 minutes).
	IdleTimeout time.Duration
	// AbsoluteTimeout ends a session this long after sign-in (10 hours).
	AbsoluteTimeout time.Duration
	// MaxFailures failed sign-ins for one user name within FailureWindow lock that name
	// for Lockout (5, 15 minutes, 15 minutes). MaxAddressFailures is the limit for one
	// client address (default 10 x MaxFailures: colleagues share an office's address).
	MaxFailures        int
	MaxAddressFailures int
	FailureWindow      time.Duration
	Lockout            time.Duration
	// SecureCookie marks the cookie Secure on every request, for a server behind a proxy
	// that terminates TLS. Without it the cookie is Secure when the request came over TLS.
	SecureCookie bool
	// ClientAddr returns the address sign-ins are throttled by. The default is the
	// connection's address (IPv6 by its /64 prefix); set it only behind a proxy whose
	// forwarding header can be trusted.
	ClientAddr func(r *http.Request) string
	Logger     *slog.Logger
}

// Sessions signs users in and out with local accounts and sessions stored in the
// database; it implements the web application's Auth and provides the middleware that
// puts a session's actor into the request's context.
type Sessions struct {
	db       *store.DB
	hasher   *password.Hasher
	opts     SessionOptions
	session  store.SessionPolicy
	throttle store.ThrottlePolicy
	// dummy is a hash of a random password, verified when the user does not exist, so that
	// a wrong name costs as much time as a wrong password.
	dummy    string
	dummyErr error
}

// NewSessions returns the sessions of db, checking passwords with hasher.
func NewSessions(db *store.DB, hasher *password.Hasher, opts SessionOptions) *Sessions {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&opts.IdleTimeout, 30*time.Minute)
	def(&opts.AbsoluteTimeout, 10*time.Hour)
	def(&opts.FailureWindow, 15*time.Minute)
	def(&opts.Lockout, 15*time.Minute)
	if opts.MaxFailures <= 0 {
		opts.MaxFailures = 5
	}
	if opts.ClientAddr == nil {
		opts.ClientAddr = remoteAddr
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Sessions{db: db, hasher: hasher, opts: opts,
		session: store.SessionPolicy{Idle: opts.IdleTimeout, Absolute: opts.AbsoluteTimeout},
		throttle: store.ThrottlePolicy{MaxFailures: opts.MaxFailures, MaxAddressFailures: opts.MaxAddressFailures,
			Window: opts.FailureWindow, Lockout: opts.Lockout},
	}
	// Hashing with the hasher (not a constant) keeps the dummy's cost equal to a real
	// hash's if the parameters change. It fails only on a cancelled context, which
	// Background never is; SignIn reports the error should it happen anyway.
	s.dummy, s.dummyErr = hasher.Hash(context.Background(), rand.Text())
	return s
}

// remoteAddr is the connection's address; an IPv6 address counts by its /64 prefix,
// which one client usually holds whole.
func remoteAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	ip = ip.WithZone("").Unmap()
	if ip.Is6() {
		if p, err := ip.Prefix(64); err == nil {
			return p.String()
		}
	}
	return ip.String()
}

func authContext(r *http.Request) context.Context {
	return baken.WithActor(r.Context(), baken.System("auth"))
}

var (
	errSignInFailed = &baken.Error{Kind: baken.Unauthenticated, Field: "password", Message: "wrong user name or password"}
	errThrottled    = &baken.Error{Kind: baken.Unauthenticated, Field: "throttle", Message: "too many failed sign-ins: throttled, try again later"}
)

// SignIn checks the name and password and starts a new session. Whatever session cookie
// the request carried is ended, so that a session fixed before sign-in is worth nothing.
// After MaxFailures failures for the name or from the address within FailureWindow, even
// the right password is refused until the lockout ends (an Unauthenticated error with
// Field "throttle"); any other refusal is an Unauthenticated error with Field "password",
// which does not say whether the name exists.
func (s *Sessions) SignIn(w http.ResponseWriter, r *http.Request, name, pw string) (baken.Actor, error) {
	ctx := authContext(r)
	name = strings.ToLower(strings.TrimSpace(name))
	addr := s.opts.ClientAddr(r)
	until, err := s.db.LoginThrottled(ctx, name, addr)
	if err != nil {
		return baken.Actor{}, err
	}
	if !until.IsZero() {
		return baken.Actor{}, errThrottled
	}
	if s.dummyErr != nil {
		return baken.Actor{}, s.dummyErr
	}
	u, err := s.db.FindUserByName(ctx, name)
	if err != nil && !baken.IsKind(err, baken.NotFound) {
		return baken.Actor{}, err
	}
	hash := s.dummy
	if err == nil && u.PasswordHash != "" {
		hash = u.PasswordHash
	}
	ok, err := s.hasher.Verify(ctx, hash, pw)
	if err != nil {
		return baken.Actor{}, err
	}
	if !ok || hash == s.dummy || u.Disabled {
		until, err := s.db.RecordLoginFailure(ctx, name, addr, s.throttle)
		if err != nil {
			return baken.Actor{}, err
		}
		if !until.IsZero() {
			return baken.Actor{}, errThrottled
		}
		return baken.Actor{}, errSignInFailed
	}
	if err := s.db.ClearLoginFailures(ctx, name); err != nil {
		return baken.Actor{}, err
	}
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := s.db.DeleteSession(ctx, c.Value); err != nil {
			return baken.Actor{}, err
		}
	}
	token, err := s.db.CreateSession(ctx, u.ID, s.session)
	if baken.IsKind(err, baken.NotFound) { // disabled meanwhile
		return baken.Actor{}, errSignInFailed
	}
	if err != nil {
		return baken.Actor{}, err
	}
	http.SetCookie(w, s.cookie(r, token))
	return u.Actor(), nil
}

// SignOut ends the request's session and clears the cookie.
func (s *Sessions) SignOut(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := s.db.DeleteSession(authContext(r), c.Value); err != nil {
			return err
		}
	}
	c := s.cookie(r, "")
	c.MaxAge = -1
	http.SetCookie(w, c)
	return nil
}

// cookie is the session cookie: no Expires or Max-Age, so the browser forgets it when it
// closes; the server ends it by its own rules in any case.
func (s *Sessions) cookie(r *http.Request, token string) *http.Cookie {
	return &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil || s.opts.SecureCookie}
}

// Middleware puts the actor of the request's session into its context. A request
// without a valid session passes without an actor, and the page decides (the web pages
// send it to the sign-in page); a request with an Authorization header is left to the
// API's bearer authentication.
func (s *Sessions) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			next.ServeHTTP(w, r)
			return
		}
		c, err := r.Cookie(SessionCookie)
		if err != nil || c.Value == "" {
			next.ServeHTTP(w, r)
			return
		}
		a, err := s.db.ActorForSession(authContext(r), c.Value, s.session)
		switch {
		case err == nil:
			r = r.WithContext(baken.WithActor(r.Context(), a))
		case baken.IsKind(err, baken.Unauthenticated):
			// An ended session is no session.
		default:
			s.opts.Logger.Error("session", "request_id", RequestID(r.Context()), "err", err)
			http.Error(w, "Interne fout / internal error", http.StatusInternalServerError)
			return
		}
		next.ServeHTTP(w, r)
	})
}
