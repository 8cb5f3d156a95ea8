// Sizes the server computed (a phase's share of the timeline, a progress bar, a chart's
// height) arrive as data attributes, not style attributes: the CSP allows no inline styles
// (style-src 'self'), while styles set from a script file through the CSSOM are allowed.
//   data-width="37.5%"       → width (and the flex basis, for items of a flex row)
//   data-left="12.25%"       → left (absolutely placed markers)
//   data-min-height="420px"  → min-height (charts drawn by plotly)
(function () {
  var LENGTH = /^-?\d+(\.\d+)?(%|px|rem)$/;  // only plain lengths, nothing else
  function apply(root) {
    root.querySelectorAll("[data-width]").forEach(function (el) {
      var value = el.getAttribute("data-width");
      if (!LENGTH.test(value)) return;
      el.style.width = value;
      el.style.flex = "0 0 " + value;
    });
    root.querySelectorAll("[data-left]").forEach(function (el) {
      var value = el.getAttribute("data-left");
      if (LENGTH.test(value)) el.style.left = value;
    });
    root.querySelectorAll("[data-min-height]").forEach(function (el) {
      var value = el.getAttribute("data-min-height");
      if (LENGTH.test(value)) el.style.minHeight = value;
    });
  }
  window.plannerLayout = apply;  // for parts of a page loaded later
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { apply(document); });
  } else {
    apply(document);
  }
})();
