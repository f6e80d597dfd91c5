// The dashboard's trend chart, made interactive: when uPlot (vendor/uplot) is loaded,
// it draws the figures of the page's <script type="application/json" id="trend-data">
// block as bars, with the value under the pointer (else the latest) in the legend, and hides the
// server-drawn SVG. Without this script (or uPlot) the page keeps the SVG; the table
// below the chart is there either way. The colours are the custom properties of
// css/baken.css. uPlot sets styles on its own elements from script (the CSSOM), which
// the Content-Security-Policy allows; nothing here writes a style attribute in markup.
(function () {
  "use strict";

  var figure = document.getElementById("trend-chart");
  var block = document.getElementById("trend-data");
  if (!figure || !block || typeof window.uPlot === "undefined") {
    return;
  }
  var uPlot = window.uPlot;

  var data;
  try {
    data = JSON.parse(block.textContent);
  } catch (err) {
    if (window.console) {
      window.console.warn("trend data:", err);
    }
    return;
  }
  var labels = data.labels || [];
  var counts = data.counts || [];
  var texts = data.texts || [];
  if (labels.length === 0 || labels.length !== counts.length) {
    return;
  }

  var css = window.getComputedStyle(document.documentElement);
  function colour(name, fallback) {
    var v = css.getPropertyValue(name).trim();
    return v || fallback;
  }
  var bar = colour("--baken-color-chart", "#2f6fa7");
  var text = colour("--baken-color-text", "#1a1a1a");
  var grid = colour("--baken-color-border", "#8a8f98");
  var font = "12px " + (colour("--baken-font-family", "") || "sans-serif");

  // The chart is named by the section's heading and the figure's caption.
  var heading = document.getElementById("trend-h");
  var caption = figure.querySelector("figcaption");
  var container = document.createElement("div");
  container.className = "chart__live";
  container.setAttribute("role", "img");
  container.setAttribute("aria-label",
    [heading ? heading.textContent.trim() : "", caption ? caption.textContent.trim() : ""]
      .filter(Boolean).join(". "));
  figure.insertBefore(container, figure.firstChild);

  var xs = labels.map(function (_, i) { return i; });
  // Numbers on the axis as the page's language writes them (3.000 in Dutch), like the
  // tables; the legend shows the latest period until the pointer is over another.
  var numbers = new Intl.NumberFormat(document.documentElement.lang || "nl", { maximumFractionDigits: 1 });
  var last = labels.length - 1;

  function height(width) {
    return Math.max(180, Math.min(320, Math.round(width * 0.4)));
  }

  var width = container.clientWidth || 600;
  var opts = {
    width: width,
    height: height(width),
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    select: { show: false },
    legend: { live: true },
    scales: {
      x: { time: false, range: [-0.5, labels.length - 0.5] },
      y: { range: function (u, min, max) { return [0, Math.max(1, max) * 1.05]; } }
    },
    axes: [
      {
        stroke: text,
        font: font,
        grid: { show: false },
        ticks: { stroke: grid },
        space: 48,
        incrs: [1, 2, 3, 4, 6, 12],
        values: function (u, splits) {
          return splits.map(function (i) { return labels[i] !== undefined && i === Math.round(i) ? labels[i] : ""; });
        }
      },
      {
        stroke: text,
        font: font,
        grid: { stroke: grid, width: 0.5 },
        ticks: { stroke: grid },
        values: function (u, splits) { return splits.map(function (v) { return numbers.format(v); }); }
      }
    ],
    series: [
      {
        label: data.period || "",
        value: function (u, i) { return labels[i == null ? last : i]; }
      },
      {
        label: data.series || "",
        stroke: bar,
        fill: bar,
        width: 0,
        paths: uPlot.paths.bars({ size: [0.8, 64] }),
        points: { show: false },
        value: function (u, v, si, i) { return texts[i == null ? last : i]; }
      }
    ]
  };

  figure.classList.add("chart--live");
  var plot = new uPlot(opts, [xs, counts], container);

  // Follow the container's width when the window changes, once per frame.
  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) {
      return;
    }
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      var w = container.clientWidth;
      if (w > 0 && w !== plot.width) {
        plot.setSize({ width: w, height: height(w) });
      }
    });
  });
})();
