module github.com/acme/platform/gateway

go 1.23

require (
	github.com/google/generative-ai-go v0.18.0
	google.golang.org/api v0.205.0
)

require (
	cloud.google.com/go/ai v0.8.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
)
