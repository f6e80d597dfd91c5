// Package importer reads what comes into Baken from files: CBS areas and population,
// registrations from police exports, boa apps and open data, and police open-data counts.
// It parses and checks every row, says exactly which file, line and column is wrong, and
// loads what is valid idempotently, so that an interrupted import can simply be run again.
package importer
