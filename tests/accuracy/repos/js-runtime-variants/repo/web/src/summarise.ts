import Anthropic from "@anthropic-ai/sdk";

const client = new Anthropic();

export async function summarise(note: string): Promise<string> {
  const msg = await client.messages.create({
    model: "claude-3-5-haiku-latest",
    max_tokens: 300,
    messages: [{ role: "user", content: `Summarise this note in one line:\n${note}` }],
  });
  const first = msg.content[0];
  return first.type === "text" ? first.text : "";
}
