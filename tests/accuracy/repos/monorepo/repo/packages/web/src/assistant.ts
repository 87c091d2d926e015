import OpenAI from "openai";

const client = new OpenAI();

export async function suggestReply(thread: string[]): Promise<string> {
  const completion = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [
      { role: "system", content: "Suggest a short, polite reply to the customer." },
      { role: "user", content: thread.join("\n") },
    ],
  });
  return completion.choices[0].message.content ?? "";
}
