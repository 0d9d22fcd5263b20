/* rasd map page.
 *
 * Everything the page shows comes from this server's /api and /vendor: no tile server, no
 * CDN. Text from the store (articles, evidence, names) is only ever put into the page as
 * text nodes (el(), append(string), textContent), never as HTML.
 */
"use strict";

// ------------------------------------------------------------------ labels

const TYPES = {
  battles: ["معارك", "#c0392b"],
  explosions_remote_violence: ["انفجارات وعنف عن بُعد", "#e67e22"],
  violence_against_civilians: ["عنف ضد المدنيين", "#8e44ad"],
  protests: ["احتجاجات", "#27ae60"],
  riots: ["أعمال شغب", "#a0522d"],
  strategic_developments: ["تطورات استراتيجية", "#2c6fbb"],
  movement: ["تحركات", "#0e8c8c"],
};
const SUB_TYPES = {
  armed_clash: "اشتباك مسلح", government_regains_territory: "استعادة القوات الحكومية أراضيَ",
  non_state_actor_overtakes_territory: "سيطرة جماعة مسلحة على أراضٍ", air_drone_strike: "غارة جوية أو بمسيّرة",
  shelling_artillery_missile_attack: "قصف مدفعي أو صاروخي", remote_explosive_landmine_ied: "عبوة ناسفة أو لغم",
  suicide_bomb: "تفجير انتحاري", chemical_weapon: "سلاح كيميائي", grenade: "قنبلة يدوية", attack: "اعتداء",
  abduction_forced_disappearance: "خطف أو إخفاء قسري", sexual_violence: "عنف جنسي",
  peaceful_protest: "احتجاج سلمي", protest_with_intervention: "احتجاج مع تدخل",
  excessive_force_against_protesters: "قوة مفرطة ضد المحتجين", violent_demonstration: "تظاهرة عنيفة",
  mob_violence: "عنف جماعي", agreement: "اتفاق", arrests: "اعتقالات",
  change_to_group_activity: "تغيّر في نشاط جماعة", disrupted_weapons_use: "إحباط استخدام أسلحة",
  headquarters_or_base_established: "إنشاء مقر أو قاعدة", looting_property_destruction: "نهب أو تدمير ممتلكات",
  non_violent_transfer_of_territory: "انتقال أراضٍ دون قتال", other: "أخرى",
  flight: "فرار", relocation: "انتقال", advance: "تقدّم", evacuation: "إجلاء", displacement: "نزوح",
};
const ACTORS = {
  isis: "داعش", iraq_forces: "القوات العراقية", pmf: "الحشد الشعبي", hashd_watani: "الحشد الوطني",
  peshmerga: "البيشمركة", coalition: "التحالف الدولي", russia_forces: "القوات الروسية",
  syria_gov: "قوات النظام السوري", hezbollah: "حزب الله", hts: "هيئة تحرير الشام", sdf: "قسد",
  sna: "الجيش الوطني السوري", israel_forces: "القوات الإسرائيلية", turkey_forces: "القوات التركية",
  lebanon_forces: "القوات اللبنانية", us_gov: "الحكومة الأمريكية", civilians: "مدنيون",
  unidentified_armed_group: "مسلحون مجهولون", hamas: "حماس",
};
const ROLES = { location: "المكان", origin: "من", destination: "إلى", via: "عبر" };
const STANCE = { assert: "يؤكد", deny: "ينفي" };

const typeLabel = (t) => (TYPES[t] ? TYPES[t][0] : t);
const typeColour = (t) => (TYPES[t] ? TYPES[t][1] : "#555");
const subLabel = (s) => (s ? SUB_TYPES[s] || s.replace(/_/g, " ") : "");
const actorLabel = (a) => (a ? ACTORS[a] || a.replace(/_/g, " ") : "");

// ------------------------------------------------------------------ DOM helpers (text only)

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k === "style") Object.assign(node.style, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : String(c));    // strings become text nodes
  }
  return node;
}
const $ = (sel) => document.querySelector(sel);

/* Replace a node's children (strings as text; null and false left out). */
function setChildren(node, ...children) {
  node.replaceChildren();
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : String(c));
  }
}

function setStatus(msg, isError) {
  const s = $("#status");
  s.textContent = msg || "";
  s.style.color = isError ? "#ffb4a8" : "";
}

let pending = 0;
async function api(path, params) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== "") url.searchParams.set(k, v);
  }
  pending++;
  setStatus("جارٍ التحميل…");
  try {
    const r = await fetch(url);
    const body = await r.json();
    if (!r.ok) throw new Error(body && body.error ? body.error.message : `HTTP ${r.status}`);
    return body;
  } catch (e) {
    setStatus("خطأ: " + e.message, true);
    throw e;
  } finally {
    pending--;
    if (!pending && !$("#status").style.color) setStatus("");
  }
}

/* Text with marks: `hls` are {start, end, kind, stance?} offsets into `text`; a mark that
 * starts inside another is nested in it (evidence holding the source's name). */
function renderMarked(parent, text, hls) {
  const order = (a, b) => a.start - b.start || (b.end - b.start) - (a.end - a.start);
  fill(parent, text, 0, text.length, hls.map((h) => ({ ...h })).sort(order));

  function fill(node, text, a, b, items) {
    let pos = a;
    while (items.length) {
      const h = items.shift();
      const s = Math.max(h.start, pos);
      const e = Math.min(h.end, b);
      if (e <= s) continue;
      const inner = [];
      const rest = [];
      for (const x of items) {
        if (x.start < e) {
          inner.push({ ...x, end: Math.min(x.end, e) });
          if (x.end > e) rest.push({ ...x, start: e });
        } else rest.push(x);
      }
      items = rest.sort(order);
      if (s > pos) node.append(text.slice(pos, s));
      const m = el("mark", { class: h.kind + (h.stance ? " " + h.stance : "") });
      fill(m, text, s, e, inner);
      node.append(m);
      pos = e;
    }
    if (pos < b) node.append(text.slice(pos, b));
  }
}

// ------------------------------------------------------------------ state

const state = {
  types: new Set(Object.keys(TYPES)),
  sort: "-date",
  denyOnly: false,
  minConfidence: 0,
  bins: [],
  range: null,              // [from index, to index] into bins; null: everything
  undated: true,
  offset: 0,
  total: 0,
  selected: null,
  query: "",
};
const PAGE = 100;
const MAP_LIMIT = 3000;

function filterParams() {
  const p = {};
  const all = Object.keys(TYPES);
  if (state.types.size !== all.length) p.type = [...state.types].join(",") || "none";
  if (state.denyOnly) p.stance = "deny";
  if (state.minConfidence > 0) p.min_confidence = String(state.minConfidence);
  return p;
}

function dateParams() {
  const n = state.bins.length;
  const full = !state.range || (state.range[0] === 0 && state.range[1] === n - 1);
  if (!n) return state.undated ? {} : { date_from: "0001-01-01" };
  if (full && state.undated) return {};
  const [i, j] = state.range || [0, n - 1];
  const p = { date_from: state.bins[i].date, date_to: state.bins[j].date };
  if (state.undated) p.undated = true;
  return p;
}

// ------------------------------------------------------------------ map

const map = L.map("map", { minZoom: 2, worldCopyJump: true, zoomSnap: 0.5 }).setView([34, 40], 5);
map.attributionControl.setPrefix(false);
map.attributionControl.addAttribution("Leaflet · Natural Earth (world-atlas)");
map.createPane("basemap").style.zIndex = 250;
const eventsLayer = L.featureGroup().addTo(map);
const layersById = new Map();
let firstFit = true;

// Arabic names of the countries around the region, by ISO 3166-1 numeric code (world-atlas ids)
const COUNTRY_NAMES = {
  368: "العراق", 760: "سوريا", 792: "تركيا", 400: "الأردن", 422: "لبنان", 376: "إسرائيل", 275: "فلسطين",
  682: "السعودية", 364: "إيران", 818: "مصر", 414: "الكويت", 196: "قبرص", 51: "أرمينيا", 31: "أذربيجان",
  268: "جورجيا", 434: "ليبيا", 729: "السودان", 887: "اليمن", 512: "عُمان", 784: "الإمارات", 634: "قطر",
  48: "البحرين", 4: "أفغانستان", 586: "باكستان",
};

async function loadBasemap() {
  const r = await fetch("vendor/world-atlas/countries-50m.json");
  const topo = await r.json();
  const land = topojson.feature(topo, topo.objects.countries);
  L.geoJSON(land, {
    pane: "basemap",
    interactive: false,
    style: { color: "#9aa3ab", weight: 0.8, fillColor: "#f3efe6", fillOpacity: 1 },
    onEachFeature: (f, layer) => {
      const name = COUNTRY_NAMES[Number(f.id)];
      if (name) {
        L.tooltip({ permanent: true, direction: "center", className: "country-label", interactive: false })
          .setLatLng(layer.getBounds().getCenter()).setContent(el("span", {}, name)).addTo(map);
      }
    },
  }).addTo(map);
}

function arrowIcon(angle, colour) {
  // a triangle whose tip is the destination, turned to the line's direction on screen
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("width", "16");
  svg.setAttribute("height", "14");
  svg.setAttribute("viewBox", "-16 -7 16 14");
  svg.style.transform = `rotate(${angle}deg)`;
  const tri = document.createElementNS(NS, "polygon");
  tri.setAttribute("points", "-15,-6 0,0 -15,6 -11,0");
  tri.setAttribute("fill", colour);
  tri.setAttribute("stroke", "#fff");
  tri.setAttribute("stroke-width", "1");
  svg.append(tri);
  const div = el("div");
  div.append(svg);
  return L.divIcon({ html: div, className: "rasd-arrow", iconSize: [16, 14], iconAnchor: [16, 7] });
}

function popupList(features) {
  const list = el("ul", { class: "popup-list" });
  for (const f of features) {
    const p = f.properties;
    list.append(el("li", { onclick: () => { map.closePopup(); selectEvent(p.id); } },
      el("span", { class: "swatch", style: { background: typeColour(p.type) } }), " ",
      subLabel(p.sub_type) || typeLabel(p.type), " — ", (p.evidence || "").slice(0, 80)));
  }
  return list;
}

function tooltip(p, n) {
  // a DOM node, not a string: Leaflet would put a string in as HTML
  const from = p.places.filter((x) => x.role === "origin").map((x) => x.name);
  const to = p.places.filter((x) => x.role === "destination").map((x) => x.name);
  const at = p.places.filter((x) => x.role === "location").map((x) => x.name);
  const where = from.length || to.length ? `${from.join("، ") || "؟"} ← ${to.join("، ") || "؟"}` : at.slice(0, 2).join("، ");
  return el("div", { dir: "rtl" }, el("strong", {}, where), el("br"),
    typeLabel(p.type), p.sub_type ? " · " + subLabel(p.sub_type) : "", n > 1 ? ` (+${n - 1})` : "");
}

async function loadMap() {
  const fc = await api("/api/events.geojson", { ...filterParams(), ...dateParams(), limit: MAP_LIMIT, sort: "-date" });
  eventsLayer.clearLayers();
  layersById.clear();
  const byPoint = new Map();
  for (const f of fc.features) {
    if (f.geometry.type === "Point") {
      const key = f.geometry.coordinates.join(",");
      if (!byPoint.has(key)) byPoint.set(key, []);
      byPoint.get(key).push(f);
    }
  }
  for (const f of fc.features) {
    const p = f.properties;
    const colour = typeColour(p.type);
    const deny = p.stance === "deny";
    if (f.geometry.type === "LineString") {
      const [[x1, y1], [x2, y2]] = f.geometry.coordinates;
      const line = L.polyline([[y1, x1], [y2, x2]], {
        color: colour, weight: 2.5, opacity: 0.85, dashArray: deny ? "6 5" : null, className: "rasd-move",
      });
      const a = map.latLngToLayerPoint([y1, x1]);
      const b = map.latLngToLayerPoint([y2, x2]);
      const angle = (Math.atan2(b.y - a.y, b.x - a.x) * 180) / Math.PI;
      const head = L.marker([y2, x2], { icon: arrowIcon(angle, colour), keyboard: false });
      const group = L.featureGroup([line, head]).on("click", () => selectEvent(p.id));
      group.bindTooltip(tooltip(p), { sticky: true });
      group.addTo(eventsLayer);
      layersById.set(p.id, line);
    } else {
      const [x, y] = f.geometry.coordinates;
      const m = L.circleMarker([y, x], {
        radius: 6, color: deny ? "#b3261e" : "#fff", weight: deny ? 2.5 : 1.2, fillColor: colour,
        fillOpacity: 0.9, className: "rasd-marker type-" + p.type + (deny ? " deny" : ""),
      });
      const here = byPoint.get(f.geometry.coordinates.join(","));
      m.bindTooltip(tooltip(p, here.length));
      m.on("click", () => {
        if (here.length > 1) L.popup().setLatLng([y, x]).setContent(popupList(here)).openOn(map);
        else selectEvent(p.id);
      });
      m.addTo(eventsLayer);
      layersById.set(p.id, m);
    }
  }
  $("#map").dataset.features = String(fc.features.length);
  if (firstFit && fc.features.length) {
    map.fitBounds(eventsLayer.getBounds(), { padding: [30, 30], maxZoom: 7 });
    firstFit = false;
  }
  highlightOnMap(state.selected);
}

function highlightOnMap(id) {
  for (const [key, layer] of layersById) {
    const on = key === id;
    if (layer instanceof L.CircleMarker) layer.setRadius(on ? 10 : 6);
    else layer.setStyle({ weight: on ? 5 : 2.5 });
    if (on && layer.bringToFront) layer.bringToFront();
  }
}

function legend() {
  const ctl = L.control({ position: "bottomleft" });
  ctl.onAdd = () => {
    const box = el("div", { class: "map-legend" });
    for (const t of Object.keys(TYPES)) {
      box.append(el("div", {}, el("span", { class: "swatch", style: { background: typeColour(t) } }), typeLabel(t)));
    }
    box.append(el("div", { class: "wide" }, "السهم: تحرك من مكان إلى آخر · المتقطع: رواية منفية"));
    return box;
  };
  ctl.addTo(map);
}

// ------------------------------------------------------------------ list

function placesLine(e) {
  const located = (e.places || []).filter((p) => p.name);
  const from = located.filter((p) => p.role === "origin").map((p) => p.name);
  const to = located.filter((p) => p.role === "destination").map((p) => p.name);
  const at = located.filter((p) => p.role === "location").map((p) => p.name);
  const parts = [];
  if (from.length || to.length) parts.push((from.join("، ") || "؟") + " ← " + (to.join("، ") || "؟"));
  if (at.length) parts.push(at.slice(0, 3).join("، "));
  return parts.join(" · ");
}

function sourcesBadges(e) {
  const srcs = e.sources || [];
  if (!srcs.length) return [el("span", { class: "src assert" }, "الوسيلة نفسها")];
  return srcs.map((s) => el("span", { class: "src " + s.stance }, s.name, " (", STANCE[s.stance] || s.stance, ")"));
}

function eventItem(e) {
  return el("li", {
    class: "event" + (e.id === state.selected ? " selected" : ""), tabindex: 0,
    dataset: { id: e.id, type: e.type, stance: e.stance || "assert" },
    onclick: () => selectEvent(e.id),
    onkeydown: (ev) => { if (ev.key === "Enter") selectEvent(e.id); },
  },
  el("div", { class: "event-head" },
    el("span", { class: "swatch", style: { background: typeColour(e.type) } }),
    el("span", { class: "etype" }, typeLabel(e.type), e.sub_type ? " · " + subLabel(e.sub_type) : ""),
    e.stance === "deny" ? el("span", { class: "badge-deny" }, "نفي") : null,
    el("span", { class: "date" }, e.date || "بلا تاريخ")),
  el("div", { class: "event-where" }, placesLine(e)),
  el("div", { class: "event-evidence" }, e.evidence.text),
  el("div", { class: "event-sources" }, sourcesBadges(e)));
}

async function loadEvents(reset) {
  if (reset) state.offset = 0;
  const list = $("#event-list");
  const page = await api("/api/events", {
    ...filterParams(), ...dateParams(), sort: state.sort, limit: PAGE, offset: state.offset,
  });
  if (reset) list.replaceChildren();
  for (const e of page.items) list.append(eventItem(e));
  if (!page.total) list.append(el("li", { class: "empty" }, "لا أحداث بهذه المعايير"));
  state.total = page.total;
  state.offset += page.items.length;
  $("#events-total").textContent = `(${page.total})`;
  $("#more").hidden = state.offset >= page.total;
  list.dataset.total = String(page.total);
  list.dataset.seq = String(Number(list.dataset.seq) + 1);
}

// ------------------------------------------------------------------ timeline

async function loadTimeline() {
  const t = await api("/api/timeline", filterParams());
  state.bins = t.bins;
  state.range = null;
  const n = t.bins.length;
  for (const id of ["#t-from", "#t-to"]) {
    const r = $(id);
    r.max = String(Math.max(n - 1, 0));
    r.disabled = n < 2;
  }
  $("#t-from").value = "0";
  $("#t-to").value = String(Math.max(n - 1, 0));
  $("#undated-count").textContent = `(${t.undated})`;
  drawHistogram();
}

function drawHistogram() {
  const NS = "http://www.w3.org/2000/svg";
  const svg = $("#histogram");
  svg.replaceChildren();
  const bins = state.bins;
  const n = bins.length;
  const W = 1000;
  const H = 56;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const [i0, j0] = state.range || [0, n - 1];
  const max = Math.max(1, ...bins.map((b) => b.count));
  const w = W / Math.max(n, 24);            // a lone day is a bar, not the whole strip
  const x0 = (W - w * n) / 2;
  bins.forEach((b, k) => {
    const h = Math.max(2, (b.count / max) * (H - 4));
    const r = document.createElementNS(NS, "rect");
    r.setAttribute("x", String(x0 + k * w + w * 0.1));
    r.setAttribute("width", String(Math.max(w * 0.8, 1)));
    r.setAttribute("y", String(H - h));
    r.setAttribute("height", String(h));
    r.setAttribute("class", "bar" + (k >= i0 && k <= j0 ? " in" : ""));
    const title = document.createElementNS(NS, "title");
    title.textContent = `${b.date}: ${b.count}`;
    r.append(title);
    svg.append(r);
  });
  const label = n ? `${bins[i0].date} – ${bins[j0].date}` : "لا أحداث مؤرخة";
  $("#t-range").textContent = label;
}

let rangeTimer = null;
function onRange(which) {
  let i = Number($("#t-from").value);
  let j = Number($("#t-to").value);
  if (i > j) {
    if (which === "from") j = i; else i = j;
    $("#t-from").value = String(i);
    $("#t-to").value = String(j);
  }
  state.range = [i, j];
  drawHistogram();
  clearTimeout(rangeTimer);
  rangeTimer = setTimeout(refreshEvents, 200);
}

// ------------------------------------------------------------------ detail: an event

function factsList(e) {
  const dl = el("dl", { class: "facts" });
  const add = (k, v) => { if (v !== null && v !== undefined && v !== "") dl.append(el("dt", {}, k), el("dd", {}, v)); };
  add("التاريخ", e.date ? `${e.date} (${e.date_precision})` : "غير مذكور");
  for (const p of e.places || []) {
    add(ROLES[p.role] || p.role, p.name + (p.lat === null || p.lat === undefined ? " (بلا إحداثيات)" : ""));
  }
  add("الفاعل", actorLabel(e.actor));
  add("الطرف الآخر", actorLabel(e.actor2));
  if (e.count) add("العدد", e.count.text);
  if (e.fatalities !== null && e.fatalities !== undefined) add("القتلى", String(e.fatalities));
  if (e.confidence !== null && e.confidence !== undefined) add("الثقة", `${Math.round(e.confidence * 100)}٪`);
  return dl;
}

function claimCard(c, currentId) {
  return el("div", {
    class: "claim" + (c.id === currentId ? " current" : ""), dataset: { id: c.id, stance: c.stance || "assert" },
    onclick: () => selectEvent(c.id),
  },
  el("div", {}, c.evidence.text),
  el("div", {}, sourcesBadges(c)),
  el("div", { class: "where" }, c.article_title || el("bdi", {}, c.doc), c.date ? " · " + c.date : ""));
}

function claimsSection(claims, currentId) {
  const sec = el("section", { id: "claims" });
  const n = claims ? claims.total : 1;
  sec.append(el("h3", {}, `روايات الحدث نفسه (${n})`));
  if (!claims || claims.total < 2) {
    sec.append(el("p", { class: "article-meta" }, "لا روايات أخرى لهذا الحدث."));
  }
  if (claims) {
    sec.append(el("div", { class: "claims-grid" },
      el("div", { class: "asserts" }, el("h4", {}, `تأكيد (${claims.asserts.length})`),
        claims.asserts.map((c) => claimCard(c, currentId))),
      el("div", { class: "denials" }, el("h4", {}, `نفي (${claims.denials.length})`),
        claims.denials.length ? claims.denials.map((c) => claimCard(c, currentId))
          : el("p", { class: "article-meta" }, "لا نفي"))));
  }
  return sec;
}

function articleSection(article, highlights) {
  const sec = el("section", { id: "article", dataset: { id: article.id } });
  sec.append(el("h3", {}, "المقال"));
  const byBlock = new Map();
  for (const h of highlights || []) {
    if (!byBlock.has(h.block)) byBlock.set(h.block, []);
    byBlock.get(h.block).push(h);
  }
  const title = el("h4", { class: "article-title" });
  renderMarked(title, article.title || "(بلا عنوان)", article.title ? byBlock.get("title") || [] : []);
  sec.append(title);
  sec.append(el("div", { class: "article-meta" }, el("bdi", {}, article.doc),
    article.published ? " · " + article.published : "", article.author ? " · " + article.author : "",
    article.url ? [" · ", el("bdi", {}, article.url)] : ""));
  const body = el("div", { class: "article-text" });
  for (const p of article.paragraphs) {
    const para = el("p", { dataset: { index: p.index } });
    renderMarked(para, p.text, byBlock.get(p.index) || []);
    body.append(para);
  }
  sec.append(body);
  return sec;
}

async function selectEvent(id) {
  state.selected = id;
  history.replaceState(null, "", "#event=" + encodeURIComponent(id));
  for (const li of document.querySelectorAll("#event-list li.event")) {
    li.classList.toggle("selected", li.dataset.id === id);
  }
  highlightOnMap(id);
  const d = await api("/api/events/" + encodeURIComponent(id));
  if (state.selected !== id) return;
  const e = d.event;
  const claims = e.claim_group ? await api("/api/claims/" + encodeURIComponent(e.claim_group)) : null;
  if (state.selected !== id) return;
  const body = $("#detail-body");
  setChildren(body, 
    el("h2", {}, el("span", { class: "swatch", style: { background: typeColour(e.type) } }), " ",
      typeLabel(e.type), e.sub_type ? " · " + subLabel(e.sub_type) : "",
      e.stance === "deny" ? el("span", { class: "badge-deny" }, " — رواية منفية") : null),
    factsList(e),
    el("h3", {}, "المصادر"),
    el("ul", { class: "sources-list" }, (e.sources || []).length
      ? e.sources.map((s) => el("li", { class: "source-item", dataset: { stance: s.stance } },
        el("span", { class: "src " + s.stance }, STANCE[s.stance] || s.stance), " ", s.name,
        s.role ? el("span", { class: "article-meta" }, ` (${s.role})`) : null))
      : el("li", {}, "الوسيلة الإعلامية نفسها، دون نسبة إلى مصدر")),
    claimsSection(claims, e.id),
    d.article ? articleSection(d.article, d.highlights) : el("p", {}, "المقال غير موجود"));
  const detail = $("#detail");
  detail.hidden = false;
  detail.dataset.event = id;
  detail.dataset.article = d.article ? d.article.id : "";
  const layer = layersById.get(id);
  if (layer) {
    const ll = layer.getBounds ? layer.getBounds().getCenter() : layer.getLatLng();
    if (!map.getBounds().contains(ll)) map.panTo(ll);
  }
  const ev = detail.querySelector("mark.evidence");
  if (ev) ev.scrollIntoView({ block: "center" });
}

// ------------------------------------------------------------------ search

function showTab(name) {
  for (const b of document.querySelectorAll(".tabs button")) b.classList.toggle("active", b.dataset.tab === name);
  $("#events-pane").hidden = name !== "events";
  $("#results-pane").hidden = name !== "results";
}

async function search(q) {
  state.query = q;
  showTab("results");
  const box = $("#search-results");
  const res = await api("/api/search", { q, limit: 30 });
  box.replaceChildren();
  $("#results-total").textContent = `(${res.total})`;
  if (!res.items.length) box.append(el("p", { class: "empty" }, "لا نتائج"));
  for (const item of res.items) {
    const a = item.article;
    const hls = new Map();
    for (const h of item.highlights) {
      if (!hls.has(h.block)) hls.set(h.block, []);
      hls.get(h.block).push(h);
    }
    const title = el("h3");
    renderMarked(title, a.title || "(بلا عنوان)", a.title ? hls.get("title") || [] : []);
    const result = el("div", {
      class: "result", tabindex: 0, dataset: { id: a.id },
      onclick: () => openArticle(a.id, q),
      onkeydown: (ev) => { if (ev.key === "Enter") openArticle(a.id, q); },
    }, title, el("div", { class: "meta" }, el("bdi", {}, a.doc), ` · ${item.n_hits} موضع`,
      item.article.n_copies ? ` · ${item.article.n_copies} نسخ مكررة` : ""));
    for (const p of item.paragraphs) {
      const para = el("p");
      renderMarked(para, p.text, hls.get(p.index) || []);
      result.append(para);
    }
    box.append(result);
  }
  box.dataset.seq = String(Number(box.dataset.seq) + 1);
}

function relatedList(label, items) {
  if (!items || !items.length) return null;
  return el("div", { class: "related" }, el("h3", {}, label),
    el("ul", {}, items.map((a) => el("li", { class: "linkish", onclick: () => openArticle(a.id, state.query) },
      a.title || el("bdi", {}, a.id), " — ", el("bdi", {}, a.doc)))));
}

async function openArticle(id, q) {
  state.selected = null;
  history.replaceState(null, "", "#article=" + encodeURIComponent(id));
  const a = await api("/api/articles/" + encodeURIComponent(id), q ? { q } : {});
  const body = $("#detail-body");
  const events = el("ul", { class: "related" }, a.events.map((e) => el("li", {
    class: "linkish", onclick: () => selectEvent(e.id),
  }, typeLabel(e.type), " · ", subLabel(e.sub_type), " — ", e.evidence.text.slice(0, 90))));
  setChildren(body, 
    el("h2", {}, "مقال"),
    a.duplicate_of ? el("p", { class: "article-meta" }, "نسخة مكررة من ",
      el("button", { class: "linkish", onclick: () => openArticle(a.duplicate_of, q) }, a.duplicate_of)) : null,
    articleSection(a, a.highlights || []),
    el("h3", {}, `أحداث هذا المقال (${a.events.length})`),
    events,
    relatedList("نسخ مكررة", a.duplicates),
    relatedList("مقالات القصة نفسها", a.story_articles));
  const detail = $("#detail");
  detail.hidden = false;
  detail.dataset.event = "";
  detail.dataset.article = a.id;
  const hit = detail.querySelector("mark.hit");
  if (hit) hit.scrollIntoView({ block: "center" });
}

// ------------------------------------------------------------------ wiring

async function typeFilter() {
  const box = $("#type-filter");
  let counts = {};
  try {
    counts = (await api("/api")).counts.types;
  } catch (e) { /* counts are a nicety */ }
  for (const t of Object.keys(TYPES)) {
    const cb = el("input", { type: "checkbox", value: t, checked: true });
    cb.addEventListener("change", () => {
      if (cb.checked) state.types.add(t); else state.types.delete(t);
      refreshAll();
    });
    box.append(el("label", { dataset: { type: t } }, cb,
      el("span", { class: "swatch", style: { background: typeColour(t) } }), typeLabel(t),
      el("span", { class: "count" }, `(${counts[t] || 0})`)));
  }
}

function refreshEvents() {
  loadEvents(true).catch(() => {});
  loadMap().catch(() => {});
}

async function refreshAll() {
  await loadTimeline().catch(() => {});
  refreshEvents();
}

function fromHash() {
  const h = location.hash.slice(1);
  const [k, v] = [h.slice(0, h.indexOf("=")), decodeURIComponent(h.slice(h.indexOf("=") + 1))];
  if (k === "event" && v) selectEvent(v).catch(() => {});
  if (k === "article" && v) openArticle(v).catch(() => {});
}

function wire() {
  $("#search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = $("#search-input").value.trim();
    if (q) search(q).catch(() => {});
  });
  for (const b of document.querySelectorAll(".tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));
  $("#sort").addEventListener("change", (ev) => { state.sort = ev.target.value; loadEvents(true).catch(() => {}); });
  $("#deny-only").addEventListener("change", (ev) => { state.denyOnly = ev.target.checked; refreshAll(); });
  $("#min-confidence").addEventListener("change", (ev) => {
    state.minConfidence = Number(ev.target.value) / 100;
    $("#min-confidence-value").textContent = ev.target.value + "٪";
    refreshAll();
  });
  $("#more").addEventListener("click", () => loadEvents(false).catch(() => {}));
  $("#t-from").addEventListener("input", () => onRange("from"));
  $("#t-to").addEventListener("input", () => onRange("to"));
  $("#undated").addEventListener("change", (ev) => { state.undated = ev.target.checked; refreshEvents(); });
  $("#t-reset").addEventListener("click", () => {
    state.range = null;
    $("#t-from").value = "0";
    $("#t-to").value = $("#t-to").max;
    state.undated = true;
    $("#undated").checked = true;
    drawHistogram();
    refreshEvents();
  });
  $("#detail-close").addEventListener("click", () => {
    $("#detail").hidden = true;
    state.selected = null;
    highlightOnMap(null);
    history.replaceState(null, "", location.pathname);
  });
}

async function start() {
  wire();
  window.addEventListener("hashchange", fromHash);
  legend();
  loadBasemap().catch((e) => setStatus("تعذّر تحميل الخريطة الأساسية: " + e.message, true));
  await typeFilter();
  await refreshAll();
  fromHash();
}

start();
