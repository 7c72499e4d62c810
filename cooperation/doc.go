// Package cooperation owns the words and limits of the programme of
// cooperation activities that every other package shares: how long a text
// may be and which characters it may hold, what an identifier looks like,
// which calendar days a date may fall on. It does no I/O, so the portal,
// the command line, the workflows and the store apply the very same rules.
package cooperation
