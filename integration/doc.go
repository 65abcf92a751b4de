// Package integration holds Plenary's end-to-end suites: the real binary and a real
// nats-server in containers (built FROM scratch, no registry needed), the host's
// PostgreSQL, and faults injected from outside (a stopped NATS, a killed API, SIGTERM).
//
// The tests are behind the build tag `integration` and need a Docker engine:
//
//	make test-integration
package integration
