package llm

import (
	"context"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"
)

type Drafter struct {
	client *anthropic.Client
}

func NewDrafter(apiKey string) *Drafter {
	return &Drafter{client: anthropic.NewClient(option.WithAPIKey(apiKey))}
}

// DraftReply writes a first reply for a human agent to edit.
func (d *Drafter) DraftReply(ctx context.Context, ticket string) (string, error) {
	msg, err := d.client.Messages.New(ctx, anthropic.MessageNewParams{
		Model:     anthropic.F("claude-3-5-sonnet-latest"),
		MaxTokens: anthropic.F(int64(800)),
		Messages: anthropic.F([]anthropic.MessageParam{
			anthropic.NewUserMessage(anthropic.NewTextBlock(ticket)),
		}),
	})
	if err != nil {
		return "", err
	}
	return msg.Content[0].Text, nil
}
