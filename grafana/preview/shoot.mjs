// Opens the preview page in headless Chromium (the system browser through playwright-core), with every request
// other than file: and data: blocked, checks that it loads without failed requests or page errors and that every
// panel drew something, and writes screenshots: the full page and one per main panel.
//   node shoot.mjs page.html outdir [prefix]      exit 1 on any failure; prints a JSON summary
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', 'tests', 'node', 'package.json'));
const { chromium } = require('playwright-core');
const [page, outDir, prefix = 'dashboard'] = process.argv.slice(2);
if (!page || !outDir) throw new Error('usage: node shoot.mjs page.html outdir [prefix]');
const shots = { full: null, map: ['panel-1', 'panel-2'], traffic: ['panel-3'], top: ['panel-4', 'panel-5', 'panel-6'], 'new-destinations': ['panel-7', 'panel-8'], sensor: ['panel-9', 'panel-10', 'panel-11', 'panel-12'] };

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const summary = { failed: [], pageErrors: [], consoleErrors: [], panels: {}, screenshots: [] };
try {
  const tab = await browser.newPage({ viewport: { width: 1620, height: 1000 }, deviceScaleFactor: 1 });
  tab.on('requestfailed', r => summary.failed.push(`${r.url().slice(0, 120)} ${r.failure()?.errorText}`));
  tab.on('response', r => { if (r.status() >= 400) summary.failed.push(`${r.url().slice(0, 120)} HTTP ${r.status()}`); });
  tab.on('console', m => { if (m.type() === 'error') summary.consoleErrors.push(m.text()); });
  tab.on('pageerror', e => summary.pageErrors.push(String(e)));
  await tab.route(u => !/^(file|data):/.test(u.href), r => r.abort());
  await tab.goto('file://' + path.resolve(page), { waitUntil: 'load' });
  await tab.waitForFunction(() => window.previewDone === true, null, { timeout: 10000 }).catch(e => summary.pageErrors.push(String(e)));
  summary.panels = await tab.evaluate(() => Object.fromEntries([...document.querySelectorAll('section.panel')].map(p =>
    [p.id, { type: p.dataset.type, drawn: Number(p.dataset.drawn ?? 0), marks: p.querySelectorAll('circle, canvas, tr, .bar, .stat').length }])));
  // The whole page in the viewport, so that clips below the first screen are inside the image.
  await tab.setViewportSize({ width: 1620, height: await tab.evaluate(() => document.documentElement.scrollHeight) });
  for (const [name, ids] of Object.entries(shots)) {
    const file = path.join(outDir, `${prefix}-${name}.png`);
    if (!ids) await tab.screenshot({ path: file, fullPage: true });
    else {
      const boxes = await Promise.all(ids.map(id => tab.locator('#' + id).boundingBox()));
      const x = Math.min(...boxes.map(b => b.x)), y = Math.min(...boxes.map(b => b.y));
      const clip = { x: x - 4, y: y - 4, width: Math.max(...boxes.map(b => b.x + b.width)) - x + 8, height: Math.max(...boxes.map(b => b.y + b.height)) - y + 8 };
      await tab.screenshot({ path: file, clip });
    }
    summary.screenshots.push(file);
  }
} finally {
  await browser.close();
}
const undrawn = Object.entries(summary.panels).filter(([, p]) => !(p.drawn > 0 && p.marks > 0)).map(([id]) => id);
console.log(JSON.stringify({ ...summary, undrawn }));
process.exit(summary.failed.length || summary.pageErrors.length || undrawn.length || !Object.keys(summary.panels).length ? 1 : 0);
