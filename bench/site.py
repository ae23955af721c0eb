"""Static-site benchmark: size of `python -m etl publish DIR` and its render time in headless
Chromium, opened from disk with every request outside DIR refused.

    python bench/site.py [--db FILE] [--scale 1.0] [--runs 5]

Database as bench/pages.py finds it (--db, else the configured demo database, else a demo built
into bench/output/). Publishes into bench/output/site/, then for a phone (390 x 844) and a
desktop (1600 x 1000) viewport opens index.html `--runs` times after one warm-up, each time in a
new browser context (nothing cached), timing navigation start -> Leaflet drew every kecamatan
polygon; and the time of a drill into the largest kecamatan's desa (click -> polygons drawn).
Prints a table; writes bench/output/site.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "e2e"))

import harness  # noqa: E402
from pages import OUT, demo_database  # noqa: E402

VIEWPORTS = {"telepon 390x844": (390, 844), "desktop 1600x1000": (1600, 1000)}


def sizes(root: Path) -> dict:
    files = [p for p in root.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    # What a web server with gzip sends for the first view (HTML, CSS, JS, map data).
    first_view = ["index.html", "assets/site.css", "assets/site.js", "data/peta.js"]
    first_view += [str(p.relative_to(root)) for p in root.glob("vendor/*/dist/leaflet.*")]
    raw = sum((root / f).stat().st_size for f in first_view)
    gz = sum(len(gzip.compress((root / f).read_bytes())) for f in first_view)
    return {"files": len(files), "total_bytes": total, "first_view_bytes": raw,
            "first_view_gzip_bytes": gz,
            "by_folder": {d: sum(p.stat().st_size for p in files
                                 if p.relative_to(root).parts[0] == d)
                          for d in sorted({p.relative_to(root).parts[0] for p in files})}}


def render(b, root: Path, viewport: tuple[int, int], n_kecamatan: int) -> tuple[float, float]:
    context = harness.folder_context(b, root, *viewport)
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto((root / "index.html").as_uri())
        page.wait_for_function(
            f"document.querySelectorAll('path.leaflet-interactive').length >= {n_kecamatan}")
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        page.locator("path.leaflet-interactive").first.dispatch_event("click")
        page.wait_for_selector('#peta[data-level="desa"]')
        drilled = time.perf_counter() - start
        outside = context.outside + harness.folder_outside(page, root)
        if outside:
            raise SystemExit(f"the site asked for files outside its folder: {outside[:5]}")
        return loaded, drilled
    finally:
        context.close()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", help="database file (default: demo database)")
    p.add_argument("--scale", type=float, default=1.0, help="demo scale when building one")
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    db_path = demo_database(args).resolve()

    from dashboard.publish import publish
    from etl import db

    root = OUT / "site"
    con = db.connect_readonly(db_path)
    try:
        start = time.perf_counter()
        site = publish(con, root)
        publish_s = time.perf_counter() - start
    finally:
        con.close()
    data = json.loads((root / "data" / "peta.js").read_text()
                      .removeprefix("window.CAKUPAN_PETA = ").rstrip().rstrip(";"))
    n_kec = len(data["kecamatan"]["features"])
    result = {"database": str(db_path), "runs": args.runs, "load_average": os.getloadavg(),
              "publish_seconds": round(publish_s, 2), "size": sizes(root), "render": {}}
    with harness.browser() as b:
        for name, viewport in VIEWPORTS.items():
            render(b, root, viewport, n_kec)                     # warm-up (disk cache, JIT)
            runs = [render(b, root, viewport, n_kec) for _ in range(args.runs)]
            result["render"][name] = {
                "load_median_s": round(statistics.median(r[0] for r in runs), 3),
                "load_max_s": round(max(r[0] for r in runs), 3),
                "drill_median_s": round(statistics.median(r[1] for r in runs), 3)}
    size = result["size"]
    print(f"Situs: {size['files']} berkas, {size['total_bytes'] / 1e6:.2f} MB; tampilan pertama "
          f"{size['first_view_bytes'] / 1e3:.0f} kB ({size['first_view_gzip_bytes'] / 1e3:.0f} kB "
          f"gzip); publish {publish_s:.1f} s ({site.as_of})")
    print(f"{'viewport':<20} {'muat (median)':>14} {'muat (maks)':>12} {'drill (median)':>15}")
    for name, r in result["render"].items():
        print(f"{name:<20} {r['load_median_s']:>13.3f}s {r['load_max_s']:>11.3f}s "
              f"{r['drill_median_s']:>14.3f}s")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "site.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
