// Sizes the server computed (a phase's share of the timeline, a progress bar, a chart's
// height) arrive as data attributes, not style attributes: the CSP allows no inline styles
// (style-src 'self'), while styles set from a script file through the CSSOM are allowed.
//   data-width="37.5%"       → width (and the flex basis, for items of a flex row)
//   data-left="12.25%"       → left (absolutely placed markers)
//   data-min-height="420px"  → min-height (charts drawn by plotly)
// It also makes pages fit a phone: a table that is not inside a box that scrolls gets one
// (div.table-scroll, scrolling sideways on narrow screens only, planner.css), and the
// collapsed navigation opens with its toggler (data-planner-toggle="collapse").
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
  function scrolls(el) {
    for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (p.classList.contains("table-responsive") || p.classList.contains("table-scroll")) return true;
      var overflow = getComputedStyle(p).overflowX;
      if (overflow === "auto" || overflow === "scroll") return true;
    }
    return false;
  }
  function boxTables(root) {
    root.querySelectorAll("main table").forEach(function (table) {
      if (scrolls(table)) return;
      var box = document.createElement("div");
      box.className = "table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
    focusable(root);
  }
  // a box that scrolls is reached with the keyboard too (only when it does scroll)
  function focusable(root) {
    root.querySelectorAll(".table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
      else box.removeAttribute("tabindex");
    });
  }
  // after a resize, once a frame (both are cheap); <html data-fitted-width> says for which
  // width the page was last fitted (the small-screen tests wait for it, not for a guess)
  var resizing = null;
  window.addEventListener("resize", function () {
    if (resizing) cancelAnimationFrame(resizing);
    resizing = requestAnimationFrame(function () {
      resizing = null;
      focusable(document);
      fitLabels(document);
      document.documentElement.setAttribute("data-fitted-width", String(window.innerWidth));
    });
  });
  // a row of tabs that scrolls sideways shows the current tab
  function showCurrentTab(root) {
    root.querySelectorAll(".program-tabs, .category-tabs").forEach(function (row) {
      var current = row.querySelector(".active");
      if (!current || row.scrollWidth <= row.clientWidth) return;
      var left = current.offsetLeft - (row.clientWidth - current.offsetWidth) / 2;
      row.scrollLeft = Math.max(0, left);
    });
  }
  // a timeline segment too narrow for its label shows none (its title and the cards below
  // name it) rather than a label cut in the middle of a word
  function fitLabels(root) {
    root.querySelectorAll(".timeline .seg").forEach(function (seg) {
      seg.classList.remove("seg-narrow");
      if (seg.scrollWidth > seg.clientWidth + 1) seg.classList.add("seg-narrow");
    });
  }
  function setUp(root) {
    apply(root);
    boxTables(root);
    showCurrentTab(root);
    fitLabels(root);
  }
  function toggle(button, open) {
    var target = document.querySelector(button.getAttribute("data-planner-target"));
    if (!target) return;
    target.classList.toggle("show", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-planner-toggle=collapse]");
    if (button) toggle(button, button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("[data-planner-toggle=collapse][aria-expanded=true]").forEach(function (button) {
      toggle(button, false);
      button.focus();
    });
  });
  window.plannerLayout = setUp;  // for parts of a page loaded later
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  } else {
    setUp(document);
  }
})();
