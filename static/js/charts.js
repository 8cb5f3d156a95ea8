// Renders every plotly figure the server embedded as JSON: <div data-figure="ID"> with a
// <script type="application/json" id="ID"> beside it. No inline script, so a strict CSP holds.
(function () {
  function render(el) {
    var source = document.getElementById(el.getAttribute("data-figure"));
    if (!source || typeof Plotly === "undefined") return;
    var fig = JSON.parse(source.textContent);
    var config = Object.assign({ displaylogo: false, responsive: true }, fig.config || {});
    Plotly.newPlot(el, fig.data, fig.layout, config).then(function () {
      el.dispatchEvent(new CustomEvent("planner:figure-ready", { bubbles: true }));
    });
  }
  function renderAll() {
    document.querySelectorAll("[data-figure]").forEach(render);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }
})();
