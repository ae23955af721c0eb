"""Page benchmark: time from request to fully rendered page in headless Chromium, on demo data.

    python bench/pages.py [--db FILE] [--scale 1.0] [--runs 5] [--pages kualitas,peta]

Without --db it uses the configured database when it is a demo database, else builds the demo
(etl.demo) into bench/output/. It starts `streamlit run app.py` on a free port of 127.0.0.1, with
the network closed in the browser (as offline offices are), signs in with the demo accounts and:

* opens every page of the registry as every role that may see it, once cold (the first view
  after the server started, or of that role) and `--runs` times warm, timing navigation
  start -> script finished and nothing loading (for the map page: until Leaflet drew its
  polygons); a page load is a new browser session, so it includes loading
  Streamlit's JavaScript, the websocket connection and the sign-in cookie being restored (one
  script run: the cookie is read from the request, dashboard/auth.py);
* the same page reached from the sidebar menu within the session (what a user does), median;
* changes the sidebar's kecamatan filter on Ringkasan `--runs` times (warm: both values seen
  once), timing the click -> rerun finished;
* measures the map payload (folium HTML as sent to the browser) of the kabupaten (kecamatan
  map), of the biggest kecamatan's desa map, and of all desa of the kabupaten in one layer.

With --pages only those pages are timed (every role that may see them), and the filter change and
map payloads are left out (written to bench/output/pages_<pages>.json).

Budgets (DESIGN.md / issues 4 and 16, 2-core machine): every page <= 3 s warm and <= 6 s
cold, a filter change <= 1 s, the kabupaten map payload < 2 MB. Prints a table; writes
bench/output/pages.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "e2e"))

import harness  # noqa: E402

OUT = REPO / "bench" / "output"
PAGE_BUDGET, COLD_BUDGET, FILTER_BUDGET, MAP_BUDGET = 3.0, 6.0, 1.0, 2_000_000
ROLE_ORDER = ("pimpinan", "admin", "rm", "publik")


def demo_database(args) -> Path:
    from etl import db, settings

    if args.db:
        return Path(args.db)
    configured = Path(settings.get("db"))
    if configured.exists():
        con = db.connect_readonly(configured)
        try:
            if db.scalar(con, "SELECT bool_or(is_demo) FROM meta.database"):
                return configured
        finally:
            con.close()
    from etl.cli import build_demo

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "bench_demo.duckdb"
    print(f"Membangun data demo (skala {args.scale}) di {path} ...", file=sys.stderr)
    build_demo(db_path=path, scale=args.scale, files_dir=OUT / "demo_files")
    return path


def timed_load(page, url: str, is_map: bool) -> float:
    started = time.perf_counter()
    page.goto(url)
    harness.wait_rendered(page, timeout=60_000)
    if is_map and page.get_by_text("Batas wilayah belum dimuat").count() == 0:
        harness.map_frame(page).locator("path.leaflet-interactive").first.wait_for(
            timeout=60_000)
    return time.perf_counter() - started


def timed_click(page, spec) -> float:
    """In-app navigation: click the page's link in the sidebar menu (same session)."""
    link = page.locator('[data-testid="stSidebarNav"]').get_by_text(spec.title, exact=True)
    started = time.perf_counter()
    link.click()
    page.wait_for_url(f"**/{spec.key}", timeout=30_000)
    page.wait_for_timeout(30)
    harness.wait_rendered(page, timeout=60_000)
    if spec.key == "peta" and page.get_by_text("Batas wilayah belum dimuat").count() == 0:
        harness.map_frame(page).locator("path.leaflet-interactive").first.wait_for(
            timeout=60_000)
    return time.perf_counter() - started


def bench_pages(b, server, runs: int, only: set[str] | None = None) -> list[dict]:
    from dashboard import registry

    # Every page as every role that may see it: a page can show a role more (Kualitas data gives
    # the admin the person-level rows), so each role's first view is a cold one of its own.
    rows, done = [], set()
    for role in ROLE_ORDER:
        specs = list(registry.visible_pages(role))
        if not specs or (only and not only & {s.key for s in specs}):
            continue
        context = harness.offline_context(b)
        page = context.new_page()
        if role != "publik":
            harness.sign_in(page, server.url, role)
        for spec in specs:
            if only and spec.key not in only:
                continue
            url = f"{server.url}/{spec.key}"
            cold = timed_load(page, url, spec.key == "peta")
            times = [timed_load(page, url, spec.key == "peta") for _ in range(runs)]
            clicks = []
            if len(specs) > 1 and spec.key not in done:
                other = next(s for s in specs if s.key != spec.key)
                for _ in range(runs):
                    timed_click(page, other)
                    clicks.append(timed_click(page, spec))
            rows.append({"page": spec.key, "role": role, "cold_s": round(cold, 2),
                         "median_s": round(statistics.median(times), 2),
                         "max_s": round(max(times), 2),
                         "menu_median_s": round(statistics.median(clicks), 2) if clicks else None})
            done.add(spec.key)
        context.close()
    return rows


def database_kecamatan(db_path: Path) -> list[str]:
    """The two most populous kecamatan of the database's own kabupaten (not the setting's: the
    bench is given databases of other kabupaten), as the sidebar names them."""
    from etl import db, gazetteer

    con = db.connect_readonly(db_path)
    try:
        kabupaten = db.scalar(con, "SELECT kabupaten_code FROM meta.database")
        busiest = [r[0] for r in con.execute(
            "SELECT kecamatan_code AS k, count(*) AS n FROM marts.people "
            "WHERE kecamatan_code IS NOT NULL GROUP BY k ORDER BY n DESC, k LIMIT 2").fetchall()]
    finally:
        con.close()
    names = {k.code: k.name.title() for k in gazetteer.kecamatan_list(kabupaten)}
    chosen = [names[c] for c in busiest if c in names]
    return chosen if len(chosen) == 2 else list(names.values())[:2]


def bench_filter(b, server, runs: int, names: list[str]) -> dict:
    context = harness.offline_context(b)
    page = context.new_page()
    harness.sign_in(page, server.url, "pimpinan")
    page.goto(f"{server.url}/ringkasan")
    harness.wait_rendered(page)

    def choose(name: str) -> float:
        box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]',
                           has_text="Kecamatan").first
        box.click()
        # A long list is virtualised (only the first options exist): type to narrow it.
        page.keyboard.type(name)
        option = page.get_by_role("option", name=name, exact=True)
        started = time.perf_counter()
        option.click()
        page.locator('[data-testid="stCaptionContainer"]',
                     has_text=f"Kecamatan {name}").first.wait_for(timeout=30_000)
        harness.wait_rendered(page)
        return time.perf_counter() - started

    for name in names:                      # warm: each filter state seen once
        choose(name)
    times = [choose(names[i % 2]) for i in range(runs)]
    context.close()
    return {"median_s": round(statistics.median(times), 2), "max_s": round(max(times), 2)}


def map_sizes(db_path: Path) -> dict:
    os.environ["CAKUPAN_DB"] = str(db_path)
    from dashboard import data, maps

    if data.boundary_layer("desa").empty:
        return {}
    as_of = data.latest_month()
    sizes = {}
    kab = maps.build_map(data.boundary_layer("kecamatan"),
                         data.place_figures("kecamatan", as_of), "coverage")
    sizes["kabupaten (kecamatan)"] = len(kab.get_root().render().encode())
    counts = data.coverage_table(level="desa", as_of=as_of)
    biggest = max({k[:8] for k in counts["kode"]},
                  key=lambda c: int((counts["kode"].str[:8] == c).sum()))
    one = maps.build_map(data.boundary_layer("desa", parent=biggest),
                         data.place_figures("desa", as_of, kecamatan=biggest), "coverage")
    sizes[f"desa di {biggest}"] = len(one.get_root().render().encode())
    all_desa = maps.build_map(data.boundary_layer("desa"), data.place_figures("desa", as_of),
                              "coverage", labels=False)
    sizes["semua desa kabupaten"] = len(all_desa.get_root().render().encode())
    return sizes


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", help="database file (default: demo database)")
    p.add_argument("--scale", type=float, default=1.0, help="demo scale when building one")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--pages", help="only these pages, comma-separated registry keys "
                   "(e.g. kualitas); leaves out the filter change and map payloads")
    args = p.parse_args(argv)
    only = set(args.pages.split(",")) if args.pages else None
    if only:
        from dashboard import registry

        known = {s.key for role in ROLE_ORDER for s in registry.visible_pages(role)}
        if only - known:
            p.error(f"halaman tidak dikenal: {', '.join(sorted(only - known))} "
                    f"(pilih dari {', '.join(sorted(known))})")
    if not harness.CHROMIUM.exists():
        print("GAGAL: /usr/bin/chromium tidak ada (apt-get install chromium).", file=sys.stderr)
        return 2
    db_path = demo_database(args).resolve()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as cfg, \
            harness.Server(db_path, Path(cfg), OUT / "streamlit-bench.log") as server, \
            harness.browser() as b:
        pages = bench_pages(b, server, args.runs, only)
        flt = None if only else bench_filter(b, server, args.runs, database_kecamatan(db_path))
    sizes = {} if only else map_sizes(db_path)

    print(f"\nHalaman (median dari {args.runs}, detik; batas {PAGE_BUDGET:g} s, dingin "
          f"{COLD_BUDGET:g} s)")
    print(f"  {'halaman':<12} {'peran':<9} {'dingin':>7} {'median':>7} {'maks':>7} "
          f"{'menu':>7}  status (muat ulang penuh)")
    for r in pages:
        ok = ("OK" if r["median_s"] <= PAGE_BUDGET and r["cold_s"] <= COLD_BUDGET
              else "LEWAT BATAS")
        menu = f"{r['menu_median_s']:>7.2f}" if r["menu_median_s"] is not None else f"{'-':>7}"
        print(f"  {r['page']:<12} {r['role']:<9} {r['cold_s']:>7.2f} {r['median_s']:>7.2f} "
              f"{r['max_s']:>7.2f} {menu}  {ok}")
    print(f"  (beban mesin saat diukur: {os.getloadavg()[0]:.1f} pada {os.cpu_count()} inti)")
    if flt:
        ok = "OK" if flt["median_s"] <= FILTER_BUDGET else "LEWAT BATAS"
        print(f"\nGanti filter kecamatan (Ringkasan): median {flt['median_s']:.2f} s, maks "
              f"{flt['max_s']:.2f} s (batas {FILTER_BUDGET:g} s)  {ok}")
    if sizes:
        print("\nUkuran HTML peta")
        for name, size in sizes.items():
            ok = "OK" if size < MAP_BUDGET else "LEWAT BATAS"
            print(f"  {name:<28} {size / 1e6:6.2f} MB  {ok if 'kabupaten' in name else ''}")
    result = {"database": str(db_path), "runs": args.runs, "load_average": os.getloadavg(),
              "pages": pages, "filter_change": flt,
              "map_bytes": sizes}
    # A run of some pages does not replace the figures of a full run.
    out = OUT / (f"pages_{'_'.join(sorted(only))}.json" if only else "pages.json")
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
