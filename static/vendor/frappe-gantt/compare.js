// bench/gantt_page_bench.py: draw the Gantt data of ?src= with frappe-gantt and note when done
(function () {
  "use strict";
  var began = performance.now();
  var src = new URLSearchParams(location.search).get("src");
  fetch(src, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
    var it = data.items, origin = Date.parse(data.origin + "T00:00:00Z"), tasks = [];
    var preds = {};
    for (var k = 0; k < data.links.id.length; k++) {
      (preds[data.links.s[k]] = preds[data.links.s[k]] || []).push("t" + it.id[data.links.p[k]]);
    }
    function iso(d) { return new Date(origin + d * 86400000).toISOString().slice(0, 10); }
    for (var i = 0; i < it.id.length; i++) {
      if (it.es[i] === null) continue;
      tasks.push({ id: "t" + it.id[i], name: it.name[i], start: iso(it.es[i]), end: iso(it.ef[i]),
                   progress: it.pct[i], dependencies: (preds[i] || []).join(",") });
    }
    var fetched = performance.now();
    new Gantt("#g", tasks, { view_mode: "Week", readonly: false });
    requestAnimationFrame(function () {
      window.__compare = { fetchedMs: fetched - began, readyMs: performance.now() - began,
                           nodes: document.getElementsByTagName("*").length };
    });
  });
})();
