package forecast

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseDuration parses a period as analysts write it: a whole number of days (14d),
// weeks (2w) or years of 365 days (1y), or anything time.ParseDuration accepts (36h,
// 90m). It must be positive.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration: want e.g. 14d, 2w or 36h")
	}
	unit := map[byte]time.Duration{'d': Day, 'w': 7 * Day, 'y': 365 * Day}[s[len(s)-1]]
	if unit != 0 {
		n, err := strconv.Atoi(s[:len(s)-1])
		if err != nil || n <= 0 || n > 100*365 {
			return 0, fmt.Errorf("duration %q: want a whole number of days (14d), weeks (2w) or years (1y), or hours (36h)", s)
		}
		return time.Duration(n) * unit, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("duration %q: want e.g. 14d, 2w, 1y or 36h", s)
	}
	return d, nil
}

// FormatDuration writes a duration the way ParseDuration reads it, in the largest unit
// that divides it: 2w, 10d, 36h.
func FormatDuration(d time.Duration) string {
	switch {
	case d > 0 && d%(365*Day) == 0:
		return strconv.FormatInt(int64(d/(365*Day)), 10) + "y"
	case d > 0 && d%(7*Day) == 0:
		return strconv.FormatInt(int64(d/(7*Day)), 10) + "w"
	case d > 0 && d%Day == 0:
		return strconv.FormatInt(int64(d/Day), 10) + "d"
	case d > 0 && d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	}
	return d.String()
}
