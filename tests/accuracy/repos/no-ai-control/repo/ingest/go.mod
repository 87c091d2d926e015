module github.com/acme/airq/ingest

go 1.23

require (
	github.com/getkin/kin-openapi v0.128.0
	github.com/prometheus/client_golang v1.20.5
)

require (
	github.com/go-openapi/jsonpointer v0.21.0 // indirect
	github.com/go-openapi/swag v0.23.0 // indirect
	github.com/invopop/yaml v0.3.1 // indirect
)
