package main

import (
	"log"
	"net/http"
	"os"

	"github.com/go-chi/chi/v5"

	"github.com/acme/ticket-triage/internal/llm"
)

func main() {
	classifier := llm.NewOpenAIClassifier(os.Getenv("OPENAI_API_KEY"))
	drafter := llm.NewDrafter(os.Getenv("ANTHROPIC_API_KEY"))
	r := chi.NewRouter()
	r.Post("/tickets", newTicketHandler(classifier, drafter))
	log.Fatal(http.ListenAndServe(":8080", r))
}
