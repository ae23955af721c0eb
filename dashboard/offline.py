"""Map libraries served by the app itself, so maps draw with no internet (docs/rules.md §6-§7).

folium and streamlit-folium load Leaflet, jQuery, Bootstrap, Font Awesome and (for branca colour
maps) d3 from CDNs; offline the map iframe stays blank without any error. Instead:

* ``python -m dashboard.offline install`` downloads the pinned npm packages below with
  ``npm pack`` (the npm registry checks their integrity) and unpacks the files folium needs into
  ``static/vendor/<package>@<version>/`` next to app.py. Not committed (.gitignore); `make setup`
  and `.ci/run` call it.
* Streamlit serves that folder at ``/app/static/...`` (``[server] enableStaticServing = true`` in
  .streamlit/config.toml). Streamlit only serves a folder named ``static`` beside the entry script,
  which is why it is at the repository root and not under dashboard/.
* ``localize(map)`` points a folium map's CSS/JS links (which streamlit-folium also uses) at
  those files. Links folium would load that we do not use (glyphicons from Bootstrap 3, the
  awesome-markers rotate CSS hosted on GitHub) are dropped rather than left pointing at a CDN.

``python -m dashboard.offline check`` tells whether the files are in place.

Icons: Streamlit draws ``:material/...:`` icons in the page with the Material Symbols font it
ships (served locally), but it turns the current page's icon into the browser tab's favicon by
linking ``https://fonts.gstatic.com/...``. ``FAVICON`` (an inline SVG, given as ``page_icon``)
takes that place, so no page asks a host other than the app's for anything.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

APP_DIR = Path(__file__).resolve().parent.parent
STATIC_DIR = APP_DIR / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
URL_PREFIX = "app/static/vendor"

# npm package -> (pinned version, folders or files of the package to keep).
PACKAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "leaflet": ("1.9.4", ("dist/leaflet.js", "dist/leaflet.css", "dist/images/")),
    "jquery": ("3.7.1", ("dist/jquery.min.js",)),
    "bootstrap": ("5.2.2", ("dist/js/bootstrap.bundle.min.js", "dist/css/bootstrap.min.css")),
    "leaflet.awesome-markers": ("2.0.5", ("dist/",)),
    "@fortawesome/fontawesome-free": ("6.2.0", ("css/all.min.css", "webfonts/")),
    "d3": ("3.5.17", ("d3.min.js",)),
}

# folium's link names (folium.Map.default_js / default_css) -> (package, file in the package).
JS: dict[str, tuple[str, str]] = {
    "leaflet": ("leaflet", "dist/leaflet.js"),
    "jquery": ("jquery", "dist/jquery.min.js"),
    "bootstrap": ("bootstrap", "dist/js/bootstrap.bundle.min.js"),
    "awesome_markers": ("leaflet.awesome-markers", "dist/leaflet.awesome-markers.js"),
}
CSS: dict[str, tuple[str, str]] = {
    "leaflet_css": ("leaflet", "dist/leaflet.css"),
    "bootstrap_css": ("bootstrap", "dist/css/bootstrap.min.css"),
    "awesome_markers_font_css": ("@fortawesome/fontawesome-free", "css/all.min.css"),
    "awesome_markers_css": ("leaflet.awesome-markers", "dist/leaflet.awesome-markers.css"),
}
# The d3 that streamlit-folium adds for branca colour maps (we draw our own legend instead).
D3 = ("d3", "d3.min.js")


def package_dir(package: str) -> Path:
    version = PACKAGES[package][0]
    return VENDOR_DIR / f"{package.replace('/', '__')}@{version}"


def installed() -> bool:
    """Every file of JS, CSS and D3 is in place."""
    return all((package_dir(p) / f).is_file() for p, f in [*JS.values(), *CSS.values(), D3])


def base_url() -> str:
    """Root-relative URL of the vendor folder as Streamlit serves it ('/app/static/vendor')."""
    prefix = ""
    try:
        import streamlit as st

        prefix = (st.get_option("server.baseUrlPath") or "").strip("/")
    except Exception:
        pass
    return "/" + "/".join(p for p in (prefix, URL_PREFIX) if p)


def url(package: str, file: str) -> str:
    version = PACKAGES[package][0]
    return f"{base_url()}/{package.replace('/', '__')}@{version}/{file}"


LEAFLET_ONLY = ("leaflet", "leaflet_css")

# The tab icon (a shield in the theme's green). Streamlit sends SVG markup to the browser as a
# data: URL, so it costs no request; a page icon of ":material/...:" would be fetched from
# fonts.gstatic.com instead.
FAVICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
           '<path fill="#0b6e4f" d="M12 1.5 3.5 4.8v6.1c0 5.3 3.6 10.2 8.5 11.6 '
           '4.9-1.4 8.5-6.3 8.5-11.6V4.8z"/>'
           '<path fill="#fff" d="M12 6.2a2.6 2.6 0 1 1 0 5.2 2.6 2.6 0 0 1 0-5.2zm0 6.6c2.6 0 '
           '4.8 1.2 4.8 2.9v.9H7.2v-.9c0-1.7 2.2-2.9 4.8-2.9z"/></svg>')


def localize(m, only: tuple[str, ...] | None = None):
    """Point a folium map's library links at the app's own copies; returns the map.

    `only`: keep just these links (our choropleths need Leaflet alone: no markers with icons, no
    Bootstrap widgets), which saves the browser loading ~300 kB per map. Sets instance
    attributes, so folium's class defaults (used by other code) stay untouched; streamlit-folium
    reads the same attributes to build its iframe's <script>/<link> tags.
    """
    m.default_js = [(name, url(*JS[name])) for name, _ in type(m).default_js
                    if name in JS and (only is None or name in only)]
    m.default_css = [(name, url(*CSS[name])) for name, _ in type(m).default_css
                     if name in CSS and (only is None or name in only)]
    return m


# --- install ---------------------------------------------------------------------------------------

def install(force: bool = False, quiet: bool = False) -> Path:
    """Download and unpack the pinned packages (skipped when already there unless `force`)."""
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr))
    if installed() and not force:
        say(f"Pustaka peta sudah terpasang di {VENDOR_DIR}.")
        return VENDOR_DIR
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm tidak ditemukan: pasang Node.js/npm lalu ulangi "
                         "'python -m dashboard.offline install'.")
    VENDOR_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for package, (version, keep) in PACKAGES.items():
            out = subprocess.run([npm, "pack", f"{package}@{version}", "--json",
                                  "--pack-destination", tmp],
                                 check=True, capture_output=True, text=True, cwd=tmp)
            filename = json.loads(out.stdout)[0]["filename"]
            target = package_dir(package)
            if target.exists():
                shutil.rmtree(target)
            _unpack(Path(tmp) / filename, target, keep)
            say(f"  {package}@{version} -> {target.relative_to(APP_DIR)}")
    (VENDOR_DIR / "manifest.json").write_text(json.dumps(
        {p: v for p, (v, _) in PACKAGES.items()}, indent=2) + "\n")
    if not installed():
        raise SystemExit("Pemasangan pustaka peta tidak lengkap; periksa koneksi ke registri npm.")
    say(f"Pustaka peta terpasang di {VENDOR_DIR}.")
    return VENDOR_DIR


def _unpack(tarball: Path, target: Path, keep: tuple[str, ...]) -> None:
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            # npm tarballs hold everything under "package/".
            rel = member.name.split("/", 1)[1] if "/" in member.name else ""
            if not member.isfile() or not any(
                    rel == k or (k.endswith("/") and rel.startswith(k)) for k in keep):
                continue
            dest = (target / rel).resolve()
            if target.resolve() not in dest.parents:  # no path tricks from a tarball
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as src, open(dest, "wb") as fh:
                shutil.copyfileobj(src, fh)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    command = args[0] if args else "install"
    if command == "install":
        install(force="--force" in args)
        return 0
    if command == "check":
        ok = installed()
        print("terpasang" if ok else "belum terpasang: jalankan python -m dashboard.offline install")
        return 0 if ok else 1
    print("Penggunaan: python -m dashboard.offline [install [--force] | check]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
