// The Gantt page's wiring: toolbar, scrolling in step, wheel and pan, resize, grid splitter,
// columns, phone mode, PNG export and A3 print; then start.
(function () {
  "use strict";
  var G = window.PlannerGantt;
  var Gantt = G.Gantt;

  Gantt.prototype._wire = function () {
    var self = this, root = this.root;
    this.scroller.addEventListener("scroll", function () { self.queue(); }, { passive: true });
    this.hbar.addEventListener("scroll", function () {
      var left = self._extent()[0] + self.hbar.scrollLeft / self.painter.ppd;
      if (Math.abs(left - self.painter.left) * self.painter.ppd >= 1) { self.painter.left = left; self.queue(); }
    }, { passive: true });
    // the wheel over the bars: vertical scrolls the rows (natively), horizontal pans time
    this.q(".gx-plot").addEventListener("wheel", function (e) {
      var dx = e.shiftKey ? e.deltaY : e.deltaX;
      if (dx && Math.abs(dx) >= Math.abs(e.shiftKey ? 0 : e.deltaY)) {
        e.preventDefault();
        self.panBy(dx);
      }
    }, { passive: false });
    root.querySelectorAll("[data-zoom]").forEach(function (b) {
      b.addEventListener("click", function () { self.setZoom(b.getAttribute("data-zoom")); });
    });
    this.q("#gx-fit").addEventListener("change", function (e) {
      if (e.target.value !== "") self.fitPhase(Number(e.target.value));
      e.target.value = "";
    });
    root.querySelectorAll("[data-act]").forEach(function (b) {
      b.addEventListener("click", function () { self.act(b.getAttribute("data-act")); });
    });
    root.querySelectorAll("button[data-mode]").forEach(function (b) {
      b.addEventListener("click", function () { root.setAttribute("data-mode", b.getAttribute("data-mode")); self.layout(); });
    });
    this.q(".gx-search").addEventListener("submit", function (e) {
      e.preventDefault();
      self.search(self.q("#gx-q").value);
    });
    this.q("#gx-q").addEventListener("input", function () { self.searchAt = -1; });
    root.querySelectorAll("[data-col]").forEach(function (box) {
      box.checked = self.columns[box.getAttribute("data-col")];
      box.addEventListener("change", function () {
        self.columns[box.getAttribute("data-col")] = box.checked;
        localStorage.setItem("gx-columns", JSON.stringify(self.columns));
        self.gridWidth = 0;
        self.layout();
      });
    });
    this.rowsEl.addEventListener("click", function (e) { self._gridClick(e); });
    this.rowsEl.addEventListener("wheel", function (e) {
      if (e.deltaY) { self.scroller.scrollTop += e.deltaY; e.preventDefault(); }
    }, { passive: false });
    this._splitter();
    var pending = null;
    var resized = function () {
      if (pending) cancelAnimationFrame(pending);
      pending = requestAnimationFrame(function () { pending = null; self.layout(); });
    };
    if (window.ResizeObserver) new ResizeObserver(resized).observe(this.main);
    window.addEventListener("resize", resized);
    window.addEventListener("afterprint", function () { self.q(".gx-print").hidden = true; });
  };

  Gantt.prototype._gridClick = function (e) {
    var toggle = e.target.closest("[data-toggle]");
    var rowEl = e.target.closest(".gx-row");
    if (toggle) {
      this.model.toggle(toggle.getAttribute("data-toggle"));
      this.layout();
      this.say(this.model.collapsed[toggle.getAttribute("data-toggle")] ? this.text.collapsed : this.text.expanded);
      return;
    }
    if (!rowEl) return;
    var row = this.model.rows[Number(rowEl.getAttribute("data-row"))];
    if (row && row[0] === 2) this.select(row[1]);
  };

  Gantt.prototype._splitter = function () {
    var self = this, split = this.q(".gx-split"), startX = 0, startW = 0;
    split.addEventListener("pointerdown", function (e) {
      startX = e.clientX;
      startW = self.rowsEl.clientWidth;
      split.setPointerCapture(e.pointerId);
      e.preventDefault();
    });
    split.addEventListener("pointermove", function (e) {
      if (!split.hasPointerCapture(e.pointerId)) return;
      self.gridWidth = Math.max(160, startW + e.clientX - startX);
      self.layout();
    });
    split.addEventListener("pointerup", function (e) {
      split.releasePointerCapture(e.pointerId);
      localStorage.setItem("gx-grid-width", String(self.gridWidth));
    });
  };

  Gantt.prototype.act = function (name) {
    if (name === "today") {
      var d = this.model.data.today;
      if (d !== null) { this.painter.left = d - this.painter.width / 3 / this.painter.ppd; this._hbarSize(); this.render(); }
    } else if (name === "reset") {
      this.reset();
      this.say(this.text.resetDone);
    } else if (name === "collapse" || name === "expand") {
      this.model.setAll(name === "collapse");
      this.layout();
      this.say(name === "collapse" ? this.text.collapsed : this.text.expanded);
    } else if (name === "png") {
      this.exportPng();
    } else if (name === "print") {
      this.printA3();
    } else if (this.editor) {
      this.editor.act(name);
    }
  };

  // ---------------------------------------------------------------- export and print

  // the current view (its rows from the top of the screen, its time span) on one canvas:
  // the names and dates beside the bars, at twice the screen's density
  Gantt.prototype.snapshot = function (maxRows) {
    var p = this.painter, m = this.model;
    var first = p.firstRow();
    var count = Math.min(maxRows, m.rows.length - first);
    var nameW = 360, dateW = 170, scale = 2;
    var width = nameW + dateW + p.width, height = G.AXIS + count * G.ROW;
    var out = document.createElement("canvas");
    out.width = width * scale;
    out.height = height * scale;
    var ctx = out.getContext("2d");
    ctx.scale(scale, scale);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, width, height);
    var saved = [p.top, p.height, p.chart];
    var chart = document.createElement("canvas");
    p.chart = chart;
    p.top = first * G.ROW;
    p.height = count * G.ROW;
    chart.width = p.width * scale;
    chart.height = p.height * scale;
    chart.getContext("2d").setTransform(scale, 0, 0, scale, 0, 0);
    p.draw();
    ctx.drawImage(p.axis, nameW + dateW, 0, p.width, G.AXIS);
    ctx.drawImage(chart, nameW + dateW, G.AXIS, p.width, p.height);
    ctx.font = "12px system-ui, 'Noto Sans CJK SC', sans-serif";
    ctx.textBaseline = "middle";
    for (var k = 0; k < count; k++) {
      var row = m.rows[first + k], y = G.AXIS + k * G.ROW + G.ROW / 2, span = m.span(row);
      ctx.fillStyle = row[0] < 2 ? "#1f4e79" : "#1f2933";
      var indent = row[0] === 0 ? 4 : row[0] === 1 ? 14 : 24;
      ctx.fillText(fit(ctx, m.label(row, this.text), nameW - indent - 6), indent, y);
      ctx.fillText(this.dateFmt.format(m.date(span[0])) + " – " + this.dateFmt.format(m.date(span[1])), nameW, y);
      ctx.fillStyle = "#eef0f2";
      ctx.fillRect(0, G.AXIS + (k + 1) * G.ROW - 1, nameW + dateW, 1);
    }
    p.top = saved[0]; p.height = saved[1]; p.chart = saved[2];
    p.draw();
    return out;
  };

  function fit(ctx, text, width) {
    if (ctx.measureText(text).width <= width) return text;
    var lo = 0, hi = text.length;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (ctx.measureText(text.slice(0, mid) + "…").width <= width) lo = mid; else hi = mid - 1;
    }
    return text.slice(0, lo) + "…";
  }

  Gantt.prototype.exportPng = function () {
    var canvas = this.snapshot(80);
    var link = document.createElement("a");
    link.download = "gantt.png";
    link.href = canvas.toDataURL("image/png");
    document.body.appendChild(link);
    link.click();
    link.remove();
    this.say(this.text.exported);
  };

  // one A3 landscape sheet (400 × 277 mm inside its margins): the rows of the current view
  // that fit its height at the snapshot's width, so names print at about 11 pt
  Gantt.prototype.printRows = function () {
    var width = 360 + 170 + this.painter.width;
    return Math.max(8, Math.floor((width * 277 / 400 - G.AXIS) / G.ROW));
  };

  Gantt.prototype.printA3 = function () {
    var img = this.q(".gx-print");
    img.src = this.snapshot(this.printRows()).toDataURL("image/png");
    img.hidden = false;
    window.print();
  };

  function start() {
    var root = document.getElementById("gx");
    if (!root) return;
    var gantt = new Gantt(root);
    window.plannerGantt = gantt;  // for the browser tests and benchmarks
    gantt.load(false).catch(function (err) {
      gantt.say(gantt.text.loadFailed + " (" + err.message + ")", true);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
