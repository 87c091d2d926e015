#!/usr/bin/env bash
# Drafts release notes from the git log with Claude. Needs ANTHROPIC_API_KEY.
set -euo pipefail

log=$(git log --oneline "$(git describe --tags --abbrev=0)"..HEAD | jq -Rs .)
curl -sS https://api.anthropic.com/v1/messages \
  -H "x-api-key: ${ANTHROPIC_API_KEY}" \
  -H "anthropic-version: 2023-06-01" \
  -H "content-type: application/json" \
  -d "{\"model\": \"claude-3-5-sonnet-latest\", \"max_tokens\": 800,
       \"messages\": [{\"role\": \"user\", \"content\": ${log}}]}" \
  | jq -r '.content[0].text' > RELEASE_NOTES.md
