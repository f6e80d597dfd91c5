// The hotspot map of /analyse: Leaflet draws the municipality's buurt outlines (from the
// map page's GeoJSON) and the hot and cold cells of the page's selection, coloured by the
// classes in analysis.css. Everything it needs comes from data- attributes on the map
// container, since the Content-Security-Policy forbids inline script. Without this
// script (or Leaflet) the table of cells below the map says the same.
(function () {
  "use strict";

  var el = document.getElementById("analyse-kaart");
  if (!el || typeof window.L === "undefined" || !window.fetch) {
    return;
  }
  var L = window.L;
  var d = el.dataset;

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } }).then(function (resp) {
      if (!resp.ok) {
        throw new Error("analysis data: HTTP " + resp.status);
      }
      return resp.json();
    });
  }

  Promise.all([getJSON(d.geojson), d.outlines ? getJSON(d.outlines) : Promise.resolve(null)])
    .then(function (res) {
      draw(res[0], res[1]);
    })
    .catch(function (err) {
      if (window.console) {
        window.console.warn(err);
      }
    });

  function draw(cells, outlines) {
    el.classList.add("map--live");
    var map = L.map(el, { zoomControl: false, attributionControl: false, zoomSnap: 0.25, keyboard: true });
    L.control.zoom({ zoomInTitle: d.zoomIn, zoomOutTitle: d.zoomOut }).addTo(map);
    var credit = L.control.attribution({ prefix: false }).addTo(map);
    credit.addAttribution(escape(d.credit));
    if (d.tiles) {
      L.tileLayer(d.tiles, { maxZoom: 19, attribution: escape(d.tilesCredit || "") }).addTo(map);
    }
    var bounds = null;
    if (outlines && outlines.features && outlines.features.length > 0) {
      var o = L.geoJSON(outlines, {
        style: function () {
          return { className: "analysis-outline" };
        },
        interactive: false
      }).addTo(map);
      bounds = o.getBounds();
    }
    var layer = L.geoJSON(cells, {
      style: function (f) {
        return { className: "hotspot-cell hotspot-cell--" + f.properties.kind };
      },
      onEachFeature: function (f, lyr) {
        var tip = document.createElement("span");
        tip.textContent = f.properties.tip;
        lyr.bindTooltip(tip, { sticky: true });
      }
    }).addTo(map);
    var b = cells.bbox;
    if (b && b.length === 4) {
      map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { padding: [8, 8] });
    } else if (bounds) {
      map.fitBounds(bounds, { padding: [8, 8] });
    } else if (cells.features && cells.features.length > 0) {
      map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    } else {
      map.setView([52.34, 4.96], 13);
    }
  }

  // escape makes text safe for Leaflet's attribution, which is HTML.
  function escape(s) {
    var span = document.createElement("span");
    span.textContent = s || "";
    return span.innerHTML;
  }
})();
