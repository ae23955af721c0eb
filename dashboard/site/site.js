/* The static site's map: kecamatan coloured by coverage class, a click drills into its desa.
   Data comes from data/peta.js (window.CAKUPAN_PETA), written by dashboard/publish.py with the
   page's suppressed figures: a suppressed place carries no numbers and is drawn hatched. */
(function () {
  "use strict";
  var D = window.CAKUPAN_PETA;
  if (!D || !window.L) { return; }

  function colour(pct) {
    if (pct === null || pct === undefined) { return D.tanpa_data; }
    for (var i = 0; i < D.kelas.length; i++) {
      if (D.kelas[i].batas === null || pct < D.kelas[i].batas) { return D.kelas[i].warna; }
    }
    return D.kelas[D.kelas.length - 1].warna;
  }
  function num(v) {
    return v === null || v === undefined ? "-" : String(Math.round(v)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }
  function pct(v) { return v === null || v === undefined ? "-" : v.toFixed(1).replace(".", ",") + "%"; }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }
  function tip(p) {
    var lines = ["<b>" + esc(p.nama) + "</b>"];
    if (p.status === "disamarkan") {
      lines.push("Peserta aktif: disamarkan (sel kecil)");
    } else {
      lines.push("Peserta aktif: " + num(p.peserta_aktif));
      lines.push("Cakupan: " + (p.status === "tidak ada data" ? "tidak ada data" : pct(p.cakupan_persen)));
    }
    lines.push("Estimasi pekerja: " + num(p.estimasi_pekerja));
    return lines.join("<br>");
  }
  function style(f) {
    var hidden = f.properties.status === "disamarkan";
    return {fillColor: hidden ? "#ffffff" : colour(f.properties.cakupan_persen), fillOpacity: 0.85,
            color: hidden ? "#666666" : "#ffffff", weight: 1.2, dashArray: hidden ? "4 3" : null,
            className: hidden ? "disamarkan" : "ada"};
  }

  var map = L.map("peta", {zoomSnap: 0.25, attributionControl: false, preferCanvas: false});
  L.control.scale({imperial: false, position: "bottomright"}).addTo(map);
  var current = null, labels = L.layerGroup().addTo(map);
  var back = document.getElementById("kembali"), title = document.getElementById("map-title");

  function ensureHatch() {
    /* An SVG pattern in Leaflet's overlay svg; CSS fills path.disamarkan with it. */
    var svg = map.getPanes().overlayPane.querySelector("svg");
    if (!svg || svg.querySelector("#cakupan-samar")) { return; }
    var ns = "http://www.w3.org/2000/svg", defs = document.createElementNS(ns, "defs");
    var pat = document.createElementNS(ns, "pattern");
    pat.setAttribute("id", "cakupan-samar"); pat.setAttribute("patternUnits", "userSpaceOnUse");
    pat.setAttribute("width", "6"); pat.setAttribute("height", "6");
    pat.setAttribute("patternTransform", "rotate(45)");
    var bg = document.createElementNS(ns, "rect");
    bg.setAttribute("width", "6"); bg.setAttribute("height", "6"); bg.setAttribute("fill", "#ffffff");
    var line = document.createElementNS(ns, "rect");
    line.setAttribute("width", "2"); line.setAttribute("height", "6"); line.setAttribute("fill", "#888888");
    pat.appendChild(bg); pat.appendChild(line); defs.appendChild(pat); svg.insertBefore(defs, svg.firstChild);
  }

  function filterDesaTable(kec) {
    var rows = document.querySelectorAll("#tabel-desa tbody tr");
    for (var i = 0; i < rows.length; i++) {
      rows[i].classList.toggle("tersembunyi", !!kec && rows[i].getAttribute("data-kecamatan") !== kec);
    }
  }

  function show(features, kec, name) {
    if (current) { map.removeLayer(current); }
    labels.clearLayers();
    current = L.geoJSON({type: "FeatureCollection", features: features}, {
      style: style,
      onEachFeature: function (f, layer) {
        layer.bindTooltip(tip(f.properties), {sticky: true});
        if (!kec) {
          layer.on("click", function () { drill(f.properties.kode, f.properties.nama); });
        }
        var c = layer.getBounds().getCenter();
        if (!kec) {
          labels.addLayer(L.marker(c, {interactive: false, icon: L.divIcon(
            {className: "", html: '<div class="peta-label">' + esc(f.properties.nama) + "</div>", iconSize: [0, 0]})}));
        }
      }
    }).addTo(map);
    ensureHatch();
    map.fitBounds(current.getBounds(), {padding: [10, 10]});
    back.hidden = !kec;
    title.textContent = kec ? "Desa/kelurahan di Kecamatan " + name : "Per kecamatan";
    document.getElementById("peta").setAttribute("data-level", kec ? "desa" : "kecamatan");
    filterDesaTable(kec);
  }

  function drill(kode, name) {
    show(D.desa.features.filter(function (f) { return f.properties.kecamatan === kode; }), kode, name);
  }

  back.addEventListener("click", function () { show(D.kecamatan.features, null, null); });
  show(D.kecamatan.features, null, null);
})();
