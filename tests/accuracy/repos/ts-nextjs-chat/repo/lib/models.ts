// Which model answers which kind of request. Keep in sync with the pricing sheet.
export const CHAT_MODEL = "gpt-4o";
export const CHEAP_MODEL = "gpt-4o-mini";
export const ESCALATION_MODEL = "claude-3-5-sonnet-20241022";

export const ANTHROPIC_BASE_URL = "https://api.anthropic.com";
