// Builds the dashboard into one folder of static files: app.js, app.css (with Leaflet's images and the
// Noto Sans fonts), index.html and Cambodia's outline from Natural Earth. Nothing is fetched at run time.
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { feature } from 'topojson-client';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, 'out'));
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

await build({
  entryPoints: { app: join(here, 'app/main.js') },
  bundle: true,
  minify: true,
  sourcemap: true,
  target: ['chrome110', 'firefox110', 'safari16'],
  format: 'iife',
  outdir: out,
  logLevel: 'warning',
});
await build({
  entryPoints: { app: join(here, 'app/style.css') },
  bundle: true,
  minify: true,
  outdir: out,
  loader: { '.png': 'file', '.woff': 'file', '.woff2': 'file' },
  assetNames: 'assets/[name]-[hash]',
  logLevel: 'warning',
});
await copyFile(join(here, 'app/index.html'), join(out, 'index.html'));

// Cambodia (ISO 3166-1 numeric 116) from Natural Earth's 1:10m countries, as GeoJSON.
const world = JSON.parse(await readFile(join(here, 'node_modules/world-atlas/countries-10m.json'), 'utf8'));
const countries = feature(world, world.objects.countries);
const cambodia = countries.features.filter((f) => f.id === '116');
if (cambodia.length !== 1) {
  throw new Error('Cambodia not found in world-atlas');
}
await writeFile(join(out, 'cambodia.geojson'), JSON.stringify({ type: 'FeatureCollection', features: cambodia }));
console.log(`dashboard built into ${out}`);
