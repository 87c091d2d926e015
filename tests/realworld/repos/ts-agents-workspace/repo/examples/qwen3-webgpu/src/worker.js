import { pipeline } from "@huggingface/transformers";
import { encode } from "gpt-3-encoder";

const generator = await pipeline("text-generation", "onnx-community/Qwen3-0.6B-ONNX", {
  device: "webgpu",
});

export async function reply(prompt) {
  const budget = 2048 - encode(prompt).length;
  return generator(prompt, { max_new_tokens: Math.min(budget, 512) });
}
