// Calls the moderation endpoint directly: the Vercel SDK has no moderation helper.
const MODERATION_URL = "https://api.openai.com/v1/moderations";

export async function isFlagged(text: string): Promise<boolean> {
  const res = await fetch(MODERATION_URL, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer ${process.env.OPENAI_API_KEY}`,
    },
    body: JSON.stringify({ model: "omni-moderation-latest", input: text }),
  });
  const data = await res.json();
  return Boolean(data.results?.[0]?.flagged);
}
