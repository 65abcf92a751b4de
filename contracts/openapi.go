package contracts

import _ "embed"

// OpenAPI is the HTTP API's contract, served at /openapi.yaml. A test checks that every
// route the server mounts is described here and every path here is mounted.
//
//go:embed openapi.yaml
var OpenAPI []byte
