// Loads the embedding client only when the feature flag is on.
export async function embed(text) {
  if (!process.env.ENABLE_EMBEDDINGS) return null;
  const { CohereClient } = await import("cohere-ai");
  const cohere = new CohereClient({ token: process.env.CO_API_KEY });
  const res = await cohere.embed({ texts: [text], model: "embed-english-v3.0", inputType: "search_document" });
  return res.embeddings[0];
}
