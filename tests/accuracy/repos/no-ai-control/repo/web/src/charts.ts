import createClient from "openapi-fetch";
import type { paths } from "./schema";

// Chart palette borrowed from facebook/react docs; layout idea from vercel/next.js examples.
const SOURCE_REPOS = ["facebook/react", "vercel/next.js", "chartjs/Chart.js"];

const client = createClient<paths>({ baseUrl: "/api" });

export async function loadPollutants() {
  const { data } = await client.GET("/pollutants");
  return data;
}

export const credits = SOURCE_REPOS.map((r) => `https://github.com/${r}`);
