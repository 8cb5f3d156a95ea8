// The Gantt's model: the columnar payload of /plan/gantt/data turned into rows (phase and
// workstream headings, items), collapse state, the working calendar and date helpers.
// No drawing here (gantt-draw.js) and no input (gantt-edit.js).
(function () {
  "use strict";
  var G = (window.PlannerGantt = window.PlannerGantt || {});
  var DAY_MS = 86400000;

  function Model(data) {
    this.data = data;
    this.items = data.items;
    this.n = data.items.id.length;
    this.origin = Date.parse(data.origin + "T00:00:00Z");
    this.collapsed = {};
    this._calendar(data.calendar);
    this._groups();
    this._links();
    this.rebuild();
  }

  Model.prototype._calendar = function (cal) {
    this.workdays = {};
    var self = this;
    cal.workdays.forEach(function (d) { self.workdays[d] = true; });
    this.off = {};
    this.on = {};
    cal.off.forEach(function (d) { self.off[d] = true; });
    cal.on.forEach(function (d) { self.on[d] = true; });
  };

  // a day offset is a working day of the program's calendar (Monday = 0 as in Python)
  Model.prototype.isWorkday = function (d) {
    if (this.on[d]) return true;
    if (this.off[d]) return false;
    if (this.originWeekday === undefined) this.originWeekday = (new Date(this.origin).getUTCDay() + 6) % 7;
    return !!this.workdays[(((this.originWeekday + d) % 7) + 7) % 7];
  };

  // working days from a to b inclusive (a <= b), as a task's duration: a prefix sum over
  // the plan's days, so a heading spanning a year costs no more than a task
  Model.prototype.workdaysSpan = function (a, b) {
    if (!this._cum || a < this._lo || b >= this._lo + this._cum.length - 1) this._prefix(a, b);
    return this._cum[b - this._lo + 1] - this._cum[a - this._lo];
  };

  Model.prototype._prefix = function (a, b) {
    var lo = Math.min(a, this._lo === undefined ? a : this._lo, -30) - 400;
    var hi = Math.max(b, this._hi || b, 800) + 800;
    var cum = new Int32Array(hi - lo + 2);
    for (var d = lo; d <= hi; d++) cum[d - lo + 1] = cum[d - lo] + (this.isWorkday(d) ? 1 : 0);
    this._lo = lo;
    this._hi = hi;
    this._cum = cum;
  };

  Model.prototype.iso = function (d) {
    return new Date(this.origin + d * DAY_MS).toISOString().slice(0, 10);
  };

  Model.prototype.dayOf = function (iso) {
    return Math.round((Date.parse(iso + "T00:00:00Z") - this.origin) / DAY_MS);
  };

  Model.prototype.date = function (d) { return new Date(this.origin + d * DAY_MS); };

  // groups: phase -> workstream -> items, in the plan's order
  Model.prototype._groups = function () {
    var it = this.items;
    var phases = [];
    var byPhase = {};
    for (var i = 0; i < this.n; i++) {
      var p = it.phase[i];
      var group = byPhase[p];
      if (!group) {
        group = byPhase[p] = { phase: p, streams: [], byWs: {} };
        phases.push(group);
      }
      var w = it.ws[i];
      var stream = group.byWs[w];
      if (!stream) {
        stream = group.byWs[w] = { ws: w, items: [] };
        group.streams.push(stream);
      }
      stream.items.push(i);
    }
    phases.sort(function (a, b) { return a.phase - b.phase; });
    this.groups = phases;
    phases.forEach(function (g) {
      g.streams.forEach(function (s) { s.span = spanOf(it, s.items); });
      var all = [];
      g.streams.forEach(function (s) { all.push(s.span[0], s.span[1]); });
      g.span = [Math.min.apply(null, all), Math.max.apply(null, all)];
    });
  };

  function spanOf(it, list) {
    var lo = Infinity, hi = -Infinity;
    list.forEach(function (i) {
      if (it.es[i] !== null && it.es[i] < lo) lo = it.es[i];
      if (it.ef[i] !== null && it.ef[i] > hi) hi = it.ef[i];
    });
    return [lo === Infinity ? 0 : lo, hi === -Infinity ? 0 : hi];
  }

  Model.prototype._links = function () {
    var L = this.data.links;
    this.linksOf = new Array(this.n);
    for (var k = 0; k < L.id.length; k++) {
      (this.linksOf[L.p[k]] = this.linksOf[L.p[k]] || []).push(k);
      (this.linksOf[L.s[k]] = this.linksOf[L.s[k]] || []).push(k);
    }
  };

  // rows: [kind, a, b] with kind 0 = phase heading (a = group), 1 = workstream heading
  // (a = group, b = stream), 2 = item (a = item index)
  Model.prototype.rebuild = function () {
    var rows = [];
    var rowOf = new Int32Array(this.n).fill(-1);
    var self = this;
    this.groups.forEach(function (g, gi) {
      rows.push([0, gi, -1]);
      if (self.collapsed["p" + g.phase]) return;
      g.streams.forEach(function (s, si) {
        rows.push([1, gi, si]);
        if (self.collapsed["w" + g.phase + ":" + s.ws]) return;
        s.items.forEach(function (i) {
          rowOf[i] = rows.length;
          rows.push([2, i, -1]);
        });
      });
    });
    this.rows = rows;
    this.rowOf = rowOf;
  };

  Model.prototype.keyOfRow = function (row) {
    if (row[0] === 0) return "p" + this.groups[row[1]].phase;
    if (row[0] === 1) return "w" + this.groups[row[1]].phase + ":" + this.groups[row[1]].streams[row[2]].ws;
    return null;
  };

  Model.prototype.toggle = function (key, open) {
    if (open === undefined) open = !!this.collapsed[key];
    if (open) delete this.collapsed[key]; else this.collapsed[key] = true;
    this.rebuild();
  };

  Model.prototype.setAll = function (collapsed) {
    var self = this;
    this.collapsed = {};
    if (collapsed) this.groups.forEach(function (g) {
      g.streams.forEach(function (s) { self.collapsed["w" + g.phase + ":" + s.ws] = true; });
    });
    this.rebuild();
  };

  // make an item's row visible (open its phase and workstream)
  Model.prototype.reveal = function (i) {
    var it = this.items;
    delete this.collapsed["p" + it.phase[i]];
    delete this.collapsed["w" + it.phase[i] + ":" + it.ws[i]];
    this.rebuild();
    return this.rowOf[i];
  };

  // span (first and last day) and label of any row
  Model.prototype.span = function (row) {
    if (row[0] === 0) return this.groups[row[1]].span;
    if (row[0] === 1) return this.groups[row[1]].streams[row[2]].span;
    return [this.items.es[row[1]], this.items.ef[row[1]]];
  };

  Model.prototype.label = function (row, text) {
    if (row[0] === 0) {
      var p = this.groups[row[1]].phase;
      return p >= 0 ? this.data.phases.name[p] : "—";
    }
    if (row[0] === 1) {
      var ws = this.groups[row[1]].streams[row[2]].ws;
      return ws >= 0 ? this.data.ws[ws] : text.noWorkstream;
    }
    return this.items.name[row[1]];
  };

  Model.prototype.find = function (query, after) {
    var q = query.trim().toLowerCase();
    if (!q) return -1;
    var it = this.items;
    for (var k = 1; k <= this.n; k++) {
      var i = (after + k) % this.n;
      if (it.name[i].toLowerCase().indexOf(q) >= 0 || it.key[i].toLowerCase().indexOf(q) >= 0) return i;
    }
    return -1;
  };

  Model.prototype.indexOfId = function (id) {
    if (!this._byId) {
      this._byId = {};
      for (var i = 0; i < this.n; i++) this._byId[this.items.id[i]] = i;
    }
    var found = this._byId[id];
    return found === undefined ? -1 : found;
  };

  G.Model = Model;
  G.DAY_MS = DAY_MS;
})();
