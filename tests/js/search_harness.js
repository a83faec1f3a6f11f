// Runs themes/default/static/search.js under node against a built site:
//   node search_harness.js <out dir> <normalize_cases.json> <queries.json>
// Serves <out dir> over HTTP on 127.0.0.1 (as any static server would), opens
// each language's index the way the search page does (../search-index.json
// relative to /{lang}/search/), runs the queries and prints one JSON report:
// the shared normalization cases the script fails (with the index's tables),
// and for each query the result URLs, best first, and the bytes fetched
// (page, script, entry point, shards).
"use strict";
const http = require("http");
const fs = require("fs");
const path = require("path");

const [outDir, casesFile, queriesFile] = process.argv.slice(2);
const search = require(path.resolve(__dirname, "../../themes/default/static/search.js"));

const server = http.createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (p.endsWith("/")) p += "index.html";
  const file = path.join(outDir, p);
  if (!file.startsWith(path.resolve(outDir)) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    res.writeHead(404);
    res.end();
    return;
  }
  res.writeHead(200);
  res.end(fs.readFileSync(file));
});

// attribute text as the browser reads it (entities decoded)
function unescape(s) {
  return s.replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16))).replace(/&quot;/g, '"').replace(/&amp;/g, "&");
}

async function main() {
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const origin = "http://127.0.0.1:" + server.address().port;
  const report = { normalize: [], clitics: [], queries: [] };
  const cases = JSON.parse(fs.readFileSync(casesFile, "utf8"));
  const queries = JSON.parse(fs.readFileSync(queriesFile, "utf8"));

  let bytes = 0;
  const load = async (url) => {
    const r = await fetch(url);
    if (!r.ok) throw new Error(r.status + " " + url);
    const text = await r.text();
    bytes += Buffer.byteLength(text);
    return JSON.parse(text);
  };
  const fetchBytes = async (url) => {
    const r = await fetch(url);
    return r.ok ? Buffer.byteLength(Buffer.from(await r.arrayBuffer())) : 0;
  };

  const indexes = {};
  const open = async (lang) => {
    if (!indexes[lang]) {
      const page = origin + "/" + lang + "/search/";
      const html = await (await fetch(page)).text();
      const rel = unescape(/data-index="([^"]+)"/.exec(html)[1]);
      indexes[lang] = await search.Index.open(new URL(rel, page).href, load);
    }
    return indexes[lang];
  };

  // the shared normalization table, with the tables the index carries
  const first = await open(queries[0].lang);
  const norm = first.norm;
  for (const c of cases.normalize) {
    const out = norm.normalize(c.in);
    const toks = norm.tokens(c.in).map((t) => t.text);
    if (out !== c.out) report.normalize.push({ in: c.in, got: out, want: c.out, note: c.note });
    if (JSON.stringify(toks) !== JSON.stringify(c.tokens)) report.normalize.push({ in: c.in, got: toks, want: c.tokens, note: c.note });
  }
  for (const c of cases.clitics) {
    const s = norm.cliticSplits(c.word).find((x) => c.known.includes(x.stem));
    const got = s ? [s.stem, c.word.slice(0, s.prefix)] : null;
    const want = c.stem === null ? null : [c.stem, c.prefix];
    if (JSON.stringify(got) !== JSON.stringify(want)) report.clitics.push({ word: c.word, got, want });
  }

  for (const q of queries) {
    // a fresh index per query: count everything a reader's first query fetches
    const page = origin + "/" + q.lang + "/search/";
    bytes = 0;
    const pageBytes = (await fetchBytes(page)) + (await fetchBytes(origin + "/search.js"));
    const html = await (await fetch(page)).text();
    const rel = unescape(/data-index="([^"]+)"/.exec(html)[1]);
    const idx = await search.Index.open(new URL(rel, page).href, load);
    const found = await idx.search(q.q);
    const shown = found.results.slice(0, 10).map((r) => r.doc);
    const recs = await idx.records(shown);
    const marked = recs.length ? idx.highlight(recs[0].snippet, found).filter((p) => p[1]).map((p) => p[0]) : [];
    report.queries.push({
      lang: q.lang, q: q.q, urls: recs.map((r) => r.url), titles: recs.map((r) => r.title),
      total: found.results.length, marked, index_bytes: bytes, page_bytes: pageBytes,
    });
  }
  server.close();
  process.stdout.write(JSON.stringify(report, null, 1) + "\n");
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  server.close();
  process.exit(1);
});
