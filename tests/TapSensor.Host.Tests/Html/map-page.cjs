// Loads HTML report pages in headless Chromium (playwright-core, the system browser) with every request that is not
// file: or data: aborted, applies filter states through the page's own selects, and prints what it saw as one JSON
// object on stdout. Driven by HtmlReportBrowserTests.
//   node map-page.cjs JOB.json
// JOB: { "nodeModules": DIR, "chromium": PATH, "pages": [ { "html": PATH, "screenshot": PATH|null,
//        "states": [ { "device": "", "country": "", "protocol": "" } ] } ] }
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

async function main() {
  const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const { chromium } = createRequire(path.join(job.nodeModules, 'noop.js'))('playwright-core');
  const browser = await chromium.launch({
    executablePath: job.chromium, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const results = [];
  try {
    for (const spec of job.pages) results.push(await visit(browser, spec));
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify({ pages: results }) + '\n');
}

async function visit(browser, spec) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const failed = [], pageErrors = [], consoleErrors = [], requests = [];
  page.on('request', r => requests.push(r.url().slice(0, 120)));
  page.on('requestfailed', r => failed.push(`${r.url().slice(0, 120)} ${r.failure() && r.failure().errorText}`));
  page.on('response', r => { if (r.status() >= 400) failed.push(`${r.url()} HTTP ${r.status()}`); });
  page.on('console', m => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', e => pageErrors.push(String(e)));
  await page.route(u => !/^(file|data):/.test(u.href), r => r.abort()); // the page can never reach the network
  await page.goto('file://' + spec.html, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="true"]', { timeout: 5000 }).catch(() => {});

  const info = await page.evaluate(() => ({
    ready: document.body.getAttribute('data-ready') === 'true',
    title: document.title,
    heading: document.getElementById('title').textContent,
    countries: document.querySelectorAll('#countries path').length,
    mapMissing: !!document.getElementById('map-missing'),
    attribution: Array.from(document.querySelectorAll('#attribution a')).map(a => ({ text: a.textContent, href: a.getAttribute('href') })),
    options: Object.fromEntries(['device', 'country', 'protocol'].map(k =>
      [k, Array.from(document.querySelectorAll('#filter-' + k + ' option')).map(o => o.value)])),
    injected: document.querySelectorAll('img, iframe, object, embed').length,
    scripts: document.querySelectorAll('script').length,
  }));

  const states = [];
  for (const s of spec.states || []) {
    await page.selectOption('#filter-device', s.device || '');
    await page.selectOption('#filter-country', s.country || '');
    await page.selectOption('#filter-protocol', s.protocol || '');
    states.push(await page.evaluate(filter => ({
      filter,
      markers: Array.from(document.querySelectorAll('#markers circle')).map(c => ({
        lat: Number(c.getAttribute('data-lat')), lon: Number(c.getAttribute('data-lon')),
        bytes: Number(c.getAttribute('data-bytes')), country: c.getAttribute('data-country'),
        devices: (c.getAttribute('data-devices') || '').split(' ').filter(Boolean),
        protocols: (c.getAttribute('data-protocols') || '').split(' ').filter(Boolean),
        title: c.querySelector('title') ? c.querySelector('title').textContent : null,
        cx: Number(c.getAttribute('cx')), cy: Number(c.getAttribute('cy')), r: Number(c.getAttribute('r')),
      })),
      emptyShown: !document.getElementById('map-empty').hidden,
      sections: Array.from(document.querySelectorAll('section.device')).filter(s => !s.hidden).map(s => s.getAttribute('data-device')),
      overviewRows: (() => { const t = document.querySelector('#overview-table table'); return t ? Number(t.getAttribute('data-rows')) : -1; })(),
      queryRows: (() => { const t = document.querySelector('#query-table table'); return t ? Number(t.getAttribute('data-rows')) : -1; })(),
      tableRows: Object.fromEntries(Array.from(document.querySelectorAll('section.device')).filter(s => !s.hidden).map(s =>
        [s.getAttribute('data-device'), Object.fromEntries(Array.from(s.querySelectorAll('[data-section]')).map(b => {
          const t = b.querySelector('table');
          return [b.getAttribute('data-section'), t ? Number(t.getAttribute('data-rows')) : -1];
        }))])),
      noDataRows: Array.from(document.querySelectorAll('tr.empty')).filter(r =>
        !r.closest('section').hidden && r.textContent === 'No data for this filter').length,
    }), s));
  }

  let zoom = null;
  if (spec.zoom) { // wheel in over the map's centre: the viewBox narrows, markers keep their size on screen
    const before = await page.evaluate(() => ({ viewBox: document.getElementById('map').getAttribute('viewBox'),
      r: Array.from(document.querySelectorAll('#markers circle')).map(c => Number(c.getAttribute('r'))) }));
    const box = await page.locator('#map').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -200);
    await page.waitForTimeout(100);
    const after = await page.evaluate(() => ({ viewBox: document.getElementById('map').getAttribute('viewBox'),
      r: Array.from(document.querySelectorAll('#markers circle')).map(c => Number(c.getAttribute('r'))) }));
    await page.dblclick('#map', { position: { x: 5, y: 5 } });
    const reset = await page.evaluate(() => document.getElementById('map').getAttribute('viewBox'));
    zoom = { before, after, reset };
  }

  if (spec.screenshot) {
    for (const k of ['device', 'country', 'protocol']) await page.selectOption('#filter-' + k, '');
    await page.screenshot({ path: spec.screenshot, fullPage: !!spec.fullPage });
  }
  await page.close();
  return { html: spec.html, failed, pageErrors, consoleErrors, requests, info, states, zoom };
}

main().catch(e => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(2); });
