// Builds the self-contained preview page: page.html with uPlot, the world-atlas country shapes, page.js and the
// query results (query.mjs) inlined, so the page needs no network and no other file.
//   node build.mjs data.json out.html
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', 'tests', 'node', 'package.json'));
const pkg = name => path.dirname(require.resolve(`${name}/package.json`));
const [dataPath, outPath] = process.argv.slice(2);
if (!dataPath || !outPath) throw new Error('usage: node build.mjs data.json out.html');
const read = f => fs.readFileSync(f, 'utf8');
const safe = s => s.replaceAll('</script', '<\\/script');
const parts = {
  '/*UPLOT_CSS*/': read(path.join(pkg('uplot'), 'dist', 'uPlot.min.css')),
  '/*UPLOT_JS*/': safe(read(path.join(pkg('uplot'), 'dist', 'uPlot.iife.min.js'))),
  '/*WORLD_JSON*/': read(path.join(pkg('world-atlas'), 'countries-110m.json')),
  '/*DATA_JSON*/': safe(read(dataPath)),
  '/*PAGE_JS*/': safe(read(path.join(here, 'page.js'))),
};
let html = read(path.join(here, 'page.html'));
for (const [marker, text] of Object.entries(parts)) {
  if (!html.includes(marker)) throw new Error(`page.html has no ${marker}`);
  html = html.replace(marker, () => text);
}
fs.writeFileSync(outPath, html);
console.log(`${outPath}: ${(html.length / 1024).toFixed(0)} KiB`);
