// TapSensor's household report page: draws the header, filters, world-map markers and tables from the JSON
// document embedded in the page. No network, no libraries; every value from the data reaches the page through
// textContent or an attribute, never as markup.
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('report-data').textContent);
  var svg = document.getElementById('map');
  var UNITS = Number(svg.getAttribute('data-units-per-degree')) || 10;
  var SVG_NS = svg.namespaceURI;
  var isQuery = Array.isArray(data.columns);
  var markers = Array.isArray(data.markers) ? data.markers : [];
  var devices = Array.isArray(data.devices) ? data.devices : [];
  var state = { device: '', country: '', protocol: '' };

  // ---- formatting ---------------------------------------------------------------------------------------------

  function bytes(n) {
    if (typeof n !== 'number' || !isFinite(n)) return '';
    var units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
    var i = 0;
    while (Math.abs(n) >= 1000 && i < units.length - 1) { n /= 1000; i++; }
    return (i === 0 ? String(n) : n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0)) + ' ' + units[i];
  }
  function count(n) {
    if (typeof n !== 'number' || !isFinite(n)) return '';
    var s = String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return (n < 0 ? '-' : '') + s;
  }
  function percent(f) { return typeof f === 'number' && isFinite(f) ? (f * 100).toFixed(1) + ' %' : ''; }
  // ISO 8601 UTC as written by the report ("2026-11-23T10:00:00Z"), shown without depending on the viewer's zone.
  function time(s) {
    if (typeof s !== 'string') return '';
    var m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(\.\d+)?)?Z$/.exec(s);
    return m ? m[1] + ' ' + m[2] + ' UTC' : s;
  }
  function text(v) { return v === undefined || v === null ? '' : String(v); }

  var regionNames = null;
  try { regionNames = new Intl.DisplayNames(['en'], { type: 'region' }); } catch (e) { regionNames = null; }
  function countryName(code) {
    if (typeof code !== 'string' || !/^[A-Z]{2}$/.test(code)) return text(code);
    var name = null;
    try { name = regionNames ? regionNames.of(code) : null; } catch (e) { name = null; }
    return name && name !== code ? name + ' (' + code + ')' : code;
  }

  // Markers are coloured by device, from the device id alone, so a device keeps its colour from report to report.
  var PALETTE = ['#2f6f9f', '#d9822b', '#3a9d5d', '#c23b4e', '#7b5ea7', '#1f9aa8', '#b5651d', '#d45d9b',
    '#5c7c2f', '#4a57b0', '#a0782c', '#2b8a78'];
  function colour(id) {
    var h = 0x811c9dc5; // FNV-1a, 32 bit
    var s = text(id);
    for (var i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return PALETTE[h % PALETTE.length];
  }

  // ---- DOM helpers --------------------------------------------------------------------------------------------

  function el(tag, className, content) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (content !== undefined && content !== null) e.textContent = String(content);
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function svgEl(tag, attrs) {
    var e = document.createElementNS(SVG_NS, tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, String(attrs[k]));
    return e;
  }
  function linkTarget(u) { return typeof u === 'string' && /^https?:\/\/[^\s]+$/i.test(u) ? u : null; }

  // ---- header -------------------------------------------------------------------------------------------------

  function renderHeader() {
    var title = text(data.title) || (isQuery ? 'TapSensor query' : 'TapSensor household report');
    document.title = title;
    document.getElementById('title').textContent = title;
    var parts = [];
    if (data.window && (data.window.from || data.window.to))
      parts.push(time(data.window.from) + ' to ' + time(data.window.to));
    if (data.window && data.window.quiet_hours) parts.push('quiet hours ' + text(data.window.quiet_hours));
    if (data.generated) parts.push('generated ' + time(data.generated));
    document.getElementById('subtitle').textContent = parts.join(' · ');

    var totals = document.getElementById('totals');
    var t = data.totals;
    if (t && typeof t === 'object') {
      [['Download', bytes(t.bytes_down)], ['Upload', bytes(t.bytes_up)], ['Flows', count(t.flows)],
        ['Devices', count(t.devices)], ['Destinations', count(t.destinations)]].forEach(function (p) {
        if (!p[1]) return;
        var d = el('div');
        d.appendChild(el('dt', null, p[0]));
        d.appendChild(el('dd', null, p[1]));
        totals.appendChild(d);
      });
    } else if (isQuery) {
      var d = el('div');
      d.appendChild(el('dt', null, 'Rows'));
      d.appendChild(el('dd', null, count(Array.isArray(data.rows) ? data.rows.length : 0)));
      totals.appendChild(d);
    }

    var attribution = document.getElementById('attribution');
    (Array.isArray(data.attribution) ? data.attribution : []).forEach(function (a) {
      if (!a || !a.text) return;
      var url = linkTarget(a.url);
      var node = url ? el('a', null, a.text) : el('span', null, a.text);
      if (url) node.href = url;
      attribution.appendChild(node);
    });
  }

  // ---- filters ------------------------------------------------------------------------------------------------

  function deviceLabels() {
    var labels = new Map();
    devices.forEach(function (d) {
      if (d && d.id !== undefined) labels.set(text(d.id), d.name ? text(d.name) + ' (' + text(d.id) + ')' : text(d.id));
    });
    var extra = [];
    markers.forEach(function (m) {
      var id = text(m.device);
      if (id && !labels.has(id)) { labels.set(id, m.device_name ? text(m.device_name) + ' (' + id + ')' : id); extra.push(id); }
    });
    if (isQuery) queryColumnValues('device').forEach(function (id) { if (!labels.has(id)) { labels.set(id, id); extra.push(id); } });
    var order = devices.map(function (d) { return text(d.id); }).filter(function (id, i, a) { return id && a.indexOf(id) === i; });
    extra.sort(function (a, b) { return labels.get(a) < labels.get(b) ? -1 : labels.get(a) > labels.get(b) ? 1 : 0; });
    return order.concat(extra).map(function (id) { return [id, labels.get(id)]; });
  }

  function queryColumnIndex(name) { return isQuery ? data.columns.indexOf(name) : -1; }
  function queryColumnValues(name) {
    var i = queryColumnIndex(name);
    if (i < 0 || !Array.isArray(data.rows)) return [];
    return data.rows.map(function (r) { return Array.isArray(r) ? text(r[i]) : ''; }).filter(Boolean);
  }

  function distinctSorted(values) {
    var set = new Set(values.filter(function (v) { return v; }));
    return Array.from(set).sort();
  }

  function fillSelect(id, key, options) {
    var select = document.getElementById(id);
    var all = el('option', null, 'All');
    all.value = '';
    select.appendChild(all);
    options.forEach(function (o) {
      var opt = el('option', null, o[1]);
      opt.value = o[0];
      select.appendChild(opt);
    });
    select.addEventListener('change', function () { state[key] = select.value; update(); });
  }

  function renderFilters() {
    fillSelect('filter-device', 'device', deviceLabels());
    var countries = markers.map(function (m) { return text(m.country); });
    devices.forEach(function (d) {
      ['top_destinations', 'countries', 'new_countries'].forEach(function (k) {
        (Array.isArray(d[k]) ? d[k] : []).forEach(function (r) { countries.push(text(r && r.country)); });
      });
    });
    countries = countries.concat(queryColumnValues('country'));
    fillSelect('filter-country', 'country', distinctSorted(countries).map(function (c) { return [c, countryName(c)]; }));
    var protocols = markers.map(function (m) { return text(m.protocol); }).concat(queryColumnValues('protocol'));
    fillSelect('filter-protocol', 'protocol', distinctSorted(protocols).map(function (p) { return [p, p]; }));
  }

  function markerVisible(m) {
    return (!state.device || text(m.device) === state.device) &&
      (!state.country || text(m.country) === state.country) &&
      (!state.protocol || text(m.protocol) === state.protocol);
  }

  // ---- map ----------------------------------------------------------------------------------------------------

  // One drawn marker per place (lat/lon): the markers the filters leave visible, added up.
  function places(visible) {
    var byKey = new Map();
    markers.forEach(function (m) {
      if (typeof m.lat !== 'number' || typeof m.lon !== 'number' || !visible(m)) return;
      var key = m.lat + ',' + m.lon;
      var p = byKey.get(key);
      if (!p) {
        p = { lat: m.lat, lon: m.lon, city: text(m.city), country: text(m.country), bytes: 0, flows: 0,
          names: new Set(), orgs: new Set(), devices: new Map(), protocols: new Set() };
        byKey.set(key, p);
      }
      if (!p.city && m.city) p.city = text(m.city);
      p.bytes += typeof m.bytes === 'number' ? m.bytes : 0;
      p.flows += typeof m.flows === 'number' ? m.flows : 0;
      (Array.isArray(m.names) ? m.names : []).forEach(function (n) { p.names.add(text(n)); });
      (Array.isArray(m.orgs) ? m.orgs : []).forEach(function (o) { p.orgs.add(text(o)); });
      if (m.protocol) p.protocols.add(text(m.protocol));
      var id = text(m.device);
      var dev = p.devices.get(id) || { name: text(m.device_name) || id, bytes: 0 };
      dev.bytes += typeof m.bytes === 'number' ? m.bytes : 0;
      p.devices.set(id, dev);
    });
    return Array.from(byKey.values()).sort(function (a, b) {
      return b.bytes - a.bytes || a.lat - b.lat || a.lon - b.lon; // big ones first, so small ones are drawn on top
    });
  }

  var allPlaces = places(function () { return true; });
  var maxBytes = allPlaces.reduce(function (m, p) { return Math.max(m, p.bytes); }, 0);
  var MIN_R = 3.5, MAX_R = 22; // in screen pixels at the map's full width

  function radius(b) {
    var r = maxBytes > 0 ? MAX_R * Math.sqrt(Math.max(b, 0) / maxBytes) : MIN_R;
    return Math.min(MAX_R, Math.max(MIN_R, r));
  }

  function dominantDevice(p) {
    var best = null;
    var ids = Array.from(p.devices.keys()).sort();
    ids.forEach(function (id) { if (best === null || p.devices.get(id).bytes > p.devices.get(best).bytes) best = id; });
    return best;
  }

  function list(set, max) {
    var a = Array.from(set).sort();
    return a.length > max ? a.slice(0, max).join(', ') + ' and ' + (a.length - max) + ' more' : a.join(', ');
  }

  var view = { base: svg.viewBox.baseVal, x: 0, y: 0, w: 0, h: 0 };
  view.x = view.base.x; view.y = view.base.y; view.w = view.base.width; view.h = view.base.height;
  var fullWidth = view.w;

  // Marker radii are kept in screen pixels, whatever the zoom.
  function pixelsToUnits() {
    var shown = svg.getBoundingClientRect().width || 1200;
    return view.w / shown;
  }

  function drawMarkers() {
    var group = document.getElementById('markers');
    clear(group);
    var visible = places(markerVisible);
    var k = pixelsToUnits();
    var legendIds = new Set();
    visible.forEach(function (p) {
      var deviceId = dominantDevice(p);
      legendIds.add(deviceId);
      var c = svgEl('circle', {
        cx: (p.lon + 180) * UNITS, cy: (90 - p.lat) * UNITS, r: radius(p.bytes) * k, fill: colour(deviceId),
        'data-lat': p.lat, 'data-lon': p.lon, 'data-bytes': p.bytes, 'data-flows': p.flows, 'data-country': p.country,
        'data-devices': Array.from(p.devices.keys()).sort().join(' '), 'data-protocols': Array.from(p.protocols).sort().join(' ')
      });
      c.setAttribute('data-r', String(radius(p.bytes)));
      var place = [p.city, p.country ? countryName(p.country) : ''].filter(Boolean).join(', ') || (p.lat + ', ' + p.lon);
      var lines = [place, bytes(p.bytes) + ' in ' + count(p.flows) + (p.flows === 1 ? ' flow' : ' flows')];
      if (p.names.size) lines.push('Names: ' + list(p.names, 8));
      if (p.orgs.size) lines.push('Providers: ' + list(p.orgs, 5));
      var devs = Array.from(p.devices.values()).map(function (d) { return d.name; });
      if (devs.length) lines.push('Devices: ' + list(new Set(devs), 8));
      if (p.protocols.size) lines.push('Protocols: ' + list(p.protocols, 5));
      var title = svgEl('title', {});
      title.textContent = lines.join('\n');
      c.appendChild(title);
      group.appendChild(c);
    });
    document.getElementById('map-empty').hidden = visible.length > 0;

    var legend = document.getElementById('legend');
    clear(legend);
    deviceLabels().forEach(function (d) {
      if (!legendIds.has(d[0])) return;
      var li = el('li');
      var sw = el('span');
      sw.style.backgroundColor = colour(d[0]);
      li.appendChild(sw);
      li.appendChild(document.createTextNode(d[1]));
      legend.appendChild(li);
    });
    return visible.length;
  }

  function setView() {
    svg.setAttribute('viewBox', [view.x, view.y, view.w, view.h].join(' '));
    var k = pixelsToUnits();
    Array.prototype.forEach.call(document.querySelectorAll('#markers circle'), function (c) {
      c.setAttribute('r', String(Number(c.getAttribute('data-r')) * k));
    });
  }

  // Zoom with the wheel around the pointer, pan by dragging, double-click for the whole world again.
  function enableZoom() {
    var home = { x: view.x, y: view.y, w: view.w, h: view.h };
    function toMap(evt) {
      var r = svg.getBoundingClientRect();
      return { x: view.x + (evt.clientX - r.left) / r.width * view.w, y: view.y + (evt.clientY - r.top) / r.height * view.h };
    }
    svg.addEventListener('wheel', function (evt) {
      evt.preventDefault();
      var f = evt.deltaY < 0 ? 1 / 1.25 : 1.25;
      var w = Math.min(fullWidth, Math.max(fullWidth / 32, view.w * f));
      f = w / view.w;
      var p = toMap(evt);
      view.x = p.x - (p.x - view.x) * f; view.y = p.y - (p.y - view.y) * f;
      view.w = w; view.h = view.h * f;
      setView();
    }, { passive: false });
    var drag = null;
    svg.addEventListener('pointerdown', function (evt) { drag = { x: evt.clientX, y: evt.clientY, vx: view.x, vy: view.y }; });
    window.addEventListener('pointerup', function () { drag = null; });
    svg.addEventListener('pointermove', function (evt) {
      if (!drag) return;
      var r = svg.getBoundingClientRect();
      view.x = drag.vx - (evt.clientX - drag.x) / r.width * view.w;
      view.y = drag.vy - (evt.clientY - drag.y) / r.height * view.h;
      setView();
    });
    svg.addEventListener('dblclick', function () { view.x = home.x; view.y = home.y; view.w = home.w; view.h = home.h; setView(); });
    window.addEventListener('resize', setView);
  }

  // ---- tables -------------------------------------------------------------------------------------------------

  // columns: [label, key, format, className]; rows whose object has a country (or protocol) follow that filter.
  function rowVisible(r) {
    if (!r || typeof r !== 'object') return true;
    if (state.country && r.country !== undefined && text(r.country) !== state.country) return false;
    if (state.protocol && r.protocol !== undefined && text(r.protocol) !== state.protocol) return false;
    return true;
  }

  function table(columns, rows, visible) {
    var wrap = el('div', 'table-wrap');
    var t = el('table');
    var head = el('thead');
    var hr = el('tr');
    columns.forEach(function (c) { hr.appendChild(el('th', c[3] || null, c[0])); });
    head.appendChild(hr);
    t.appendChild(head);
    var body = el('tbody');
    var shown = 0;
    rows.forEach(function (r) {
      if (visible && !visible(r)) return;
      var tr = el('tr');
      columns.forEach(function (c) {
        var v = typeof c[1] === 'function' ? c[1](r) : r[c[1]];
        tr.appendChild(el('td', c[3] || null, c[2] ? c[2](v) : text(v)));
      });
      body.appendChild(tr);
      shown++;
    });
    if (shown === 0) {
      var tr = el('tr', 'empty');
      var td = el('td', null, rows.length ? 'No data for this filter' : 'None in this window');
      td.colSpan = columns.length;
      tr.appendChild(td);
      body.appendChild(tr);
    }
    t.appendChild(body);
    t.setAttribute('data-rows', String(shown));
    wrap.appendChild(t);
    return wrap;
  }

  var NUM = 'num', NAME = 'name';
  function org(r) { return r.asn !== undefined ? (r.org ? text(r.org) + ' (AS' + text(r.asn) + ')' : 'AS' + text(r.asn)) : text(r.org); }

  var SECTIONS = [
    ['Top destinations', 'top_destinations', [['Destination', 'name', null, NAME], ['Country', 'country', countryName],
      ['Provider', 'org'], ['Bytes', 'bytes', bytes, NUM], ['Flows', 'flows', count, NUM], ['Days', 'days', count, NUM],
      ['Intervals', 'intervals', count, NUM]]],
    ['Countries', 'countries', [['Country', 'country', countryName], ['Bytes', 'bytes', bytes, NUM], ['Flows', 'flows', count, NUM]]],
    ['Providers', 'providers', [['Provider', org], ['Bytes', 'bytes', bytes, NUM], ['Flows', 'flows', count, NUM],
      ['Share', 'share', percent, NUM]]],
    ['Services', 'services', [['Service', 'service'], ['Bytes', 'bytes', bytes, NUM], ['Flows', 'flows', count, NUM]]],
    ['Recurring', 'recurring', [['Destination', 'name', null, NAME], ['Days', 'days', count, NUM],
      ['Intervals', 'intervals', count, NUM], ['Bytes', 'bytes', bytes, NUM]]],
    ['One-off', 'one_off', [['Destination', 'name', null, NAME], ['Bytes', 'bytes', bytes, NUM], ['First seen', 'first_seen', time]]],
    ['New destinations', 'new_destinations', [['Destination', 'name', null, NAME], ['First seen', 'first_seen', time],
      ['Bytes', 'bytes', bytes, NUM]]],
    ['New providers', 'new_providers', [['Provider', org], ['First seen', 'first_seen', time]]],
    ['New countries', 'new_countries', [['Country', 'country', countryName], ['First seen', 'first_seen', time]]]
  ];

  var tableRenderers = []; // functions that redraw a filtered table in place

  function liveTable(container, columns, rows) {
    function draw() {
      clear(container);
      container.appendChild(table(columns, rows, rowVisible));
    }
    tableRenderers.push(draw);
    draw();
  }

  function renderOverview() {
    if (!devices.length) return;
    var section = document.getElementById('overview');
    section.hidden = false;
    var holder = document.getElementById('overview-table');
    var columns = [['Device', function (d) { return d.name || d.id; }, null, NAME], ['Vendor', 'vendor'], ['Group', 'group'],
      ['MAC', 'id'], ['Download', 'bytes_down', bytes, NUM], ['Upload', 'bytes_up', bytes, NUM], ['Flows', 'flows', count, NUM],
      ['First seen', 'first_seen', time], ['Last seen', 'last_seen', time]];
    function draw() {
      clear(holder);
      holder.appendChild(table(columns, devices, function (d) { return !state.device || text(d.id) === state.device; }));
    }
    tableRenderers.push(draw);
    draw();
  }

  function renderDevices() {
    var holder = document.getElementById('devices');
    devices.forEach(function (d) {
      var section = el('section', 'card device');
      section.setAttribute('data-device', text(d.id));
      var head = el('div', 'device-head');
      var sw = el('span', 'swatch');
      sw.style.backgroundColor = colour(d.id);
      head.appendChild(sw);
      head.appendChild(el('h2', null, d.name || d.id));
      head.appendChild(el('p', 'muted', [d.id, d.vendor, d.group].filter(Boolean).map(text).join(' · ')));
      section.appendChild(head);
      section.appendChild(el('p', 'summary-line', bytes(d.bytes_down) + ' down, ' + bytes(d.bytes_up) + ' up in ' +
        count(d.flows) + ' flows; seen ' + time(d.first_seen) + ' to ' + time(d.last_seen)));
      if (d.provider_concentration && typeof d.provider_concentration.share === 'number')
        section.appendChild(el('p', 'summary-line', 'Provider concentration: the top ' + count(d.provider_concentration.top) +
          ' providers carry ' + percent(d.provider_concentration.share) + ' of its bytes.'));
      var grid = el('div', 'grid');
      SECTIONS.forEach(function (s) {
        var block = el('div');
        block.setAttribute('data-section', s[1]);
        block.appendChild(el('h3', null, s[0]));
        var container = el('div');
        block.appendChild(container);
        liveTable(container, s[2], Array.isArray(d[s[1]]) ? d[s[1]] : []);
        grid.appendChild(block);
      });
      var idle = d.idle_chatter;
      var block = el('div');
      block.setAttribute('data-section', 'idle_chatter');
      block.appendChild(el('h3', null, 'Idle chatter (quiet hours)'));
      if (idle && typeof idle === 'object') {
        block.appendChild(el('p', 'summary-line', bytes(idle.bytes) + ' in ' + count(idle.flows) + ' flows'));
        var container = el('div');
        block.appendChild(container);
        liveTable(container, [['Destination', 'name', null, NAME], ['Bytes', 'bytes', bytes, NUM], ['Flows', 'flows', count, NUM]],
          Array.isArray(idle.destinations) ? idle.destinations : []);
      } else {
        block.appendChild(el('p', 'muted', 'None in this window'));
      }
      grid.appendChild(block);
      section.appendChild(grid);
      holder.appendChild(section);
    });
  }

  function renderQuery() {
    if (!isQuery) return;
    document.getElementById('query').hidden = false;
    var holder = document.getElementById('query-table');
    var rows = Array.isArray(data.rows) ? data.rows : [];
    var columns = data.columns.map(function (name, i) {
      var numeric = rows.some(function (r) { return Array.isArray(r) && typeof r[i] === 'number'; });
      return [text(name), function (r) { return Array.isArray(r) ? r[i] : undefined; }, null, numeric ? NUM : null];
    });
    var di = queryColumnIndex('device'), ci = queryColumnIndex('country'), pi = queryColumnIndex('protocol');
    function visible(r) {
      if (!Array.isArray(r)) return true;
      if (state.device && di >= 0 && text(r[di]) !== state.device) return false;
      if (state.country && ci >= 0 && text(r[ci]) !== state.country) return false;
      if (state.protocol && pi >= 0 && text(r[pi]) !== state.protocol) return false;
      return true;
    }
    function draw() {
      clear(holder);
      holder.appendChild(table(columns, rows, visible));
    }
    tableRenderers.push(draw);
    draw();
  }

  // ---- state --------------------------------------------------------------------------------------------------

  function update() {
    var drawn = drawMarkers();
    Array.prototype.forEach.call(document.querySelectorAll('section.device'), function (s) {
      s.hidden = !!state.device && s.getAttribute('data-device') !== state.device;
    });
    tableRenderers.forEach(function (draw) { draw(); });
    var active = [state.device, state.country, state.protocol].some(Boolean);
    document.getElementById('filter-summary').textContent =
      count(drawn) + (drawn === 1 ? ' place' : ' places') + ' on the map' + (active ? ' for this filter' : '');
    document.body.setAttribute('data-places', String(drawn));
  }

  renderHeader();
  renderFilters();
  renderQuery();
  renderOverview();
  renderDevices();
  update();
  enableZoom();
  document.body.setAttribute('data-ready', 'true');
})();
