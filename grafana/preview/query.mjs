// Runs the dashboard's queries against an InfluxDB 1.x-compatible /query endpoint on this machine and writes their
// results as JSON for page.html: the variables set to "All", $timeFilter and $__interval replaced as Grafana
// replaces them, and the panels' table transformations (groupBy, sortBy, limit, organize) applied as Grafana does.
//   node query.mjs --url http://127.0.0.1:8086 --db tapsensor --out data.json [--min-interval 10s]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const url = new URL(args.url ?? 'http://127.0.0.1:8086');
if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error(`refusing to query ${url.host}: the preview reads a local InfluxDB only`);
const db = args.db ?? 'tapsensor';
const dashboard = JSON.parse(fs.readFileSync(args.dashboard ?? path.join(here, '..', 'dashboards', 'tapsensor.json'), 'utf8'));
const ms = { ms: 1, s: 1000, m: 60000, h: 3600000 };
const parseDuration = t => { const m = /^(\d+)(ms|s|m|h)$/.exec(t); if (!m) throw new Error(`bad duration ${t}`); return +m[1] * ms[m[2]]; };
const formatDuration = v => (v % 3600000 === 0 ? `${v / 3600000}h` : v % 60000 === 0 ? `${v / 60000}m` : v % 1000 === 0 ? `${v / 1000}s` : `${v}ms`);
const minInterval = parseDuration(args['min-interval'] ?? '10s');

async function query(q) {
  const u = new URL('/query', url);
  u.search = new URLSearchParams({ db, q, epoch: 'ms' }).toString();
  const r = await fetch(u);
  const body = await r.json();
  const result = body.results?.[0] ?? {};
  if (!r.ok || result.error || body.error) throw new Error(`${q}: ${result.error ?? body.error ?? r.status}`);
  return result.series ?? [];
}

async function span(measurement, field) {
  const [first] = await query(`SELECT first("${field}") FROM "${measurement}"`);
  const [last] = await query(`SELECT last("${field}") FROM "${measurement}"`);
  if (!first || !last) throw new Error(`no ${measurement} points in ${db}: replay a capture first`);
  return { from: first.values[0][0], to: last.values[0][0] };
}

// Ranges as a dashboard user would pick them around the data: packet time for the household's measurements, wall
// clock for the sensor's own.
const packet = await span('flows', 'up_ip_bytes');
const traffic = await span('device_traffic', 'bytes_up');
const wall = await span('sensor', 'packets');
const ranges = {
  household: { from: Math.min(packet.from, traffic.from) - 10000, to: Math.max(packet.to, traffic.to) + 10000 },
  sensor: { from: wall.from - 2000, to: wall.to + 2000 },
};
const interval = r => Math.max(minInterval, Math.ceil((r.to - r.from) / 1000 / 1000) * 1000);

function substitute(q, r) {
  let text = q.replaceAll('$timeFilter', `time >= ${r.from}ms and time <= ${r.to}ms`)
    .replaceAll('$__interval', formatDuration(interval(r))).replaceAll('$interval', formatDuration(interval(r)));
  for (const v of dashboard.templating.list) text = text.replaceAll('${' + v.name + '}', v.allValue).replaceAll('$' + v.name, v.allValue);
  return text;
}

// Grafana's table format: one table, the tags as columns, "Time" for time.
function table(series) {
  const t = { columns: [], rows: [] };
  for (const s of series) {
    const tags = s.tags ?? {};
    const cols = [...Object.keys(tags), ...s.columns.map(c => (c === 'time' ? 'Time' : c))];
    if (!t.columns.length) t.columns = cols;
    for (const v of s.values) t.rows.push([...Object.values(tags), ...v]);
  }
  return t;
}

function transform(t, transformations = []) {
  for (const { id, options } of transformations) {
    const idx = c => t.columns.indexOf(c);
    if (id === 'groupBy') {
      const fields = Object.entries(options.fields);
      const keys = fields.filter(([, f]) => f.operation === 'groupby').map(([k]) => k).filter(k => idx(k) >= 0);
      const aggs = fields.filter(([k, f]) => f.operation === 'aggregate' && idx(k) >= 0).flatMap(([k, f]) => f.aggregations.map(a => [k, a]));
      const groups = new Map();
      for (const row of t.rows) {
        const key = JSON.stringify(keys.map(k => row[idx(k)]));
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key).push(row);
      }
      const calc = (rows, k, a) => (a === 'count' ? rows.length : rows.reduce((s, r) => s + (typeof r[idx(k)] === 'number' ? r[idx(k)] : 0), 0));
      t = { columns: [...keys, ...aggs.map(([k, a]) => `${k} (${a})`)],
            rows: [...groups.entries()].map(([key, rows]) => [...JSON.parse(key), ...aggs.map(([k, a]) => calc(rows, k, a))]) };
    } else if (id === 'sortBy') {
      const { field, desc } = options.sort[0];
      const i = idx(field);
      t = { columns: t.columns, rows: [...t.rows].sort((a, b) => (desc ? b[i] - a[i] : a[i] - b[i])) };
    } else if (id === 'limit') {
      t = { columns: t.columns, rows: t.rows.slice(0, options.limitField) };
    } else if (id === 'organize') {
      const exclude = options.excludeByName ?? {}, rename = options.renameByName ?? {}, order = options.indexByName ?? {};
      const kept = t.columns.map((c, i) => [c, i]).filter(([c]) => !exclude[c])
        .sort((a, b) => (order[a[0]] ?? 1e9) - (order[b[0]] ?? 1e9));
      t = { columns: kept.map(([c]) => rename[c] ?? c), rows: t.rows.map(r => kept.map(([, i]) => r[i])) };
    } else throw new Error(`transformation ${id} is not emulated`);
  }
  return t;
}

const panels = [];
for (const p of dashboard.panels) {
  const results = [];
  for (const target of p.targets) {
    const sensor = target.query.includes('FROM "sensor"');
    const q = substitute(target.query, sensor ? ranges.sensor : ranges.household);
    const series = await query(q);
    results.push({ refId: target.refId, format: target.resultFormat, query: q, series, table: transform(table(series), p.transformations) });
  }
  panels.push({ id: p.id, type: p.type, title: p.title, description: p.description, gridPos: p.gridPos, options: p.options, results });
}
const out = { title: dashboard.title, ranges, intervals: { household: interval(ranges.household), sensor: interval(ranges.sensor) }, panels };
fs.writeFileSync(args.out ?? 'data.json', JSON.stringify(out));
console.log(`${panels.length} panels, ${panels.reduce((n, p) => n + p.results.reduce((m, r) => m + r.table.rows.length, 0), 0)} rows -> ${args.out ?? 'data.json'}`);
