package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"baken/internal/baken"
	"baken/internal/password"
)

// list is a repeatable flag that also takes comma-separated values.
type list []string

func (l *list) String() string { return strings.Join(*l, ",") }

func (l *list) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

func runUser(ctx context.Context, e env, args []string) error {
	usage := func() error {
		fmt.Fprint(e.stderr, `Usage: baken user add|list|disable|enable|password [flags]

  add --name NAME --role ROLE --gemeente GM0384 [--password-stdin]
                     add a local account; the password is asked on the terminal or
                     read from standard input with --password-stdin
  list               list the accounts
  disable NAME       block an account (its sessions and tokens stop working)
  enable NAME        unblock an account
  password NAME      set a new password (asked, or --password-stdin)
`)
		return errUsage
	}
	if len(args) == 0 {
		return usage()
	}
	switch args[0] {
	case "add":
		return runUserAdd(ctx, e, args[1:])
	case "list":
		return runUserList(ctx, e, args[1:])
	case "disable", "enable":
		return runUserDisable(ctx, e, args[0], args[1:])
	case "password":
		return runUserPassword(ctx, e, args[1:])
	case "-h", "--help", "help":
		usage()
		return nil
	}
	fmt.Fprintf(e.stderr, "baken user: unknown command %q\n\n", args[0])
	return usage()
}

func runUserAdd(ctx context.Context, e env, args []string) error {
	var cfg config
	fs := newFlags(e, "user add", "user add --name NAME --role ROLE --gemeente GM0384 [flags]", &cfg, "db")
	name := fs.String("name", "", "login name")
	display := fs.String("display-name", "", "name shown in the application")
	org := fs.String("organisation", "", "organisation (gemeente Diemen, politie, GGZ, ...)")
	var roles, gms list
	fs.Var(&roles, "role", "role (repeatable): "+roleNames())
	fs.Var(&gms, "gemeente", "CBS code of a municipality whose data the user sees (repeatable)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	noPassword := fs.Bool("no-password", false, "no password: the account uses API tokens only")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	u := baken.User{Name: *name, DisplayName: *display, Organisation: *org, Gemeenten: gms}
	for _, r := range roles {
		role, err := baken.ParseRole(r)
		if err != nil {
			return baken.Errorf(baken.Invalid, "--role", "%v", err)
		}
		u.Roles = append(u.Roles, role)
	}
	for i, g := range u.Gemeenten {
		u.Gemeenten[i] = strings.ToUpper(g)
	}
	if !*noPassword {
		pw, err := readPassword(e, *fromStdin)
		if err != nil {
			return err
		}
		if u.PasswordHash, err = password.NewHasher(1).Hash(ctx, pw); err != nil {
			return baken.Errorf(baken.Invalid, "password", "%v", err)
		}
	}
	db, err := openStore(ctx, cfg.db, cfg.logger(e.stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	u, err = db.CreateUser(baken.WithActor(ctx, baken.System("cli")), u)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "user %s added (%s; %s)\n", u.Name, joinRoleNames(u.Roles), strings.Join(u.Gemeenten, ", "))
	return nil
}

func roleNames() string {
	var s []string
	for _, r := range baken.Roles() {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}

func joinRoleNames(rs []baken.Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

// readPassword asks for a password on the terminal (twice, not echoed), or reads one
// line from standard input.
func readPassword(e env, fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", fmt.Errorf("read password: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	f, ok := e.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", baken.Errorf(baken.Invalid, "password", "no terminal to ask on: give --password-stdin")
	}
	fmt.Fprint(e.stderr, "Wachtwoord / password: ")
	a, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	fmt.Fprint(e.stderr, "Nogmaals / again: ")
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	if string(a) != string(b) {
		return "", baken.Errorf(baken.Invalid, "password", "the two passwords differ")
	}
	return string(a), nil
}

func runUserList(ctx context.Context, e env, args []string) error {
	var cfg config
	fs := newFlags(e, "user list", "user list [--db FILE|URL]", &cfg, "db")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	db, err := openStore(ctx, cfg.db, cfg.logger(e.stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := db.FindUsers(baken.WithActor(ctx, baken.System("cli")))
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLES\tGEMEENTEN\tSTATUS\tCREATED")
	for _, u := range users {
		status := "active"
		if u.Disabled {
			status = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Name, joinRoleNames(u.Roles), strings.Join(u.Gemeenten, ","), status, u.CreatedAt.Format(time.DateOnly))
	}
	return tw.Flush()
}

func runUserDisable(ctx context.Context, e env, verb string, args []string) error {
	var cfg config
	fs := newFlags(e, "user "+verb, "user "+verb+" NAME", &cfg, "db")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	db, err := openStore(ctx, cfg.db, cfg.logger(e.stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SetUserDisabled(baken.WithActor(ctx, baken.System("cli")), fs.Arg(0), verb == "disable"); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "user %s %sd\n", fs.Arg(0), verb)
	return nil
}

func runUserPassword(ctx context.Context, e env, args []string) error {
	var cfg config
	fs := newFlags(e, "user password", "user password NAME [--password-stdin]", &cfg, "db")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	pw, err := readPassword(e, *fromStdin)
	if err != nil {
		return err
	}
	hash, err := password.NewHasher(1).Hash(ctx, pw)
	if err != nil {
		return baken.Errorf(baken.Invalid, "password", "%v", err)
	}
	db, err := openStore(ctx, cfg.db, cfg.logger(e.stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.SetPassword(baken.WithActor(ctx, baken.System("cli")), fs.Arg(0), hash); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "password of %s set\n", fs.Arg(0))
	return nil
}

func runToken(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprint(e.stderr, "Usage: baken token add --user NAME [--name LABEL] [--expires 90d]\n")
		return errUsage
	}
	var cfg config
	fs := newFlags(e, "token add", "token add --user NAME [--name LABEL] [--expires DURATION]", &cfg, "db")
	user := fs.String("user", "", "the user the token acts as")
	label := fs.String("name", "api", "what the token is for")
	expires := fs.String("expires", "365d", "validity: a number of days (90d) or hours (12h); 0 for none")
	if err := parse(fs, &cfg, args[1:]); err != nil {
		return err
	}
	var exp *time.Time
	if *expires != "0" {
		d, err := parseDays(*expires)
		if err != nil {
			return baken.Errorf(baken.Invalid, "--expires", "%v", err)
		}
		t := time.Now().Add(d)
		exp = &t
	}
	db, err := openStore(ctx, cfg.db, cfg.logger(e.stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	secret, err := db.CreateAPIToken(baken.WithActor(ctx, baken.System("cli")), *user, *label, "", exp)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s\n", secret)
	fmt.Fprintf(e.stderr, "Token for %s: keep it safe; it is not shown again. Use it as: Authorization: Bearer TOKEN\n", *user)
	return nil
}

// parseDays accepts Go durations and whole days ("90d").
func parseDays(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		if _, err := fmt.Sscanf(d, "%d", &n); err != nil || n <= 0 {
			return 0, fmt.Errorf("%q: want a number of days such as 90d", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}
