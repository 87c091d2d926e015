module example.com/support-bot

go 1.23

require (
	cloud.google.com/go/ai v0.7.0
	github.com/AssemblyAI/assemblyai-go-sdk v1.3.0
	github.com/IBM/watsonx-go v1.0.0
	github.com/aws/aws-sdk-go-v2/service/bedrockagent v1.40.0
	github.com/google/uuid v1.6.0
)

require github.com/testcontainers/testcontainers-go/modules/ollama v0.35.0 // indirect
