// Package faults is Plenary's fault suite with real processes: the built `plenary`
// binary started as `plenary api` and `plenary notifier`, private PostgreSQL clusters
// (initdb and postgres on a free loopback port), private nats-server processes (alone or
// a three-node cluster) and an in-process SMTP server that records what arrives and
// when. Faults are injected from outside: kill -9, SIGSTOP, restarts. The shared
// PostgreSQL on 5432 and NATS on 4222 are never touched.
//
// It prints one table (scenario, expected, sent, duplicates, lost, late, p99 delay).
// `make test-faults` runs it at a scale fit for CI; `make soak` at the scale of issue 14
// (10,000 reminders, 20 kills). Behind the build tag `integration`:
//
//	go test -tags integration -count=1 -v ./integration/faults
package faults
