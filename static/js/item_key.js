// The add-item form proposes a key made from the name (issue 20): while the name is typed,
// the server's suggestion (unique in the program) fills the key field, until the user types
// a key of their own. Without this script the key may be left empty: the server makes one.
(function () {
  var form = document.querySelector("form[data-key-suggest]");
  if (!form) return;
  var name = form.querySelector("[name=name]");
  var key = form.querySelector("[name=key]");
  if (!name || !key) return;
  var url = form.getAttribute("data-key-suggest");
  var proposed = key.value;  // the key field follows the name while it holds our proposal
  var timer = null;
  var asked = 0;
  function suggest() {
    if (key.value !== proposed) return;  // typed by the user: theirs
    var ticket = ++asked;
    fetch(url + "?name=" + encodeURIComponent(name.value), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body || ticket !== asked || key.value !== proposed) return;
        key.value = proposed = name.value.trim() ? body.key : "";
      })
      .catch(function () { /* offline: the server makes a key when saving */ });
  }
  name.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 250);
  });
  if (name.value.trim() && !key.value) suggest();
})();
