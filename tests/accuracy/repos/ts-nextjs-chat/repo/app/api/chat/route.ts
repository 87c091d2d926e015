import { openai } from "@ai-sdk/openai";
import { streamText } from "ai";
import { CHAT_MODEL, CHEAP_MODEL } from "@/lib/models";

export const maxDuration = 30;

export async function POST(req: Request) {
  const { messages, tier } = await req.json();
  const result = streamText({
    model: openai(tier === "free" ? CHEAP_MODEL : CHAT_MODEL),
    system: "You are the support assistant for Acme Cloud. Be brief.",
    messages,
  });
  return result.toDataStreamResponse();
}
