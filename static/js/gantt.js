// The plan pages' filters, and the Gantt page: fetch the columnar data, lay out the task grid (virtualized DOM rows, so
// every name on screen is real text) beside the canvas bars, one vertical scroll for both,
// zoom, fit phase, collapse/expand, search, columns, phone mode, export. Editing is in
// gantt-edit.js. No inline script anywhere (strict CSP); sizes through the CSSOM.
(function () {
  "use strict";
  var G = (window.PlannerGantt = window.PlannerGantt || {});

  // the plan pages (Gantt, table, phases) submit their filter forms on change
  function autoSubmit() {
    document.querySelectorAll(".auto-submit").forEach(function (input) {
      input.addEventListener("change", function () { if (input.form) input.form.submit(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", autoSubmit);
  else autoSubmit();
  var COLUMNS = [
    ["owner", "owner", 110, false], ["dur", "duration", 84, true], ["start", "start", 110, true],
    ["finish", "finish", 110, true], ["float", "float", 84, true]
  ];

  function Gantt(root) {
    this.root = root;
    this.text = JSON.parse(document.getElementById("gx-text").textContent);
    var config = document.getElementById("gx-config");
    this.editUrl = config ? config.getAttribute("data-edit") : "";
    this.csrf = config ? config.getAttribute("data-csrf") : "";
    this.itemUrl = config ? config.getAttribute("data-item-url") : "";
    this.q = function (sel) { return root.querySelector(sel); };
    this.main = this.q(".gx-main");
    this.scroller = this.q(".gx-scroll");
    this.spacer = this.q(".gx-spacer");
    this.view = this.q(".gx-view");
    this.rowsEl = this.q(".gx-rows");
    this.head = this.q(".gx-head");
    this.canvas = this.q(".gx-canvas");
    this.hbar = this.q(".gx-hbar");
    this.hinner = this.q(".gx-hbar-inner");
    this.status = this.q(".gx-status");
    this.columns = this._loadColumns();
    this.gridWidth = Number(localStorage.getItem("gx-grid-width")) || 0;
    this.pool = [];
    this.zoom = "week";
    this.searchAt = -1;
    this.queued = false;
    var lang = document.documentElement.lang || "en";
    this.dateFmt = new Intl.DateTimeFormat(lang, { timeZone: "UTC", year: "2-digit", month: "short", day: "numeric" });
  }

  Gantt.prototype.load = function (keepPlace) {
    var self = this, root = this.root;
    var began = performance.now();
    root.setAttribute("data-loading", "1");
    return fetch(root.getAttribute("data-src"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (data) {
        self._use(data, keepPlace);
        self.loadMs = performance.now() - began;
        root.removeAttribute("data-loading");
      }, function (err) { root.removeAttribute("data-loading"); throw err; });
  };

  Gantt.prototype._use = function (data, keepPlace) {
    var old = this.model;
    var model = new G.Model(data);
    if (old && keepPlace) {
      model.collapsed = old.collapsed;
      model.rebuild();
    }
    var selectedId = old && this.painter.selected >= 0 ? old.items.id[this.painter.selected] : null;
    this.model = model;
    if (!this.painter) {
      this.painter = new G.Painter(model, this.canvas, this.q(".gx-axis"), this.text);
      this.editor = new G.Editor(this);
      this._wire();
      this.layout();
      this.reset();
    } else {
      var left = this.painter.left;
      this.painter.m = model;
      this.painter.selected = selectedId === null ? -1 : model.indexOfId(selectedId);
      this.painter.selectedLink = -1;
      this.painter.left = left;
      this.layout();
    }
    if (!this.readyAt) this.readyAt = performance.now();
    this.root.setAttribute("data-ready", String(model.n));
    this.root.dispatchEvent(new CustomEvent("planner:gantt-ready", { bubbles: true }));
  };

  // ---------------------------------------------------------------- layout and scrolling

  Gantt.prototype.layout = function () {
    var phone = window.innerWidth <= 820;
    var mode = this.root.getAttribute("data-mode");
    if (!phone) mode = "both";
    else if (mode !== "grid" && mode !== "bars") mode = "bars";
    this.root.setAttribute("data-mode", mode === "both" ? "auto" : mode);
    this.root.querySelectorAll("[data-mode]").forEach(function (b) {
      if (b !== this.root) b.classList.toggle("active", b.getAttribute("data-mode") === mode);
    }, this);
    var width = this._gridWidth(phone);
    this.root.style.setProperty("--gx-grid", width + "px");
    this._headCells();
    var total = this.model.rows.length * G.ROW;
    var keep = this.painter.top;  // a resize never loses the place in the rows
    var viewH = this.scroller.clientHeight;
    this.view.style.height = viewH + "px";
    this.spacer.style.height = Math.max(0, total - viewH + 4) + "px";
    if (Math.abs(this.scroller.scrollTop - keep) > 1) this.scroller.scrollTop = Math.min(keep, Math.max(0, total - viewH + 4));
    var plot = this.q(".gx-plot");
    this.painter.resize(plot.clientWidth || this.main.clientWidth - width, viewH);
    this._hbarSize();
    this.render();
  };

  Gantt.prototype._gridWidth = function (phone) {
    var min = 180;
    COLUMNS.forEach(function (c) { if (this.columns[c[0]]) min += c[2]; }, this);
    var width = this.gridWidth || Math.min(min + 120, Math.round(this.main.clientWidth * 0.5));
    if (phone) width = Math.min(width, this.main.clientWidth);
    return Math.max(160, Math.min(width, this.main.clientWidth - 120 > 160 ? this.main.clientWidth - 120 : width));
  };

  Gantt.prototype._headCells = function () {
    var cells = ['<div class="gx-c-name">' + esc(this.text.name) + "</div>"];
    var sig = "";
    COLUMNS.forEach(function (c) {
      if (!this.columns[c[0]]) return;
      sig += c[0];
      cells.push('<div class="gx-w-' + c[0] + (c[3] ? " gx-num" : "") + '">' + esc(this.text[c[1]]) + "</div>");
    }, this);
    if (sig === this.colSig && this.head.firstChild) return;
    this.colSig = sig;
    this.head.innerHTML = cells.join("");
    this.pool.forEach(function (el) { el._r = -1; });
  };

  Gantt.prototype._hbarSize = function () {
    var span = this._extent();
    this.hinner.style.width = Math.max(this.painter.width + 1, (span[1] - span[0]) * this.painter.ppd) + "px";
    this.hbar.scrollLeft = (this.painter.left - span[0]) * this.painter.ppd;
  };

  Gantt.prototype._extent = function () {
    var d = this.model.data, lo = 0, hi = 30;
    var P = d.phases;
    for (var p = 0; p < P.key.length; p++) { lo = Math.min(lo, P.start[p]); hi = Math.max(hi, P.end[p]); }
    this.model.groups.forEach(function (g) { lo = Math.min(lo, g.span[0]); hi = Math.max(hi, g.span[1]); });
    if (d.today !== null) hi = Math.max(hi, d.today);
    return [lo - 14, hi + 30];
  };

  Gantt.prototype.render = function () {
    var p = this.painter;
    p.top = this.scroller.scrollTop;
    p.draw();
    this._gridRows();
  };

  Gantt.prototype.queue = function () {
    if (this.queued) return;
    this.queued = true;
    var self = this;
    requestAnimationFrame(function () { self.queued = false; self.render(); });
  };

  Gantt.prototype._gridRows = function () {
    var p = this.painter, m = this.model;
    var first = p.firstRow(), last = p.lastRow();
    var need = last - first + 1;
    while (this.pool.length < need) {
      var el = document.createElement("div");
      el.className = "gx-row";
      el.setAttribute("role", "listitem");
      this.rowsEl.appendChild(el);
      this.pool.push(el);
    }
    for (var k = 0; k < this.pool.length; k++) {
      var row = this.pool[k], r = first + k;
      if (r > last) { row.hidden = true; continue; }
      row.hidden = false;
      row.style.transform = "translateY(" + (r * G.ROW - p.top) + "px)";
      if (row._r !== r || row._sig !== m.rows[r] || row._sel !== p.selected) this._fillRow(row, r);
    }
  };

  // a pooled row: its cells are made once (when the columns change), then only their text
  Gantt.prototype._cells = function (el) {
    if (el._cols === this.colSig) return;
    var html = ['<div class="gx-c-name"><button type="button" class="gx-toggle"></button><span class="gx-key"></span><span class="gx-name"></span></div>'];
    COLUMNS.forEach(function (c) {
      if (this.columns[c[0]]) html.push('<div class="gx-w-' + c[0] + (c[3] ? " gx-num" : "") + '" data-col="' + c[0] + '"></div>');
    }, this);
    el.innerHTML = html.join("");
    el._name = el.firstChild;
    el._toggle = el._name.firstChild;
    el._key = el._toggle.nextSibling;
    el._label = el._key.nextSibling;
    el._extra = Array.prototype.slice.call(el.children, 1);
    el._cols = this.colSig;
  };

  Gantt.prototype._fillRow = function (el, r) {
    var m = this.model, row = m.rows[r], it = m.items;
    this._cells(el);
    el._r = r; el._sig = row; el._sel = this.painter.selected;
    el.className = "gx-row" + (row[0] < 2 ? " gx-h" + row[0] : "") +
      (row[0] === 2 && row[1] === this.painter.selected ? " gx-sel" : "") +
      (row[0] === 2 && it.crit[row[1]] ? " gx-crit" : "");
    el.setAttribute("data-row", String(r));
    var label = m.label(row, this.text);
    el._name.title = label;
    el._label.textContent = label;
    if (row[0] < 2) {
      var key = m.keyOfRow(row), open = !m.collapsed[key];
      el._toggle.hidden = false;
      el._toggle.setAttribute("data-toggle", key);
      el._toggle.setAttribute("aria-expanded", String(open));
      el._toggle.setAttribute("aria-label", open ? this.text.collapse : this.text.expand);
      el._toggle.textContent = open ? "▾" : "▸";
      el._key.textContent = row[0] === 1 ? "\u2003" : "";
      el._key.className = "gx-key gx-indent";
    } else {
      el._toggle.hidden = true;
      el._key.textContent = it.key[row[1]];
      el._key.className = "gx-key";
    }
    var span = m.span(row);
    for (var c = 0; c < el._extra.length; c++) {
      el._extra[c].textContent = this._cell(el._extra[c].getAttribute("data-col"), row, span);
    }
  };

  Gantt.prototype._cell = function (col, row, span) {
    var m = this.model, it = m.items, i = row[1];
    if (col === "start") return span[0] === null ? "" : this.dateFmt.format(m.date(span[0]));
    if (col === "finish") return span[1] === null ? "" : this.dateFmt.format(m.date(span[1]));
    if (row[0] !== 2) return col === "dur" ? m.workdaysSpan(span[0], span[1]) + " " + this.text.wd : "";
    if (col === "owner") return it.owner[i] >= 0 ? m.data.owners[it.owner[i]] : "";
    if (col === "dur") return it.dur[i] + " " + this.text.wd;
    if (col === "float") return it.tf[i] === null ? "" : it.tf[i] + " " + this.text.wd;
    return "";
  };

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // ---------------------------------------------------------------- view commands

  Gantt.prototype.setZoom = function (zoom, centreDay) {
    var p = this.painter;
    var centre = centreDay === undefined ? p.dayAt(p.width / 2) : centreDay;
    this.zoom = zoom;
    p.ppd = G.ZOOMS[zoom];
    p.left = centre - p.width / 2 / p.ppd;
    this.root.querySelectorAll("[data-zoom]").forEach(function (b) {
      b.classList.toggle("active", b.getAttribute("data-zoom") === zoom);
      b.setAttribute("aria-pressed", String(b.getAttribute("data-zoom") === zoom));
    });
    this._hbarSize();
    this.render();
    var button = this.root.querySelector('[data-zoom="' + zoom + '"]');
    this.say(this.text.zoomed.replace("%(zoom)s", button ? button.textContent : zoom));
  };

  Gantt.prototype.fitPhase = function (p) {
    var P = this.model.data.phases, painter = this.painter;
    var days = P.end[p] - P.start[p] + 1;
    painter.ppd = Math.max(0.3, (painter.width - 40) / days);
    painter.left = P.start[p] - 20 / painter.ppd;
    this.root.querySelectorAll("[data-zoom]").forEach(function (b) { b.classList.remove("active"); });
    this._hbarSize();
    this.render();
    this.say(this.text.fitted.replace("%(phase)s", P.name[p]));
  };

  // week zoom, first row at the top, the view starting a few days before its first bar
  Gantt.prototype.reset = function () {
    this.scroller.scrollTop = 0;
    this.painter.top = 0;
    var m = this.model, start = Infinity;
    for (var r = 0; r <= this.painter.lastRow(); r++) start = Math.min(start, m.span(m.rows[r])[0]);
    if (start === Infinity) start = this._extent()[0];
    this.painter.ppd = G.ZOOMS.week;
    this.setZoom("week", start - 3 + this.painter.width / 2 / this.painter.ppd);
  };

  Gantt.prototype.panBy = function (px) {
    this.painter.left += px / this.painter.ppd;
    this.hbar.scrollLeft = (this.painter.left - this._extent()[0]) * this.painter.ppd;
    this.queue();
  };

  Gantt.prototype.scrollToRow = function (r) {
    var top = r * G.ROW, h = this.scroller.clientHeight;
    if (top < this.scroller.scrollTop || top + G.ROW > this.scroller.scrollTop + h) {
      this.scroller.scrollTop = Math.max(0, top - h / 3);
    }
  };

  // show an item: open its groups, scroll to its row and its bar, select it
  Gantt.prototype.showItem = function (i) {
    var r = this.model.reveal(i);
    this.layout();
    this.scrollToRow(r);
    var it = this.model.items, p = this.painter;
    if (it.es[i] !== null && (p.x(it.es[i]) < 0 || p.x(it.ef[i]) > p.width)) {
      p.left = it.es[i] - 40 / p.ppd;
      this._hbarSize();
    }
    this.select(i);
  };

  Gantt.prototype.select = function (i) {
    this.painter.selected = i;
    this.render();
    if (i >= 0) {
      var it = this.model.items, m = this.model;
      this.say(this.text.selected.replace("%(name)s", it.name[i]).replace("%(key)s", it.key[i])
        .replace("%(start)s", this.dateFmt.format(m.date(it.es[i]))).replace("%(finish)s", this.dateFmt.format(m.date(it.ef[i]))));
    }
  };

  Gantt.prototype.search = function (query) {
    var found = this.model.find(query, this.searchAt);
    if (found < 0) { this.say(this.text.notFound.replace("%(q)s", query)); return; }
    this.searchAt = found;
    this.showItem(found);
  };

  Gantt.prototype.say = function (message, refused) {
    this.status.textContent = message;
    this.status.classList.toggle("gx-refused", !!refused);
  };

  Gantt.prototype._loadColumns = function () {
    var saved = {};
    try { saved = JSON.parse(localStorage.getItem("gx-columns") || "{}"); } catch (e) { saved = {}; }
    var columns = {};
    COLUMNS.forEach(function (c) { columns[c[0]] = saved[c[0]] !== false; });
    if (window.innerWidth <= 820 && !localStorage.getItem("gx-columns")) {
      columns.owner = columns.float = columns.finish = columns.dur = false;
    }
    return columns;
  };

  G.Gantt = Gantt;
  G.esc = esc;
})();
