module example.com/cluster-explainer

go 1.23

require (
	github.com/aws/aws-sdk-go v1.55.7
	github.com/cohere-ai/cohere-go/v2 v2.12.2
	github.com/hupe1980/go-huggingface v0.0.15
	github.com/oracle/oci-go-sdk/v65 v65.79.0
	github.com/spf13/cobra v1.8.1
)
