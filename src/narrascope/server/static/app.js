/* Narrascope UI: draws every view from the JSON the server (or the report) embeds in #ns-data.
 *
 * Security rule: article text, titles, names and labels are untrusted. They only ever reach the page
 * through textContent, attribute setters of non-URL attributes, or hrefs this file builds itself
 * (internal paths with encodeURIComponent, external links restricted to http/https). No innerHTML.
 *
 * The same file runs on the server pages (real URLs) and in the self-contained report (hash routes).
 */
(function () {
  "use strict";

  const DATA = JSON.parse(document.getElementById("ns-data").textContent);
  const REPORT = document.body.dataset.mode === "report";
  const app = document.getElementById("app");

  // ---------------------------------------------------------------- DOM helpers

  /** h("div.cls1.cls2", {attrs}, children...) — children are nodes or strings (text). */
  function h(spec, attrs, ...children) {
    const [tag, ...classes] = spec.split(".");
    const el = document.createElement(tag || "div");
    if (classes.length) el.className = classes.join(" ");
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else if (key === "text") el.textContent = value;
      else if (key === "dataset") Object.assign(el.dataset, value);
      else if (key === "vars") for (const [k, v] of Object.entries(value)) el.style.setProperty(k, v);
      else el.setAttribute(key, value === true ? "" : String(value));
    }
    append(el, children);
    return el;
  }

  function append(el, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
    }
    return el;
  }

  const SVGNS = "http://www.w3.org/2000/svg";
  function s(tag, attrs, ...children) {
    const el = document.createElementNS(SVGNS, tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "text") el.textContent = value;
      else if (value !== null && value !== undefined) el.setAttribute(key, String(value));
    }
    for (const child of children.flat(Infinity)) if (child) el.appendChild(child);
    return el;
  }

  /** Text in quotation marks, unless the span already starts and ends with them (as render.quoted in Python): a
   *  mixed quote that opens with a quoted phrase (“not losing” does not mean …) showed no mark where it ends. */
  const quoted = (text) => (text.length > 1 && /^["“”'‘’«„]/.test(text) && /["”»“’']$/.test(text) ? text : `“${text}”`);
  const pct = (x) => `${Math.round((x || 0) * 100)}%`;
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

  /** Text whose `code` and ``code`` spans (docstrings, the OpenAPI descriptions) become <code>
   * elements instead of showing their backticks; everything stays text (textContent). */
  function withCode(text) {
    return (text || "").split(/``(.+?)``|`([^`]+)`/).map((part, i) => {
      if (part === undefined) return null;
      return i % 3 === 0 ? part : h("code", { text: part });
    });
  }

  /** External links: only http(s), never javascript: or data: URLs from article metadata. */
  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }

  // ---------------------------------------------------------------- routes

  const enc = encodeURIComponent;
  const href = {
    home: () => (REPORT ? "#/" : "/"),
    // ``target`` (e.g. "q:q0", a quote) is scrolled to and flashed when the article opens.
    article: (id, target) => (REPORT ? `#/article/${enc(id)}${target ? "/" + enc(target) : ""}`
      : `/articles/${enc(id)}${target ? "#" + enc(target) : ""}`),
    actor: (key) => (REPORT ? `#/actor/${enc(key)}` : `/actors/${enc(key)}`),
    compare: (ids) => (REPORT ? "#/compare" : `/compare?ids=${ids.map(enc).join(",")}`),
    // The server resolves a story's articles itself: the home page does not list them.
    story: (id) => (REPORT ? `#/compare/${enc(id)}` : `/compare?story=${enc(id)}`),
    dashboard: () => (REPORT ? "#/dashboard" : "/dashboard"),
  };

  function actorLink(key, name, anonymous) {
    if (!key || anonymous || (REPORT && !(DATA.actors || {})[key])) return h("span.actor-name", { text: name });
    return h("a.actor-name", { href: href.actor(key), text: name });
  }

  // ---------------------------------------------------------------- colours

  // Categorical palette (colour-blind aware), as "r g b" so CSS can add alpha.
  const PALETTE = ["31 119 180", "214 96 77", "44 160 44", "148 103 189", "227 119 194", "188 140 30",
    "23 190 207", "140 86 75", "90 110 140", "200 60 90"];
  const speakerColours = new Map();
  function speakerColour(key) {
    if (!speakerColours.has(key)) speakerColours.set(key, PALETTE[speakerColours.size % PALETTE.length]);
    return speakerColours.get(key);
  }
  const TECH_COLOUR = "230 120 20";
  const SOURCING_LABEL = { named: "Named", anonymous: "Anonymous", group: "Group", unattributed: "Unattributed" };
  const ROLE_CLASS = { Protagonist: "role-pro", Antagonist: "role-ant", Innocent: "role-inn" };
  // The narrative label of an article that pushes none of the taxonomy's narratives (the Python side
  // leaves it out of every list and count: viewdata.is_narrative).
  const NO_NARRATIVE = "Other";

  function chip(text, cls, title) {
    return h(`span.chip${cls ? "." + cls : ""}`, { text, title });
  }

  function sourcingChip(kind) {
    return chip(SOURCING_LABEL[kind] || kind, `src-${kind}`, "What the statement rests on");
  }

  function section(title, ...body) {
    return h("section.panel", {}, h("h3", { text: title }), ...body);
  }

  function empty(text) {
    return h("p.empty", { text });
  }

  /** "not analysed (language de)": the article's content layers that did not run (``not_analysed``
   * of the view data: {reason, layers}) found nothing, which is no finding. */
  function notAnalysed(info) {
    return `not analysed (${info ? info.reason : "layer not run"})`;
  }
  const LAYER_NAMES = { entities: "actors" };

  // ---------------------------------------------------------------- the annotated text

  const LAYERS = [
    ["actor", "Actors"], ["quote", "Quotes"], ["claim", "Claims"], ["tech", "Techniques"], ["ev", "Evidence"],
  ];

  /** Marks (start, end, layer, keys, tip) for every layer present in an article view. */
  function collectMarks(view) {
    const a = view.analysis;
    const marks = [];
    const add = (span, layer, keys, tip, extra) => {
      if (span && span.end > span.start) marks.push({ start: span.start, end: span.end, layer, keys, tip, ...extra });
    };
    for (const e of a.entities) {
      for (const m of e.mentions) add(m, "actor", [`ent:${e.id}`], `${e.name} (${e.type})`);
    }
    for (const q of a.quotes) {
      const sp = view.speakers[q.id] || { key: `q:${q.id}`, name: q.speaker_name || "(unattributed)" };
      const colour = speakerColour(sp.key);
      const tip = `${q.kind} quote · ${sp.name} · ${SOURCING_LABEL[q.sourcing.kind] || q.sourcing.kind}`;
      add(q.content, "quote", [`q:${q.id}`], tip, { colour });
      add(q.speaker, "speaker", [`q:${q.id}`], `speaker: ${sp.name}`, { colour });
      add(q.cue, "cue", [`q:${q.id}`], `cue: ${q.cue ? q.cue.text : ""}`);
    }
    for (const c of a.claims) {
      add(c.span, "claim", [`c:${c.id}`], `claim · ${SOURCING_LABEL[c.sourcing.kind]}${c.hedged ? " · hedged" : ""}`,
        { kind: c.sourcing.kind });
      for (const hedge of c.hedges) add(hedge, "hedge", [`c:${c.id}`], "hedge");
    }
    a.techniques.forEach((t, i) => add(t.span, "tech", [`t:${i}`, `tech:${t.technique}`],
      `technique: ${t.technique} · confidence ${t.confidence.toFixed(2)}`));
    // "Other" (no narrative of the taxonomy) has no evidence to show: the panel lists none either.
    a.narratives.forEach((n, i) => {
      if (n.label !== NO_NARRATIVE) n.evidence.forEach((ev) => add(ev, "ev", [`n:${i}`], `evidence: ${n.label}`));
    });
    a.roles.forEach((r, i) => {
      add(r.mention, "ev", [`r:${i}`], `${r.entity_name || r.mention.text}: ${r.main_role}`);
      r.evidence.forEach((ev) => add(ev, "ev", [`r:${i}`], `evidence: ${r.main_role}`));
    });
    return marks;
  }

  /**
   * The article text cut at every mark boundary; each piece is a <span> carrying the classes of the
   * marks covering it. Returns the element and an index key -> pieces (to scroll to and flash).
   */
  function annotatedText(view, layersOn) {
    const text = view.analysis.article.text;
    const marks = collectMarks(view);
    const cuts = new Set([0, text.length]);
    for (const m of marks) { cuts.add(Math.min(m.start, text.length)); cuts.add(Math.min(m.end, text.length)); }
    const points = [...cuts].sort((x, y) => x - y);
    const index = new Map();
    const doc = h("div.doc", { dataset: { article: view.analysis.article.id } });
    for (const layer of layersOn) doc.classList.add(`show-${layer}`);
    for (let i = 0; i < points.length - 1; i++) {
      const [start, end] = [points[i], points[i + 1]];
      const piece = text.slice(start, end);
      const covering = marks.filter((m) => m.start <= start && m.end >= end);
      if (!covering.length) { doc.appendChild(document.createTextNode(piece)); continue; }
      const el = h("span.m", { text: piece });
      const tips = [];
      for (const m of covering) {
        el.classList.add(`m-${m.layer}`);
        if (m.kind) el.classList.add(`m-claim-${m.kind}`);
        if (m.colour) el.style.setProperty("--qc", m.colour);
        if (m.tip && !tips.includes(m.tip)) tips.push(m.tip);
        for (const key of m.keys) {
          if (!index.has(key)) index.set(key, []);
          index.get(key).push(el);
        }
      }
      el.title = tips.join("\n");
      doc.appendChild(el);
    }
    return { el: doc, index, layers: new Set(marks.map((m) => m.layer)) };
  }

  let flashTimer = null;
  /** Scroll the first piece of ``key`` into view and flash all of its pieces. */
  function flashTo(index, key) {
    const pieces = index.get(key) || [];
    if (!pieces.length) return false;
    document.querySelectorAll(".m.flash").forEach((el) => el.classList.remove("flash"));
    clearTimeout(flashTimer);
    const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    pieces[0].scrollIntoView({ behavior: smooth ? "smooth" : "auto", block: "center" });
    // Restart the animation even when the same evidence is clicked twice.
    void pieces[0].offsetWidth;
    pieces.forEach((el) => el.classList.add("flash"));
    flashTimer = setTimeout(() => pieces.forEach((el) => el.classList.remove("flash")), 2600);
    return true;
  }

  /** Checkbox chips that switch layers on the given .doc elements (only layers that have marks). */
  function layerToggles(docs, present) {
    const bar = h("div.layerbar", { role: "group", "aria-label": "Layers" }, h("span.layerbar-label", { text: "Layers" }));
    for (const [layer, label] of LAYERS) {
      if (!present.has(layer)) continue;
      const on = docs[0].classList.contains(`show-${layer}`);
      const box = h("input", { type: "checkbox", checked: on, dataset: { layer } });
      box.addEventListener("change", () => docs.forEach((d) => d.classList.toggle(`show-${layer}`, box.checked)));
      bar.appendChild(h(`label.toggle.toggle-${layer}`, {}, box, h("span.swatch"), label));
    }
    return bar;
  }

  // ---------------------------------------------------------------- article view

  function articleHeader(article, extra) {
    const url = safeUrl(article.url);
    const meta = [article.outlet, article.published, article.author, article.language && `language: ${article.language}`,
      `${article.text.split(/\s+/).filter(Boolean).length} words`].filter(Boolean);
    return h("header.article-head", {},
      h("h1", { text: article.title || "(untitled)" }),
      h("p.meta", {}, meta.join(" · "), url ? [" · ", h("a", { href: url, rel: "noopener noreferrer", target: "_blank", text: "source" })] : null),
      extra);
  }

  function warnings(a) {
    const all = [...(a.article.warnings || []), ...(a.warnings || [])];
    return all.length ? h("ul.warnings", {}, all.map((w) => h("li", { text: w }))) : null;
  }

  function jumpButton(label, index, key, cls) {
    return h(`button.jump${cls ? "." + cls : ""}`, { type: "button", onclick: () => flashTo(index, key), dataset: { target: key } }, label);
  }

  function narrativesPanel(a, index) {
    if (!a.narratives.length) return null;
    const items = a.narratives
      .map((n, i) => [n, i])
      .sort((x, y) => y[0].confidence - x[0].confidence)
      .map(([n, i]) => n.label === NO_NARRATIVE ? h("li.narrative", {},
        // "Other" carries the probability of *no* narrative: say what it means, with the probability of one
        h("span.label-main", { text: "None of the taxonomy's narratives" }),
        h("span.small", { text: ` (p=${(1 - n.confidence).toFixed(2)} that the article pushes one)` }),
        n.explanation ? h("p.explain", { text: n.explanation }) : null) : h("li.narrative", {},
        h("button.label-btn", { type: "button", dataset: { target: `n:${i}` }, title: "Show the evidence in the text",
          onclick: () => flashTo(index, `n:${i}`) },
          n.domain ? chip(n.domain, "domain") : null,
          h("span.label-main", { text: withoutDomain(n) }),
          subLabel(n) ? h("span.label-sub", { text: subLabel(n) }) : null),
        confidenceBar(n.confidence),
        n.explanation ? h("p.explain", { text: n.explanation }) : null,
        n.evidence.length ? h("div.evidence", {}, n.evidence.map((ev, j) =>
          h("button.ev-snippet", { type: "button", onclick: () => flashTo(index, `n:${i}`) },
            h("span.ev-n", { text: `${j + 1}` }), quoted(truncate(ev.text, 140))))) : null));
    return section("Narratives", h("ul.plain", {}, items));
  }

  /** The narrative name without a leading "DOMAIN: " (the domain has its own chip). */
  function withoutDomain(n) {
    const prefix = `${n.domain}: `;
    return n.domain && n.narrative.startsWith(prefix) ? n.narrative.slice(prefix.length) : n.narrative;
  }

  /** The sub-narrative, from its field or else from the full label ("DOMAIN: narrative: sub"). */
  function subLabel(n) {
    if (n.subnarrative) return n.subnarrative;
    const rest = shortLabel(n.label);
    return rest.startsWith(`${n.narrative}: `) ? rest.slice(n.narrative.length + 2) : null;
  }

  function confidenceBar(value) {
    return h("div.conf", { title: `confidence ${value.toFixed(2)}` },
      h("div.conf-fill", { vars: { "--w": pct(value) } }), h("span.conf-text", { text: value.toFixed(2) }));
  }

  function rolesPanel(a, index) {
    if (!a.roles.length) return null;
    const byEntity = new Map();
    a.roles.forEach((r, i) => {
      const key = r.entity_id || r.entity_name || r.mention.text;
      if (!byEntity.has(key)) byEntity.set(key, []);
      byEntity.get(key).push([r, i]);
    });
    const rows = [...byEntity.entries()].map(([key, roles]) => h("li.role-row", {},
      actorLink(roles[0][0].entity_id, roles[0][0].entity_name || roles[0][0].mention.text, !roles[0][0].entity_id),
      // Each role with its confidence bar, as the narratives have: a 0.46 role looked like a 0.77 one.
      h("div.role-labels", {}, roles.map(([r, i]) => [h("button.label-btn.role", {
        type: "button", dataset: { target: `r:${i}` }, onclick: () => flashTo(index, `r:${i}`),
        title: `“${r.mention.text}” at ${r.mention.start} · confidence ${r.confidence.toFixed(2)}` },
        chip(r.main_role, ROLE_CLASS[r.main_role]), r.fine_roles.map((f) => chip(f, "fine"))), confidenceBar(r.confidence)]))));
    return section("Entity framing", h("ul.plain", {}, rows));
  }

  function sourcingCounts(claims) {
    const counts = { named: 0, anonymous: 0, group: 0, unattributed: 0 };
    for (const c of claims) counts[c.sourcing.kind] = (counts[c.sourcing.kind] || 0) + 1;
    return counts;
  }

  /** Whole percentages of shares that add up to 1, adding up to exactly 100 (largest remainder), as
   *  render.percentages does for the terminal: rounded one by one, 2 of 16 claims read 13% here, 12% there. */
  function percentages(shares) {
    const raw = shares.map((x) => (x || 0) * 100);
    const whole = raw.map(Math.floor);
    const missing = Math.round(raw.reduce((a, b) => a + b, 0)) - whole.reduce((a, b) => a + b, 0);
    [...raw.keys()].sort((i, j) => (raw[j] - whole[j]) - (raw[i] - whole[i])).slice(0, Math.max(0, missing))
      .forEach((i) => { whole[i] += 1; });
    return whole;
  }

  /** The sourcing kinds' shares as whole percentages, by kind: what the legend and the bar's tooltips say. */
  const sourcingPercents = (shares) => {
    const kinds = Object.keys(SOURCING_LABEL);
    const whole = percentages(kinds.map((kind) => shares[kind]));
    return Object.fromEntries(kinds.map((kind, i) => [kind, `${whole[i]}%`]));
  };

  function sourcingLegend(shares) {
    const percents = shares ? sourcingPercents(shares) : null;
    return h("div.legend", {}, Object.keys(SOURCING_LABEL).map((kind) =>
      h("span.legend-item", {}, h(`span.dot.src-${kind}`), percents ? `${SOURCING_LABEL[kind]} ${percents[kind]}` : SOURCING_LABEL[kind])));
  }

  function sourcingBar(shares, n, withLegend = true) {
    const bar = h("div.stack", { role: "img", "aria-label": "Sourcing profile" });
    const percents = sourcingPercents(shares);
    for (const kind of Object.keys(SOURCING_LABEL)) {
      const share = shares[kind] || 0;
      if (share > 0) bar.appendChild(h(`div.stack-seg.src-${kind}`, { vars: { "--w": `${share * 100}%` }, title: `${SOURCING_LABEL[kind]} ${percents[kind]}` }));
    }
    return h("div.sourcing", {}, bar, withLegend ? sourcingLegend(shares) : null, n !== undefined ? h("p.small", { text: `${plural(n, "claim")}` + (shares.hedged ? ` · ${pct(shares.hedged)} hedged` : "") }) : null);
  }

  function sourcingPanel(a, index) {
    if (!a.claims.length) return null;
    const counts = sourcingCounts(a.claims);
    const shares = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / a.claims.length]));
    shares.hedged = a.claims.filter((c) => c.hedged).length / a.claims.length;
    const list = h("ol.claims", {}, a.claims.map((c) => h("li", {},
      h("button.jump.claim-jump", { type: "button", onclick: () => flashTo(index, `c:${c.id}`) },
        sourcingChip(c.sourcing.kind), c.hedged ? chip("hedged", "hedged") : null,
        h("span.claim-text", { text: c.span.text.length > 160 ? c.span.text.slice(0, 160) + "…" : c.span.text })),
      c.sourcing.description ? h("p.small", { text: `rests on: ${c.sourcing.description}` }) : null)));
    return section("Sourcing", sourcingBar(shares, a.claims.length), h("details", {}, h("summary", { text: "Claims" }), list));
  }

  function chainEl(chain) {
    if (!chain || !chain.length) return null;
    return h("div.chain", { title: "Provenance: origin → relay → outlet" }, chain.map((link, i) => [
      i ? h("span.chain-arrow", { text: "→" }) : null,
      h(`span.chain-link.chain-${link.role}`, { title: link.role }, link.name, link.anonymous ? chip("anon", "src-anonymous") : null),
    ]));
  }

  function quotesPanel(view, index) {
    const a = view.analysis;
    if (!a.quotes.length) return null;
    const groups = new Map();
    for (const q of a.quotes) {
      const sp = view.speakers[q.id] || { key: `none:${q.id}`, name: "(unattributed)", anonymous: true };
      if (!groups.has(sp.key)) groups.set(sp.key, { sp, quotes: [] });
      groups.get(sp.key).quotes.push(q);
    }
    const blocks = [...groups.values()].map(({ sp, quotes }) => h("div.speaker-group", { vars: { "--qc": speakerColour(sp.key) } },
      h("div.speaker-head", {}, h("span.swatch-dot"), actorLink(sp.key, sp.name, sp.anonymous),
        sourcingChip(quotes[0].sourcing.kind), h("span.count", { text: plural(quotes.length, "quote") })),
      h("ul.plain.quote-list", {}, quotes.map((q) => h("li.quote-item", {},
        h("button.jump.quote-jump", { type: "button", dataset: { target: `q:${q.id}` }, onclick: () => flashTo(index, `q:${q.id}`) },
          chip(q.kind, "kind"), h("span.quote-text", { text: quoted(q.content.text) })),
        h("div.quote-meta", {},
          q.cue ? h("span", { text: `cue: ${q.cue.text}` }) : null,
          q.venue_name || q.venue ? h("span", { text: `venue: ${q.venue_name || q.venue.text}` }) : null,
          q.date ? h("span", { text: `date: ${q.date}` }) : null,
          q.sourcing.description ? h("span", { text: q.sourcing.description }) : null),
        chainEl(q.chain))))));
    return section("Quotes by speaker", blocks);
  }

  function techniquesPanel(a, index) {
    if (!a.techniques.length) return null;
    const spans = new Map(); // technique -> indices of its spans, in text order
    a.techniques.forEach((t, i) => { if (!spans.has(t.technique)) spans.set(t.technique, []); spans.get(t.technique).push(i); });
    for (const list of spans.values()) list.sort((x, y) => a.techniques[x].span.start - a.techniques[y].span.start);
    const profile = a.technique_profile || {};
    const rows = [...spans.entries()].sort((x, y) => y[1].length - x[1].length).map(([name, list]) => {
      let next = 0;
      const where = h("span.count", { text: `×${list.length}` + (profile[name] ? ` · ${profile[name].toFixed(1)}/1k words` : "") });
      // Each click goes to the next use of the technique in the text.
      const button = h("button.label-btn.tech-btn", { type: "button", dataset: { target: `tech:${name}` },
        title: "Go to the next use in the text" }, h("span.tech-name", { text: name.replace(/_/g, " ") }), where);
      button.addEventListener("click", () => {
        flashTo(index, `t:${list[next]}`);
        where.textContent = `${next + 1} of ${list.length}` + (profile[name] ? ` · ${profile[name].toFixed(1)}/1k words` : "");
        next = (next + 1) % list.length;
      });
      return h("li", {}, button);
    });
    return section("Persuasion techniques", h("ul.plain.tech-list", {}, rows));
  }

  function actorsPanel(a, index) {
    if (!a.entities.length) return null;
    const rows = [...a.entities].sort((x, y) => y.mentions.length - x.mentions.length).map((e) => h("li.actor-row", {},
      h("button.jump", { type: "button", onclick: () => flashTo(index, `ent:${e.id}`), title: "Show the mentions" },
        h("span.actor-type", { text: e.type })),
      h("div.actor-cell", {}, actorLink(e.id, e.name, false), e.role ? h("div.small", { text: e.role }) : null),
      h("span.count", { text: plural(e.mentions.length, "mention") })));
    return section("Actors", h("ul.plain.actor-list", {}, rows));
  }

  function renderArticle(view) {
    const a = view.analysis;
    // Actors and claims start hidden: with every layer on, a long article is hard to read.
    const text = annotatedText(view, ["quote", "tech", "ev"]);
    const panels = [narrativesPanel(a, text.index), rolesPanel(a, text.index), quotesPanel(view, text.index),
      sourcingPanel(a, text.index), techniquesPanel(a, text.index), actorsPanel(a, text.index)].filter(Boolean);
    const layers = new Set([...text.layers].filter((l) => LAYERS.some(([k]) => k === l)));
    if (view.target) setTimeout(() => flashTo(text.index, view.target), 0);
    const id = enc(a.article.id);
    const downloads = REPORT ? null : h("p.meta.downloads", {}, "Download: ",
      h("a", { href: `/api/v1/articles/${id}`, text: "analysis JSON" }), " · ",
      h("a", { href: `/api/v1/export?format=csv&table=quotes&ids=${id}`, text: "quotes CSV" }), " · ",
      h("a", { href: `/api/v1/export?format=csv&table=claims&ids=${id}`, text: "claims CSV" }));
    const skipped = view.not_analysed;
    const notice = skipped ? h("p.notice.not-analysed", { text: `Not analysed (${skipped.reason}): `
      + `${skipped.layers.map((l) => LAYER_NAMES[l] || l).join(", ")} did not run on this article.` }) : null;
    return h("div.article-view", {},
      articleHeader(a.article, [warnings(a), downloads]),
      h("div.article-grid", {},
        h("div.text-col", {}, layers.size ? layerToggles([text.el], layers) : null, legend(layers), text.el),
        h("aside.side-col", {}, notice, panels.length ? panels : notice ? null : empty("No analysis layers found anything in this article."))));
  }

  function legend(layers) {
    const items = [];
    if (layers.has("quote")) items.push(h("span.legend-item", {}, h("span.lg.lg-quote"), "quote (colour = speaker)"));
    if (layers.has("claim")) for (const k of Object.keys(SOURCING_LABEL)) items.push(h("span.legend-item", {}, h(`span.lg.lg-claim.src-${k}`), `${SOURCING_LABEL[k].toLowerCase()} claim`));
    if (layers.has("tech")) items.push(h("span.legend-item", {}, h("span.lg.lg-tech"), "technique"));
    if (layers.has("actor")) items.push(h("span.legend-item", {}, h("span.lg.lg-actor"), "actor mention"));
    return items.length ? h("div.legend.text-legend", {}, items) : null;
  }

  // ---------------------------------------------------------------- compare view

  function renderCompare(data) {
    const cmp = data.comparison;
    if (!cmp) {
      return h("div.page", {}, h("h1", { text: "Compare" }),
        empty(REPORT ? "This report has fewer than two articles to compare." : "Select two or more analysed articles on the Articles page and press “Compare selected”."));
    }
    // Server pages carry the articles; the report names them by id (each article is in it once).
    const views = new Map((data.articles || data.ids.map((id) => DATA.articles.find((v) => v.analysis.article.id === id)))
      .map((v) => [v.analysis.article.id, v]));
    const docs = [];
    const present = new Set();
    const columns = cmp.articles.map((side) => {
      const view = views.get(side.key);
      const text = annotatedText(view, ["quote"]);
      text.layers.forEach((l) => present.add(l));
      docs.push(text.el);
      return compareColumn(side, view, text);
    });
    const header = h("header.page-head", {},
      h("h1", { text: `Comparing ${plural(cmp.articles.length, "article")}` }),
      h("p.meta", { text: [cmp.date_from && `${cmp.date_from} – ${cmp.date_to}`, cmp.layers.length && `layers: ${cmp.layers.join(", ")}`].filter(Boolean).join(" · ") }),
      data.story ? h("p.notice.story-notice", { text: `Story “${data.story.title}”: ${data.story.n_shown} of its ${plural(data.story.n_articles, "article")}`
        + (data.story.n_shown < data.story.n_articles ? " shown (the first of each outlet first, then the earliest)." : ".") }) : null);
    const layers = new Set([...present].filter((l) => LAYERS.some(([k]) => k === l)));
    // One row of columns: narrower ones first (app.css), then the grid scrolls sideways, and says so.
    const cols = { "--cols": String(columns.length) };
    const grid = h("div.compare-grid", { vars: cols }, columns);
    const hint = h("p.small.scroll-hint", { hidden: true, text: "Scroll sideways for the other columns →" });
    requestAnimationFrame(() => { hint.hidden = grid.scrollWidth <= grid.clientWidth; });
    return h("div.compare-view", {}, header,
      commonStrip(cmp),
      hint, grid,
      sharedActors(cmp),
      sharedStatements(cmp),
      h("h2", { text: "Texts" }),
      layers.size ? layerToggles(docs, layers) : null,
      h("div.compare-grid.texts", { vars: cols },
        cmp.articles.map((side, i) => h("div.compare-text", {}, h("h4", { text: side.label }), docs[i]))));
  }

  function commonStrip(cmp) {
    const parts = [];
    if (cmp.common_narratives.length) parts.push(h("div", {}, h("strong", { text: "Narratives in every article: " }), cmp.common_narratives.map((n) => chip(n, "narr"))));
    if (cmp.common_techniques.length) parts.push(h("div", {}, h("strong", { text: "Techniques in every article: " }), cmp.common_techniques.map((t) => chip(t.replace(/_/g, " "), "tech"))));
    return parts.length ? h("div.common-strip", {}, parts) : null;
  }

  function diffList(title, present, onlyHere, missing, cls, skipped) {
    if (skipped) return h("div.diff", {}, h("h4", { text: title }), empty(skipped));
    const names = Object.keys(present);
    if (!names.length && !missing.length) return null;
    return h("div.diff", {},
      h("h4", { text: title }),
      names.length ? h("ul.plain", {}, names.map((n) => h(`li${onlyHere.includes(n) ? ".only-here" : ""}`, {},
        chip(n.replace(/_/g, " "), cls), typeof present[n] === "number" && cls === "tech" ? h("span.count", { text: `×${present[n]}` }) : null,
        onlyHere.includes(n) ? h("span.badge.badge-only", { text: "only here" }) : null))) : empty("none"),
      missing.length ? h("div.missing", {}, h("span.small", { text: "Absent here (found elsewhere): " }),
        missing.map((n) => chip(n.replace(/_/g, " "), "absent"))) : null);
  }

  function compareColumn(side, view, text) {
    const skipped = (layer) => (side.not_run.includes(layer) ? notAnalysed(view.not_analysed) : null);
    const speakers = side.actors.filter((v) => v.quotes > 0);
    const framed = side.actors.filter((v) => v.quotes === 0 && Object.keys(v.roles).length);
    const mentioned = [...side.actors].filter((v) => v.mentions).sort((x, y) => y.mentions - x.mentions).slice(0, 8);
    const actorItem = (v) => h("li.cmp-actor", { vars: { "--qc": speakerColour(v.key) } },
      h("div.speaker-head", {}, h("span.swatch-dot"), actorLink(v.key, v.name, v.anonymous),
        v.anonymous ? chip("anonymous", "src-anonymous") : null,
        v.quotes ? h("span.count", { text: `${plural(v.quotes, "quote")} (${v.direct} direct)` }) : null,
        side.only_here.actors.includes(v.name) ? h("span.badge.badge-only", { text: "only here" }) : null),
      Object.keys(v.roles).length ? h("div.role-labels", {}, Object.entries(v.roles).map(([r, n]) => chip(n > 1 ? `${r} ×${n}` : r, ROLE_CLASS[r])),
        Object.keys(v.fine_roles).map((f) => chip(f, "fine"))) : null,
      v.sample_quotes.map((q) => h("button.jump.quote-jump", { type: "button", onclick: () => flashTo(text.index, `q:${q.quote_id}`) },
        chip(q.kind, "kind"), cueWord(q), h("span.quote-text", { text: quoted(q.text) }))));
    return h("article.compare-col", { dataset: { article: side.key } },
      h("div.col-head", {},
        h("a.col-title", { href: href.article(side.key), text: side.label }),
        // Next to columns that name their outlet, one that named none read as if it had no such line.
        h("p.meta", { text: [outletLabel(side.outlet), side.date_from, `${side.n_words} words`].filter(Boolean).join(" · ") })),
      side.sourcing.n_claims ? h("div.diff", {}, h("h4", { text: "Sourcing" }), sourcingBar(side.sourcing, side.sourcing.n_claims)) : null,
      h("div.diff", {}, h("h4", { text: "Who is quoted, and how they are cast" }),
        speakers.length ? h("ul.plain", {}, speakers.map(actorItem)) : empty(skipped("quotes") || "nobody is quoted"),
        framed.length ? [h("h5", { text: "Cast but not quoted" }), h("ul.plain", {}, framed.map(actorItem))] : null),
      mentioned.length ? h("div.diff", {}, h("h4", { text: "Most mentioned" }), h("ul.plain.mentioned", {}, mentioned.map((v) => h("li", {},
        actorLink(v.key, v.name, v.anonymous), h("span.count", { text: plural(v.mentions, "mention") }),
        side.only_here.actors.includes(v.name) ? h("span.badge.badge-only", { text: "only here" }) : null)))) : null,
      diffList("Narratives", side.narratives, side.only_here.narratives, side.missing_here.narratives, "narr", skipped("narratives")),
      diffList("Techniques", side.techniques, side.only_here.techniques, side.missing_here.techniques, "tech", skipped("techniques")));
  }

  /** The data carry null for an article without an outlet; this is how the page names that: in parentheses
   * where the label stands alone (a column head, a cell), bare inside a sentence's own parentheses or before
   * a count (``inText``), where "((unknown outlet) 2)" read as a typo. */
  function outletLabel(outlet, inText = false) {
    return outlet ?? (inText ? "unknown outlet" : "(unknown outlet)");
  }

  function sharedActors(cmp) {
    if (!cmp.shared_actors.length) return null;
    const outlets = cmp.articles.map((s) => s.outlet);
    const byOutlet = new Set(outlets).size === outlets.length && !outlets.includes(null);
    const labels = Object.fromEntries(cmp.articles.map((s) => [s.key, byOutlet ? s.outlet : truncate(s.label, 48)]));
    return h("section.panel.wide", {}, h("h3", { text: "Actors in several articles" }),
      h("table.grid-table", {},
        h("thead", {}, h("tr", {}, h("th", { text: "Actor" }), cmp.articles.map((s) => h("th", { text: labels[s.key] })))),
        h("tbody", {}, cmp.shared_actors.map((sa) => h("tr", {},
          h("td", {}, actorLink(sa.key, sa.name, false)),
          cmp.articles.map((s) => h("td", {},
            sa.sides.includes(s.key) ? [
              sa.quotes[s.key] ? h("span", { text: `${plural(sa.quotes[s.key], "quote")} ` }) : null,
              h("span.small", { text: plural(sa.mentions[s.key] || 0, "mention") }),
              Object.entries((sa.roles || {})[s.key] || {}).map(([r]) => chip(r, ROLE_CLASS[r])),
            ] : h("span.absent-cell", { text: ["entities", "quotes"].every((l) => s.not_run.includes(l)) ? "not analysed" : "—" }))))))));
  }

  function sharedStatements(cmp) {
    if (!cmp.shared_statements.length) return null;
    return h("section.panel.wide", {}, h("h3", { text: "The same statement in several articles" }),
      h("ul.plain", {}, cmp.shared_statements.map((st) => h("li.shared-st", {},
        h("strong", { text: `${st.speaker} ` }), h("span.small", { text: `similarity ${pct(st.similarity)}` }),
        h("div.shared-quotes", {}, st.quotes.map((q) => h("blockquote", {}, h("a", { href: href.article(q.article_id, `q:${q.quote_id}`), text: quoted(q.text) }))))))));
  }

  // ---------------------------------------------------------------- charts (small SVG helpers)

  function hbars(rows, opts) {
    // rows: [{label, value, href}] -> horizontal bar chart
    const width = 560, barH = 22, gap = 6, labelW = opts.labelW || 200;
    const max = Math.max(1, ...rows.map((r) => r.value));
    const height = rows.length * (barH + gap) + 4;
    const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, width, height, class: "chart", role: "img", "aria-label": opts.title });
    rows.forEach((r, i) => {
      const y = i * (barH + gap);
      const w = ((width - labelW - 50) * r.value) / max;
      const label = s("text", { x: labelW - 8, y: y + barH * 0.7, "text-anchor": "end", class: "axis-label", text: truncate(r.label, 30) });
      const group = s("g", {}, s("title", { text: `${r.label}: ${r.value}` }), label,
        s("rect", { x: labelW, y, width: Math.max(w, 1), height: barH, rx: 3, class: "bar" }),
        s("text", { x: labelW + w + 6, y: y + barH * 0.7, class: "value-label", text: String(r.value) }));
      if (r.href) {
        const a = s("a", {}, group);
        a.setAttribute("href", r.href);
        svg.appendChild(a);
      } else svg.appendChild(group);
    });
    return svg;
  }

  function truncate(text, n) {
    return text.length > n ? text.slice(0, n - 1) + "…" : text;
  }

  function heatmap(rowLabels, colLabels, values, opts) {
    // values[r][c] counts; rows = labels (e.g. narratives), columns = outlets
    const cell = 52, labelW = 380, headH = 84, rowH = 30;
    const width = labelW + colLabels.length * cell + 90, height = headH + rowLabels.length * rowH + 6;
    const max = Math.max(1, ...values.flat());
    const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, width, height, class: "chart heat", role: "img", "aria-label": opts.title });
    colLabels.forEach((c, j) => svg.appendChild(s("text", { class: "axis-label", transform: `translate(${labelW + j * cell + cell / 2},${headH - 6}) rotate(-40)`, text: truncate(c, 18) }, s("title", { text: c }))));
    rowLabels.forEach((r, i) => {
      const y = headH + i * rowH;
      svg.appendChild(s("text", { x: labelW - 8, y: y + rowH * 0.66, "text-anchor": "end", class: "axis-label" }, s("title", { text: r })))
        .appendChild(document.createTextNode(truncate(shortLabel(r), 60)));
      colLabels.forEach((c, j) => {
        const v = values[i][j] || 0;
        svg.appendChild(s("rect", { x: labelW + j * cell + 2, y: y + 2, width: cell - 4, height: rowH - 4, rx: 3,
          class: v ? "heat-cell" : "heat-cell zero", "fill-opacity": v ? 0.18 + 0.82 * (v / max) : 1 }, s("title", { text: `${r} · ${c}: ${v}` })));
        if (v) svg.appendChild(s("text", { x: labelW + j * cell + cell / 2, y: y + rowH * 0.68, "text-anchor": "middle", class: v / max > 0.55 ? "cell-label light" : "cell-label", text: String(v) }));
      });
    });
    return svg;
  }

  function shortLabel(label) {
    // "URW: Discrediting Ukraine: Situation is hopeless" -> "Discrediting Ukraine: Situation is hopeless"
    return label.replace(/^[A-Z]{2,4}:\s*/, "");
  }

  /** Vertical stacked bars: one bar per x label (e.g. ISO week), one colour per series. */
  function stackedColumns(xLabels, series, opts) {
    const names = Object.keys(series);
    const left = 34, right = 10, top = 10, bottom = 40, height = 250;
    const slot = Math.max(14, Math.min(46, 560 / Math.max(1, xLabels.length)));
    const width = left + right + slot * xLabels.length;
    const totals = xLabels.map((_, i) => names.reduce((sum, n) => sum + series[n][i], 0));
    const max = Math.max(1, ...totals);
    const y = (v) => top + (height - top - bottom) * (1 - v / max);
    const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, width, height, class: "chart", role: "img", "aria-label": opts.title });
    const step = Math.max(1, Math.ceil(max / 4));
    for (let t = 0; t <= max; t += step) {
      svg.appendChild(s("line", { x1: left, x2: width - right, y1: y(t), y2: y(t), class: "gridline" }));
      svg.appendChild(s("text", { x: left - 6, y: y(t) + 4, "text-anchor": "end", class: "axis-label", text: String(t) }));
    }
    const every = Math.ceil(xLabels.length / 10);
    // A label wider than its column ("undated" next to "23-W48") ran into the next one: every other drops a line.
    const stagger = slot * every < 52;
    xLabels.forEach((lab, i) => {
      const x = left + i * slot;
      let base = 0;
      names.forEach((name, k) => {
        const v = series[name][i];
        if (!v) return;
        svg.appendChild(s("rect", { x: x + slot * 0.15, y: y(base + v), width: slot * 0.7, height: y(base) - y(base + v),
          fill: `rgb(${PALETTE[k % PALETTE.length]})` }, s("title", { text: `${shortLabel(name)} · ${lab}: ${v}` })));
        base += v;
      });
      if (i % every === 0) svg.appendChild(s("text", { x: x + slot / 2, y: height - bottom + 16 + (stagger && (i / every) % 2 ? 15 : 0), "text-anchor": "middle", class: "axis-label x-label", text: lab.replace(/^\d{2}(\d{2})-/, "$1-") }));
    });
    const key = h("div.legend", {}, names.map((n, k) => h("span.legend-item", { title: n }, h("span.dot", { vars: { "--dot": `rgb(${PALETTE[k % PALETTE.length]})` } }), truncate(shortLabel(n), 70))));
    return h("div.chart-wrap", {}, svg, key);
  }

  function card(title, body, note) {
    return h("section.card", {}, h("h3", { text: title }), note ? h("p.small", { text: note }) : null, body);
  }

  /** The dashboard's per-outlet figures as columns: the named outlets, then the articles without one
   * (``without_outlet``, shown as "(unknown outlet)"), so that every article is counted somewhere. */
  function dashboardGroups(d) {
    const groups = d.outlets.map((o) => ({ outlet: o, label: o, classified: d.classified_by_outlet[o], narratives: d.narratives_by_outlet[o],
      techniques: d.techniques_by_outlet[o], sourcing: d.sourcing_by_outlet[o] }));
    const none = d.without_outlet;
    if (none) groups.push({ outlet: null, label: outletLabel(null), classified: none.classified, narratives: none.narratives, techniques: none.techniques, sourcing: none.sourcing });
    return groups;
  }

  function renderDashboard(d) {
    const none = d.without_outlet ? d.without_outlet.n_articles : 0;
    const kpis = h("div.kpis", {}, [["Articles", d.n_articles], ["Outlets", d.n_outlets, none ? `+ ${plural(none, "article")} without one` : null],
      ["Quotes", d.n_quotes], ["Narratives seen", d.narratives.length]].map(([label, n, note]) => h("div.kpi", {},
      h("div.kpi-n", { text: String(n) }), h("div.kpi-l", { text: label }), note ? h("div.kpi-note.small", { text: note }) : null)));
    const groups = dashboardGroups(d);
    const columns = groups.map((g) => g.label);
    const cards = [];
    // Counts are of the articles a classifier read: other languages skip the English-only classifiers.
    const of = (layer) => {
      const perOutlet = groups.map((g) => `${outletLabel(g.outlet, true)} ${g.classified[layer]}`).join(", ");
      return ` Of the ${d.n_classified[layer]} of ${plural(d.n_articles, "article")} the classifier read${perOutlet ? ` (${perOutlet})` : ""}.`;
    };
    if (d.narratives.length) {
      cards.push(card("Narratives by outlet", heatmap(d.narratives, columns, d.narratives.map((_, i) => groups.map((g) => g.narratives[i])), { title: "Narratives by outlet" }), "Number of articles carrying each narrative." + of("narratives")));
      const top = Object.fromEntries(d.narratives.slice(0, 8).map((n) => [n, d.narratives_by_week[n]]));
      // Stacked, a column of one article with seven narratives stood 7 high on an axis read as articles.
      cards.push(card("Narratives over time", stackedColumns(d.weeks, top, { title: "Narratives by ISO week" }),
        `Articles carrying each ${d.narratives.length > 8 ? "of the 8 most common narratives" : "narrative"}, per ISO week of publication; `
        + "an article with several narratives counts in each, so a column's height is not a number of articles."));
    }
    if (d.top_actors.length) {
      cards.push(card("Most quoted actors", hbars(d.top_actors.map((a) => ({ label: a.name, value: a.quotes, href: href.actor(a.key) })), { title: "Most quoted actors" }), "Quotes attributed to each actor across the corpus."));
    }
    const withClaims = groups.filter((g) => g.sourcing.n_claims);
    if (withClaims.length) {
      cards.push(card("Sourcing profile by outlet", h("div.sourcing-rows", {}, sourcingLegend(null), withClaims.map((g) => h("div.sourcing-row", {},
        h("div.sourcing-outlet", { text: g.label }), sourcingBar(g.sourcing, g.sourcing.n_claims, false)))), "What each outlet's claims rest on (hover a segment for its share)."));
    }
    if (d.techniques.length) {
      cards.push(card("Persuasion techniques by outlet", heatmap(d.techniques.map((t) => t.replace(/_/g, " ")), columns, d.techniques.map((_, i) => groups.map((g) => g.techniques[i])), { title: "Techniques by outlet" }), "Number of articles using each technique." + of("techniques")));
    }
    return h("div.dashboard", {}, h("header.page-head", {}, h("h1", { text: "Corpus dashboard" })), kpis,
      cards.length ? h("div.cards", {}, cards) : empty(nothingCharted(d)));
  }

  /** Why the dashboard has no card: analysed articles in which nothing was found (or which, not being in
   * English, the classifiers did not read) are not "nothing analysed yet", as the page said of them. */
  function nothingCharted(d) {
    if (!d.n_articles) return "Nothing analysed yet.";
    const unread = d.n_articles - d.n_classified.narratives;
    return `No quotes, claims, narratives or techniques were found in the ${plural(d.n_articles, "article")}`
      + (unread ? ` (the English-only steps skipped ${unread === d.n_articles ? (unread === 1 ? "it" : "all of them") : unread}: not in English).` : ".");
  }

  /** The cue before a reported (indirect or mixed) quote in a list away from its text: "denied “that Russian
   * forces destroyed the dam”" listed as “that Russian forces destroyed the dam” read as what was said. */
  function cueWord(q) {
    return q.kind !== "direct" && q.cue ? h("span.cue-word", { text: `${q.cue} ` }) : null;
  }

  // ---------------------------------------------------------------- actor pages

  /** One quote of the actor page: {quote: QuoteRef, outlet, title, published, date (said), speaker?, speaker_key?}. */
  function quoteRow(row) {
    const q = row.quote;
    return h("li.quote-row", {},
      h("div.quote-text", {}, chip(q.kind, "kind"), sourcingChip(q.sourcing), " ", cueWord(q), quoted(q.text)),
      h("div.quote-meta", {},
        h("a", { href: href.article(q.article_id, `q:${q.quote_id}`), text: row.title || "(untitled)", title: "Open the article at this quote" }),
        h("span", { text: [row.outlet, row.date && `said ${row.date}`, row.published && `published ${row.published}`].filter(Boolean).join(" · ") }),
        row.speaker ? h("span", {}, "speaker: ", actorLink(row.speaker_key, row.speaker, !row.speaker_key)) : null,
        q.chain ? h("span.chain-text", { text: q.chain }) : null));
  }

  function neighbours(title, list) {
    if (!list.length) return null;
    return h("div.neighbours", {}, h("h4", { text: title }),
      list.map((n) => h("span.neighbour", {}, actorLink(n.key, n.name, false), h("span.count", { text: `×${n.weight}` }))));
  }

  function renderActor(v) {
    const outlets = v.by_outlet;
    const facts = [v.type, v.office, plural(v.n_articles, "article"), plural(v.n_mentions, "mention"), plural(v.n_quotes, "quote"),
      v.date_from && `${v.date_from} – ${v.date_to}`].filter(Boolean);
    const related = [neighbours("Quoted talking about them", v.spoken_about_by), neighbours("They talk about", v.speaks_about),
      neighbours("Mentioned in the same sentences", v.co_occurring)].filter(Boolean);
    return h("div.actor-view", {},
      h("header.page-head", {}, h("h1", { text: v.name }), h("p.meta", { text: facts.join(" · ") }),
        v.forms.length ? h("p.meta", { text: `named as: ${v.forms.join(", ")}` }) : null),
      h("div.cards", {},
        // Main and fine roles share a column (told apart by colour): six columns overflowed the card.
        card("How each outlet casts them", h("div.table-scroll", {}, h("table.grid-table.framing", {},
          h("thead", {}, h("tr", {}, ["Outlet", "Articles", "Mentions", "Quotes", "Roles (main, fine)"].map((t) => h("th", { text: t })))),
          h("tbody", {}, outlets.map((f) => h("tr", {}, h("td", { text: outletLabel(f.outlet) }), h("td.num", { text: String(f.articles) }),
            h("td.num", { text: String(f.mentions) }), h("td.num", { text: String(f.quotes) }),
            h("td", {}, Object.keys(f.roles).length ? Object.entries(f.roles).map(([r, n]) => chip(`${r} ×${n}`, ROLE_CLASS[r])) : h("span.absent-cell", { text: "—" }),
              Object.entries(f.fine_roles).map(([r, n]) => chip(`${r} ×${n}`, "fine"))))))))),
        // a speaker known only by name has quotes but no mentions: no chart of zeros
        v.n_mentions ? card("Mentions by outlet", hbars(outlets.map((f) => ({ label: outletLabel(f.outlet), value: f.mentions })), { title: "Mentions by outlet", labelW: 160 })) : null),
      related.length || Object.keys(v.narratives).length ? h("div.cards", {},
        related.length ? card("Who they appear with", h("div", {}, related)) : null,
        Object.keys(v.narratives).length ? card("Narratives of the articles they appear in", h("ul.plain", {},
          Object.entries(v.narratives).map(([n, k]) => h("li", {}, chip(shortLabel(n), "narr", n), h("span.count", { text: `×${k}` }))))) : null) : null,
      actorPager(v),
      section(`Quotes by ${v.name}`, v.quotes.length ? h("ul.plain.quote-rows", {}, v.quotes.map(quoteRow)) : empty("No quotes attributed.")),
      section(`Quotes about ${v.name}`, v.quotes_about.length ? h("ul.plain.quote-rows", {}, v.quotes_about.map(quoteRow)) : empty("No quote by someone else mentions them.")));
  }

  /** The server reads an actor's quotes from one page of its articles (newest first); counts are corpus-wide. */
  function actorPager(v) {
    const p = v.page;
    if (!p || !p.limit || (!p.offset && !p.has_more)) return null;
    const number = Math.floor(p.offset / p.limit) + 1;
    const link = (page, text) => h("a.button", { href: `?page=${page}`, text });
    return h("nav.pager", {}, number > 1 ? link(number - 1, "← Newer") : null,
      h("span", { text: `Quotes and neighbours from articles ${p.offset + 1}–${p.offset + p.n_read} of ${v.n_articles}, newest first` }),
      p.has_more ? link(number + 1, "Older →") : null);
  }

  function renderActors(d) {
    const filter = h("input.filter", { type: "search", placeholder: "Filter actors…", "aria-label": "Filter actors" });
    const rows = d.actors.map((a) => h("tr", { dataset: { name: a.name.toLowerCase() } },
      h("td", {}, actorLink(a.key, a.name, false)), h("td", { text: a.type || "" }), h("td.num", { text: String(a.n_quotes) }),
      h("td.num", { text: String(a.n_mentions) }), h("td.num", { text: String(a.n_articles) })));
    filter.addEventListener("input", () => rows.forEach((r) => { r.hidden = !r.dataset.name.includes(filter.value.toLowerCase()); }));
    // The server pages the list (the report has every actor on one page: no ``page``).
    const link = (page, text) => h("a.button", { href: `?page=${page}`, text });
    const paged = d.page > 1 || d.has_more ? h("nav.pager", {}, d.page > 1 ? link(d.page - 1, "← More widely mentioned") : null,
      h("span", { text: `page ${d.page}` }), d.has_more ? link(d.page + 1, "Less widely mentioned →") : null) : null;
    return h("div.page", {}, h("header.page-head", {}, h("h1", { text: "Actors" }), filter),
      d.actors.length ? h("table.grid-table.actors-table", {},
        h("thead", {}, h("tr", {}, ["Actor", "Type", "Quotes", "Mentions", "Articles"].map((t) => h("th", { text: t })))),
        h("tbody", {}, rows)) : empty("No actors found yet."), paged);
  }

  // ---------------------------------------------------------------- home

  function renderHome(d) {
    const selected = new Set();
    const compareBtn = h("button.primary", { type: "button", disabled: true, text: "Compare selected" });
    compareBtn.addEventListener("click", () => { window.location.href = href.compare([...selected]); });
    const rows = d.listing.items.map((r) => {
      const box = h("input", { type: "checkbox", "aria-label": `select ${r.title || r.id}`, disabled: !r.analysed });
      box.addEventListener("change", () => {
        if (box.checked) selected.add(r.id); else selected.delete(r.id);
        compareBtn.disabled = selected.size < 2;
      });
      return h("tr", {},
        REPORT ? null : h("td", {}, box),
        h("td.title-cell", {}, r.analysed ? h("a", { href: href.article(r.id), text: r.title || "(untitled)" }) : h("span", { text: r.title || "(untitled)" }),
          h("div.small.mono", { text: r.id })),
        h("td", { text: r.outlet || "" }), h("td.nowrap", { text: r.published || "" }),
        h("td.num", { text: String(r.n_words) }),
        // null: the layer did not run (an article in another language), undefined: not analysed at all
        h("td.num", { text: r.n_quotes == null ? "–" : String(r.n_quotes), title: r.n_quotes === null ? notAnalysed(r.not_analysed) : null }),
        h("td.num", { text: r.n_claims == null ? "–" : String(r.n_claims), title: r.n_claims === null ? notAnalysed(r.not_analysed) : null }),
        h("td", {}, (r.narratives || []).slice(0, 2).map((n) => chip(shortLabel(n), "narr", n)),
          (r.narratives || []).length > 2 ? h("span.small", { text: ` +${r.narratives.length - 2}` }) : null,
          r.analysed ? null : chip("not analysed", "absent"),
          r.not_analysed ? chip(notAnalysed(r.not_analysed), "absent", `did not run: ${r.not_analysed.layers.map((l) => LAYER_NAMES[l] || l).join(", ")}`) : null));
    });
    const table = rows.length ? h("table.grid-table.articles", {},
      h("thead", {}, h("tr", {}, REPORT ? null : h("th", { text: "" }), ["Title", "Outlet", "Published", "Words", "Quotes", "Claims", "Narratives"].map((t) => h("th", { text: t })))),
      h("tbody", {}, rows)) : homeEmpty(d);
    return h("div.home", {},
      h("header.page-head", {}, h("h1", { text: REPORT ? DATA.title || "Report" : "Articles" }),
        h("p.meta", { text: `${plural(d.listing.total, "article")}` })),
      d.filters ? filtersForm(d) : null,
      d.actor_matches ? actorMatches(d.actor_matches) : null,
      storiesPanel(d.stories || [], d.n_stories),
      REPORT ? null : h("div.toolbar", {}, compareBtn),
      table,
      REPORT ? null : pager(d));
  }

  /** No row on this page: no article at all, none matching the filters, or a page past the last one. */
  function homeEmpty(d) {
    const { total, limit } = d.listing;
    if (REPORT) return empty("No articles.");
    if (total && d.page > 1) {
      const params = new URLSearchParams(window.location.search);
      params.delete("page");
      const pages = Math.ceil(total / limit);
      return h("p.empty", {}, `There is no page ${d.page}: the ${plural(total, "article")} fit on ${plural(pages, "page")}. `,
        h("a", { href: params.toString() ? `?${params.toString()}` : window.location.pathname, text: "Go to page 1" }));
    }
    return h("p.empty", {}, withCode("No articles match. Add some on the “Add articles” page or with `narrascope analyze`."));
  }

  function filtersForm(d) {
    const f = d.filters;
    const outlet = h("select", { name: "outlet" }, h("option", { value: "", text: "All outlets" }),
      d.outlets.map((o) => h("option", { value: o, text: o, selected: o === f.outlet })));
    const field = (label, input) => h("label.field", {}, h("span", { text: label }), input);
    return h("form.filters", { method: "get", action: "/" },
      field("Search", h("input", { type: "search", name: "q", value: f.q })),
      field("Outlet", outlet),
      field("From", h("input", { type: "date", name: "since", value: f.since })),
      field("To", h("input", { type: "date", name: "until", value: f.until })),
      field("Actor", h("input", { type: "text", name: "actor", value: f.actor, placeholder: "name" })),
      field("Narrative", h("select", { name: "narrative" }, h("option", { value: "", text: "Any narrative" }),
        d.narratives.map((n) => h("option", { value: n, text: shortLabel(n), selected: n === f.narrative })))),
      h("div.field-actions", {}, h("button.primary", { type: "submit", text: "Filter" }), h("a.button", { href: "/", text: "Reset" })));
  }

  /** Which actors the actor filter stands for: every actor whose name contains the text, unless one has it exactly. */
  function actorMatches(m) {
    if (!m.actors.length) return null;
    const names = m.actors.flatMap((a, i) => [i ? ", " : "", actorLink(a.key, a.name, false)]);
    return h("p.small.actor-matches", {}, m.actors.length > 1 ? "Articles of any of these actors: " : "Articles of the actor ",
      ...names, m.more ? ` (the ${m.actors.length} in most articles of those whose name contains it: type a full name to pick one)` : "");
  }

  function storyList(stories) {
    return h("ul.plain.stories", {}, stories.map((st) => {
      return h("li.story", {},
        h("div.story-main", {}, h("strong", { text: st.title }),
          h("div.small", { text: [plural(st.n_articles, "article"), [...st.outlets, st.n_without_outlet ? outletLabel(null) : null].filter(Boolean).join(", "),
            st.date_from && `${st.date_from} – ${st.date_to}`].filter(Boolean).join(" · ") }),
          st.top_actors.length ? h("div.small", { text: `actors: ${st.top_actors.slice(0, 5).join(", ")}` }) : null),
        h("a.button", { href: href.story(st.id), text: "Compare" }));
    }));
  }

  /** The home page's best-covered stories; the server's Stories page lists them all (``total``). */
  function storiesPanel(stories, total) {
    if (!stories.length) return null;
    const more = !REPORT && total > stories.length;
    return section("Stories covered by several articles", storyList(stories),
      more ? h("p.more", {}, h("a", { href: "/stories", text: `All ${total} stories →` })) : null);
  }

  function renderStories(d) {
    const { total, offset, items } = d.listing;
    return h("div.page", {},
      h("header.page-head", {}, h("h1", { text: "Stories" }),
        h("p.meta", { text: `${total === 1 ? "1 story" : `${total} stories`} covered by two or more articles, most articles first` })),
      items.length ? storyList(items) : empty("No story is covered by two or more articles yet."),
      pager({ listing: d.listing, page: d.page }));
  }

  function pager(d) {
    const { total, offset, limit } = d.listing;
    if (total <= limit) return null;
    const params = new URLSearchParams(window.location.search);
    const link = (page, text) => { params.set("page", String(page)); return h("a.button", { href: `?${params.toString()}`, text }); };
    return h("nav.pager", {}, d.page > 1 ? link(d.page - 1, "← Newer") : null,
      h("span", { text: `${offset + 1}–${Math.min(offset + limit, total)} of ${total}` }),
      offset + limit < total ? link(d.page + 1, "Older →") : null);
  }

  // ---------------------------------------------------------------- ingest

  function renderIngest(d) {
    const status = h("div.status", { role: "status", "aria-live": "polite" });
    const token = h("input", { type: "password", name: "token", autocomplete: "off", value: sessionStorage.getItem("ns-token") || "" });
    async function send(url, init) {
      status.className = "status busy";
      status.textContent = "Analysing…";
      sessionStorage.setItem("ns-token", token.value);
      const headers = Object.assign({}, init.headers || {});
      if (token.value) headers.Authorization = `Bearer ${token.value}`;
      try {
        const res = await fetch(url, Object.assign({}, init, { headers }));
        const body = await res.json().catch(() => ({}));
        // A refused field is named: "invalid request" alone did not say which of the form's fields to fix.
        const error = body.error || {};
        const fields = (error.detail || []).map((d) => `${d.loc[d.loc.length - 1]}: ${d.message}`);
        if (!res.ok) throw new Error([error.message || `HTTP ${res.status}`, ...fields].join("; "));
        status.className = "status ok";
        status.textContent = "Done — opening the analysis…";
        window.location.href = href.article(body.article.id);
      } catch (err) {
        status.className = "status error";
        status.textContent = `Failed: ${err.message}`;
      }
    }
    const field = (label, input) => h("label.field", {}, h("span", { text: label }), input);
    const meta = () => ({ title: h("input", { name: "title" }), outlet: h("input", { name: "outlet" }), published: h("input", { name: "published", type: "date" }) });
    const m1 = meta();
    const text = h("textarea", { name: "text", rows: 12, required: true, placeholder: "Paste the article text…" });
    const pasteForm = h("form.card", {}, h("h3", { text: "Paste text" }), field("Title", m1.title), field("Outlet", m1.outlet), field("Published", m1.published), field("Text", text),
      h("button.primary", { type: "submit", text: "Analyse" }));
    pasteForm.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const body = { text: text.value };
      for (const [k, el] of Object.entries(m1)) if (el.value) body[k] = el.value;
      send("/api/v1/articles", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    });
    const url = h("input", { type: "url", name: "url", required: true, placeholder: "https://…" });
    const urlForm = h("form.card", {}, h("h3", { text: "From a URL" }), field("URL", url),
      h("p.small", { text: "Public http(s) addresses only: the server never fetches private or loopback addresses." }),
      h("button.primary", { type: "submit", text: "Fetch and analyse" }));
    urlForm.addEventListener("submit", (ev) => {
      ev.preventDefault();
      send("/api/v1/articles/url", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ url: url.value }) });
    });
    const file = h("input", { type: "file", name: "file", accept: ".txt,.md,.html,.htm", required: true });
    const m2 = meta();
    const fileForm = h("form.card", {}, h("h3", { text: "Upload a file" }), field("File (.txt, .md, .html)", file), field("Title", m2.title), field("Outlet", m2.outlet), field("Published", m2.published),
      h("button.primary", { type: "submit", text: "Upload and analyse" }));
    fileForm.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const form = new FormData();
      form.append("file", file.files[0]);
      for (const [k, el] of Object.entries(m2)) if (el.value) form.append(k, el.value);
      send("/api/v1/articles/upload", { method: "POST", body: form });
    });
    return h("div.page", {}, h("header.page-head", {}, h("h1", { text: "Add articles" }),
      h("p.meta", {}, withCode("Articles are cleaned, analysed with the default pipeline and stored. Large batches are faster with `narrascope analyze`."))),
      d.token_required ? h("div.card.token-card", {}, field("API token (this server requires one for writes)", token)) : null,
      status,
      h("div.cards.ingest-cards", {}, pasteForm, urlForm, fileForm));
  }

  function renderApi(d) {
    const spec = d.openapi;
    const groups = new Map();
    for (const [path, ops] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const tag = (op.tags || ["other"])[0];
        if (!groups.has(tag)) groups.set(tag, []);
        groups.get(tag).push({ path, method, op });
      }
    }
    const params = (op) => (op.parameters || []).map((p) => h("li", {}, h("code", { text: p.name }),
      h("span.small", { text: ` (${p.in}${p.required ? ", required" : ""})` }), p.description ? [" — ", withCode(p.description)] : null));
    const body = (op) => {
      const content = op.requestBody && op.requestBody.content;
      if (!content) return null;
      return h("p.small", { text: `body: ${Object.keys(content).join(", ")}` });
    };
    return h("div.page.api-page", {},
      h("header.page-head", {}, h("h1", { text: `${spec.info.title} ${spec.info.version}` }),
        h("p.meta", {}, withCode(spec.info.description)),
        h("p.meta", {}, "OpenAPI document: ", h("a", { href: "/api/v1/openapi.json", text: "/api/v1/openapi.json" }),
          d.token_required ? " · write endpoints need Authorization: Bearer <token>" : "")),
      [...groups.entries()].map(([tag, ops]) => section(tag, h("ul.plain.endpoints", {}, ops.map(({ path, method, op }) =>
        h("li.endpoint", {},
          h("div.endpoint-head", {}, h(`span.method.method-${method}`, { text: method.toUpperCase() }), h("code.path", { text: path }),
            h("span.endpoint-summary", {}, withCode(op.summary))),
          op.description ? h("p.small", {}, withCode(op.description)) : null,
          (op.parameters || []).length ? h("ul.params", {}, params(op)) : null,
          body(op)))))));
  }

  function renderError(d) {
    return h("div.page", {}, h("h1", { text: `Error ${d.status}` }), h("p", { text: d.message }), h("a.button", { href: href.home(), text: "Back to the articles" }));
  }

  // ---------------------------------------------------------------- dispatch

  const VIEWS = { home: renderHome, article: renderArticle, compare: renderCompare, dashboard: renderDashboard,
    actor: renderActor, actors: renderActors, stories: renderStories, ingest: renderIngest, api: renderApi, error: renderError };

  function show(view, data) {
    app.replaceChildren(VIEWS[view](data));
    app.dataset.view = view;
    document.querySelectorAll("#mainnav a").forEach((a) => a.classList.toggle("active", a.dataset.nav === (view === "actor" ? "actors" : view)));
  }

  /** Report mode: the hash picks the view; all data is already in the page. */
  function route() {
    const [, view, arg] = (window.location.hash || "#/").match(/^#\/([a-z]*)\/?(.*)$/) || [];
    const key = arg ? decodeURIComponent(arg) : "";
    const byId = new Map(DATA.articles.map((v) => [v.analysis.article.id, v]));
    const [id, target] = key.split("/");
    if (view === "article" && byId.has(id)) return show("article", Object.assign({}, byId.get(id), { target }));
    if (view === "compare") return show("compare", DATA.compares[key] || { comparison: null, articles: [] });
    if (view === "dashboard") return show("dashboard", DATA.dashboard);
    if (view === "actors") return show("actors", { actors: DATA.actors_index });
    if (view === "actor" && DATA.actors[key]) return show("actor", DATA.actors[key]);
    show("home", DATA.home);
    window.scrollTo(0, 0);
  }

  if (REPORT) {
    window.addEventListener("hashchange", () => { route(); window.scrollTo(0, 0); });
    route();
  } else {
    const target = decodeURIComponent(window.location.hash.slice(1));
    show(app.dataset.view, app.dataset.view === "article" && target ? Object.assign({}, DATA, { target }) : DATA);
  }
})();
