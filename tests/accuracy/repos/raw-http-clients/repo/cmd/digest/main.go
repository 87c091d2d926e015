package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
)

// Azure OpenAI deployment "digest" runs gpt-4o-mini; the URL carries the API version.
const endpoint = "https://acme-eu.openai.azure.com/openai/deployments/digest/chat/completions?api-version=2024-10-21"

func main() {
	body, _ := json.Marshal(map[string]any{
		"messages": []map[string]string{{"role": "user", "content": "Summarise today's incidents: " + os.Args[1]}},
	})
	req, _ := http.NewRequest(http.MethodPost, endpoint, bytes.NewReader(body))
	req.Header.Set("api-key", os.Getenv("AZURE_OPENAI_API_KEY"))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	fmt.Println(resp.Status)
}
