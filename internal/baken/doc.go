// Package baken holds Baken's domain types and rules: areas, population figures,
// registrations, the actor on whose behalf work is done, and the error kinds every
// transport maps to a response. It imports nothing of Baken's own.
package baken
