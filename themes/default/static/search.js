/* nashra search: a dependency-free client for the static index nashra builds
 * (src/search.rs). It normalizes the query with the tables the index carries
 * (the Rust tables: the two sides cannot drift apart), fetches the one term
 * shard each word needs and the records of the results it shows, ranks title
 * and name hits above body hits, and reads its query from ?q=.
 * Under node (tests) it exports its parts instead of touching a page. */
(function () {
  "use strict";

  var WORD = /[\p{Alphabetic}\p{N}\p{M}]/u;
  var SPACE = /\p{White_Space}/u;
  var MARK = /\p{M}/u;

  /* ---- normalization: src/normalize (same tables, same steps) ---- */

  function Normalizer(tables) {
    this.folds = new Map(Object.entries(tables.folds));
    this.cl = tables.clitics;
  }

  /* Lowercase and fold one (NFKC-normalized) code point into out[]. */
  Normalizer.prototype.fold = function (c, out) {
    for (var l of c.toLowerCase()) {
      var f = this.folds.get(l);
      if (f === undefined) out.push(l);
      else for (var x of f) out.push(x);
    }
  };

  /* NFKC, case folding, Arabic folds, white space collapsed (normalize()). */
  Normalizer.prototype.normalize = function (s) {
    var out = [], pending = false, tmp = [];
    for (var c of s.normalize("NFKC")) {
      tmp.length = 0;
      this.fold(c, tmp);
      for (var f of tmp) {
        if (SPACE.test(f)) {
          pending = out.length > 0;
        } else {
          if (pending) { out.push(" "); pending = false; }
          out.push(f);
        }
      }
    }
    return out.join("");
  };

  /* Normalized words with their [start, end) in s (UTF-16 indexes). */
  Normalizer.prototype.tokens = function (s) {
    var toks = [], cur = [], start = 0, end = 0, tmp = [];
    var cps = Array.from(s), at = 0;
    var flush = function () {
      if (cur.length) toks.push({ text: cur.join(""), start: start, end: end });
      cur = [];
    };
    for (var i = 0; i < cps.length;) {
      var segStart = at, seg = cps[i];
      at += cps[i].length; i++;
      while (i < cps.length && MARK.test(cps[i])) { seg += cps[i]; at += cps[i].length; i++; }
      for (var c of seg.normalize("NFKC")) {
        tmp.length = 0;
        this.fold(c, tmp);
        for (var f of tmp) {
          if (WORD.test(f)) {
            if (!cur.length) start = segStart;
            cur.push(f);
            end = at;
          } else {
            flush();
          }
        }
      }
    }
    flush();
    return toks;
  };

  /* Readings of a normalized word as clitics + stem, least stripped first
     (src/normalize/clitics.rs). */
  Normalizer.prototype.cliticSplits = function (word) {
    var cl = this.cl, out = [];
    var push = function (removed, prefix, stem) {
      if (Array.from(stem).length >= cl.min_stem && !out.some(function (o) { return o.stem === stem; })) {
        out.push({ removed: removed, prefix: prefix, stem: stem });
      }
    };
    var c1s = [""].concat(cl.conjunctions), c2s = [""].concat(cl.prepositions);
    for (var c1 of c1s) {
      if (!word.startsWith(c1)) continue;
      var r1 = word.slice(c1.length);
      for (var c2 of c2s) {
        if (!r1.startsWith(c2)) continue;
        var rest = r1.slice(c2.length), p = c1.length + c2.length;
        var n = Array.from(c1).length + Array.from(c2).length;
        if (c2 === "\u0644" && rest.startsWith("\u0644")) {
          var noun = rest.slice(1);
          push(n, p, cl.article + noun);
          if (n > 0) push(n, p, rest);
          push(n + 1, p + 1, noun);
          continue;
        }
        if (n > 0) push(n, p, rest);
        if (rest.startsWith(cl.article)) push(n + 2, p + cl.article.length, rest.slice(cl.article.length));
      }
    }
    out.sort(function (a, b) { return a.removed - b.removed; });
    return out.map(function (o) { return { prefix: o.prefix, stem: o.stem }; });
  };

  /* ---- the index ---- */

  function decode(p) {
    var out = [], doc = 0, gap = 0;
    for (var i = 0; i < p.length; i++) {
      var c = p.charCodeAt(i);
      if (c >= 65 && c <= 90) { doc += gap; out.push([doc, c - 65]); gap = 0; }
      else gap = gap * 36 + (c <= 57 ? c - 48 : c - 87);
    }
    return out;
  }

  /* load(url) → Promise of parsed JSON; indexUrl: absolute URL of search-index.json. */
  function Index(entry, indexUrl, load) {
    this.entry = entry;
    this.base = indexUrl;
    this.load = load;
    this.norm = new Normalizer(entry.tables);
    this.cache = new Map();
  }

  Index.open = function (indexUrl, load) {
    return load(indexUrl).then(function (entry) { return new Index(entry, indexUrl, load); });
  };

  Index.prototype.get = function (rel) {
    var url = new URL(rel, this.base).href;
    if (!this.cache.has(url)) this.cache.set(url, this.load(url));
    return this.cache.get(url);
  };

  /* Position of the shard whose range holds term (-1: before the first). */
  Index.prototype.shardOf = function (term) {
    var t = this.entry.terms, lo = 0, hi = t.length - 1, best = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (t[mid][0] <= term) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return best;
  };

  Index.prototype.shard = function (k) {
    return this.get("search/" + this.entry.terms[k][1]);
  };

  /* Postings of one term, or null. */
  Index.prototype.lookup = function (term) {
    var k = this.shardOf(term);
    if (k < 0) return Promise.resolve(null);
    return this.shard(k).then(function (pairs) {
      var lo = 0, hi = pairs.length - 1;
      while (lo <= hi) {
        var mid = (lo + hi) >> 1, w = pairs[mid][0];
        if (w === term) return decode(pairs[mid][1]);
        if (w < term) lo = mid + 1; else hi = mid - 1;
      }
      return null;
    });
  };

  /* Terms beginning with prefix (other than prefix itself), from the shard
     holding it and the next one at most. */
  Index.prototype.prefixed = function (prefix, limit) {
    var self = this, k = Math.max(this.shardOf(prefix), 0), out = [];
    var shards = [k];
    if (k + 1 < this.entry.terms.length && this.entry.terms[k + 1][0].startsWith(prefix)) shards.push(k + 1);
    return Promise.all(shards.map(function (s) { return self.shard(s); })).then(function (lists) {
      for (var pairs of lists) {
        for (var pr of pairs) {
          if (out.length >= limit) break;
          if (pr[0] !== prefix && pr[0].startsWith(prefix)) out.push([pr[0], decode(pr[1])]);
        }
      }
      return out;
    });
  };

  /* Rank the documents for a query: [{ doc, score, terms }], best first.
     Every word must match (all words, else any word if none has them all);
     a word matches its own term, else the first of its clitic readings
     the index has; the last word also matches the terms it begins (half score). */
  Index.prototype.search = function (query) {
    var self = this, norm = this.norm;
    var words = [];
    for (var t of norm.tokens(query)) if (words.indexOf(t.text) < 0) words.push(t.text);
    if (!words.length) return Promise.resolve({ words: [], results: [] });
    var perWord = words.map(function (w, i) {
      var hits = new Map(), matched = [];
      var add = function (postings, factor, term) {
        matched.push(term);
        for (var d of postings) {
          var s = d[1] * factor;
          if (!(hits.get(d[0]) >= s)) hits.set(d[0], s);
        }
      };
      var exact = self.lookup(w).then(function (p) {
        if (p) { add(p, 1, w); return; }
        // at most two readings: each may cost a shard
        var splits = norm.cliticSplits(w).slice(0, 2);
        var next = function (j) {
          if (j >= splits.length) return null;
          return self.lookup(splits[j].stem).then(function (q) {
            if (q) add(q, 0.9, splits[j].stem); else return next(j + 1);
          });
        };
        return next(0);
      });
      var prefix = (i === words.length - 1 && Array.from(w).length >= 2)
        ? self.prefixed(w, 40).then(function (list) { for (var e of list) add(e[1], 0.5, e[0]); })
        : Promise.resolve();
      return Promise.all([exact, prefix]).then(function () { return { hits: hits, matched: matched }; });
    });
    return Promise.all(perWord).then(function (per) {
      var combine = function (all) {
        var scores = new Map();
        per.forEach(function (p, i) {
          p.hits.forEach(function (s, d) {
            if (all && i > 0 && !scores.has(d)) return;
            scores.set(d, (scores.get(d) || 0) + s);
          });
          if (all && i > 0) scores.forEach(function (_, d) { if (!p.hits.has(d)) scores.delete(d); });
        });
        return scores;
      };
      var scores = combine(true);
      if (!scores.size && per.length > 1) scores = combine(false);
      var results = Array.from(scores, function (e) { return { doc: e[0], score: e[1] }; });
      results.sort(function (a, b) { return b.score - a.score || b.doc - a.doc; });
      var terms = [];
      per.forEach(function (p) { p.matched.forEach(function (t) { if (terms.indexOf(t) < 0) terms.push(t); }); });
      return { words: words, terms: terms, results: results };
    });
  };

  /* Records { url, title, date, snippet } of documents. */
  Index.prototype.records = function (docs) {
    var self = this, per = this.entry.per;
    return Promise.all(docs.map(function (d) {
      return self.get("search/r" + Math.floor(d / per) + ".json?v=" + self.entry.rv).then(function (recs) {
        var r = recs[d % per];
        return { doc: d, url: r[0], title: r[1], date: r[2], snippet: r[3] };
      });
    }));
  };

  /* The snippet cut into [text, highlighted] pieces for the query's terms. */
  Index.prototype.highlight = function (text, found) {
    var norm = this.norm, out = [], last = 0;
    var wanted = function (w) {
      if (found.terms.indexOf(w) >= 0) return true;
      return norm.cliticSplits(w).some(function (s) { return found.terms.indexOf(s.stem) >= 0; });
    };
    for (var t of norm.tokens(text)) {
      if (!wanted(t.text)) continue;
      if (t.start > last) out.push([text.slice(last, t.start), false]);
      out.push([text.slice(t.start, t.end), true]);
      last = t.end;
    }
    if (last < text.length) out.push([text.slice(last), false]);
    return out;
  };

  var api = { Normalizer: Normalizer, Index: Index, decode: decode };

  /* ---- the page ---- */

  function init() {
    var form = document.querySelector("form.search-form");
    if (!form) return;
    var input = form.querySelector("input[name=q]");
    var status = document.querySelector(".search-status");
    var list = document.querySelector(".search-results");
    var perPage = parseInt(form.dataset.perPage, 10) || 10;
    var indexUrl = new URL(form.dataset.index, document.baseURI).href;
    var load = function (url) {
      return fetch(url).then(function (r) {
        if (!r.ok) throw new Error(r.status + " " + url);
        return r.json();
      });
    };
    var opened = null, run = 0, timer = 0;
    var index = function () {
      if (!opened) opened = Index.open(indexUrl, load).catch(function (e) { opened = null; throw e; });
      return opened;
    };
    var say = function (text) { status.textContent = text; };
    var show = function (idx, found, from, moreButton) {
      var docs = found.results.slice(from, from + perPage).map(function (r) { return r.doc; });
      return idx.records(docs).then(function (recs) {
        for (var r of recs) {
          var li = document.createElement("li");
          li.className = "search-result";
          var h = document.createElement("h2");
          var a = document.createElement("a");
          a.href = r.url;
          a.textContent = r.title;
          h.appendChild(a);
          li.appendChild(h);
          var time = document.createElement("p");
          time.className = "meta";
          time.textContent = r.date;
          li.appendChild(time);
          if (r.snippet) {
            var p = document.createElement("p");
            p.className = "search-snippet";
            for (var piece of idx.highlight(r.snippet, found)) {
              if (piece[1]) {
                var m = document.createElement("mark");
                m.textContent = piece[0];
                p.appendChild(m);
              } else p.appendChild(document.createTextNode(piece[0]));
            }
            li.appendChild(p);
          }
          list.appendChild(li);
        }
        if (moreButton) moreButton.remove();
        var next = from + perPage;
        if (next < found.results.length) {
          var b = document.createElement("button");
          b.type = "button";
          b.className = "search-more";
          b.textContent = form.dataset.more;
          b.addEventListener("click", function () { show(idx, found, next, b); });
          list.after(b);
        }
      });
    };
    var go = function (q, push) {
      var mine = ++run;
      list.textContent = "";
      var old = document.querySelector(".search-more");
      if (old) old.remove();
      if (push) {
        var u = new URL(location.href);
        if (q) u.searchParams.set("q", q); else u.searchParams.delete("q");
        history.replaceState(null, "", u.href);
      }
      if (!q.trim()) { say(""); return; }
      say(form.dataset.loading);
      index().then(function (idx) {
        return idx.search(q).then(function (found) {
          if (mine !== run) return;
          if (!found.results.length) {
            say(form.dataset.noResults.replace("__NASHRA_VALUE__", q.trim()));
            return;
          }
          say("");
          return show(idx, found, 0, null);
        });
      }).catch(function () { if (mine === run) say(form.dataset.error); });
    };
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      clearTimeout(timer);
      go(input.value, true);
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { go(input.value, true); }, 250);
    });
    var q = new URLSearchParams(location.search).get("q");
    if (q) { input.value = q; go(q, false); }
  }

  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
    else init();
  }
})();
