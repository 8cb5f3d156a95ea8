// The Gantt's canvas layer: the date axis (sticky, two tiers) and the bars of the rows on
// screen only (virtualized: 10,000 items cost what 40 cost). Phase windows, gates, today,
// status date, baseline ghosts, critical and driving outlines, start-no-earlier-than marks,
// dependency arrows of the visible rows, names beside the bars.
(function () {
  "use strict";
  var G = (window.PlannerGantt = window.PlannerGantt || {});
  var ROW = 26;
  var AXIS = 44;
  var C = {
    done: "#5f9659", in_progress: "#2f7fc1", not_started: "#8fa3b8", late: "#e8892b",
    critical: "#c62828", driving: "#6a1b9a", baseline: "rgba(40,40,40,0.45)",
    summary: "#46525e", phase: "rgba(31,78,121,0.07)", phaseAlt: "rgba(111,66,193,0.06)",
    gate: "#3b4a5a", today: "#d62728", status: "#7b1fa2", link: "rgba(70,70,70,0.6)",
    snet: "#00695c", grid: "#e3e7eb", weekend: "rgba(0,0,0,0.035)", text: "#1f2933",
    select: "rgba(47,127,193,0.14)", preview: "rgba(47,127,193,0.35)"
  };
  var STATUS = ["done", "in_progress", "not_started", "late"];
  var ZOOMS = { day: 30, week: 9, month: 2.4, quarter: 0.85 };

  function Painter(model, chart, axis, text) {
    this.m = model;
    this.chart = chart;
    this.axis = axis;
    this.text = text;
    this.ppd = ZOOMS.week;
    this.left = 0;       // day offset at the chart's left edge
    this.top = 0;        // scroll offset in px
    this.width = 300;
    this.height = 300;
    this.selected = -1;  // item index
    this.selectedLink = -1;
    this.drag = null;    // {kind, item, dx (days), target}
    this.linkHits = [];
    this.lang = document.documentElement.lang || "en";
  }

  Painter.prototype.resize = function (width, height) {
    var ratio = window.devicePixelRatio || 1;
    this.width = Math.max(50, width);
    this.height = Math.max(50, height);
    [[this.chart, this.height], [this.axis, AXIS]].forEach(function (pair) {
      var c = pair[0];
      c.width = Math.round(width * ratio);
      c.height = Math.round(pair[1] * ratio);
      c.style.width = width + "px";
      c.style.height = pair[1] + "px";
      c.getContext("2d").setTransform(ratio, 0, 0, ratio, 0, 0);
    });
  };

  Painter.prototype.x = function (day) { return (day - this.left) * this.ppd; };
  Painter.prototype.dayAt = function (x) { return this.left + x / this.ppd; };
  Painter.prototype.firstRow = function () { return Math.max(0, Math.floor(this.top / ROW)); };
  Painter.prototype.lastRow = function () {
    return Math.min(this.m.rows.length - 1, Math.floor((this.top + this.height) / ROW));
  };
  Painter.prototype.y = function (row) { return row * ROW - this.top; };

  Painter.prototype.draw = function () {
    var ctx = this.chart.getContext("2d");
    ctx.clearRect(0, 0, this.width, this.height);
    ctx.font = "12px system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', sans-serif";
    ctx.textBaseline = "middle";
    this._background(ctx);
    var first = this.firstRow(), last = this.lastRow();
    for (var r = first; r <= last; r++) this._row(ctx, r);
    this._links(ctx, first, last);
    this._marks(ctx);
    this._preview(ctx);
    this.drawAxis();
  };

  Painter.prototype._background = function (ctx) {
    var d0 = Math.floor(this.left), d1 = Math.ceil(this.dayAt(this.width));
    if (this.ppd >= 6) {
      ctx.fillStyle = C.weekend;
      for (var d = d0; d <= d1; d++) {
        if (!this.m.isWorkday(d)) ctx.fillRect(this.x(d), 0, this.ppd, this.height);
      }
    }
    var P = this.m.data.phases;
    for (var p = 0; p < P.key.length; p++) {
      var a = this.x(P.start[p]), b = this.x(P.end[p] + 1);
      if (b < 0 || a > this.width) continue;
      ctx.fillStyle = p % 2 ? C.phaseAlt : C.phase;
      ctx.fillRect(a, 0, b - a, this.height);
    }
    var first = this.firstRow(), last = this.lastRow();
    ctx.fillStyle = C.grid;
    for (var r = first; r <= last; r++) {
      if (this.m.rows[r][0] === 0) ctx.fillRect(0, this.y(r), this.width, 1);
    }
    if (this.selected >= 0 && this.m.rowOf[this.selected] >= 0) {
      ctx.fillStyle = C.select;
      ctx.fillRect(0, this.y(this.m.rowOf[this.selected]), this.width, ROW);
    }
  };

  Painter.prototype._marks = function (ctx) {
    var P = this.m.data.phases;
    ctx.setLineDash([4, 3]);
    ctx.lineWidth = 1.5;
    for (var p = 0; p < P.key.length; p++) {
      var gx = this.x(P.end[p] + 1);
      if (gx < 0 || gx > this.width) continue;
      ctx.strokeStyle = C.gate;
      line(ctx, gx, 0, gx, this.height);
    }
    ctx.setLineDash([]);
    [[this.m.data.today, C.today], [this.m.data.status, C.status]].forEach(function (pair) {
      if (pair[0] === null) return;
      var x = this.x(pair[0]);
      ctx.strokeStyle = pair[1];
      ctx.lineWidth = pair[1] === C.today ? 2 : 1;
      line(ctx, x, 0, x, this.height);
    }, this);
    ctx.lineWidth = 1;
  };

  function line(ctx, x1, y1, x2, y2) {
    ctx.beginPath();
    ctx.moveTo(x1, y1);
    ctx.lineTo(x2, y2);
    ctx.stroke();
  }

  Painter.prototype._row = function (ctx, r) {
    var row = this.m.rows[r];
    var y = this.y(r);
    var span = this.m.span(row);
    var a = this.x(span[0]), b = this.x(span[1] + 1);
    if (row[0] !== 2) {
      // a heading's summary bar with its end caps
      ctx.fillStyle = C.summary;
      ctx.fillRect(a, y + 9, Math.max(2, b - a), 6);
      ctx.fillRect(a, y + 9, 3, 11);
      ctx.fillRect(b - 3, y + 9, 3, 11);
      this._name(ctx, row, b + 6, y + ROW / 2, true);
      return;
    }
    var i = row[1], it = this.m.items;
    if (it.es[i] === null) return;
    if (it.bs[i] !== null && it.bf[i] !== null) {
      ctx.fillStyle = C.baseline;
      var ba = this.x(it.bs[i]), bb = this.x(it.bf[i] + 1);
      ctx.fillRect(ba, y + 19, Math.max(2, bb - ba), 4);
    }
    if (it.kind[i] === 1) {
      this._diamond(ctx, a, y + ROW / 2 - 1, it.crit[i] ? C.critical : C.summary);
      b = a + 7;
    } else {
      ctx.fillStyle = C[STATUS[it.st[i]]];
      ctx.fillRect(a, y + 5, Math.max(2, b - a), 13);
      if (it.pct[i] > 0 && it.pct[i] < 100) {
        ctx.fillStyle = "rgba(10,40,80,0.55)";
        ctx.fillRect(a, y + 15, (b - a) * it.pct[i] / 100, 3);
      }
      if (it.crit[i] || it.drive[i]) {
        ctx.strokeStyle = it.drive[i] ? C.driving : C.critical;
        ctx.lineWidth = 2;
        ctx.strokeRect(a, y + 5, Math.max(2, b - a), 13);
        ctx.lineWidth = 1;
      }
    }
    if (it.ct[i] === 1 && it.cd[i] !== null) this._snet(ctx, this.x(it.cd[i]), y);
    this._name(ctx, row, b + 6, y + ROW / 2, false);
  };

  Painter.prototype._diamond = function (ctx, x, y, colour) {
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.moveTo(x, y - 7);
    ctx.lineTo(x + 7, y);
    ctx.lineTo(x, y + 7);
    ctx.lineTo(x - 7, y);
    ctx.closePath();
    ctx.fill();
  };

  // start-no-earlier-than: a teal bracket with a foot, left of where the bar may start
  Painter.prototype._snet = function (ctx, x, y) {
    ctx.strokeStyle = C.snet;
    ctx.fillStyle = C.snet;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x + 4, y + 2);
    ctx.lineTo(x, y + 2);
    ctx.lineTo(x, y + ROW - 2);
    ctx.lineTo(x + 4, y + ROW - 2);
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(x - 5, y + 2);
    ctx.lineTo(x, y + 6);
    ctx.lineTo(x - 5, y + 10);
    ctx.fill();
    ctx.lineWidth = 1;
  };

  Painter.prototype._name = function (ctx, row, x, y, heading) {
    var label = this.m.label(row, this.text);
    if (x < 2) x = 2;  // the bar starts left of the view: keep its name readable
    if (x > this.width) return;
    ctx.font = (heading ? "600 " : "") + "12px system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', sans-serif";
    ctx.fillStyle = "rgba(255,255,255,0.8)";
    var w = ctx.measureText(label).width;
    ctx.fillRect(x - 2, y - 8, w + 4, 16);
    ctx.fillStyle = C.text;
    ctx.fillText(label, x, y);
    ctx.font = "12px system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', sans-serif";
  };

  // the point where a link leaves or reaches an item: its start or its end
  Painter.prototype._anchor = function (i, atEnd) {
    var it = this.m.items;
    var day = atEnd ? it.ef[i] + 1 : it.es[i];
    if (it.kind[i] === 1) return this.x(it.es[i]) + (atEnd ? 7 : -7);
    return this.x(day);
  };

  Painter.prototype._links = function (ctx, first, last) {
    var L = this.m.data.links, rowOf = this.m.rowOf, it = this.m.items;
    var seen = {};
    this.linkHits = [];
    for (var r = first; r <= last; r++) {
      var row = this.m.rows[r];
      if (row[0] !== 2) continue;
      var list = this.m.linksOf[row[1]] || [];
      for (var j = 0; j < list.length; j++) {
        var k = list[j];
        if (seen[k]) continue;
        seen[k] = true;
        var rp = rowOf[L.p[k]], rs = rowOf[L.s[k]];
        if (rp < 0 || rs < 0 || it.es[L.p[k]] === null || it.es[L.s[k]] === null) continue;
        var type = L.t[k];  // 0 FS, 1 SS, 2 FF, 3 SF
        var fromEnd = type === 0 || type === 2, toEnd = type === 2 || type === 3;
        var x1 = this._anchor(L.p[k], fromEnd), x2 = this._anchor(L.s[k], toEnd);
        var y1 = this.y(rp) + ROW / 2, y2 = this.y(rs) + ROW / 2;
        var xm = x1 + (fromEnd ? 6 : -6);
        var chosen = k === this.selectedLink;
        ctx.strokeStyle = chosen ? "#0d47a1" : (L.crit[k] ? C.critical : C.link);
        ctx.fillStyle = ctx.strokeStyle;
        ctx.lineWidth = chosen ? 3 : 1.2;
        ctx.beginPath();
        ctx.moveTo(x1, y1);
        ctx.lineTo(xm, y1);
        ctx.lineTo(xm, y2);
        ctx.lineTo(x2, y2);
        ctx.stroke();
        var dir = toEnd ? -1 : 1;
        ctx.beginPath();
        ctx.moveTo(x2, y2);
        ctx.lineTo(x2 - 6 * dir, y2 - 4);
        ctx.lineTo(x2 - 6 * dir, y2 + 4);
        ctx.fill();
        this.linkHits.push([k, x1, y1, xm, y2, x2]);
      }
    }
    ctx.lineWidth = 1;
  };

  // the link whose drawn path passes within 5 px of (x, y), or -1
  Painter.prototype.linkAt = function (x, y) {
    for (var h = 0; h < this.linkHits.length; h++) {
      var s = this.linkHits[h];
      if (near(x, y, s[1], s[2], s[3], s[2]) || near(x, y, s[3], s[2], s[3], s[4]) ||
          near(x, y, s[3], s[4], s[5], s[4])) return s[0];
    }
    return -1;
  };

  function near(x, y, x1, y1, x2, y2) {
    var lo = Math.min(x1, x2) - 5, hi = Math.max(x1, x2) + 5;
    var top = Math.min(y1, y2) - 5, bottom = Math.max(y1, y2) + 5;
    return x >= lo && x <= hi && y >= top && y <= bottom;
  }

  Painter.prototype._preview = function (ctx) {
    var d = this.drag;
    if (!d || !d.active) return;
    var it = this.m.items, i = d.item, y = this.y(this.m.rowOf[i]);
    ctx.fillStyle = C.preview;
    ctx.strokeStyle = "#0d47a1";
    ctx.setLineDash([4, 2]);
    if (d.kind === "move") {
      var a = this.x(it.es[i] + d.days), b = this.x(it.ef[i] + 1 + d.days);
      ctx.fillRect(a, y + 3, Math.max(6, b - a), 17);
      ctx.strokeRect(a, y + 3, Math.max(6, b - a), 17);
    } else if (d.kind === "stretch") {
      var s = this.x(it.es[i]), e = this.x(Math.max(it.es[i], it.ef[i] + d.days) + 1);
      ctx.fillRect(s, y + 3, e - s, 17);
      ctx.strokeRect(s, y + 3, e - s, 17);
    } else if (d.kind === "link") {
      ctx.lineWidth = 2;
      line(ctx, this._anchor(i, true), y + ROW / 2, d.x, d.y);
      ctx.lineWidth = 1;
    }
    ctx.setLineDash([]);
  };

  Painter.prototype.drawAxis = function () {
    var ctx = this.axis.getContext("2d");
    ctx.clearRect(0, 0, this.width, AXIS);
    ctx.fillStyle = "#f6f8fa";
    ctx.fillRect(0, 0, this.width, AXIS);
    ctx.font = "12px system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', sans-serif";
    ctx.textBaseline = "middle";
    var tiers = G.axisTiers(this);
    tiers.forEach(function (tier, t) {
      var y0 = t * (AXIS / 2);
      tier.forEach(function (tick) {
        var x = this.x(tick[0]);
        ctx.fillStyle = "#c9d1d9";
        ctx.fillRect(x, y0, 1, AXIS / 2);
        ctx.fillStyle = C.text;
        var next = tick[2] !== undefined ? this.x(tick[2]) : this.width;
        var label = tick[1], at = Math.max(2, x + 3);
        // a label that starts left of the view is pinned at the edge, if it fits there
        if (at + ctx.measureText(label).width + 4 <= next) ctx.fillText(label, at, y0 + AXIS / 4);
      }, this);
    }, this);
    ctx.fillStyle = "#c9d1d9";
    ctx.fillRect(0, AXIS - 1, this.width, 1);
    ctx.fillRect(0, AXIS / 2, this.width, 1);
    var today = this.m.data.today;
    if (today !== null) {
      ctx.fillStyle = C.today;
      ctx.fillRect(this.x(today) - 1, AXIS / 2, 2, AXIS / 2);
    }
  };

  G.Painter = Painter;
  G.ROW = ROW;
  G.AXIS = AXIS;
  G.ZOOMS = ZOOMS;
  G.COLOURS = C;
})();
