// The interactive map of /kaart: Leaflet draws the areas from the page's GeoJSON
// endpoint, coloured by the classes the server assigned (the colours live in map.css).
// Everything it needs comes from data- attributes on the map container, since the
// Content-Security-Policy forbids inline script. Without this script (or Leaflet) the
// page keeps its server-drawn map and the table.
(function () {
  "use strict";

  var el = document.getElementById("kaart");
  if (!el || typeof window.L === "undefined" || !window.fetch) {
    return;
  }
  var L = window.L;
  var d = el.dataset;

  fetch(d.geojson, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
    .then(function (resp) {
      if (!resp.ok) {
        throw new Error("map data: HTTP " + resp.status);
      }
      return resp.json();
    })
    .then(draw)
    .catch(function (err) {
      // The server-drawn map stays; say why the interactive one is missing.
      if (window.console) {
        window.console.warn(err);
      }
    });

  function draw(data) {
    if (!data.features || data.features.length === 0) {
      return;
    }
    var fallback = el.querySelector(".map__fallback");
    if (fallback) {
      fallback.remove();
    }
    el.classList.add("map--live");

    var map = L.map(el, {
      zoomControl: false,
      attributionControl: false,
      zoomSnap: 0.25,
      keyboard: true
    });
    L.control.zoom({ zoomInTitle: d.zoomIn, zoomOutTitle: d.zoomOut }).addTo(map);
    // Plain text credits, no prefix with its own markup.
    var credit = L.control.attribution({ prefix: false }).addTo(map);
    credit.addAttribution(escape(d.credit));

    if (d.tiles) {
      L.tileLayer(d.tiles, { maxZoom: 19, attribution: escape(d.tilesCredit || "") }).addTo(map);
    }

    var layer = L.geoJSON(data, {
      style: function (f) {
        return { className: "map-area map-area--" + f.properties["class"] };
      },
      onEachFeature: function (f, lyr) {
        var p = f.properties;
        var tip = document.createElement("span");
        tip.textContent = p.name + ": " + p.countText + (p.rateText ? " (" + p.rateText + " " + d.perThousand + ")" : "");
        lyr.bindTooltip(tip, { sticky: true });
        if (p.url) {
          lyr.on("click", function () {
            window.location.assign(p.url);
          });
        }
      }
    }).addTo(map);

    var b = data.bbox;
    if (b && b.length === 4) {
      map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { padding: [8, 8] });
    } else {
      map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    }
  }

  // escape makes text safe for Leaflet's attribution, which is HTML.
  function escape(s) {
    var span = document.createElement("span");
    span.textContent = s || "";
    return span.innerHTML;
  }
})();
