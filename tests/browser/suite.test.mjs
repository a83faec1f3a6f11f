// The real-browser and validator suite (issue: hardening). Builds the default
// digest and the `basic` fixture with the nashra binary, then:
//  (a) validates every HTML page with html-validate (zero errors),
//  (b) runs axe-core in headless Chromium on home, article, topic and entity
//      pages in both languages (zero serious or critical violations),
//  (c) takes screenshots at 1280 and 390 px and checks with the browser's own
//      layout that Arabic pages flow right-to-left, English ones left-to-right,
//      that nothing overflows horizontally and that no count of a list of
//      topics or entities ("1 article") is broken over two lines,
//  (d) keeps the screenshots in ci-artifacts/screenshots/ at the repo root.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, extname, resolve, dirname } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { HtmlValidate } from "html-validate";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const shots = join(repo, "ci-artifacts", "screenshots");
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

function nashraBin() {
  if (process.env.NASHRA_BIN) return process.env.NASHRA_BIN;
  for (const p of ["target/release/nashra", "target/debug/nashra"]) {
    if (existsSync(join(repo, p))) return join(repo, p);
  }
  throw new Error("build nashra first (cargo build) or set NASHRA_BIN");
}

const sites = {
  digest: { root: repo },
  fixture: { root: join(repo, "tests/fixtures/basic") },
};

function htmlFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...htmlFiles(p));
    else if (name.endsWith(".html")) out.push(p);
  }
  return out;
}

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".xml": "application/xml; charset=utf-8", ".json": "application/json", ".js": "text/javascript; charset=utf-8" };

function serve(dir) {
  return new Promise((ok) => {
    const server = createServer((req, res) => {
      let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      if (path.includes("..")) { res.writeHead(400); return res.end(); }
      if (path.endsWith("/")) path += "index.html";
      const file = join(dir, path);
      if (!existsSync(file) || statSync(file).isDirectory()) {
        res.writeHead(404, { "content-type": types[".html"] });
        return res.end(readFileSync(join(dir, "404.html")));
      }
      res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
      res.end(readFileSync(file));
    });
    server.listen(0, "127.0.0.1", () => ok(server));
  });
}

let browser;
before(async () => {
  const bin = nashraBin();
  for (const [name, site] of Object.entries(sites)) {
    site.out = mkdtempSync(join(tmpdir(), `nashra-${name}-`));
    execFileSync(bin, ["build", "--root", site.root, "--out", site.out], { stdio: "inherit" });
    site.server = await serve(site.out);
    site.base = `http://127.0.0.1:${site.server.address().port}`;
  }
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  for (const site of Object.values(sites)) site.server?.close();
});

test("every page is valid HTML (html-validate, recommended rules)", async () => {
  const validator = new HtmlValidate({ extends: ["html-validate:recommended"] });
  const problems = [];
  let pages = 0;
  for (const [name, site] of Object.entries(sites)) {
    for (const file of htmlFiles(site.out)) {
      pages++;
      const report = await validator.validateFile(file);
      for (const r of report.results) {
        for (const m of r.messages) {
          if (m.severity === 2) problems.push(`${name}${file.slice(site.out.length)}:${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
        }
      }
    }
  }
  console.log(`html-validate: ${pages} pages, ${problems.length} errors`);
  assert.deepEqual(problems, []);
});

// Pages checked in the browser: [site, path, name].
const pages = [
  ["digest", "/ar/", "ar-home"],
  ["digest", "/en/", "en-home"],
  ["digest", "/ar/2026/01/mar-a-lago-dinner/", "ar-article"],
  ["digest", "/en/2026/01/mar-a-lago-dinner/", "en-article"],
  ["digest", "/ar/topics/politics/", "ar-topic"],
  ["digest", "/en/topics/politics/", "en-topic"],
  ["digest", "/ar/entities/elon-musk/", "ar-entity"],
  ["digest", "/en/entities/elon-musk/", "en-entity"],
  ["digest", "/ar/entities/", "ar-entities"],
  ["digest", "/en/entities/", "en-entities"],
  ["fixture", "/ar/2025/11/only-ar/", "ar-untranslated"],
  ["fixture", "/en/2025/10/hostile/", "en-hostile"],
  // the search pages, run by the real browser: a query from ?q= must list results
  ["digest", "/ar/search/?q=ماسك", "ar-search"],
  ["digest", "/en/search/?q=musk", "en-search"],
];

for (const [siteName, path, name] of pages) {
  test(`${name}: accessible, right direction, no overflow at 1280 and 390 px`, async () => {
    const site = sites[siteName];
    for (const width of [1280, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const resp = await page.goto(site.base + encodeURI(path));
      assert.equal(resp.status(), 200, path);
      if (path.includes("/search/?q=")) {
        await page.waitForSelector(".search-results li.search-result a", { timeout: 15000 });
        const hits = await page.$$eval(".search-results li.search-result a", (as) => as.map((a) => a.getAttribute("href")));
        assert.ok(hits.some((h) => h.includes("/mar-a-lago-dinner/")), `${name}: the seed article is not among the results ${JSON.stringify(hits)}`);
      }
      const layout = await page.evaluate(() => {
        const html = document.documentElement;
        const h1 = document.querySelector("h1");
        const range = document.createRange();
        range.selectNodeContents(h1);
        const text = range.getBoundingClientRect();
        const box = h1.getBoundingClientRect();
        const sw = document.querySelector(".lang-switch");
        const swBox = sw ? sw.getBoundingClientRect() : null;
        return {
          dir: html.dir, lang: html.lang,
          overflow: html.scrollWidth - window.innerWidth,
          textLeft: text.left, textRight: text.right, boxLeft: box.left, boxRight: box.right,
          switchCenter: swBox ? swBox.left + swBox.width / 2 : null,
          width: window.innerWidth,
          // a list's count ("1 article") broken over two lines: one line box each
          splitCounts: [...document.querySelectorAll(".term-list .count")]
            .filter((c) => c.getClientRects().length > 1).map((c) => c.textContent),
        };
      });
      assert.ok(layout.overflow <= 0, `${name}@${width}: page overflows by ${layout.overflow}px`);
      assert.deepEqual(layout.splitCounts, [], `${name}@${width}: counts broken over two lines`);
      if (layout.dir === "rtl") {
        assert.ok(Math.abs(layout.textRight - layout.boxRight) < 2, `${name}@${width}: headline does not hug the right edge ${JSON.stringify(layout)}`);
      } else {
        assert.ok(Math.abs(layout.textLeft - layout.boxLeft) < 2, `${name}@${width}: headline does not hug the left edge ${JSON.stringify(layout)}`);
      }
      if (width === 1280 && layout.switchCenter !== null) {
        const leftHalf = layout.switchCenter < layout.width / 2;
        assert.equal(leftHalf, layout.dir === "rtl", `${name}: the language switch should sit at the ${layout.dir === "rtl" ? "left" : "right"} end of the header`);
      }
      await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
      if (width === 1280) {
        await page.addScriptTag({ path: axePath });
        const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
        const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
        const summary = bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} node(s): ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(", ")}`);
        console.log(`axe ${name}: ${result.violations.length} violation(s), ${bad.length} serious/critical`);
        assert.deepEqual(summary, [], `${name}: axe violations`);
      }
      await page.close();
    }
  });
}
