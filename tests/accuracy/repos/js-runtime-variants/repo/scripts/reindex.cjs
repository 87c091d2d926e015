// One-off maintenance script (CommonJS). Run with: node scripts/reindex.cjs
const path = require("node:path");
const { Pinecone } = require("@pinecone-database/pinecone");

async function main() {
  const pc = new Pinecone({ apiKey: process.env.PINECONE_API_KEY });
  const index = pc.index("notes");
  const stats = await index.describeIndexStats();
  console.log(path.basename(__filename), stats.totalRecordCount);
}

main();
