// The plan pages: render the server-built Gantt figure, label rows as the user zooms, and
// submit the filter forms on change. No inline script anywhere (strict CSP).
(function () {
  "use strict";
  var MAX_LABELS = 90;

  function decode(spec) {
    // plotly.js typed-array spec {dtype, bdata} -> plain array (for our own row bookkeeping)
    if (!spec || Array.isArray(spec)) return spec || [];
    var bytes = Uint8Array.from(atob(spec.bdata), function (c) { return c.charCodeAt(0); });
    var Type = { i2: Int16Array, i4: Int32Array, f4: Float32Array, f8: Float64Array }[spec.dtype];
    return Array.from(new Type(bytes.buffer));
  }

  function rowLabels(fig) {
    // every row's label: headings from the axis, items from their hover data
    var labels = {};
    var headings = {};
    var axis = fig.layout.yaxis;
    axis.tickvals.forEach(function (y, i) {
      var text = axis.ticktext[i];
      labels[y] = text;
      if (text.charAt(0) === "<") headings[y] = text;
    });
    fig.data.forEach(function (trace) {
      if (!trace.customdata || !trace.customdata.length || trace.customdata[0].length < 7) return;
      var ys = decode(trace.y);
      ys.forEach(function (y, i) {
        if (labels[y] === undefined) {
          var name = String(trace.customdata[i][0]);
          labels[y] = name.length > 44 ? name.slice(0, 43) + "…" : name;
        }
      });
    });
    return { labels: labels, headings: headings };
  }

  function relabel(el, rows, range) {
    var lo = Math.max(0, Math.ceil(Math.min(range[0], range[1])));
    var hi = Math.floor(Math.max(range[0], range[1]));
    var vals = [];
    var text = [];
    var y;
    if (hi - lo <= MAX_LABELS) {
      for (y = lo; y <= hi; y++) {
        if (rows.labels[y] !== undefined) { vals.push(y); text.push(rows.labels[y]); }
      }
    } else {
      var heads = Object.keys(rows.headings).map(Number).filter(function (v) { return v >= lo && v <= hi; });
      var step = Math.max(1, Math.ceil(heads.length / MAX_LABELS));
      heads.sort(function (a, b) { return a - b; }).forEach(function (v, i) {
        if (i % step === 0) { vals.push(v); text.push(rows.headings[v]); }
      });
    }
    return Plotly.relayout(el, { "yaxis.tickvals": vals, "yaxis.ticktext": text });
  }

  function render(el) {
    var source = document.getElementById(el.getAttribute("data-gantt"));
    if (!source || typeof Plotly === "undefined") return;
    var fig = JSON.parse(source.textContent);
    var rows = rowLabels(fig);
    var busy = false;
    Plotly.newPlot(el, fig.data, fig.layout, fig.config || {}).then(function () {
      el.on("plotly_relayout", function () {
        if (busy) return;  // our own relabelling
        busy = true;
        var range = el._fullLayout.yaxis.range.slice();
        relabel(el, rows, range).then(function () { busy = false; }, function () { busy = false; });
      });
      el.dispatchEvent(new CustomEvent("planner:figure-ready", { bubbles: true }));
    });
  }

  function autoSubmit() {
    document.querySelectorAll(".auto-submit").forEach(function (input) {
      input.addEventListener("change", function () {
        if (input.form) input.form.submit();
      });
    });
  }

  function start() {
    document.querySelectorAll("[data-gantt]").forEach(render);
    autoSubmit();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
