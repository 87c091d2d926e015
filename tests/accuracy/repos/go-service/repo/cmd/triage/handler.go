package main

import (
	"encoding/json"
	"net/http"

	"github.com/acme/ticket-triage/internal/llm"
)

type ticket struct {
	Body string `json:"body"`
}

func newTicketHandler(c *llm.OpenAIClassifier, d *llm.Drafter) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var t ticket
		if err := json.NewDecoder(r.Body).Decode(&t); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		label, err := c.Classify(r.Context(), t.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		draft, _ := d.DraftReply(r.Context(), t.Body)
		_ = json.NewEncoder(w).Encode(map[string]string{"label": label, "draft": draft})
	}
}
