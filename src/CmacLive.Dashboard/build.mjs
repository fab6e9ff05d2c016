// Builds the dashboard into one folder of static files: app.js, app.css (with Leaflet's images and the
// Noto Sans fonts), index.html and the base map (Cambodia, its provinces and neighbours, from Natural Earth). Nothing is fetched at run time.
import { build } from 'esbuild';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBasemap } from './basemap.mjs';

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

await writeFile(join(out, 'basemap.geojson'), JSON.stringify(await buildBasemap(join(here, 'node_modules'))));
console.log(`dashboard built into ${out}`);
