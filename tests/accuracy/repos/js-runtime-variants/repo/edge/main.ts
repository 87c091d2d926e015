import OpenAI from "openai";
import { serveDir } from "@std/http";

const client = new OpenAI({ apiKey: Deno.env.get("OPENAI_API_KEY") });

Deno.serve(async (req) => {
  if (new URL(req.url).pathname !== "/title") {
    return serveDir(req, { fsRoot: "public" });
  }
  const { text } = await req.json();
  const out = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: `Title for: ${text}` }],
  });
  return Response.json({ title: out.choices[0].message.content });
});
