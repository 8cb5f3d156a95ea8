// Assessment pages: fast keyboard scoring, confirmations, printing. No inline script (CSP).
(function () {
  "use strict";

  function groups(form) {
    return Array.prototype.slice.call(form.querySelectorAll("fieldset.score-group"));
  }

  function focusGroup(group) {
    var target = group.querySelector("input[type=radio]:checked") ||
      group.querySelector("input[type=radio]");
    if (target) target.focus();
  }

  function choose(group, value) {
    var radio = group.querySelector('input[type=radio][data-score="' + value + '"]');
    if (!radio) return false;
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  function initScoring(form) {
    var all = groups(form);
    form.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      var group = event.target.closest && event.target.closest("fieldset.score-group");
      if (!group) return;
      var key = event.key;
      var value = null;
      if (/^[0-5]$/.test(key)) value = key;
      else if (key === "n" || key === "N" || key === "-" || key === "Delete") value = "";
      if (value === null) return;
      event.preventDefault();
      if (!choose(group, value)) return;
      var next = all[all.indexOf(group) + 1];
      if (next) {
        focusGroup(next);
      } else {
        var submit = form.querySelector('button[type=submit][value="next"]');
        if (submit) submit.focus();
      }
    });
    // start where work is left: the first indicator without a score
    var firstOpen = all.filter(function (g) {
      var checked = g.querySelector("input[type=radio]:checked");
      return !checked || checked.getAttribute("data-score") === "";
    })[0];
    if (!form.querySelector(".table-danger") && (firstOpen || all[0])) {
      focusGroup(firstOpen || all[0]);
    }
  }

  function init() {
    document.querySelectorAll("form[data-score-form]").forEach(initScoring);
    document.querySelectorAll("[data-confirm]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (!window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
