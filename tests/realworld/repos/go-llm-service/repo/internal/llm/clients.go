// Package llm wires the model clients used by the support bot.
package llm

import (
	"context"
	"os"

	generativelanguage "cloud.google.com/go/ai/generativelanguage/apiv1beta"
	aai "github.com/AssemblyAI/assemblyai-go-sdk"
	wx "github.com/IBM/watsonx-go/pkg/models"
	"github.com/aws/aws-sdk-go-v2/service/bedrockagent"
)

const maritacaURL = "https://chat.maritaca.ai/api/chat/completions"

// Clients holds every model client.
type Clients struct {
	Gemini   *generativelanguage.GenerativeClient
	Speech   *aai.Client
	Watsonx  *wx.Client
	Agents   *bedrockagent.Client
	Maritaca string
}

// New builds the clients from the environment.
func New(ctx context.Context) (*Clients, error) {
	gemini, err := generativelanguage.NewGenerativeClient(ctx)
	if err != nil {
		return nil, err
	}
	speech := aai.NewClient(os.Getenv("ASSEMBLYAI_API_KEY"))
	watsonx, err := wx.NewClient(wx.WithWatsonxAPIKey(os.Getenv("WATSONX_API_KEY")))
	if err != nil {
		return nil, err
	}
	return &Clients{Gemini: gemini, Speech: speech, Watsonx: watsonx, Maritaca: os.Getenv("MARITACA_API_KEY")}, nil
}

// Models names the model each route uses.
var Models = map[string]string{
	"summary": "sabia-3",
	"answer":  "gemini-2.0-flash",
}
