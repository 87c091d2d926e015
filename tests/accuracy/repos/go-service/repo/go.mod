module github.com/acme/ticket-triage

go 1.23

require (
	github.com/anthropics/anthropic-sdk-go v0.2.0-alpha.8
	github.com/go-chi/chi/v5 v5.1.0
	github.com/sashabaranov/go-openai v1.36.0
	github.com/tmc/langchaingo v0.1.12
)

require (
	github.com/dlclark/regexp2 v1.10.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/pkoukk/tiktoken-go v0.1.6 // indirect
	github.com/tidwall/gjson v1.14.4 // indirect
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.2.1 // indirect
	github.com/tidwall/sjson v1.2.5 // indirect
)
