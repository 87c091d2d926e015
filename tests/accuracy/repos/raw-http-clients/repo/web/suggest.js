// Autocomplete suggestions through Groq's OpenAI-compatible endpoint (plain fetch, no SDK).
const GROQ_URL = "https://api.groq.com/openai/v1/chat/completions";

export async function suggest(prefix) {
  const res = await fetch(GROQ_URL, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${process.env.GROQ_API_KEY}`,
      "Content-Type": "application/json",
    },
    body: JSON.stringify({
      model: "llama-3.3-70b-versatile",
      messages: [{ role: "user", content: `Complete: ${prefix}` }],
    }),
  });
  return (await res.json()).choices[0].message.content;
}
