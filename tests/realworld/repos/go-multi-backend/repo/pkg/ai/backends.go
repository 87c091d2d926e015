// Package ai holds the explanation backends a user can choose between.
package ai

import (
	"github.com/aws/aws-sdk-go/aws/session"
	"github.com/aws/aws-sdk-go/service/sagemakerruntime"
	cohere "github.com/cohere-ai/cohere-go/v2/client"
	"github.com/hupe1980/go-huggingface"
	"github.com/oracle/oci-go-sdk/v65/common"
	"github.com/oracle/oci-go-sdk/v65/generativeaiinference"
)

// Backends are the configured clients.
type Backends struct {
	SageMaker   *sagemakerruntime.SageMakerRuntime
	Cohere      *cohere.Client
	HuggingFace *huggingface.InferenceClient
	OCI         generativeaiinference.GenerativeAiInferenceClient
}

// New builds every backend.
func New(token string, provider common.ConfigurationProvider) (*Backends, error) {
	sess := session.Must(session.NewSession())
	oci, err := generativeaiinference.NewGenerativeAiInferenceClientWithConfigurationProvider(provider)
	if err != nil {
		return nil, err
	}
	return &Backends{
		SageMaker:   sagemakerruntime.New(sess),
		Cohere:      cohere.NewClient(),
		HuggingFace: huggingface.NewInferenceClient(token),
		OCI:         oci,
	}, nil
}
