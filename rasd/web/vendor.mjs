// Copies the front-end libraries the map page uses from node_modules into rasd/web/vendor,
// with their licences. Run from the repository root: `npm ci && npm run vendor`.
// The page loads only these files: no CDN, no tile server.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const NM = "node_modules";
const OUT = "rasd/web/vendor";
const files = {
  "leaflet/leaflet.js": "leaflet/dist/leaflet.js",
  "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
  "leaflet/images/layers.png": "leaflet/dist/images/layers.png",
  "leaflet/images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
  "leaflet/images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
  "leaflet/images/marker-icon-2x.png": "leaflet/dist/images/marker-icon-2x.png",
  "leaflet/images/marker-shadow.png": "leaflet/dist/images/marker-shadow.png",
  "leaflet/LICENSE": "leaflet/LICENSE",
  "topojson-client/topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
  "topojson-client/LICENSE": "topojson-client/LICENSE",
  "world-atlas/countries-50m.json": "world-atlas/countries-50m.json",
  "world-atlas/LICENSE": "world-atlas/LICENSE",
  "noto-naskh-arabic/LICENSE": "@fontsource/noto-naskh-arabic/LICENSE",
  // the API's /docs page (FastAPI's Swagger UI would otherwise load it from a CDN)
  "swagger-ui/swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
  "swagger-ui/swagger-ui-bundle.js.LICENSE.txt": "swagger-ui-dist/swagger-ui-bundle.js.LICENSE.txt",
  "swagger-ui/swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
  "swagger-ui/favicon-32x32.png": "swagger-ui-dist/favicon-32x32.png",
  "swagger-ui/LICENSE": "swagger-ui-dist/LICENSE",
  "swagger-ui/NOTICE": "swagger-ui-dist/NOTICE",
};
for (const w of [400, 700]) {
  for (const subset of ["arabic", "latin"]) {
    const f = `noto-naskh-arabic-${subset}-${w}-normal.woff2`;
    files[`noto-naskh-arabic/${f}`] = `@fontsource/noto-naskh-arabic/files/${f}`;
  }
}
const versions = {};
for (const [to, from] of Object.entries(files)) {
  mkdirSync(dirname(join(OUT, to)), { recursive: true });
  copyFileSync(join(NM, from), join(OUT, to));
  const pkg = from.startsWith("@") ? from.split("/").slice(0, 2).join("/") : from.split("/")[0];
  versions[pkg] = JSON.parse(readFileSync(join(NM, pkg, "package.json"), "utf8")).version;
}
const lines = Object.entries(versions).map(([p, v]) => `- ${p} ${v}`);
writeFileSync(join(OUT, "VERSIONS.md"),
  "# Vendored front-end files\n\nCopied from npm by `npm run vendor` (rasd/web/vendor.mjs); each folder keeps its licence.\n" +
  "The country outlines (world-atlas) are derived from Natural Earth, which is in the public domain.\n\n" +
  lines.join("\n") + "\n" + readFileSync("rasd/web/vendor/geonames-cities/VERSIONS-extra.md", "utf8"));
console.log(`vendored ${Object.keys(files).length} files into ${OUT}`);
