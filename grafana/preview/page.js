// Draws the dashboard's query results (window.DATA, from query.mjs) the way its panels do: a world map of places,
// bars, tables, a stat and time series (uPlot). Each panel element gets data-drawn="N" (the marks it drew) when done.
(function () {
  const data = window.DATA;
  const palette = ['#73bf69', '#f2cc0c', '#8ab8ff', '#ff780a', '#f2495c', '#5794f2', '#b877d9', '#705da0', '#37872d', '#fade2a', '#447ebc', '#c15c17', '#890f02', '#0a437c', '#6d1f62', '#584477'];
  const colour = text => { let h = 0; for (const c of String(text)) h = (h * 31 + c.charCodeAt(0)) >>> 0; return palette[h % palette.length]; };
  const bytes = v => { const u = ['B', 'kB', 'MB', 'GB', 'TB']; let i = 0; while (Math.abs(v) >= 1000 && i < u.length - 1) { v /= 1000; i++; } return `${v.toFixed(v < 10 && i ? 2 : v < 100 && i ? 1 : 0)} ${u[i]}`; };
  const el = (tag, attrs = {}, ...children) => { const e = document.createElement(tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); e.append(...children); return e; };
  const svg = (tag, attrs = {}) => { const e = document.createElementNS('http://www.w3.org/2000/svg', tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); return e; };
  const col = (t, name) => t.columns.indexOf(name);

  document.getElementById('title').textContent = `${data.title}: preview`;
  const when = r => `${new Date(r.from).toISOString().replace('.000', '')} to ${new Date(r.to).toISOString().replace('.000', '')}`;
  document.getElementById('ranges').textContent = `Household panels: packet time ${when(data.ranges.household)}, interval ${data.intervals.household / 1000} s. Sensor panels: wall clock ${when(data.ranges.sensor)}, interval ${data.intervals.sensor / 1000} s.`;

  // TopoJSON (world-atlas countries-110m) to SVG paths, equirectangular.
  function countries(width, height) {
    const topo = window.WORLD, [sx, sy] = topo.transform.scale, [tx, ty] = topo.transform.translate;
    const arcs = topo.arcs.map(arc => { let x = 0, y = 0; return arc.map(([dx, dy]) => { x += dx; y += dy; return [x * sx + tx, y * sy + ty]; }); });
    const project = ([lon, lat]) => [((lon + 180) / 360) * width, ((90 - lat) / 180) * height];
    const ring = indexes => indexes.flatMap((i, n) => { const a = i >= 0 ? arcs[i] : [...arcs[~i]].reverse(); return n ? a.slice(1) : a; });
    // A ring that crosses the antimeridian would draw a line across the map: lift the pen there instead.
    const d = rings => rings.map(r => {
      let prev = null;
      return ring(r).map(p => { const q = project(p), jump = !prev || Math.abs(q[0] - prev[0]) > width / 2; prev = q; return (jump ? 'M' : 'L') + q.map(v => v.toFixed(1)).join(','); }).join('') + 'Z';
    }).join('');
    return topo.objects.countries.geometries.map(g => (g.type === 'Polygon' ? d(g.arcs) : g.type === 'MultiPolygon' ? g.arcs.map(d).join('') : ''));
  }

  function geomap(body, t) {
    const w = 1000, h = 500, s = svg('svg', { class: 'map', viewBox: `0 ${h * 0.08} ${w} ${h * 0.78}`, preserveAspectRatio: 'xMidYMid meet' });
    for (const d of countries(w, h)) if (d) s.append(svg('path', { d }));
    const [ilat, ilon, ib, ic, icity, iprov, idest] = ['lat', 'lon', 'bytes', 'country', 'city', 'provider', 'destination'].map(c => col(t, c));
    const rows = t.rows.filter(r => typeof r[ilat] === 'number' && typeof r[ilon] === 'number').sort((a, b) => b[ib] - a[ib]);
    const max = Math.max(...rows.map(r => r[ib]), 1);
    for (const r of [...rows].reverse()) {
      const x = ((r[ilon] + 180) / 360) * w, y = ((90 - r[ilat]) / 180) * h;
      const c = svg('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: (3 + 20 * Math.sqrt(r[ib] / max)).toFixed(1), fill: colour(r[ic]) });
      const tip = svg('title'); tip.textContent = `${r[icity] ?? ''} ${r[ic]}\n${bytes(r[ib])}\n${r[idest] ?? ''}\n${r[iprov] ?? ''}`; c.append(tip);
      s.append(c);
    }
    for (const r of rows.slice(0, 8)) {
      const x = ((r[ilon] + 180) / 360) * w, y = ((90 - r[ilat]) / 180) * h, label = svg('text', { x: (x + 6).toFixed(1), y: (y - 6).toFixed(1) });
      label.textContent = `${r[icity] ?? r[ic]}: ${bytes(r[ib])}`; s.append(label);
    }
    body.append(s);
    const legend = el('div', { class: 'legend' });
    for (const c of [...new Set(rows.map(r => r[ic]))].slice(0, 12)) { const i = el('i'); i.style.background = colour(c); legend.append(el('span', {}, i, c)); }
    body.append(legend);
    return rows.length;
  }

  function bars(body, t) {
    const [iname, iv] = [col(t, 'country'), col(t, 'bytes')], max = Math.max(...t.rows.map(r => r[iv]), 1);
    for (const r of t.rows) {
      const fill = el('div', { class: 'fill' }); fill.style.width = `${(70 * r[iv]) / max}%`;
      body.append(el('div', { class: 'bar' }, el('span', { class: 'name' }, r[iname]), fill, el('span', { class: 'value' }, bytes(r[iv]))));
    }
    return t.rows.length;
  }

  function table(body, t) {
    const keep = t.columns.map((c, i) => [c, i]).filter(([c]) => c !== 'Time' || t.columns.includes('device'));
    const tbl = el('table'), head = el('tr');
    for (const [c] of keep) head.append(el('th', {}, c === 'Time' ? 'first seen' : c));
    tbl.append(head);
    for (const r of t.rows.slice(0, 40)) {
      const tr = el('tr');
      for (const [c, i] of keep) {
        const v = r[i];
        const text = v == null ? '' : c === 'Time' ? new Date(v).toISOString().slice(11, 19) : c === 'bytes' ? bytes(v) : String(v);
        tr.append(el('td', { class: typeof v === 'number' ? 'num' : '' }, text));
      }
      tbl.append(tr);
    }
    body.append(tbl);
    return t.rows.length;
  }

  function stat(body, t) {
    const v = t.rows.at(-1)?.[t.columns.length - 1];
    body.append(el('div', { class: 'stat' }, v == null ? 'no data' : String(v)));
    return v == null ? 0 : 1;
  }

  function timeseries(body, result, height) {
    const series = [];
    for (const s of result.series) {
      const tag = Object.values(s.tags ?? {}).join(' ');
      for (let c = 1; c < s.columns.length; c++) series.push({ label: s.columns.length > 2 ? `${tag} ${s.columns[c]}`.trim() : tag || s.columns[c], points: s.values.map(v => [v[0], v[c]]) });
    }
    const times = [...new Set(series.flatMap(s => s.points.map(p => p[0])))].sort((a, b) => a - b);
    const index = new Map(times.map((t, i) => [t, i]));
    const columns = series.map(s => { const a = new Array(times.length).fill(null); for (const [t, v] of s.points) a[index.get(t)] = v; return a; });
    const width = body.clientWidth || 300;
    new uPlot({
      width, height, legend: { show: series.length <= 24 },
      scales: { x: { time: true } },
      axes: [{ stroke: '#8e8e9e', grid: { stroke: '#2c3235' } }, { stroke: '#8e8e9e', grid: { stroke: '#2c3235' }, size: 60, values: (u, v) => v.map(x => (result.query.includes('bytes') ? bytes(x) : x)) }],
      series: [{}, ...series.map(s => ({ label: s.label, stroke: colour(s.label), width: 1.5, fill: colour(s.label) + '22', points: { show: times.length < 12 } }))],
    }, [times.map(t => t / 1000), ...columns], body);
    return series.reduce((n, s) => n + s.points.filter(p => p[1] != null).length, 0);
  }

  const grid = document.getElementById('grid');
  for (const p of data.panels) {
    const body = el('div', { class: 'body' });
    const panel = el('section', { class: 'panel', id: `panel-${p.id}`, 'data-type': p.type }, el('h2', {}, p.title), body);
    panel.style.gridColumn = `${p.gridPos.x + 1} / span ${p.gridPos.w}`;
    panel.style.gridRow = `${p.gridPos.y + 1} / span ${p.gridPos.h}`;
    grid.append(panel);
    const r = p.results[0];
    const height = p.gridPos.h * 38 - 8 - 30 - 50;
    let marks = 0;
    if (p.type === 'geomap') marks = geomap(body, r.table);
    else if (p.type === 'bargauge') marks = bars(body, r.table);
    else if (p.type === 'table') marks = table(body, r.table);
    else if (p.type === 'stat') marks = stat(body, r.table);
    else if (p.type === 'timeseries') marks = timeseries(body, r, height);
    panel.dataset.drawn = String(marks);
  }
  window.previewDone = true;
})();
