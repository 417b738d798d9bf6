// Reference answers for Mlrb's tokenizer tests from Hugging Face's Rust `tokenizers` library (Node bindings).
//
//   node oracle.js REQUESTS.json OUT.json
//
// REQUESTS.json: {"jobs": [{"tokenizer": "path/to/tokenizer.json" | "json": "<tokenizer.json text>",
//                           "op": "encode" | "normalize" | "pretokenize" | "decode",
//                           "strings": [...], "ids": [[...]], "addSpecialTokens": bool, "skipSpecialTokens": bool}]}
// OUT.json:      {"version": "<tokenizers version>", "results": [{"outputs": [...]} | {"error": "..."}]}
// "encode" gives the ids of each string; "normalize" the normalizer's output; "pretokenize" the pre-tokenizer's pieces;
// "decode" the text of each id list.
'use strict';
const fs = require('fs');
const path = require('path');
const { Tokenizer } = require('tokenizers');

async function run(job) {
  const tokenizer = job.json !== undefined ? Tokenizer.fromString(job.json) : Tokenizer.fromFile(job.tokenizer);
  switch (job.op || 'encode') {
    case 'encode': {
      const add = job.addSpecialTokens !== false;
      const out = [];
      for (const s of job.strings) {
        const enc = await tokenizer.encode(s, null, { addSpecialTokens: add });
        out.push(enc.getIds());
      }
      return out;
    }
    case 'normalize': {
      const n = tokenizer.getNormalizer();
      return job.strings.map((s) => (n ? n.normalizeString(s) : s));
    }
    case 'pretokenize': {
      const p = tokenizer.getPreTokenizer();
      return job.strings.map((s) => (p ? p.preTokenizeString(s).map((x) => x[0]) : [s]));
    }
    case 'decode': {
      const out = [];
      for (const ids of job.ids) {
        out.push(await tokenizer.decode(ids, job.skipSpecialTokens === true));
      }
      return out;
    }
    default:
      throw new Error(`unknown op ${job.op}`);
  }
}

async function main() {
  const [requestsPath, outPath] = process.argv.slice(2);
  if (!requestsPath || !outPath) {
    console.error('usage: node oracle.js REQUESTS.json OUT.json');
    process.exit(2);
  }
  const requests = JSON.parse(fs.readFileSync(requestsPath, 'utf8'));
  const results = [];
  for (const job of requests.jobs) {
    try {
      results.push({ outputs: await run(job) });
    } catch (e) {
      results.push({ error: String(e && e.message ? e.message : e) });
    }
  }
  const version = JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve('tokenizers')), 'package.json'), 'utf8')).version;
  fs.writeFileSync(outPath, JSON.stringify({ version, results }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
