(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("site-data").textContent);
  var SVGNS = "http://www.w3.org/2000/svg";
  var collator = new Intl.Collator("fi", {numeric: true, sensitivity: "base"});
  var eur = new Intl.NumberFormat("fi-FI", {maximumFractionDigits: 0});
  // The official record of a project with an EURA code (the registry's public page address).
  var REGISTRY = "https://www.eura2014.fi/rrtiepa/projekti.php?projektikoodi=";
  // A whole number with narrow no-break spaces (U+202F) between thousands, as site.py's `num`: "1 637".
  function num(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f"); }

  function add(el, kids) {
    kids.forEach(function (k) {
      if (k === null || k === undefined || k === false) return;
      if (Array.isArray(k)) { add(el, k); return; }
      el.appendChild(k instanceof Node ? k : document.createTextNode(String(k)));
    });
    return el;
  }
  function h(tag, attrs) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "class") el.className = v;
      else if (k.slice(0, 2) === "on") el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? "" : v);
    });
    return add(el, Array.prototype.slice.call(arguments, 2));
  }
  function s(tag, attrs) {
    var el = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] !== null && attrs[k] !== undefined) el.setAttribute(k, attrs[k]);
    });
    return add(el, Array.prototype.slice.call(arguments, 2));
  }
  var measure = document.createElement("canvas").getContext("2d");
  function fit(text, px) {
    // The longest start of `text` that fits in `px` pixels at the charts' label font.
    measure.font = "12px " + getComputedStyle(document.body).fontFamily;
    text = String(text);
    if (measure.measureText(text).width <= px) return text;
    var n = text.length;
    while (n > 1 && measure.measureText(text.slice(0, n) + "…").width > px) n--;
    return text.slice(0, n).trim() + "…";
  }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  // ---- projects -------------------------------------------------------------------------------------------
  var cols = D.projects.columns;
  var projects = D.projects.rows.map(function (row) {
    var p = {};
    cols.forEach(function (c, i) { p[c] = row[i]; });
    return p;
  });
  var byId = {};
  projects.forEach(function (p) {
    byId[p.project_id] = p;
    var funders = (D.projectFunders[p.project_id] || []).slice().sort(function (a, b) {
      return collator.compare(a[0], b[0]) || collator.compare(funderLabel(a[1]), funderLabel(b[1]));
    });
    var seen = {};
    p._funders = [];
    funders.forEach(function (f) { var l = funderLabel(f[1]); if (!seen[l]) { seen[l] = 1; p._funders.push(l); } });
    p._themes = D.themes[p.project_id] || [];
    p._places = (D.projectMunicipalities[p.project_id] || []).map(function (m) {
      return (D.municipalities[m[0]] || [m[0]])[0];
    }).concat((D.projectAreas[p.project_id] || []).map(function (a) { return (D.areas[a[0]] || [null, a[0]])[1]; }));
    p._orgs = (D.projectOrganisations[p.project_id] || []).map(function (o) {
      return (D.organisations[o[1]] || [o[2]])[0];
    });
    p._lead = p.lead_implementer || "";
    p._haystack = [p.project_id, p.name, p.acronym, p.eura_code, p.lead_implementer, p.implementers_text,
      p.funding_text, p.period_text, p.target_groups].concat(p._funders, p._themes, p._places, p._orgs)
      .filter(Boolean).join(" \u0001 ").toLocaleLowerCase("fi");
  });
  function funderLabel(id) { var f = D.funders[id]; return f ? (f[2] || f[0] || id) : id; }
  function funderName(id) { var f = D.funders[id]; return f ? f[0] + (f[2] ? " (" + f[2] + ")" : "") : id; }
  function period(p) {
    if (p.start_year === null && p.end_year === null) return p.period_text || "";
    if (p.start_year !== null && p.end_year !== null && p.start_year !== p.end_year) {
      return p.start_year + "–" + p.end_year;
    }
    return String(p.start_year !== null ? p.start_year : "–" + p.end_year);
  }

  // ---- charts ---------------------------------------------------------------------------------------------
  var redraws = [];
  function barChart(id, items, limit) {
    var fig = document.getElementById(id);
    var box = fig.querySelector(".chart");
    var expanded = false;
    function draw() {
      var W = Math.floor(box.clientWidth);
      if (!W) return;
      var shown = expanded ? items : items.slice(0, limit);
      var rowH = 24, labelW = Math.min(Math.round(W * 0.42), 210), numW = 34;
      var max = Math.max.apply(null, [1].concat(items.map(function (i) { return i[2]; })));
      var barMax = Math.max(10, W - labelW - numW - 10);
      var H = shown.length * rowH + 6;
      var svg = s("svg", {width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img",
        "aria-label": fig.querySelector("figcaption").textContent, "data-bars": items.length});
      shown.forEach(function (it, i) {
        var y = 3 + i * rowH, w = Math.max(2, barMax * it[2] / max);
        svg.appendChild(s("g", {"class": "row"},
          s("title", {}, it[3] + ": " + plural(it[2], "project", "projects")),
          s("text", {x: labelW - 8, y: y + rowH / 2, "text-anchor": "end", "dominant-baseline": "central"},
            fit(it[1], labelW - 12)),
          s("rect", {"class": "bar", x: labelW, y: y + 4, width: w.toFixed(1), height: rowH - 8, rx: 3,
            "data-key": it[0], "data-label": it[1], "data-count": it[2]}),
          s("text", {"class": "val", x: (labelW + w + 5).toFixed(1), y: y + rowH / 2, "dominant-baseline": "central"},
            it[2])));
      });
      var kids = [svg];
      if (items.length > limit) {
        kids.push(h("button", {"class": "more", type: "button", "aria-expanded": expanded ? "true" : "false",
          onclick: function () { expanded = !expanded; draw(); }},
          expanded ? "Show the top " + limit : "Show all " + items.length));
      }
      box.replaceChildren.apply(box, kids);
    }
    redraws.push(draw);
    draw();
  }

  function years() {
    var out = {}, lo = Infinity, hi = -Infinity;
    projects.forEach(function (p) {
      var a = p.start_year !== null ? p.start_year : p.end_year, b = p.end_year !== null ? p.end_year : p.start_year;
      if (a === null) return;
      if (b < a) b = a;
      lo = Math.min(lo, a); hi = Math.max(hi, b);
      for (var y = a; y <= b; y++) { out[y] = out[y] || [0, 0]; out[y][0]++; }
      if (p.start_year !== null) { out[p.start_year] = out[p.start_year] || [0, 0]; out[p.start_year][1]++; }
    });
    var rows = [];
    for (var y = lo; y <= hi; y++) rows.push([y].concat(out[y] || [0, 0]));
    return rows;
  }

  function timeline() {
    var fig = document.getElementById("chart-timeline");
    var box = fig.querySelector(":scope > .chart");
    var rows = years();
    function draw() {
      var W = Math.floor(box.clientWidth);
      if (!W || !rows.length) return;
      var H = 220, left = 34, bottom = 24, top = 18, right = 6;
      var max = Math.max.apply(null, [1].concat(rows.map(function (r) { return r[1]; })));
      var step = Math.pow(10, Math.floor(Math.log10(max))) || 1;
      if (max / step < 3) step /= 2;
      var slot = (W - left - right) / rows.length, bw = Math.min(56, Math.max(4, slot * 0.66));
      var y = function (v) { return top + (H - top - bottom) * (1 - v / max); };
      var svg = s("svg", {width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img",
        "aria-label": "Projects running per year", "data-bars": rows.length});
      for (var t = 0; t <= max; t += step) {
        svg.appendChild(s("line", {"class": "grid-line", x1: left, x2: W - right, y1: y(t), y2: y(t)}));
        svg.appendChild(s("text", {"class": "axis", x: left - 6, y: y(t), "text-anchor": "end",
          "dominant-baseline": "central"}, t));
      }
      var every = slot < 34 ? 2 : 1;
      rows.forEach(function (r, i) {
        var x = left + i * slot + (slot - bw) / 2;
        svg.appendChild(s("g", {},
          s("title", {}, r[0] + ": " + plural(r[1], "project", "projects") + " running, " + r[2] + " started"),
          s("rect", {"class": "bar", x: x.toFixed(1), y: y(r[1]).toFixed(1), width: bw.toFixed(1),
            height: (y(0) - y(r[1])).toFixed(1), rx: 2, "data-key": r[0], "data-count": r[1]}),
          s("rect", {"class": "bar start", x: (x + bw * 0.25).toFixed(1), y: y(r[2]).toFixed(1),
            width: (bw * 0.5).toFixed(1), height: (y(0) - y(r[2])).toFixed(1), rx: 2,
            "data-key": r[0], "data-started": r[2]}),
          slot > 22 ? s("text", {"class": "val", x: (x + bw / 2).toFixed(1), y: y(r[1]) - 6, "text-anchor": "middle"},
            r[1]) : null,
          i % every === 0 ? s("text", {"class": "axis", x: (x + bw / 2).toFixed(1), y: H - 6, "text-anchor": "middle"},
            r[0]) : null));
      });
      box.replaceChildren(
        h("div", {"class": "legend"}, h("span", {}, h("i", {style: "background:var(--accent-2)"}), "running"),
          h("span", {}, h("i", {style: "background:var(--accent)"}), "started that year")),
        svg);
    }
    redraws.push(draw);
    draw();
  }

  function decimalYear(date, year, end) {
    if (date) {
      var d = new Date(date + "T00:00:00Z"), y = d.getUTCFullYear();
      var start = Date.UTC(y, 0, 1), next = Date.UTC(y + 1, 0, 1);
      return y + ((d.getTime() - start) + (end ? 86400000 : 0)) / (next - start);
    }
    return year === null ? null : year + (end ? 1 : 0);
  }

  function gantt() {
    var det = document.getElementById("gantt");
    var box = det.querySelector(".chart");
    var spans = projects.map(function (p) {
      var a = decimalYear(p.start_date, p.start_year, false), b = decimalYear(p.end_date, p.end_year, true);
      if (a === null && b === null) return null;
      if (a === null) a = b - 1;
      if (b === null) b = a + 1;
      return [a, b, p];
    }).filter(Boolean).sort(function (x, y) {
      return x[0] - y[0] || x[1] - y[1] || collator.compare(x[2].name, y[2].name) ||
        (x[2].project_id < y[2].project_id ? -1 : 1);
    });
    var missing = projects.length - spans.length;
    function draw() {
      var W = Math.floor(box.clientWidth);
      if (!W || !det.open || !spans.length) return;
      var lo = Math.floor(Math.min.apply(null, spans.map(function (x) { return x[0]; })));
      var hi = Math.ceil(Math.max.apply(null, spans.map(function (x) { return x[1]; })));
      var rowH = 5, top = 20, left = 4, right = 4, H = top + spans.length * rowH + 6;
      var sx = function (v) { return left + (W - left - right) * (v - lo) / (hi - lo); };
      var svg = s("svg", {width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img",
        "aria-label": "Project periods"});
      var every = (W - left - right) / (hi - lo) < 34 ? 2 : 1;
      for (var yr = lo; yr <= hi; yr++) {
        svg.appendChild(s("line", {"class": "grid-line", x1: sx(yr), x2: sx(yr), y1: top - 4, y2: H}));
        if (yr < hi && (yr - lo) % every === 0) svg.appendChild(s("text", {"class": "axis", x: sx(yr) + 3, y: 12}, yr));
      }
      spans.forEach(function (x, i) {
        var p = x[2];
        var a = s("a", {href: "#p=" + encodeURIComponent(p.project_id)},
          s("title", {}, p.name + " (" + (p.period_text || period(p)) + ")"),
          s("rect", {"class": "span", x: sx(x[0]).toFixed(1), y: top + i * rowH,
            width: Math.max(2, sx(x[1]) - sx(x[0])).toFixed(1), height: rowH - 1, rx: 1,
            "data-project-id": p.project_id}));
        svg.appendChild(a);
      });
      var kids = [svg];
      if (missing) {
        kids.push(h("p", {"class": "note"}, plural(missing, "project has", "projects have") + " no stated period."));
      }
      box.replaceChildren.apply(box, kids);
    }
    det.addEventListener("toggle", draw);
    redraws.push(draw);
  }

  barChart("chart-themes", D.charts.themes, 10);
  barChart("chart-regions", D.charts.regions, 10);
  barChart("chart-municipalities", D.charts.municipalities, 15);
  barChart("chart-funders", D.charts.funders, 15);
  timeline();
  gantt();
  var lastWidth = window.innerWidth, pending = false;
  window.addEventListener("resize", function () {
    if (pending || window.innerWidth === lastWidth) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      lastWidth = window.innerWidth;
      redraws.forEach(function (f) { f(); });
    });
  });

  // ---- the project table ----------------------------------------------------------------------------------
  var table = document.getElementById("project-table");
  var tbody = table.querySelector("tbody");
  var search = document.getElementById("search");
  var nullsLast = function (v) { return v === null || v === undefined || v === ""; };
  var columns = [
    {key: "name", label: "Project", cls: "name", value: function (p) { return p.name; }},
    {key: "lead", label: "Lead implementer", cls: "col-lead", value: function (p) { return p._lead; }},
    {key: "period", label: "Period", cls: "num",
      value: function (p) { return p.start_year !== null ? p.start_year : p.end_year; },
      then: function (p) { return p.end_year; }},
    {key: "funders", label: "Funders", cls: "col-funders", value: function (p) { return p._funders.join(", "); }},
    {key: "themes", label: "Themes", cls: "col-themes", value: function (p) { return p._themes.join(", "); }}
  ];
  var sort = {key: "name", dir: 1};
  var headRow = table.querySelector("thead tr");
  columns.forEach(function (c) {
    headRow.appendChild(h("th", {scope: "col", "class": c.cls === "name" || c.cls === "num" ? null : c.cls,
      "data-sort-key": c.key, "aria-sort": "none"},
      h("button", {type: "button", onclick: function () { setSort(c.key); }}, c.label)));
  });
  function compareBy(c) {
    function cmp(a, b) {
      if (nullsLast(a) || nullsLast(b)) return nullsLast(a) - nullsLast(b);
      return typeof a === "number" && typeof b === "number" ? a - b : collator.compare(String(a), String(b));
    }
    return function (x, y) {
      // Missing values last whichever the direction; ties by name, then id, so the order is always the same.
      function by(a, b) { return nullsLast(a) || nullsLast(b) ? cmp(a, b) : sort.dir * cmp(a, b); }
      var n = by(c.value(x), c.value(y));
      if (!n && c.then) n = by(c.then(x), c.then(y));
      return n || collator.compare(x.name, y.name) ||
        (x.project_id < y.project_id ? -1 : x.project_id > y.project_id ? 1 : 0);
    };
  }
  function setSort(key) {
    sort = {key: key, dir: sort.key === key ? -sort.dir : 1};
    render();
  }
  function row(p) {
    return h("tr", {"data-project-id": p.project_id},
      h("td", {"class": "name"}, h("a", {href: "#p=" + encodeURIComponent(p.project_id)}, p.name),
        h("div", {"class": "pid"}, p.project_id + (p.acronym ? " · " + p.acronym : "")),
        p._lead ? h("div", {"class": "lead-inline small muted"}, p._lead) : null),
      h("td", {"class": "col-lead"}, p._lead),
      h("td", {"class": "num"}, period(p)),
      h("td", {"class": "col-funders"}, p._funders.join(", ")),
      h("td", {"class": "col-themes"}, p._themes.map(function (t) { return h("span", {"class": "chip"}, t); })));
  }
  function render() {
    var terms = search.value.toLocaleLowerCase("fi").split(/\s+/).filter(Boolean);
    var shown = projects.filter(function (p) {
      return terms.every(function (t) { return p._haystack.indexOf(t) >= 0; });
    });
    var c = columns.filter(function (c) { return c.key === sort.key; })[0];
    shown.sort(compareBy(c));
    tbody.replaceChildren.apply(tbody, shown.map(row));
    table.querySelectorAll("thead th").forEach(function (th) {
      var state = sort.dir > 0 ? "ascending" : "descending";
      th.setAttribute("aria-sort", th.dataset.sortKey === sort.key ? state : "none");
    });
    document.getElementById("shown-count").textContent = shown.length;
    document.getElementById("no-results").hidden = shown.length > 0;
  }
  document.getElementById("total-count").textContent = projects.length;
  search.addEventListener("input", render);
  render();

  // ---- a project's details --------------------------------------------------------------------------------
  var dialog = document.getElementById("project-dialog");
  function lines(file, a, b) {
    var chunks = D.lines[file] || [];
    for (var i = 0; i < chunks.length; i++) {
      var first = chunks[i][0], text = chunks[i][1];
      if (first <= a && b < first + text.length) return text.slice(a - first, b - first + 1);
    }
    return null;
  }
  function tableOf(head, rows, rowAttrs) {
    return h("div", {"class": "scroll"}, h("table", {},
      h("thead", {}, h("tr", {}, head.map(function (x) { return h("th", {scope: "col"}, x); }))),
      h("tbody", {}, rows.map(function (r, i) {
        return h("tr", rowAttrs ? rowAttrs(i) : {}, r.map(function (x) { return h("td", {}, x); }));
      }))));
  }
  function part(id, title, count, body) {
    return h("section", {"class": "part", "data-part": id},
      h("h3", {}, title, count === null ? null : h("span", {"class": "count"}, "(" + count + ")")), body);
  }
  function none(text) { return h("p", {"class": "muted small"}, text); }
  function fact(label, value) {
    return value === null || value === undefined || value === "" ? null : [h("dt", {}, label), h("dd", {}, value)];
  }
  function code(x) { return h("code", {}, x); }
  function chips(list) { return list.map(function (t) { return h("span", {"class": "chip"}, t); }); }

  function details(p) {
    var id = p.project_id;
    var orgs = D.projectOrganisations[id] || [];
    var funders = D.projectFunders[id] || [];
    var munis = D.projectMunicipalities[id] || [];
    var areas = D.projectAreas[id] || [];
    var conflicts = D.conflicts[id] || [];
    var relations = D.relations[id] || [];
    var records = D.provenance[id] || [];
    var fields = D.fieldSources[id] || {};
    var dates = p.start_date || p.end_date ? (p.start_date || "?") + " – " + (p.end_date || "?") : null;
    var head = h("div", {"class": "dlg-head"},
      h("div", {style: "flex:1;min-width:0"}, h("h2", {id: "project-title"}, p.name),
        h("div", {"class": "ids"}, code(id),
          p.eura_code && p.eura_code !== id ? [" · EURA ", code(p.eura_code)] : null,
          p.acronym ? " · " + p.acronym : null)),
      h("button", {"class": "close", type: "button", "aria-label": "Close", onclick: close}, "×"));
    var asWritten = p.period_text && p.period_text !== period(p) ? " (as written: " + p.period_text + ")" : null;
    var facts = h("dl", {"class": "facts"},
      fact("Period", [period(p), asWritten ? h("span", {"class": "muted"}, asWritten) : null]),
      fact("Dates", dates),
      fact("Status", p.status === null ? null : p.status === "ongoing" ? "ongoing (Toiminnassa)" : "ended"),
      fact("Official record", p.eura_code ? h("a", {href: REGISTRY + encodeURIComponent(p.eura_code),
        rel: "noopener"}, "EURA 2014 registry page " + p.eura_code) : null),
      fact("Priority axis", p.priority_axis),
      fact("Specific objective", p.specific_objective),
      fact("Public funding", p.public_funding_eur !== null ? eur.format(p.public_funding_eur) + " €" : null),
      fact("Lead implementer", p.lead_implementer),
      fact("Implementers as written", p.implementers_text),
      fact("Funding as written", p.funding_text),
      fact("Target groups", p.target_groups),
      fact("Themes", p._themes.length ? chips(p._themes) : null));
    var implementers = tableOf(["Role", "Organisation", "As written", "Type", "Business ID"],
      orgs.map(function (o) {
        var org = D.organisations[o[1]] || [o[2], null, null];
        return [o[0], org[0], o[2], org[1] || "", org[2] ? code(org[2]) : ""];
      }));
    var funding = tableOf(["Role", "Funder", "Type", "Read from", "Programme period", "Match"],
      funders.map(function (f) {
        var funder = D.funders[f[1]];
        return [f[0], [funderName(f[1]), f[3] ? " – " + f[3] : ""], funder ? funder[3] : "", f[2], f[4] || "", f[5]];
      }));
    var places = tableOf(["Place", "Level", "Region", "How linked"], munis.map(function (m) {
      var mu = D.municipalities[m[0]] || [m[0], null, null];
      return [[mu[0], " ", h("span", {"class": "pid"}, m[0])], "municipality", mu[2] || "", m[1]];
    }).concat(areas.map(function (a) {
      var ar = D.areas[a[0]] || [null, a[0]];
      return [[ar[1], " ", h("span", {"class": "pid"}, a[0])], (ar[0] || "").replace("_", "-"), "", a[1]];
    })));
    var related = tableOf(["Relation", "EURA code", "Public funding", "Source text"], relations.map(function (r) {
      return [r[0], r[1] || "", r[2] !== null ? eur.format(r[2]) + " €" : "", r[3]];
    }));
    var disagreements = tableOf(["Field", "Value", "Record", "Published"], conflicts.map(function (c) {
      return [code(c[0]), c[2], code(c[1]), c[3] ? "✓ published" : ""];
    }), function (i) { return conflicts[i][3] ? {"class": "chosen"} : {}; });
    var lineage = records.map(function (r) {
      var text = lines(r[0], r[1], r[2]);
      var supplied = (fields[r[3]] || []).map(function (f, i) { return [i ? ", " : "", code(f)]; });
      return h("div", {"class": "record", "data-record-id": r[3]},
        h("div", {"class": "record-head"}, h("b", {}, r[0]), " · lines " + r[1] + "–" + r[2],
          r[4] ? " · section " + r[4] : null, " · parser " + r[5]),
        h("div", {"class": "record-body"},
          r[6] ? h("p", {"class": "evidence"}, h("b", {}, "Merge evidence: "), r[6])
            : h("p", {"class": "evidence muted"}, "The project's only record."),
          supplied.length ? h("p", {"class": "evidence"}, h("b", {}, "Supplied: "), supplied) : null,
          text ? h("ol", {"class": "src", start: r[1], "aria-label": "Source text, lines " + r[1] + "–" + r[2]},
            text.map(function (t, i) { return h("li", {"data-line": String(r[1] + i)}, t); }))
            : none("Source text not available.")));
    });
    var body = h("div", {"class": "dlg-body"},
      h("section", {"class": "part", "data-part": "summary"}, facts,
        p.description ? h("p", {"class": "desc"}, p.description,
          p.description_truncated ? h("span", {"class": "muted"}, " [cut off in its source: the text ends at its "
            + "last full sentence]") : null) : null),
      part("implementers", "Implementers", orgs.length,
        orgs.length ? implementers : none("No implementer identified.")),
      part("funders", "Funders", funders.length, funders.length ? funding : none("No funder identified.")),
      part("areas", "Areas", munis.length + areas.length,
        munis.length + areas.length ? places : none("No municipality or area linked.")),
      relations.length ? part("relations", "Related projects", relations.length, related) : null,
      part("conflicts", "Conflicts between sources", conflicts.length, conflicts.length ? [
        h("p", {"class": "small muted"}, "The records disagree on these fields; the published value is highlighted."),
        disagreements] : none("The sources agree.")),
      part("lineage", "Lineage", records.length, [
        h("p", {"class": "small muted"},
          "Every source record merged into this project, with its lines of source text (personal data withheld)."),
        lineage]));
    return [head, body];
  }

  function open(id) {
    var p = byId[id];
    if (!p) return;
    dialog.replaceChildren.apply(dialog, details(p));
    dialog.setAttribute("data-project-id", id);
    if (!dialog.open) dialog.showModal();
    dialog.scrollTop = 0;
  }
  function close() { if (dialog.open) dialog.close(); }
  dialog.addEventListener("close", function () {
    if (location.hash.indexOf("#p=") === 0) {
      try {
        history.replaceState(null, "", location.pathname + location.search + "#projects");
      } catch (e) {
        location.hash = "projects";
      }
    }
  });
  dialog.addEventListener("click", function (e) { if (e.target === dialog) close(); });
  function route() {
    if (location.hash.indexOf("#p=") === 0) { open(decodeURIComponent(location.hash.slice(3))); return; }
    close();
    // A link to a table's entry in the data dictionary opens it (it is collapsed) and shows it below the nav.
    var target = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (target && target.tagName === "DETAILS") {
      target.open = true;
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", route);
  route();
})();
