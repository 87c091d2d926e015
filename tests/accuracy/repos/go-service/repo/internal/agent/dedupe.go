package agent

import (
	"context"
	"fmt"

	"github.com/tmc/langchaingo/llms"
	"github.com/tmc/langchaingo/llms/ollama"
)

// Duplicate detection runs on the local Ollama daemon so ticket text never leaves the host.
func IsDuplicate(ctx context.Context, a, b string) (bool, error) {
	llm, err := ollama.New(ollama.WithModel("llama3.1:8b"))
	if err != nil {
		return false, err
	}
	prompt := fmt.Sprintf("Do these two tickets describe the same problem? Answer yes or no.\n1: %s\n2: %s", a, b)
	out, err := llms.GenerateFromSinglePrompt(ctx, llm, prompt)
	if err != nil {
		return false, err
	}
	return out == "yes", nil
}
