package web

// MapCacheStats returns how many map lookups the cache answered and how many maps (or
// lists of years) it computed from the store.
func (w *Web) MapCacheStats() (hits, computed int64) { return w.maps.stats() }
