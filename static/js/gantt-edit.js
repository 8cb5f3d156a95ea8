// Editing on the Gantt: drag a bar (start no earlier than), drag its end (duration), drag
// from the dot after a bar to another bar (a dependency, its type chosen after the drop),
// select a dependency and delete it, undo the last edit; each with a keyboard equivalent,
// announced in the page's live region. Every edit is one POST to the chart's edit endpoint,
// which goes through the same services as the forms; the answer says what moved.
(function () {
  "use strict";
  var G = window.PlannerGantt;
  var EDGE = 6;      // px: the end of a bar that stretches it
  var HANDLE = 9;    // px after a bar: the dot that draws a dependency

  function Editor(gantt) {
    this.g = gantt;
    this.canEdit = !!gantt.editUrl;
    this.undoStack = [];
    this.busy = false;
    this.key = null;  // keyboard mode: {kind, item, days | target}
    var canvas = gantt.canvas, self = this;
    canvas.addEventListener("pointerdown", function (e) { self.down(e); });
    canvas.addEventListener("pointermove", function (e) { self.move(e); });
    canvas.addEventListener("pointerup", function (e) { self.up(e); });
    canvas.addEventListener("pointercancel", function () { self.cancel(); });
    gantt.main.addEventListener("keydown", function (e) { self.keydown(e); });
    gantt.q(".gx-linktype").addEventListener("click", function (e) {
      var b = e.target.closest("[data-type]");
      if (b) self.chooseType(b.getAttribute("data-type"));
    });
    gantt.root.querySelectorAll(".gx-edit-only").forEach(function (b) { b.hidden = !self.canEdit; });
  }

  Editor.prototype.point = function (e) {
    var rect = this.g.canvas.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };

  // what is under a point: {item, part: "body" | "end" | "handle"} or null
  Editor.prototype.hit = function (pt) {
    var p = this.g.painter, m = this.g.model;
    var r = Math.floor((pt.y + p.top) / G.ROW);
    var row = m.rows[r];
    if (!row || row[0] !== 2) return null;
    var i = row[1], it = m.items;
    if (it.es[i] === null) return null;
    var a = p.x(it.es[i]), b = it.kind[i] === 1 ? a + 7 : p.x(it.ef[i] + 1);
    if (it.kind[i] === 1) a -= 7;
    if (pt.x >= b && pt.x <= b + HANDLE + 6) return { item: i, part: "handle" };
    if (pt.x >= b - EDGE && pt.x <= b && it.kind[i] === 0 && b - a > 2 * EDGE) return { item: i, part: "end" };
    if (pt.x >= a && pt.x <= b) return { item: i, part: "body" };
    return null;
  };

  Editor.prototype.down = function (e) {
    if (e.button !== undefined && e.button !== 0) return;
    this.hideChooser();
    var pt = this.point(e), hit = this.hit(pt), p = this.g.painter;
    this.g.canvas.setPointerCapture(e.pointerId);
    if (hit && this.canEdit && !this.busy) {
      var kind = hit.part === "handle" ? "link" : hit.part === "end" ? "stretch" : "move";
      if (kind === "move" && this.g.model.items.st[hit.item] < 2) kind = "select";  // started
      p.drag = { kind: kind, item: hit.item, x0: pt.x, y0: pt.y, x: pt.x, y: pt.y, days: 0, active: kind === "link" };
      p.drag.started = kind === "select";
      p.selected = hit.item;
      p.selectedLink = -1;
    } else if (hit) {
      p.drag = { kind: "select", item: hit.item, x0: pt.x, y0: pt.y };
    } else {
      var link = p.linkAt(pt.x, pt.y);
      if (link >= 0) { this.selectLink(link); p.drag = null; return; }
      p.drag = { kind: "pan", x0: pt.x, y0: pt.y, x: pt.x, top: this.g.scroller.scrollTop };
    }
    this.g.render();
  };

  Editor.prototype.move = function (e) {
    var p = this.g.painter, d = p.drag, pt = this.point(e);
    if (!d) { this._cursor(pt); return; }
    if (d.kind === "pan") {
      this.g.panBy(d.x - pt.x);
      d.x = pt.x;
      if (e.pointerType === "touch") this.g.scroller.scrollTop = d.top - (pt.y - d.y0);
      return;
    }
    d.x = pt.x; d.y = pt.y;
    if (d.kind === "move" || d.kind === "stretch") {
      if (!d.active && Math.abs(pt.x - d.x0) > 3) d.active = true;
      d.days = Math.round((pt.x - d.x0) / p.ppd);
    }
    this.g.queue();
  };

  Editor.prototype._cursor = function (pt) {
    var hit = this.canEdit ? this.hit(pt) : null, c = this.g.canvas;
    c.classList.toggle("gx-grab", !!hit && hit.part === "body");
    c.classList.toggle("gx-ew", !!hit && hit.part === "end");
    c.classList.toggle("gx-link", !!hit && hit.part === "handle");
  };

  Editor.prototype.up = function (e) {
    var p = this.g.painter, d = p.drag, pt = this.point(e);
    p.drag = null;
    if (!d) return;
    if (d.kind === "select" || ((d.kind === "move" || d.kind === "stretch") && !d.active)) {
      this.g.select(d.item);
      if (d.started && Math.abs(pt.x - d.x0) > 3) this.g.say(this.g.text.startedNoMove, true);
      return;
    }
    if (d.kind === "move" && d.days) this.commitMove(d.item, d.days);
    else if (d.kind === "stretch" && d.days) this.commitStretch(d.item, d.days);
    else if (d.kind === "link") {
      var target = this.hit(pt);
      if (target && target.item !== d.item) this.askType(d.item, target.item, pt);
      else this.g.say(this.g.text.linkNoTarget);
    }
    this.g.render();
  };

  Editor.prototype.cancel = function () {
    this.g.painter.drag = null;
    this.key = null;
    this.g.render();
  };

  // ---------------------------------------------------------------- edits

  Editor.prototype.commitMove = function (i, days) {
    var m = this.g.model, it = m.items, start = it.es[i] + days;
    this.send({ op: "move", item: it.id[i], version: it.ver[i], start: m.iso(start) },
      this.g.text.movedTo.replace("%(name)s", it.name[i]).replace("%(date)s", this.g.dateFmt.format(m.date(start))));
  };

  Editor.prototype.commitStretch = function (i, days) {
    var m = this.g.model, it = m.items;
    var finish = Math.max(it.es[i], it.ef[i] + days);
    var duration = Math.max(1, m.workdaysSpan(it.es[i], finish));
    if (duration === it.dur[i]) { this.g.say(this.g.text.nothingChanged); return; }
    this.send({ op: "duration", item: it.id[i], version: it.ver[i], days: duration },
      this.g.text.durationTo.replace("%(name)s", it.name[i]).replace("%(n)s", String(duration)));
  };

  Editor.prototype.askType = function (from, to, pt) {
    var box = this.g.q(".gx-linktype"), it = this.g.model.items;
    this.pendingLink = [from, to];
    box.querySelector(".gx-linktype-what").textContent = it.key[from] + " → " + it.key[to];
    box.hidden = false;
    var plot = this.g.q(".gx-plot");
    box.style.left = Math.min(plot.offsetLeft + pt.x, this.g.main.clientWidth - 260) + "px";
    box.style.top = Math.min(G.AXIS + pt.y + 8, this.g.main.clientHeight - 90) + "px";
    box.querySelector("[data-type=FS]").focus();
    this.g.say(this.g.text.chooseType);
  };

  Editor.prototype.hideChooser = function () { this.g.q(".gx-linktype").hidden = true; };

  Editor.prototype.chooseType = function (type) {
    var pair = this.pendingLink;
    this.hideChooser();
    this.pendingLink = null;
    this.g.main.focus();
    if (!pair || !type) { this.g.say(this.g.text.cancelled); return; }
    var it = this.g.model.items;
    this.send({ op: "link", from: it.id[pair[0]], to: it.id[pair[1]], type: type, lag: 0 },
      this.g.text.linked.replace("%(from)s", it.key[pair[0]]).replace("%(to)s", it.key[pair[1]]).replace("%(type)s", type));
  };

  Editor.prototype.selectLink = function (k) {
    var p = this.g.painter, L = this.g.model.data.links, it = this.g.model.items;
    p.selectedLink = k;
    this.g.q("[data-act=unlink]").disabled = k < 0 || !this.canEdit;
    this.g.render();
    if (k >= 0) {
      this.g.say(this.g.text.linkSelected.replace("%(from)s", it.key[L.p[k]]).replace("%(to)s", it.key[L.s[k]])
        .replace("%(type)s", this.g.model.data.linkTypes[L.t[k]]));
    }
  };

  Editor.prototype.unlink = function () {
    var k = this.g.painter.selectedLink;
    if (k < 0 || !this.canEdit) return;
    var L = this.g.model.data.links, it = this.g.model.items;
    this.send({ op: "unlink", dependency: L.id[k] },
      this.g.text.unlinked.replace("%(from)s", it.key[L.p[k]]).replace("%(to)s", it.key[L.s[k]]));
  };

  Editor.prototype.act = function (name) {
    if (name === "undo") this.undo();
    else if (name === "unlink") this.unlink();
  };

  Editor.prototype.undo = function () {
    var last = this.undoStack.pop();
    this.g.q("[data-act=undo]").disabled = !this.undoStack.length;
    if (!last) { this.g.say(this.g.text.nothingToUndo); return; }
    this.send(last, this.g.text.undone, true);
  };

  // POST one edit; show what moved as soon as the answer comes, then reload the data
  Editor.prototype.send = function (body, what, isUndo) {
    var self = this, g = this.g;
    if (this.busy) return Promise.resolve();
    this.busy = true;
    var began = performance.now();
    g.say(g.text.saving);
    return fetch(g.editUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": g.csrf, Accept: "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (answer) { return [r.status, answer]; }, function () { return [r.status, {}]; });
    }).then(function (pair) {
      var answer = pair[1];
      if (pair[0] !== 200 || !answer.ok) {
        g.say(answer.message || g.text.refused + " (" + pair[0] + ") " + g.text.nothingChanged, true);
        self.busy = false;
        return g.load(true);
      }
      // the edited row's new version at once: a next edit before the reload is not stale
      var at = answer.item ? g.model.indexOfId(answer.item) : -1;
      if (at >= 0) g.model.items.ver[at] = answer.version;
      // older undo steps of the same item carry its new row version from now on
      self.undoStack.forEach(function (step) {
        if (answer.item && step.item === answer.item) step.version = answer.version;
      });
      if (!isUndo) {
        self.undoStack.push(answer.undo);
        g.q("[data-act=undo]").disabled = false;
      }
      self.patch(body, answer);
      self.showMoved(what, answer);
      self.lastMs = performance.now() - began;
      g.root.setAttribute("data-edits", String(Number(g.root.getAttribute("data-edits") || 0) + 1));
      self.busy = false;
      return g.load(true);
    }).catch(function (err) {
      self.busy = false;
      g.say(g.text.refused + " (" + err.message + ")", true);
    });
  };

  // the answer's new dates moved at once (the bars follow "what moved"); the data read
  // again after it brings the floats, the critical path and the statuses
  Editor.prototype.patch = function (body, answer) {
    var m = this.g.model, it = m.items;
    if (!answer.dates) return;
    if (!m.byKey) {
      m.byKey = {};
      for (var i = 0; i < m.n; i++) m.byKey[it.key[i]] = i;
    }
    answer.dates.forEach(function (d) {
      var at = m.byKey[d[0]];
      if (at === undefined) return;
      it.es[at] = m.dayOf(d[1]);
      it.ef[at] = m.dayOf(d[2]);
    });
    var edited = answer.item ? m.indexOfId(answer.item) : -1;
    if (edited >= 0) {
      var constraints = m.data.constraints;
      if (body.op === "move") { it.ct[edited] = constraints.indexOf("SNET"); it.cd[edited] = m.dayOf(body.start); }
      else if (body.op === "duration") it.dur[edited] = body.days;
      else if (body.op === "restore") {
        it.dur[edited] = body.duration;
        it.ct[edited] = Math.max(0, constraints.indexOf(body.constraint || ""));
        it.cd[edited] = body.date ? m.dayOf(body.date) : null;
      }
    }
    m._groups();
    m.rebuild();
    this.g.render();
  };

  Editor.prototype.showMoved = function (what, answer) {
    var g = this.g, box = g.q(".gx-moved"), list = g.q(".gx-moved-list");
    var shift = answer.finishShift;
    var finish = shift ? " " + g.text.finishShift.replace("%(n)s", (shift > 0 ? "+" : "") + shift) : "";
    g.q(".gx-moved-title").textContent = what + " — " + answer.message + finish;
    list.innerHTML = answer.moved.map(function (m) {
      var s = m[3] === null ? "" : (m[3] > 0 ? "+" : "") + m[3] + " " + g.text.wd;
      return "<li><strong>" + G.esc(m[0]) + "</strong> " + G.esc(m[1]) + " · " + G.esc(s) + "</li>";
    }).join("");
    box.hidden = false;
    g.say(what + " — " + answer.message + finish);
  };

  // ---------------------------------------------------------------- keyboard

  Editor.prototype.keydown = function (e) {
    if (e.target.closest && e.target.closest("input, select, textarea, .gx-linktype, summary")) return;
    var g = this.g, m = g.model, p = g.painter;
    if (!m) return;
    var k = e.key, handled = true;
    if ((e.ctrlKey || e.metaKey) && (k === "z" || k === "Z")) this.undo();
    else if (this.key) handled = this.modeKey(k, e.shiftKey);
    else if (k === "ArrowDown" || k === "ArrowUp") this.step(k === "ArrowDown" ? 1 : -1);
    else if (k === "PageDown" || k === "PageUp") this.step((k === "PageDown" ? 1 : -1) * Math.floor(p.height / G.ROW));
    else if (k === "Home" || k === "End") this.toRow(k === "Home" ? 0 : m.rows.length - 1);
    else if (k === "ArrowLeft" || k === "ArrowRight") this.openClose(k === "ArrowRight");
    else if (k === "Enter" && this.cursorRow() !== null && m.rows[this.cursorRow()][0] < 2) this.openClose(null);
    else if (k === "+" || k === "=") this.zoomStep(-1);
    else if (k === "-") this.zoomStep(1);
    else if (k === "/") g.q("#gx-q").focus();
    else if (k === "Delete" || k === "Backspace") this.unlink();
    else if ((k === "k" || k === "K") && p.selected >= 0) this.nextLink();
    else if ((k === "m" || k === "d" || k === "l") && p.selected >= 0 && this.canEdit) this.startMode(k);
    else if (k === "Escape") this.cancel();
    else handled = false;
    if (handled) e.preventDefault();
  };

  Editor.prototype.cursorRow = function () {
    var p = this.g.painter, m = this.g.model;
    if (this.rowCursor !== undefined && this.rowCursor !== null && this.rowCursor < m.rows.length) return this.rowCursor;
    return p.selected >= 0 && m.rowOf[p.selected] >= 0 ? m.rowOf[p.selected] : null;
  };

  Editor.prototype.toRow = function (r) {
    var g = this.g, m = g.model, row = m.rows[r];
    this.rowCursor = r;
    g.scrollToRow(r);
    if (row[0] === 2) { g.select(row[1]); return; }
    g.painter.selected = -1;
    g.render();
    g.say(m.label(row, g.text) + " — " + (m.collapsed[m.keyOfRow(row)] ? g.text.closedHeading : g.text.openHeading));
  };

  Editor.prototype.step = function (delta) {
    var r = this.cursorRow();
    var next = r === null ? g0(this.g) : Math.max(0, Math.min(this.g.model.rows.length - 1, r + delta));
    this.toRow(next);
  };

  function g0(g) { return g.painter.firstRow(); }

  Editor.prototype.openClose = function (open) {
    var r = this.cursorRow(), m = this.g.model;
    if (r === null) return;
    var row = m.rows[r];
    if (row[0] === 2) return;
    var key = m.keyOfRow(row);
    m.toggle(key, open === null ? undefined : open);
    this.g.layout();
    this.toRow(Math.min(r, m.rows.length - 1));
  };

  Editor.prototype.zoomStep = function (dir) {
    var order = ["day", "week", "month", "quarter"];
    var at = order.indexOf(this.g.zoom);
    this.g.setZoom(order[Math.max(0, Math.min(3, (at < 0 ? 1 : at) + dir))]);
  };

  Editor.prototype.nextLink = function () {
    var list = this.g.model.linksOf[this.g.painter.selected] || [];
    if (!list.length) { this.g.say(this.g.text.noLinks); return; }
    var at = list.indexOf(this.g.painter.selectedLink);
    this.selectLink(list[(at + 1) % list.length]);
  };

  Editor.prototype.startMode = function (k) {
    var p = this.g.painter, i = p.selected, it = this.g.model.items;
    if (k === "d" && it.kind[i] === 1) { this.g.say(this.g.text.milestoneNoDuration); return; }
    if (k === "m" && it.st[i] < 2) { this.g.say(this.g.text.startedNoMove, true); return; }
    var kind = k === "m" ? "move" : k === "d" ? "stretch" : "link";
    this.key = { kind: kind, item: i, days: 0, target: i };
    if (kind !== "link") p.drag = { kind: kind, item: i, days: 0, active: true };
    this.g.render();
    this.g.say(this.g.text[kind + "Mode"]);
  };

  Editor.prototype.modeKey = function (k, shift) {
    var mode = this.key, p = this.g.painter, g = this.g, m = g.model;
    if (k === "Escape") { this.cancel(); g.say(g.text.cancelled); return true; }
    if (mode.kind !== "link" && (k === "ArrowLeft" || k === "ArrowRight")) {
      mode.days += (k === "ArrowRight" ? 1 : -1) * (shift ? 7 : 1);
      p.drag = { kind: mode.kind, item: mode.item, days: mode.days, active: true };
      g.render();
      var it = m.items;
      var day = mode.kind === "move" ? it.es[mode.item] + mode.days : Math.max(it.es[mode.item], it.ef[mode.item] + mode.days);
      g.say((mode.kind === "move" ? g.text.start : g.text.finish) + ": " + g.dateFmt.format(m.date(day)));
      return true;
    }
    if (mode.kind === "link" && (k === "ArrowDown" || k === "ArrowUp")) {
      var r = m.rowOf[mode.target] + (k === "ArrowDown" ? 1 : -1);
      while (r >= 0 && r < m.rows.length && m.rows[r][0] !== 2) r += k === "ArrowDown" ? 1 : -1;
      if (r < 0 || r >= m.rows.length) return true;
      mode.target = m.rows[r][1];
      g.scrollToRow(r);
      g.render();
      g.say(g.text.linkTo.replace("%(name)s", m.items.name[mode.target]).replace("%(key)s", m.items.key[mode.target]));
      return true;
    }
    if (k === "Enter") {
      this.key = null;
      p.drag = null;
      if (mode.kind === "move" && mode.days) this.commitMove(mode.item, mode.days);
      else if (mode.kind === "stretch" && mode.days) this.commitStretch(mode.item, mode.days);
      else if (mode.kind === "link" && mode.target !== mode.item) {
        var y = (m.rowOf[mode.target] + 1) * G.ROW - p.top;
        this.askType(mode.item, mode.target, { x: Math.max(10, p.x(m.items.es[mode.target])), y: y });
      } else g.say(g.text.nothingChanged);
      g.render();
      return true;
    }
    return false;
  };

  G.Editor = Editor;
})();
