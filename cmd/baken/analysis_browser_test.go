package main

import (
	"fmt"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// analysisMapDrawn opens the analysis page at path and waits until the script has drawn
// the hotspot map's hot cells, which it fetches after the page has loaded.
func analysisMapDrawn(path string) browserAction {
	return func(bt *browserTab) (*network.Response, error) {
		resp, err := visit(path)(bt)
		if err != nil {
			return nil, err
		}
		if err := chromedp.Do(bt.ctx, chromedp.WaitReady(chromedp.CSS(`#analyse-kaart.map--live path.hotspot-cell--hot`))); err != nil {
			return nil, fmt.Errorf("page %s: no hot cells drawn on the map: %w", path, err)
		}
		return resp, nil
	}
}
