package llm

import (
	"context"

	openai "github.com/sashabaranov/go-openai"
)

// ClassifierModel labels incoming tickets. Pinned snapshot: re-validate prompts before changing.
const ClassifierModel = "gpt-4o-2024-08-06"

type OpenAIClassifier struct {
	client *openai.Client
}

func NewOpenAIClassifier(apiKey string) *OpenAIClassifier {
	return &OpenAIClassifier{client: openai.NewClient(apiKey)}
}

func (c *OpenAIClassifier) Classify(ctx context.Context, ticket string) (string, error) {
	resp, err := c.client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{
		Model: ClassifierModel,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: "Label the ticket: billing, outage, account, other."},
			{Role: openai.ChatMessageRoleUser, Content: ticket},
		},
	})
	if err != nil {
		return "", err
	}
	return resp.Choices[0].Message.Content, nil
}
