// Gate forms: show only the fields that apply to the chosen kind (criterion or decision).
// Without JavaScript every field stays visible, each labelled with when it applies.
(function () {
  function wire(form, selector) {
    var blocks = form.querySelectorAll("[data-for-kind]");
    function chosen() {
      var select = form.querySelector("select[name=kind]");
      if (select) return select.value;
      var radio = form.querySelector("input[name=kind]:checked");
      return radio ? radio.value : "";
    }
    function update() {
      var kind = chosen();
      blocks.forEach(function (block) {
        var show = !kind || block.getAttribute("data-for-kind") === kind;
        block.hidden = !show;
      });
    }
    form.querySelectorAll(selector).forEach(function (el) {
      el.addEventListener("change", update);
    });
    update();
    // a manual criterion the benefits case judges takes no judgement or evidence
    var source = form.querySelector("select[name=source]");
    if (source) {
      var personal = form.querySelectorAll("[data-for-source=person]");
      var showPersonal = function () {
        personal.forEach(function (block) {
          block.hidden = source.value === "benefits_case";
        });
      };
      source.addEventListener("change", showPersonal);
      showPersonal();
    }
  }
  function init() {
    document.querySelectorAll("form.criterion-form").forEach(function (f) {
      wire(f, "select[name=kind]");
    });
    document.querySelectorAll("form.decision-form").forEach(function (f) {
      wire(f, "input[name=kind]");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
