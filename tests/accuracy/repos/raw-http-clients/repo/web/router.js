// Long-document questions go through OpenRouter, which forwards to the named upstream model.
const OPENROUTER = "https://openrouter.ai/api/v1/chat/completions";

export async function askLong(question, document) {
  const res = await fetch(OPENROUTER, {
    method: "POST",
    headers: { Authorization: `Bearer ${process.env.OPENROUTER_API_KEY}` },
    body: JSON.stringify({
      model: "google/gemini-flash-1.5",
      messages: [{ role: "user", content: `${document}\n\nQuestion: ${question}` }],
    }),
  });
  return (await res.json()).choices[0].message.content;
}
