// The Gantt's date axis: two tiers of ticks for the visible days, chosen by the zoom
// (days under months, weeks under months, months under years, quarters under years), with
// dates written in the page's language (Intl).
(function () {
  "use strict";
  var G = (window.PlannerGantt = window.PlannerGantt || {});
  var formats = {};

  function fmt(lang, options) {
    var key = lang + JSON.stringify(options);
    if (!formats[key]) formats[key] = new Intl.DateTimeFormat(lang, Object.assign({ timeZone: "UTC" }, options));
    return formats[key];
  }

  function utc(y, m, d) { return Date.UTC(y, m, d); }

  // ticks [dayOffset, label, nextDayOffset] at unit starts between two days
  function ticks(p, lo, hi, unit, label) {
    var out = [];
    var start = p.m.date(lo);
    var y = start.getUTCFullYear(), m = start.getUTCMonth(), d = start.getUTCDate();
    var t;
    if (unit === "day") t = utc(y, m, d);
    else if (unit === "week") t = utc(y, m, d - ((start.getUTCDay() + 6) % 7));
    else if (unit === "month") t = utc(y, m, 1);
    else if (unit === "quarter") t = utc(y, m - (m % 3), 1);
    else t = utc(y, 0, 1);
    var guard = 0;
    while (guard++ < 2000) {
      var date = new Date(t);
      var day = Math.round((t - p.m.origin) / G.DAY_MS);
      if (day > hi) break;
      var next = step(date, unit);
      out.push([day, label(date), Math.round((next - p.m.origin) / G.DAY_MS)]);
      t = next;
    }
    return out;
  }

  function step(date, unit) {
    var y = date.getUTCFullYear(), m = date.getUTCMonth(), d = date.getUTCDate();
    if (unit === "day") return utc(y, m, d + 1);
    if (unit === "week") return utc(y, m, d + 7);
    if (unit === "month") return utc(y, m + 1, 1);
    if (unit === "quarter") return utc(y, m + 3, 1);
    return utc(y + 1, 0, 1);
  }

  G.axisTiers = function (p) {
    var lang = p.lang;
    var lo = Math.floor(p.left) - 1, hi = Math.ceil(p.dayAt(p.width)) + 1;
    var monthYear = fmt(lang, { year: "numeric", month: "long" });
    var year = fmt(lang, { year: "numeric" });
    var quarterOf = function (d) { return p.text.quarter.replace("%(q)s", String(Math.floor(d.getUTCMonth() / 3) + 1)); };
    if (p.ppd >= 20) {
      var dayNum = fmt(lang, { day: "numeric" });
      return [ticks(p, lo, hi, "month", monthYear.format.bind(monthYear)),
              ticks(p, lo, hi, "day", dayNum.format.bind(dayNum))];
    }
    if (p.ppd >= 5) {
      var dayMonth = fmt(lang, { day: "numeric", month: "short" });
      return [ticks(p, lo, hi, "month", monthYear.format.bind(monthYear)),
              ticks(p, lo, hi, "week", dayMonth.format.bind(dayMonth))];
    }
    if (p.ppd >= 1.5) {
      var month = fmt(lang, { month: "short" });
      return [ticks(p, lo, hi, "year", year.format.bind(year)),
              ticks(p, lo, hi, "month", month.format.bind(month))];
    }
    return [ticks(p, lo, hi, "year", year.format.bind(year)), ticks(p, lo, hi, "quarter", quarterOf)];
  };
})();
