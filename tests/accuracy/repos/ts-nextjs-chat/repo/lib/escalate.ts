import Anthropic from "@anthropic-ai/sdk";
import { ANTHROPIC_BASE_URL, ESCALATION_MODEL } from "./models";

const anthropic = new Anthropic({
  apiKey: process.env.ANTHROPIC_API_KEY,
  baseURL: ANTHROPIC_BASE_URL,
});

export async function summariseForAgent(transcript: string): Promise<string> {
  const msg = await anthropic.messages.create({
    model: ESCALATION_MODEL,
    max_tokens: 512,
    messages: [{ role: "user", content: `Summarise for a human agent:\n${transcript}` }],
  });
  const block = msg.content[0];
  return block.type === "text" ? block.text : "";
}
