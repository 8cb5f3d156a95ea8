// In-page probes of bench/gantt_page_bench.py, one function per section (read by name).
// ---- INTERACTIVE
() => new Promise((done) => {
  const g = window.plannerGantt;
  g.main.focus();
  g.main.dispatchEvent(new KeyboardEvent("keydown", {key: "ArrowDown", bubbles: true}));
  requestAnimationFrame(() => done({ready: g.readyAt, answered: performance.now()}));
})
// ---- SCROLL
(selector) => new Promise((done) => {
  const box = selector ? document.querySelector(selector) : document.scrollingElement;
  const g = window.plannerGantt;
  let renders = [];
  if (g) {
    const render = g.render.bind(g);
    g.render = function () { const t = performance.now(); render(); renders.push(performance.now() - t); };
  }
  box.scrollTop = 0;
  const gaps = [];
  let last = 0;
  function step(now) {
    if (last) gaps.push(now - last);
    last = now;
    if (box.scrollTop + box.clientHeight >= box.scrollHeight - 2) {
      const sorted = gaps.slice().sort((a, b) => a - b);
      const names = g ? [...document.querySelectorAll(".gx-row:not([hidden]) .gx-name")].map((e) => e.textContent) : [];
      done({frames: gaps.length, max: sorted[sorted.length - 1] || 0, p95: sorted[Math.floor(sorted.length * 0.95)] || 0,
            over50: gaps.filter((x) => x > 50).length, renderMax: renders.length ? Math.max(...renders) : null,
            renderP95: renders.length ? renders.slice().sort((a, b) => a - b)[Math.floor(renders.length * 0.95)] : null,
            lastNames: names.slice(-3)});
      return;
    }
    box.scrollTop += 900;
    requestAnimationFrame(step);
  }
  requestAnimationFrame(step);
})
// ---- WATCH_MOVED
() => {
  const g = window.plannerGantt;
  window.__moved = null;
  g.canvas.addEventListener("pointerup", () => { window.__released = performance.now(); }, {capture: true, once: true});
  new MutationObserver((list, observer) => { window.__moved = performance.now() - window.__released; observer.disconnect(); })
    .observe(document.querySelector(".gx-moved-title"), {childList: true, characterData: true, subtree: true});
}
// ---- BAR
async () => {
  const g = window.plannerGantt, m = g.model, p = g.painter;
  let best = -1;
  for (let r = p.firstRow(); r <= p.lastRow(); r++) {
    const row = m.rows[r];
    if (row[0] === 2 && m.items.st[row[1]] === 2 && m.items.kind[row[1]] === 0 && m.items.ef[row[1]] - m.items.es[row[1]] >= 2) { best = row[1]; break; }
  }
  if (best < 0) { for (let i = 0; i < m.n; i++) if (m.items.st[i] === 2 && m.items.kind[i] === 0) { best = i; break; } }
  g.showItem(best);
  g.main.scrollIntoView({block: "start", behavior: "instant"});
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  g.render();
  const rect = g.canvas.getBoundingClientRect(), row = m.rowOf[best];
  return {x: rect.left + (p.x(m.items.es[best]) + p.x(m.items.ef[best] + 1)) / 2,
          y: rect.top + row * 26 - p.top + 13, ppd: p.ppd};
}
