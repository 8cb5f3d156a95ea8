// The library pages: filter and version selects submit their form on change (the forms
// work without JavaScript through their buttons). No inline script anywhere (strict CSP).
(function () {
  "use strict";
  function init() {
    document.querySelectorAll("[data-autosubmit]").forEach(function (control) {
      control.addEventListener("change", function () {
        if (control.form) control.form.submit();
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
