// @mention completion for comment boxes: type "@" and a few letters, pick a member.
(function () {
  "use strict";
  var cache = {};

  function load(url) {
    if (!cache[url]) {
      cache[url] = fetch(url, { credentials: "same-origin" }).then(function (r) {
        return r.ok ? r.json() : [];
      });
    }
    return cache[url];
  }

  function menuFor(area) {
    var menu = area.parentNode.querySelector(".mention-menu");
    if (!menu) {
      menu = document.createElement("ul");
      menu.className = "list-group mention-menu d-none";
      menu.setAttribute("role", "listbox");
      area.insertAdjacentElement("afterend", menu);
    }
    return menu;
  }

  function typed(area) {
    var before = area.value.slice(0, area.selectionStart);
    var match = /(^|[^A-Za-z0-9_.@])@([\w.+-]*)$/.exec(before);
    return match ? match[2].toLowerCase() : null;
  }

  function insert(area, handle) {
    var caret = area.selectionStart;
    var before = area.value.slice(0, caret).replace(/@([\w.+-]*)$/, "@" + handle + " ");
    area.value = before + area.value.slice(caret);
    area.focus();
    area.setSelectionRange(before.length, before.length);
  }

  function show(area) {
    var menu = menuFor(area);
    var query = typed(area);
    if (query === null) {
      menu.classList.add("d-none");
      return;
    }
    load(area.dataset.mentionsUrl).then(function (people) {
      menu.textContent = "";
      people
        .filter(function (p) {
          return p.handle.indexOf(query) === 0 || p.name.toLowerCase().indexOf(query) !== -1;
        })
        .slice(0, 8)
        .forEach(function (p) {
          var item = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.className = "list-group-item list-group-item-action py-1 small";
          button.setAttribute("role", "option");
          button.dataset.handle = p.handle;
          button.textContent = p.name + " (@" + p.handle + ")";
          button.addEventListener("mousedown", function (event) {
            event.preventDefault();
            insert(area, p.handle);
            menu.classList.add("d-none");
          });
          item.appendChild(button);
          menu.appendChild(item);
        });
      menu.classList.toggle("d-none", !menu.children.length);
    });
  }

  document.querySelectorAll("textarea[data-mentions-url]").forEach(function (area) {
    area.addEventListener("input", function () { show(area); });
    area.addEventListener("keydown", function (event) {
      var menu = menuFor(area);
      var first = menu.querySelector("button");
      if (!menu.classList.contains("d-none") && first && (event.key === "Tab" || event.key === "Enter")) {
        event.preventDefault();
        insert(area, first.dataset.handle);
        menu.classList.add("d-none");
      }
      if (event.key === "Escape") { menu.classList.add("d-none"); }
    });
    area.addEventListener("blur", function () { menuFor(area).classList.add("d-none"); });
  });
})();
