import { GoogleGenAI } from "@google/genai";
import { Hono } from "hono";

const ai = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY });
const app = new Hono();

app.post("/tags", async (c) => {
  const { text } = await c.req.json();
  const res = await ai.models.generateContent({
    model: "gemini-2.0-flash-001",
    contents: `Three tags for: ${text}`,
  });
  return c.json({ tags: res.text });
});

export default app;
