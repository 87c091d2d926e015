import { openai } from "@ai-sdk/openai";
import { streamText } from "ai";

export async function POST(req: Request) {
  const { messages } = await req.json();
  const result = streamText({
    model: openai("gpt-4o"),
    system: "You help support agents reply to customers. Keep replies under 120 words.",
    messages,
  });
  return result.toDataStreamResponse();
}
