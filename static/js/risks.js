// Risk pages: a click on a heat-map cell opens the register filtered to that cell (each cell's
// URL is the trace's customdata); a [data-print] button prints the review handout, and the
// charts shrink to the paper's width while printing.
(function () {
  var PRINT_WIDTH = 980; // CSS pixels across a landscape A4 page inside its margins

  function wireHeatMap(el) {
    if (!el.id || el.id.indexOf("heat-") !== 0 || el.dataset.wired) return;
    el.dataset.wired = "1";
    el.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      var url = point && point.customdata;
      if (typeof url === "string" && url.charAt(0) === "/") window.location.assign(url);
    });
    el.style.cursor = "pointer";
  }

  function figures() {
    return Array.prototype.filter.call(document.querySelectorAll(".plotly-figure"), function (el) {
      return el.data && typeof Plotly !== "undefined";
    });
  }
  function forPrint(printing) {
    figures().forEach(function (el) {
      if (printing) {
        Plotly.relayout(el, { width: PRINT_WIDTH });
      } else {
        Plotly.relayout(el, { width: null, autosize: true });
      }
    });
  }

  document.addEventListener("planner:figure-ready", function (event) {
    wireHeatMap(event.target);
    if (window.matchMedia && window.matchMedia("print").matches) forPrint(true);
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
  window.addEventListener("beforeprint", function () { forPrint(true); });
  window.addEventListener("afterprint", function () { forPrint(false); });
  if (window.matchMedia) {
    var query = window.matchMedia("print");
    var onChange = function (event) { forPrint(event.matches); };
    if (query.addEventListener) query.addEventListener("change", onChange);
    else if (query.addListener) query.addListener(onChange);
  }
})();
