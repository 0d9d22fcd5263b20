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
// how precise an event's date is (the export's date_precision)
const PRECISIONS = { day: "يوم محدد", week: "خلال أسبوع", month: "خلال الشهر", year: "خلال السنة", reported: "تاريخ النشر",
  unknown: "غير محدد" };
const ADMIN1_AR = {};   // governorates' Arabic names (filled from /api/facets)
// who a source is (the export's sources[].role), in the panel's words
const SPEAKER_ROLES = {
  spokesman: "متحدث", official: "مسؤول", military_officer: "ضابط", council_member: "عضو مجلس",
  mp: "نائب", source: "مصدر", outlet: "وسيلة إعلام", institution: "جهة رسمية", expert: "خبير",
  ngo: "منظمة", witness: "شاهد",
};
const STANCE = { assert: "يؤكد", deny: "ينفي" };
const STANCE_NOUN = { assert: "تأكيد", deny: "نفي" };

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

// news outlets by web host (the article's own site), for the panel
const OUTLETS = {
  "skynewsarabia.com": "سكاي نيوز عربية", "arabic.cnn.com": "سي إن إن بالعربية", "france24.com": "فرانس 24",
  "bbc.co.uk": "بي بي سي عربي", "bbc.com": "بي بي سي عربي", "aljazeera.net": "الجزيرة نت", "alarabiya.net": "العربية",
  "arabic.rt.com": "آر تي عربي", "alhurra.com": "الحرة", "aawsat.com": "الشرق الأوسط", "alquds.co.uk": "القدس العربي",
  "independentarabia.com": "إندبندنت عربية", "enabbaladi.net": "عنب بلدي", "syriahr.com": "المرصد السوري لحقوق الإنسان",
  "shafaq.com": "شفق نيوز", "rudaw.net": "رووداو", "sana.sy": "سانا", "ina.iq": "وكالة الأنباء العراقية",
  "annahar.com": "النهار", "alsumaria.tv": "السومرية", "baghdadtoday.news": "بغداد اليوم", "reuters.com": "رويترز",
};

/* An outlet's name from its host (the API's `outlet`: «www.» left out): the Arabic name of a
 * known one (or of the site it is part of), else the host itself. A page read from a file
 * has no host: its outlet is the file's path, of which the name is shown. */
function outletName(host) {
  host = String(host || "").replace(/^www\./, "");
  if (/[\/\\]/.test(host)) return host.split(/[\/\\]/).filter(Boolean).pop() || host;
  for (let h = host; h.includes("."); h = h.slice(h.indexOf(".") + 1)) {
    if (OUTLETS[h]) return OUTLETS[h];
  }
  return host;
}

function outletOf(url) {
  let host;
  try { host = new URL(url).hostname; } catch (e) { return null; }
  return outletName(host);
}

/* «في منفذ واحد / منفذين / 3 منافذ / 11 منفذاً» (Arabic counts its nouns). */
function outletsPhrase(n) {
  if (n === 1) return "منفذ واحد";
  if (n === 2) return "منفذين";
  if (n >= 3 && n <= 10) return `${n} منافذ`;
  return `${n} منفذاً`;
}

/* «331» or «من 331 إلى 400» */
function rangeText(r) {
  if (!r) return null;
  return r[0] === r[1] ? String(r[0]) : `من ${r[0]} إلى ${r[1]}`;
}

/* The address as people read it: percent-escapes decoded (the link itself keeps them). */
function readableUrl(url) {
  try { return decodeURI(url); } catch (e) { return url; }
}

// ------------------------------------------------------------------ state

const ALL_TYPES = Object.keys(TYPES);
const DEFAULTS = { subType: "", actor: "", admin1: "", source: "", denyOnly: false, minConfidence: 0, q: "", from: null, to: null,
  undated: true, sort: "-date" };
const state = {
  types: new Set(ALL_TYPES), ...DEFAULTS,
  bins: [], interval: "month", offset: 0, total: 0, selected: null, article: null, story: null,
};
const PAGE = 100;
let refreshSeq = 0;           // the latest filter asked for: answers to older ones are dropped
const WIDE = window.matchMedia("(min-width: 801px)");
const MAP_LIMIT = 3000;

/* The API parameters of the current filter; `dates` false leaves the date range out
 * (the timeline is drawn over every date). */
function filterParams(dates = true) {
  const p = {};
  if (state.types.size !== ALL_TYPES.length) p.type = [...state.types].join(",");
  if (state.subType) p.sub_type = state.subType;
  if (state.actor) p.actor = state.actor;
  if (state.admin1) p.admin1 = state.admin1;
  if (state.source) p.source = state.source;
  if (state.denyOnly) p.stance = "deny";
  if (state.minConfidence > 0) p.min_confidence = String(state.minConfidence);
  if (state.q) p.q = state.q;
  if (dates) {
    if (state.from || state.to) {
      if (state.from) p.date_from = state.from;
      if (state.to) p.date_to = state.to;
      if (state.undated) p.undated = "true";
    } else if (!state.undated) p.date_from = "0001-01-01";
  }
  return p;
}

function query(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") u.set(k, v);
  return u.toString();
}

// ------------------------------------------------------------------ permalink (the hash)

let viewFromHash = null;

function hashParams() {
  const h = new URLSearchParams();
  if (state.types.size !== ALL_TYPES.length) h.set("type", [...state.types].join(","));
  if (state.subType) h.set("sub_type", state.subType);
  if (state.actor) h.set("actor", state.actor);
  if (state.admin1) h.set("admin1", state.admin1);
  if (state.source) h.set("source", state.source);
  if (state.denyOnly) h.set("deny", "1");
  if (state.minConfidence > 0) h.set("conf", String(Math.round(state.minConfidence * 100)));
  if (state.q) h.set("q", state.q);
  if (state.from) h.set("from", state.from);
  if (state.to) h.set("to", state.to);
  if (!state.undated) h.set("undated", "0");
  if (state.sort !== DEFAULTS.sort) h.set("sort", state.sort);
  const c = map.getCenter();
  const view = `${c.lat.toFixed(4)},${c.lng.toFixed(4)},${map.getZoom()}`;
  $("#map").dataset.view = view;
  h.set("map", view);
  if (state.selected) h.set("event", state.selected);
  else if (state.article) h.set("article", state.article);
  if (state.story) h.set("story", state.story);
  return h;
}

function writeHash() {
  const h = "#" + hashParams().toString();
  if (location.hash !== h) history.replaceState(null, "", h);
  $("#permalink").href = location.href;
}

/* Filters, view and selection from the hash (an old `#event=` link still works). */
function readHash() {
  const h = new URLSearchParams(location.hash.slice(1));
  const types = h.get("type");
  const chosen = (types || "").split(",").filter((t) => TYPES[t]);
  state.types = new Set(chosen.length ? chosen : ALL_TYPES);
  state.subType = h.get("sub_type") || "";
  state.actor = h.get("actor") || "";
  state.admin1 = h.get("admin1") || "";
  state.source = h.get("source") || "";
  state.denyOnly = h.get("deny") === "1";
  const conf = Number(h.get("conf") || 0);
  state.minConfidence = conf > 0 && conf <= 100 ? conf / 100 : 0;
  state.q = h.get("q") || "";
  state.from = h.get("from") || null;
  state.to = h.get("to") || null;
  state.undated = h.get("undated") !== "0";
  state.sort = h.get("sort") || DEFAULTS.sort;
  const v = (h.get("map") || "").split(",").map(Number);
  viewFromHash = v.length === 3 && v.every(Number.isFinite) ? { center: [v[0], v[1]], zoom: v[2] } : null;
  return { event: h.get("event"), article: h.get("article"), story: h.get("story") };
}

function syncControls() {
  for (const cb of document.querySelectorAll("#type-filter input")) cb.checked = state.types.has(cb.value);
  $("#deny-only").checked = state.denyOnly;
  $("#min-confidence").value = String(Math.round(state.minConfidence * 100));
  $("#min-confidence-value").textContent = Math.round(state.minConfidence * 100) + "٪";
  $("#sort").value = state.sort;
  $("#undated").checked = state.undated;
  $("#active-query").hidden = !state.q;
  $("#active-query-text").textContent = state.q;
  if (state.q && !$("#search-input").value) $("#search-input").value = state.q;
  for (const [sel, key] of [["#f-sub_type", "subType"], ["#f-actor", "actor"], ["#f-admin1", "admin1"], ["#f-source", "source"]]) {
    const s = $(sel);
    if (state[key] && ![...s.options].some((o) => o.value === state[key])) s.append(el("option", { value: state[key] }, state[key]));
    s.value = state[key];
  }
}

// ------------------------------------------------------------------ map

const map = L.map("map", { minZoom: 2, maxZoom: 12, worldCopyJump: true, zoomSnap: 0.5 }).setView([34, 40], 5);
map.attributionControl.setPrefix(false);
map.attributionControl.addAttribution("Leaflet · Natural Earth · GeoNames (CC BY 4.0)");
map.createPane("basemap").style.zIndex = 250;
map.createPane("labels").style.zIndex = 350;
map.createPane("selected").style.zIndex = 650;        // above the clusters (markers: 600)
map.getPane("selected").style.pointerEvents = "none";
map.getPane("labels").style.pointerEvents = "none";
const linesLayer = L.featureGroup().addTo(map);
const pointsLayer = L.featureGroup().addTo(map);
const cityLayer = L.layerGroup().addTo(map);
const selLayer = L.layerGroup().addTo(map);
const layersById = new Map();
let features = [];
let fitted = false;
let cities = [];

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
    style: (f) => ({ color: "#8f989f", weight: COUNTRY_NAMES[Number(f.id)] ? 1.2 : 0.7,
      fillColor: Number(f.id) === 368 || Number(f.id) === 760 ? "#f6f1e4" : "#ece8de", fillOpacity: 1 }),
    onEachFeature: (f, layer) => {
      const name = COUNTRY_NAMES[Number(f.id)];
      if (name) {
        L.tooltip({ permanent: true, direction: "center", className: "country-label", interactive: false, pane: "labels" })
          .setLatLng(layer.getBounds().getCenter()).setContent(el("span", {}, name)).addTo(map);
      }
    },
  }).addTo(map);
}

async function loadCities() {
  const r = await fetch("vendor/geonames-cities/cities.json");
  cities = await r.json();
  drawCities();
}

/* City labels: the more one zooms in, the smaller the towns named (most populous first,
 * none on top of another). */
function drawCities() {
  cityLayer.clearLayers();
  const z = map.getZoom();
  const minPop = z < 5 ? 1500000 : z < 6 ? 600000 : z < 7 ? 200000 : z < 8 ? 60000 : 0;
  const view = map.getBounds().pad(0.1);
  const taken = [];
  for (const [name, lat, lon, pop] of cities) {
    if (pop < minPop) break;                          // sorted by population
    if (!view.contains([lat, lon])) continue;
    const pt = map.latLngToLayerPoint([lat, lon]);
    if (taken.some((q) => Math.abs(q.x - pt.x) < 70 && Math.abs(q.y - pt.y) < 18)) continue;
    taken.push(pt);
    L.marker([lat, lon], {
      pane: "labels", interactive: false, keyboard: false,
      icon: L.divIcon({ className: "city-label", html: el("span", {}, el("i"), name), iconSize: null, iconAnchor: [3, 3] }),
    }).addTo(cityLayer);
  }
}

const COARSE = new Set(["region", "country"]);

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

function popupList(feats) {
  const list = el("ul", { class: "popup-list" });
  for (const f of feats.slice(0, 200)) {
    const p = f.properties;
    list.append(el("li", { onclick: () => { map.closePopup(); selectEvent(p.id); } },
      el("span", { class: "swatch", style: { background: typeColour(p.type) } }), " ",
      p.date ? el("bdi", { class: "date" }, p.date.slice(0, 10) + " ") : null,
      subLabel(p.sub_type) || typeLabel(p.type), " — ", (p.evidence || "").slice(0, 80)));
  }
  if (feats.length > 200) list.append(el("li", {}, `… و${feats.length - 200} غيرها`));
  return list;
}

function tooltip(p) {
  // a DOM node, not a string: Leaflet would put a string in as HTML
  const from = p.places.filter((x) => x.role === "origin").map((x) => x.name);
  const to = p.places.filter((x) => x.role === "destination").map((x) => x.name);
  const at = p.places.filter((x) => x.role === "location").map((x) => x.name);
  const where = from.length || to.length ? `${from.join("، ") || "؟"} ← ${to.join("، ") || "؟"}` : at.slice(0, 2).join("، ");
  const coarse = (p.precision || []).some((x) => COARSE.has(x));
  return el("div", { dir: "rtl" }, el("strong", {}, where), el("br"),
    typeLabel(p.type), p.sub_type ? " · " + subLabel(p.sub_type) : "",
    coarse ? el("div", { class: "muted" }, "موقع تقريبي: بلد أو منطقة، لا مكان محدد") : null);
}

async function loadMap() {
  const seq = refreshSeq;
  const fc = await api("/api/events.geojson", { ...filterParams(), limit: MAP_LIMIT, sort: "-date" });
  if (seq !== refreshSeq) return;
  features = fc.features;
  drawLines();
  drawPoints();
  $("#map").dataset.features = String(features.length);
  if (!fitted) {
    fitted = true;
    if (viewFromHash) setViewNow(viewFromHash);
    else if (features.length) fitEvents();
  }
  markSelected();
}

/* A view from a link, without animation; a zoom still under way would swallow it, so it
 * waits for that to end. */
function setViewNow(v) {
  if (map._animatingZoom) map.once("zoomend", () => map.setView(v.center, v.zoom, { animate: false }));
  else map.setView(v.center, v.zoom, { animate: false });
}

/* Fit the view to where most events are: around the median point, as far out as holds
 * nine in ten of them, so that a few places far away (a capital abroad) do not shrink the
 * region to a dot. */
function fitEvents() {
  const pts = [];
  for (const f of features) {
    const cs = f.geometry.type === "Point" ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const [x, y] of cs) pts.push([y, x]);
  }
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const my = median(pts.map((p) => p[0]));
  const mx = median(pts.map((p) => p[1]));
  const dist = (p) => Math.max(Math.abs(p[0] - my), Math.abs(p[1] - mx));
  const ds = pts.map(dist).sort((a, b) => a - b);
  const r = Math.max(1, ds[Math.min(ds.length - 1, Math.floor(ds.length * 0.9))]);
  const near = pts.filter((p) => dist(p) <= r);
  map.fitBounds(L.latLngBounds(near).pad(0.08), { padding: [20, 20], maxZoom: 8, animate: false });
}

function drawLines() {
  linesLayer.clearLayers();
  for (const [id, layer] of layersById) if (layer.rasdLine) layersById.delete(id);
  for (const f of features) {
    if (f.geometry.type !== "LineString") continue;
    const p = f.properties;
    const colour = typeColour(p.type);
    const deny = p.stance === "deny";
    const [[x1, y1], [x2, y2]] = f.geometry.coordinates;
    const [pFrom, pTo] = p.precision || [];
    const coarseEnd = COARSE.has(pTo);
    const parts = [];
    const line = L.polyline([[y1, x1], [y2, x2]], {
      color: colour, weight: 2.5, opacity: coarseEnd ? 0.6 : 0.85,
      dashArray: deny ? "6 5" : coarseEnd ? "2 6" : null,
      className: "rasd-move" + (coarseEnd ? " coarse" : ""),
    });
    parts.push(line);
    if (coarseEnd) {
      // towards a country or a region, not a place: no arrowhead, a hollow ring
      parts.push(L.circleMarker([y2, x2], { radius: 9, color: colour, weight: 2, fill: false, dashArray: "3 3",
        className: "rasd-move-end coarse" }));
    } else {
      const a = map.latLngToLayerPoint([y1, x1]);
      const b = map.latLngToLayerPoint([y2, x2]);
      const angle = (Math.atan2(b.y - a.y, b.x - a.x) * 180) / Math.PI;
      parts.push(L.marker([y2, x2], { icon: arrowIcon(angle, colour), keyboard: false }));
    }
    if (COARSE.has(pFrom)) {
      parts.push(L.circleMarker([y1, x1], { radius: 7, color: colour, weight: 1.5, fill: false, dashArray: "3 3",
        className: "rasd-move-start coarse" }));
    }
    const group = L.featureGroup(parts).on("click", () => selectEvent(p.id));
    group.bindTooltip(tooltip(p), { sticky: true });
    group.addTo(linesLayer);
    line.rasdLine = true;
    layersById.set(p.id, line);
  }
}

/* Points, gathered on the screen: those within one cell of a 44-pixel grid at this zoom
 * are one disc with their number on it. */
function drawPoints() {
  pointsLayer.clearLayers();
  for (const [id, layer] of layersById) if (!layer.rasdLine) layersById.delete(id);
  const cells = new Map();
  const z = map.getZoom();
  for (const f of features) {
    if (f.geometry.type !== "Point") continue;
    const [x, y] = f.geometry.coordinates;
    const pt = map.project([y, x], z);
    const key = Math.floor(pt.x / 44) + ":" + Math.floor(pt.y / 44);
    if (!cells.has(key)) cells.set(key, []);
    cells.get(key).push(f);
  }
  let markers = 0;
  let clusters = 0;
  for (const group of cells.values()) {
    if (group.length === 1) {
      const f = group[0];
      const p = f.properties;
      const [x, y] = f.geometry.coordinates;
      const deny = p.stance === "deny";
      const coarse = COARSE.has((p.precision || [])[0]);
      const colour = typeColour(p.type);
      const m = L.circleMarker([y, x], coarse
        ? { radius: 9, color: colour, weight: 2.2, dashArray: "3 3", fillColor: colour, fillOpacity: 0.12,
          className: "rasd-marker coarse type-" + p.type + (deny ? " deny" : "") }
        : { radius: 6, color: deny ? "#b3261e" : "#fff", weight: deny ? 2.5 : 1.2, fillColor: colour, fillOpacity: 0.9,
          className: "rasd-marker type-" + p.type + (deny ? " deny" : "") });
      m.bindTooltip(tooltip(p));
      m.on("click", () => selectEvent(p.id));
      m.addTo(pointsLayer);
      layersById.set(p.id, m);
      markers++;
      continue;
    }
    clusters++;
    const byType = {};
    let lat = 0;
    let lon = 0;
    for (const f of group) {
      byType[f.properties.type] = (byType[f.properties.type] || 0) + 1;
      lon += f.geometry.coordinates[0];
      lat += f.geometry.coordinates[1];
    }
    const top = Object.entries(byType).sort((a, b) => b[1] - a[1])[0][0];
    const n = group.length;
    const size = Math.round(22 + Math.min(18, Math.log2(n) * 3));
    const same = group.every((f) => f.geometry.coordinates.join() === group[0].geometry.coordinates.join());
    const where = same ? [group[0].geometry.coordinates[1], group[0].geometry.coordinates[0]] : [lat / n, lon / n];
    const icon = L.divIcon({
      className: "rasd-cluster", iconSize: [size, size],
      html: el("div", { style: { background: typeColour(top), width: size + "px", height: size + "px" } }, String(n)),
    });
    const m = L.marker(where, { icon, title: `${n} أحداث`, keyboard: true });
    m.on("add", () => { m.getElement().dataset.count = String(n); });
    m.on("click", () => {
      if (same || map.getZoom() >= map.getMaxZoom() - 0.5) {
        L.popup({ maxWidth: 320 }).setLatLng(where).setContent(popupList(group)).openOn(map);
      } else {
        map.flyToBounds(L.latLngBounds(group.map((f) => [f.geometry.coordinates[1], f.geometry.coordinates[0]])),
          { padding: [50, 50], maxZoom: map.getMaxZoom(), duration: 0.5 });
      }
    });
    m.addTo(pointsLayer);
    for (const f of group) layersById.set(f.properties.id, m);
  }
  $("#map").dataset.markers = String(markers);
  $("#map").dataset.clusters = String(clusters);
  markSelected();
}

function featureOf(id) {
  return features.find((f) => f.properties.id === id) || null;
}

/* A ring (two for a movement) around the selected event, above the clusters. */
function markSelected() {
  selLayer.clearLayers();
  for (const [, layer] of layersById) if (layer.rasdLine) layer.setStyle({ weight: 2.5 });
  const f = state.selected && featureOf(state.selected);
  if (!f) return;
  const cs = f.geometry.type === "Point" ? [f.geometry.coordinates] : f.geometry.coordinates;
  const colour = typeColour(f.properties.type);
  if (f.geometry.type === "LineString") {
    const line = layersById.get(f.properties.id);
    if (line) { line.setStyle({ weight: 5 }); line.bringToFront(); }
  }
  for (const [x, y] of cs) {
    L.circleMarker([y, x], { pane: "selected", radius: 15, color: "#fff", weight: 7, fill: false, interactive: false,
      className: "rasd-selected-halo" }).addTo(selLayer);
    L.circleMarker([y, x], { pane: "selected", radius: 15, color: "#111", weight: 3, fillColor: colour, fillOpacity: 0.15,
      className: "rasd-selected", interactive: false }).addTo(selLayer);
  }
}

/* Bring the selected event into view: the map first takes its new size (the panel beside or
 * below it), then flies to the point, or to the whole arrow. */
function focusSelected() {
  map.invalidateSize({ pan: false });
  const f = state.selected && featureOf(state.selected);
  if (!f) return;
  if (f.geometry.type === "Point") {
    const [x, y] = f.geometry.coordinates;
    map.flyTo([y, x], Math.max(map.getZoom(), 7), { duration: 0.6 });
  } else {
    const b = L.latLngBounds(f.geometry.coordinates.map(([x, y]) => [y, x]));
    map.flyToBounds(b, { padding: [40, 40], maxZoom: 8, duration: 0.6 });
  }
}

function legend() {
  const ctl = L.control({ position: "topright" });
  ctl.onAdd = () => {
    const box = el("div", { class: "map-legend", dir: "rtl" });
    const body = el("div", { class: "legend-body", hidden: true });
    const button = el("button", { type: "button", class: "legend-toggle", "aria-expanded": "false" }, "مفتاح الخريطة");
    button.addEventListener("click", () => {
      body.hidden = !body.hidden;
      button.setAttribute("aria-expanded", String(!body.hidden));
    });
    for (const t of ALL_TYPES) {
      body.append(el("div", {}, el("span", { class: "swatch", style: { background: typeColour(t) } }), typeLabel(t)));
    }
    body.append(el("div", { class: "wide" }, el("span", { class: "swatch coarse-swatch" }),
      "دائرة مجوفة متقطعة: بلد أو منطقة، لا مكان محدد"));
    body.append(el("div", { class: "wide" }, "السهم: تحرك من مكان إلى آخر؛ بلا رأس: نحو بلد أو منطقة"));
    body.append(el("div", { class: "wide" }, "خط متقطع: رواية منفية · رقم: أحداث متقاربة (انقر للتكبير)"));
    box.append(button, body);
    L.DomEvent.disableClickPropagation(box);
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
    dataset: { id: e.id, type: e.type, stance: e.stance || "assert", date: e.date || "", actor: e.actor || "",
      actor2: e.actor2 || "" },
    onclick: () => selectEvent(e.id),
    onkeydown: (ev) => { if (ev.key === "Enter") selectEvent(e.id); },
  },
  el("div", { class: "event-head" },
    el("span", { class: "swatch", style: { background: typeColour(e.type) } }),
    el("span", { class: "etype" }, typeLabel(e.type), e.sub_type ? " · " + subLabel(e.sub_type) : ""),
    e.stance === "deny" ? el("span", { class: "badge-deny" }, "نفي") : null,
    el("span", { class: "date" }, e.date || "بلا تاريخ")),
  el("div", { class: "event-where" }, placesLine(e), e.actor ? " · " + actorLabel(e.actor) : ""),
  el("div", { class: "event-evidence" }, e.evidence.text),
  el("div", { class: "event-sources" }, sourcesBadges(e)));
}

async function loadEvents(reset) {
  if (reset) state.offset = 0;
  const list = $("#event-list");
  const seq = refreshSeq;
  const page = await api("/api/events", { ...filterParams(), sort: state.sort, limit: PAGE, offset: state.offset });
  if (seq !== refreshSeq) return;              // a newer filter has been asked for meanwhile
  if (reset) list.replaceChildren();
  for (const e of page.items) list.append(eventItem(e));
  if (!page.total) list.append(el("li", { class: "empty" }, "لا أحداث بهذه المعايير"));
  state.total = page.total;
  state.offset += page.items.length;
  $("#events-total").textContent = `(${page.total})`;
  $("#phone-total").textContent = `(${page.total})`;
  $("#more").hidden = state.offset >= page.total;
  list.dataset.total = String(page.total);
  list.dataset.seq = String(Number(list.dataset.seq) + 1);
}

// ------------------------------------------------------------------ filters with counts

function fillSelect(sel, entries, current, label) {
  const s = $(sel);
  const opts = [el("option", { value: "" }, "الكل")];
  let seen = false;
  for (const [v, n] of entries) {
    if (v === current) seen = true;
    opts.push(el("option", { value: v }, `${label(v)} (${n})`));
  }
  if (current && !seen) opts.push(el("option", { value: current }, `${label(current)} (0)`));
  s.replaceChildren(...opts);
  s.value = current;
}

async function loadFacets() {
  const seq = refreshSeq;
  const f = await api("/api/facets", filterParams());
  if (seq !== refreshSeq) return;
  for (const lab of document.querySelectorAll("#type-filter label")) {
    lab.querySelector(".count").textContent = `(${f.types[lab.dataset.type] || 0})`;
  }
  fillSelect("#f-sub_type", Object.entries(f.sub_types), state.subType, subLabel);
  fillSelect("#f-actor", Object.entries(f.actors), state.actor, actorLabel);
  const ar = f.admin1_ar || {};
  Object.assign(ADMIN1_AR, ar);
  fillSelect("#f-admin1", Object.entries(f.admin1 || {}), state.admin1, (v) => (ar[v] ? `${ar[v]} · ${v}` : v));
  fillSelect("#f-source", f.sources, state.source, (v) => v);
  $("#deny-count").textContent = `(${f.stances.deny || 0})`;
  summary(f);
  const box = $("#summary");
  box.dataset.total = String(f.total);
}

function summary(f) {
  const box = $("#summary");
  const bar = el("div", { class: "type-bar", title: "الأحداث حسب النوع" });
  const byType = Object.entries(f.types).filter(([t]) => state.types.has(t));
  const sum = byType.reduce((a, [, n]) => a + n, 0) || 1;
  for (const [t, n] of byType) {
    bar.append(el("span", { style: { background: typeColour(t), width: (100 * n) / sum + "%" }, title: `${typeLabel(t)}: ${n}` }));
  }
  setChildren(box,
    el("div", { class: "figures" },
      el("span", {}, el("b", { id: "sum-total" }, String(f.total)), " حدثاً"),
      el("span", {}, el("b", {}, String(f.located)), " على الخريطة",
        f.located > MAP_LIMIT ? ` (تُرسم أحدث ${MAP_LIMIT})` : ""),
      el("span", { title: "مجموع أعداد القتلى المذكورة في الأخبار" }, "قتلى مذكورون: ",
        el("b", { id: "sum-fatalities" }, String(f.fatalities)))),
    bar);
}

function exportLinks() {
  const q = query({ ...filterParams(), sort: state.sort });
  $("#export-csv").href = "/api/events.csv" + (q ? "?" + q : "");
  $("#export-geojson").href = "/api/events.geojson" + (q ? "?" + q : "");
}

// ------------------------------------------------------------------ timeline

let timelineSeq = 0;
const BIN_WIDTH = { day: 10, month: 7, year: 4 };
const THUMB = 16;        // the handles' width: bars run from half a handle in to half a handle short

function nextBin(d, interval) {
  if (interval === "year") return String(Number(d) + 1);
  if (interval === "month") {
    const [y, m] = d.split("-").map(Number);
    return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
  }
  const t = new Date(d + "T00:00:00Z");
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

/* Every bin from the first to the last, empty ones too: the axis is linear in time. */
function fillBins(bins, interval) {
  const w = BIN_WIDTH[interval];
  const ok = bins.filter((b) => b.date && b.date.length === w);
  if (!ok.length) return [];
  const have = new Map(ok.map((b) => [b.date, b]));
  const out = [];
  const last = ok[ok.length - 1].date;
  for (let d = ok[0].date; d <= last && out.length < 20000; d = nextBin(d, interval)) {
    out.push(have.get(d) || { date: d, count: 0, types: {} });
  }
  return out;
}

async function loadTimeline() {
  const seq = ++timelineSeq;
  const t = await api("/api/timeline", filterParams(false));
  if (seq !== timelineSeq) return;
  state.interval = t.interval;
  state.bins = fillBins(t.bins, t.interval);
  $("#undated-count").textContent = `(${t.undated})`;
  drawHistogram();
}

/* [i, j): the bins inside the date range (edges between bins, 0..n). */
function rangeEdges() {
  const bins = state.bins;
  const n = bins.length;
  let i = 0;
  let j = n;
  if (state.from) {
    i = bins.findIndex((b) => b.date.slice(0, state.from.length) >= state.from.slice(0, b.date.length));
    if (i < 0) i = n;
  }
  if (state.to) {
    let k = n - 1;
    while (k >= 0 && bins[k].date.slice(0, state.to.length) > state.to.slice(0, bins[k].date.length)) k--;
    j = k + 1;
  }
  return [Math.min(i, n), Math.max(j, Math.min(i, n))];
}

let drag = null;          // [i, j] while a handle moves

function plotGeometry() {
  const W = $("#tl-plot").clientWidth;
  const n = Math.max(state.bins.length, 1);
  const step = (W - THUMB) / n;
  return { W, n, step, x: (v) => THUMB / 2 + v * step };
}

function drawHistogram() {
  const NS = "http://www.w3.org/2000/svg";
  const svg = $("#histogram");
  svg.replaceChildren();
  const bins = state.bins;
  const { W, n, step, x } = plotGeometry();
  const H = svg.clientHeight || 48;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const [i0, j0] = drag || rangeEdges();
  const max = Math.max(1, ...bins.map((b) => b.count));
  const gap = step > 4 ? step * 0.15 : 0;
  bins.forEach((b, k) => {
    const g = document.createElementNS(NS, "g");
    g.setAttribute("class", "bin" + (k >= i0 && k < j0 ? " in" : ""));
    g.dataset.date = b.date;
    g.dataset.count = String(b.count);
    let y = H;
    const types = ALL_TYPES.filter((t) => b.types[t]);
    for (const t of types) {
      const h = (b.types[t] / max) * (H - 2);
      const r = document.createElementNS(NS, "rect");
      r.setAttribute("x", String(x(k) + gap / 2));
      r.setAttribute("width", String(Math.max(step - gap, 0.8)));
      r.setAttribute("y", String(y - h));
      r.setAttribute("height", String(h));
      r.setAttribute("fill", typeColour(t));
      g.append(r);
      y -= h;
    }
    const hit = document.createElementNS(NS, "rect");          // the whole slot: a title, a click target
    hit.setAttribute("x", String(x(k)));
    hit.setAttribute("width", String(step));
    hit.setAttribute("y", "0");
    hit.setAttribute("height", String(H));
    hit.setAttribute("class", "slot");
    const title = document.createElementNS(NS, "title");
    title.textContent = `${b.date}: ${b.count}`;
    hit.append(title);
    hit.addEventListener("click", () => setRange(k, k + 1));
    g.append(hit);
    svg.append(g);
  });
  const hf = $("#h-from");
  const ht = $("#h-to");
  hf.style.left = x(i0) - THUMB / 2 + "px";
  ht.style.left = x(j0) - THUMB / 2 + "px";
  hf.hidden = ht.hidden = !bins.length;
  for (const [h, v] of [[hf, i0], [ht, j0]]) {
    h.setAttribute("aria-valuemin", "0");
    h.setAttribute("aria-valuemax", String(n));
    h.setAttribute("aria-valuenow", String(v));
    h.dataset.edge = String(v);
  }
  hf.setAttribute("aria-valuetext", bins[i0] ? bins[i0].date : "");
  ht.setAttribute("aria-valuetext", bins[j0 - 1] ? bins[j0 - 1].date : "");
  $("#t-range").textContent = !bins.length ? "لا أحداث مؤرخة" : j0 > i0 ? `${bins[i0].date} – ${bins[j0 - 1].date}` : "—";
  drawAxis();
}

function drawAxis() {
  const axis = $("#tl-axis");
  axis.replaceChildren();
  const bins = state.bins;
  const { W, x } = plotGeometry();
  if (!bins.length) return;
  // ticks at years (months and years), or at months (days)
  const ticks = [];
  bins.forEach((b, k) => {
    if (state.interval === "year") ticks.push([k, b.date]);
    else if (state.interval === "month" && (b.date.endsWith("-01") || k === 0)) ticks.push([k, b.date.slice(0, 4)]);
    else if (state.interval === "day" && (b.date.endsWith("-01") || k === 0)) ticks.push([k, b.date.slice(0, 7)]);
  });
  const every = Math.max(1, Math.ceil((ticks.length * 44) / Math.max(W, 1)));
  ticks.forEach(([k, label], m) => {
    if (m % every) return;
    axis.append(el("span", { style: { left: x(k) + "px" } }, label));
  });
}

function setRange(i, j) {
  const bins = state.bins;
  const n = bins.length;
  state.from = i > 0 ? bins[i].date : null;
  state.to = j < n ? bins[j - 1].date : null;
  drag = null;
  drawHistogram();
  refreshEvents();
}

function wireHandles() {
  const plot = $("#tl-plot");
  for (const [id, which] of [["#h-from", 0], ["#h-to", 1]]) {
    const h = $(id);
    h.addEventListener("pointerdown", (ev) => {
      ev.preventDefault();
      h.setPointerCapture(ev.pointerId);
      drag = rangeEdges();
    });
    h.addEventListener("pointermove", (ev) => {
      if (!drag || !h.hasPointerCapture(ev.pointerId)) return;
      const { n, step } = plotGeometry();
      const v = Math.round((ev.clientX - plot.getBoundingClientRect().left - THUMB / 2) / step);
      if (which === 0) drag[0] = Math.max(0, Math.min(v, drag[1] - 1));
      else drag[1] = Math.min(n, Math.max(v, drag[0] + 1));
      drawHistogram();
    });
    h.addEventListener("pointerup", (ev) => {
      if (!drag) return;
      h.releasePointerCapture(ev.pointerId);
      setRange(...drag);
    });
    h.addEventListener("keydown", (ev) => {
      const d = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1 }[ev.key];
      if (!d) return;
      ev.preventDefault();
      const [i, j] = rangeEdges();
      const n = state.bins.length;
      if (which === 0) setRange(Math.max(0, Math.min(i + d, j - 1)), j);
      else setRange(i, Math.min(n, Math.max(j + d, i + 1)));
    });
  }
  new ResizeObserver(() => drawHistogram()).observe(plot);
}

// ------------------------------------------------------------------ detail: an event

function factsList(e) {
  const dl = el("dl", { class: "facts" });
  const add = (k, v) => { if (v !== null && v !== undefined && v !== "") dl.append(el("dt", {}, k), el("dd", {}, v)); };
  add("التاريخ", e.date ? `${e.date} (${PRECISIONS[e.date_precision] || e.date_precision})` : "غير مذكور");
  for (const p of e.places || []) {
    // the place, and its governorate when the gazetteer knows it: «القائم — الأنبار» (its
    // Arabic name from data/admin1.tsv, as /api/facets gives it; else the name exported)
    add(ROLES[p.role] || p.role, el("span", { class: "place" }, p.name,
      p.lat === null || p.lat === undefined ? " (بلا إحداثيات)" : null,
      // its district where imported OCHA names give it (gazetteer.admin2)
      p.admin2 ? el("span", { class: "admin2", dataset: { admin2: p.admin2 } }, " — ",
        p.admin2_ar ? el("bdi", {}, p.admin2_ar) : el("bdi", { dir: "ltr" }, p.admin2)) : null,
      p.admin1 ? el("span", { class: "admin1", dataset: { admin1: p.admin1 } }, " — ",
        ADMIN1_AR[p.admin1] ? el("bdi", {}, ADMIN1_AR[p.admin1]) : el("bdi", { dir: "ltr" }, p.admin1)) : null));
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

/* A claim group's corroboration (the API's `corroboration`): independent sources that assert
 * and deny it, a party to it among them, and the range of the numbers told. */
function corroborationFacts(cor) {
  if (!cor) return null;
  const dl = el("dl", { class: "facts corroboration",
    dataset: { asserting: cor.asserting_sources, denying: cor.denying_sources } });
  const add = (cls, k, v) => { if (v !== null && v !== undefined) dl.append(el("dt", {}, k), el("dd", { class: cls }, v)); };
  add("asserting", "مصادر مستقلة تؤكد", String(cor.asserting_sources));
  add("denying", "مصادر تنفي", String(cor.denying_sources));
  add("count-range", "العدد المذكور", rangeText(cor.count_range));
  add("fatalities-range", "القتلى", rangeText(cor.fatalities_range));
  if (cor.party_among_sources) {
    const names = [...new Set((cor.party_sources || []).map((p) => p.name))];
    add("party", "طرف في الحدث بين المصادر", names.join("، ") || "نعم");
  }
  return dl;
}

function claimsSection(claims, currentId) {
  const sec = el("section", { id: "claims" });
  const n = claims ? claims.total : 1;
  sec.append(el("h3", {}, `روايات الحدث نفسه (${n})`));
  if (claims) sec.append(corroborationFacts(claims.corroboration));
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

/* «هذه القصة في منفذين: …» and the button that opens the story (the API's `story`). */
function storyLine(story, eventId) {
  if (!story) return null;
  return el("p", { id: "story-line", class: "story-line", dataset: { story: story.id, outlets: story.n_outlets } },
    "هذه القصة في ", el("strong", {}, outletsPhrase(story.n_outlets)), ": ",
    story.outlets.flatMap((o, k) => [k ? "، " : "", el("bdi", { class: "outlet" }, outletName(o))]),
    story.n_articles > 1 ? ` (${story.n_articles} مقالات)` : "", " ",
    el("button", { type: "button", id: "open-story", class: "small-button", onclick: () => openStory(story.id, eventId).catch(() => {}) },
      "افتح القصة"));
}

/* One claim of a story: its stance, its source (or the outlet itself), its numbers, its
 * evidence and its article; it opens the claim as an event. */
function storyClaim(c, currentId) {
  const stance = c.stance || "assert";
  const sources = c.sources || [];
  return el("div", {
    class: "claim story-claim" + (c.id === currentId ? " current" : ""), tabindex: 0,
    dataset: { id: c.id, stance }, onclick: () => selectEvent(c.id),
    onkeydown: (ev) => { if (ev.key === "Enter") selectEvent(c.id); },
  },
  el("div", { class: "claim-head" }, el("span", { class: "src stance " + stance }, STANCE_NOUN[stance] || stance), " ",
    el("span", { class: "source" }, sources.length ? sources.map((s) => s.name).join("، ") : "الوسيلة نفسها، دون نسبة إلى مصدر")),
  c.count || (c.fatalities !== null && c.fatalities !== undefined) ? el("div", { class: "numbers" },
    c.count ? el("span", { class: "count" }, "العدد: ", c.count.text) : null,
    c.count && c.fatalities !== null && c.fatalities !== undefined ? " · " : "",
    c.fatalities !== null && c.fatalities !== undefined ? el("span", { class: "fatalities" }, `القتلى: ${c.fatalities}`) : null) : null,
  el("div", { class: "evidence-text" }, c.evidence || ""),
  el("div", { class: "where" }, c.article_title || el("bdi", {}, c.article),
    c.published ? [" · ", el("bdi", { dir: "ltr" }, c.published.slice(0, 10))] : "",
    c.date ? [" · الحدث: ", el("bdi", { dir: "ltr" }, c.date)] : ""));
}

/* A claim group of a story: its corroboration, then its claims side by side, one column per outlet. */
function storyGroup(g, currentId) {
  const byOutlet = new Map();
  for (const c of g.claims) {
    if (!byOutlet.has(c.outlet)) byOutlet.set(c.outlet, []);
    byOutlet.get(c.outlet).push(c);
  }
  const first = g.claims[0] || {};
  return el("section", { class: "story-group", dataset: { group: g.claim_group } },
    el("h3", {}, el("span", { class: "swatch", style: { background: typeColour(g.type) } }), " ", typeLabel(g.type),
      first.sub_type ? " · " + subLabel(first.sub_type) : "", ` (${g.claims.length} روايات)`),
    corroborationFacts(g.corroboration),
    el("div", { class: "outlet-columns" }, [...byOutlet].map(([outlet, claims]) =>
      el("div", { class: "outlet-col", dataset: { outlet } }, el("h4", {}, el("bdi", {}, outletName(outlet))),
        claims.map((c) => storyClaim(c, currentId))))));
}

/* A story: every claim of every outlet about the happening, per claim group (the group of
 * the event it was opened from first). */
async function openStory(id, fromEvent) {
  state.story = id;
  state.selected = fromEvent || null;
  state.article = null;
  markSelected();
  writeHash();
  const s = await api("/api/stories/" + encodeURIComponent(id));
  if (state.story !== id) return;
  const mine = (g) => g.claims.some((c) => c.id === fromEvent);
  const groups = [...s.groups].sort((a, b) => mine(b) - mine(a) || b.claims.length - a.claims.length);
  const reports = [s.first_report, s.last_report].filter(Boolean).map((d) => d.slice(0, 10));
  setChildren($("#detail-body"),
    fromEvent ? el("button", { type: "button", id: "story-back", class: "linkish", onclick: () => selectEvent(fromEvent) },
      "العودة إلى الحدث") : null,
    el("h2", {}, "القصة: ", s.title || "(بلا عنوان)"),
    el("p", { class: "article-meta story-meta" }, "في ", outletsPhrase(s.n_outlets), ": ",
      s.outlets.flatMap((o, k) => [k ? "، " : "", el("bdi", { class: "outlet" }, outletName(o))]),
      ` · ${s.n_articles} مقالات`, reports.length ? [" · ", el("bdi", { dir: "ltr" }, [...new Set(reports)].join(" – "))] : ""),
    groups.map((g) => storyGroup(g, fromEvent)));
  const detail = $("#detail");
  detail.hidden = false;
  detail.dataset.event = "";
  detail.dataset.article = "";
  detail.dataset.story = id;
  openDrawer("detail");
  detail.scrollTop = 0;
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
  const web = article.url && /^https?:\/\//i.test(article.url);
  const outlet = web ? outletOf(article.url) : null;
  sec.append(el("div", { class: "article-meta" },
    outlet ? el("span", { class: "outlet" }, outlet) : el("bdi", {}, article.doc),
    article.published ? " · " + article.published : "", article.author ? " · " + article.author : ""));
  if (web) {
    sec.append(el("div", { class: "article-link" }, "الأصل: ",
      el("a", { href: article.url, target: "_blank", rel: "noopener noreferrer", dir: "ltr" }, readableUrl(article.url))));
  }
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
  state.article = null;
  state.story = null;
  writeHash();
  for (const li of document.querySelectorAll("#event-list li.event")) {
    li.classList.toggle("selected", li.dataset.id === id);
  }
  markSelected();
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
    storyLine(d.story, e.id),
    el("h3", {}, "المصادر"),
    el("ul", { class: "sources-list" }, (e.sources || []).length
      ? e.sources.map((s) => el("li", { class: "source-item", dataset: { stance: s.stance } },
        el("span", { class: "src " + s.stance }, STANCE[s.stance] || s.stance), " ", s.name,
        s.role ? el("span", { class: "article-meta" }, ` (${SPEAKER_ROLES[s.role] || s.role})`) : null))
      : el("li", {}, "الوسيلة الإعلامية نفسها، دون نسبة إلى مصدر")),
    claimsSection(claims, e.id),
    d.article ? articleSection(d.article, d.highlights) : el("p", {}, "المقال غير موجود"));
  const detail = $("#detail");
  detail.hidden = false;
  detail.dataset.event = id;
  detail.dataset.article = d.article ? d.article.id : "";
  detail.dataset.story = "";
  openDrawer("detail");
  focusSelected();
  const ev = detail.querySelector("mark.evidence");
  if (ev && WIDE.matches) ev.scrollIntoView({ block: "center" });       // on a phone the facts come first
  else detail.scrollTop = 0;
}

// ------------------------------------------------------------------ search

function showTab(name) {
  for (const b of document.querySelectorAll(".tabs button")) b.classList.toggle("active", b.dataset.tab === name);
  $("#events-pane").hidden = name !== "events";
  $("#results-pane").hidden = name !== "results";
}

async function search(q) {
  state.q = q;
  syncControls();
  refreshAll();
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
    el("ul", {}, items.map((a) => el("li", { class: "linkish", onclick: () => openArticle(a.id, state.q) },
      a.title || el("bdi", {}, a.id), " — ", el("bdi", {}, a.doc)))));
}

async function openArticle(id, q) {
  state.selected = null;
  state.article = id;
  state.story = null;
  markSelected();
  writeHash();
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
  detail.dataset.story = "";
  openDrawer("detail");
  map.invalidateSize({ pan: false });
  const hit = detail.querySelector("mark.hit");
  if (hit) hit.scrollIntoView({ block: "center" });
}

// ------------------------------------------------------------------ drawers (phone)

/* Below 800 px the list (with the filters) and the event panel are drawers under the map,
 * one at a time; on a wide screen both stand beside it and this only records the choice. */
function openDrawer(name) {
  document.body.dataset.drawer = name || "";
  $("#toggle-side").setAttribute("aria-expanded", String(name === "side"));
  map.invalidateSize({ pan: false });
}

// ------------------------------------------------------------------ wiring

async function typeFilter() {
  const box = $("#type-filter");
  for (const t of ALL_TYPES) {
    const cb = el("input", { type: "checkbox", value: t, checked: state.types.has(t) });
    cb.addEventListener("change", () => {
      if (!cb.checked && state.types.size === 1) {          // no type at all would be no filter the API knows
        cb.checked = true;
        setStatus("اترك نوعاً واحداً على الأقل");
        return;
      }
      if (cb.checked) state.types.add(t); else state.types.delete(t);
      refreshAll();
    });
    box.append(el("label", { dataset: { type: t } }, cb,
      el("span", { class: "swatch", style: { background: typeColour(t) } }), typeLabel(t),
      el("span", { class: "count" }, "")));
  }
}

function refreshEvents() {
  refreshSeq++;
  exportLinks();
  writeHash();
  loadEvents(true).catch(() => {});
  loadMap().catch(() => {});
  loadFacets().catch(() => {});
}

async function refreshAll() {
  const timeline = loadTimeline().catch(() => {});          // (the list and the map need not wait for it)
  refreshEvents();
  await timeline;
}

function openFromHash(sel) {
  if (sel.story) openStory(sel.story, sel.event).catch(() => {});
  else if (sel.event) selectEvent(sel.event).catch(() => {});
  else if (sel.article) openArticle(sel.article).catch(() => {});
}

function onHashChange() {
  const before = query(filterParams());
  const sel = readHash();
  syncControls();
  if (viewFromHash) setViewNow(viewFromHash);
  if (query(filterParams()) !== before) refreshAll();
  openFromHash(sel);
}

function wire() {
  $("#search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = $("#search-input").value.trim();
    if (q) search(q).catch(() => {});
  });
  $("#clear-query").addEventListener("click", () => {
    state.q = "";
    $("#search-input").value = "";
    syncControls();
    showTab("events");
    refreshAll();
  });
  for (const b of document.querySelectorAll(".tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));
  $("#sort").addEventListener("change", (ev) => {
    state.sort = ev.target.value;
    exportLinks();
    writeHash();
    loadEvents(true).catch(() => {});
  });
  for (const [sel, key] of [["#f-sub_type", "subType"], ["#f-actor", "actor"], ["#f-admin1", "admin1"], ["#f-source", "source"]]) {
    $(sel).addEventListener("change", (ev) => { state[key] = ev.target.value; refreshAll(); });
  }
  $("#deny-only").addEventListener("change", (ev) => { state.denyOnly = ev.target.checked; refreshAll(); });
  $("#min-confidence").addEventListener("input", (ev) => {
    $("#min-confidence-value").textContent = ev.target.value + "٪";
  });
  $("#min-confidence").addEventListener("change", (ev) => {
    state.minConfidence = Number(ev.target.value) / 100;
    $("#min-confidence-value").textContent = ev.target.value + "٪";
    refreshAll();
  });
  $("#more").addEventListener("click", () => loadEvents(false).catch(() => {}));
  $("#undated").addEventListener("change", (ev) => { state.undated = ev.target.checked; refreshEvents(); });
  $("#t-reset").addEventListener("click", () => {
    state.from = state.to = null;
    state.undated = true;
    $("#undated").checked = true;
    drawHistogram();
    refreshEvents();
  });
  $("#reset").addEventListener("click", () => {
    Object.assign(state, DEFAULTS);
    state.types = new Set(ALL_TYPES);
    $("#search-input").value = "";
    syncControls();
    refreshAll();
  });
  $("#permalink").addEventListener("click", (ev) => {
    ev.preventDefault();
    writeHash();
    const done = () => setStatus("نُسخ الرابط الدائم");
    if (navigator.clipboard) navigator.clipboard.writeText(location.href).then(done, () => {});
  });
  $("#detail-close").addEventListener("click", () => {
    $("#detail").hidden = true;
    state.selected = null;
    state.article = null;
    state.story = null;
    markSelected();
    openDrawer(null);
    writeHash();
  });
  $("#toggle-side").addEventListener("click", () => {
    const open = document.body.dataset.drawer === "side";
    openDrawer(open ? (!$("#detail").hidden ? "detail" : null) : "side");
  });
  map.on("zoomend", () => { drawPoints(); drawLines(); markSelected(); });
  map.on("moveend", () => {
    drawCities();
    writeHash();
  });
  new ResizeObserver(() => map.invalidateSize({ pan: false })).observe($("#map"));
  window.addEventListener("hashchange", onHashChange);
  wireHandles();
}

// new events stored while the page is open (`rasd watch`, another `rasd process`): the page
// asks /api/changes every POLL seconds (?poll=N in the address sets it) and reloads its views
const POLL = Math.max(1, Number(new URLSearchParams(location.search).get("poll")) || 30);
let seen = null;

async function poll() {
  try {
    const r = await fetch(new URL("/api/changes", location.origin));   // (quietly: no status line)
    const c = await r.json();
    const token = c.events + ":" + c.last;
    if (seen !== null && token !== seen) {
      await refreshAll();
      setStatus("وصلت أحداث جديدة");
    }
    seen = token;
  } catch (e) { /* the next poll tries again */ }
  setTimeout(poll, POLL * 1000);
}

async function start() {
  const sel = readHash();
  await typeFilter();
  syncControls();
  wire();
  legend();
  loadBasemap().catch((e) => setStatus("تعذّر تحميل الخريطة الأساسية: " + e.message, true));
  loadCities().catch(() => {});
  if (viewFromHash) { setViewNow(viewFromHash); fitted = true; }
  await refreshAll();
  openFromHash(sel);
  poll();
}

start();
