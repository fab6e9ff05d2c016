// The offline base map the silo serves from its MBTiles file (Dashboard:Tiles) at /tiles/{z}/{x}/{y}: raster tiles as
// pictures, vector tiles drawn on canvas by protomaps-leaflet with the rules below. Both come from the silo only; the
// attribution is shown as text, with no link and no picture fetched from elsewhere.
import L from './leaflet-global.js';
import {
  CenteredTextSymbolizer, LineLabelSymbolizer, LineSymbolizer, PolygonSymbolizer, leafletLayer,
} from 'protomaps-leaflet';
import { escape } from './html.js';

/** The colours of the vector base map; the browser tests look for the water's on the canvas. */
export const colours = {
  water: '#aad3df',
  land: '#f2efe9',
  wood: '#c8dcb4',
  grass: '#dbe8c4',
  farmland: '#eef0d5',
  wetland: '#cfe3d8',
  residential: '#e6e1d8',
  building: '#d9d0c9',
  road: '#ffffff',
  roadCase: '#c8bfb0',
  majorRoad: '#fcd6a4',
  track: '#a8906c',
  rail: '#9a9a9a',
  boundary: '#8f7fa8',
  label: '#3d3a33',
  halo: '#ffffff',
};

const text = (props, key) => (typeof props[key] === 'string' ? props[key] : '');

// Layer names of the two schemas a centre's file is likely to follow: OpenMapTiles (MapTiler's extracts, planetiler's
// default, tilemaker's OpenMapTiles config) and Protomaps' basemap (pmtiles extracts converted to MBTiles).
const roadKind = (f) => {
  const kind = text(f.props, 'class') || text(f.props, 'kind');
  if (['motorway', 'trunk', 'primary', 'highway', 'major_road'].includes(kind)) return 'major';
  if (['secondary', 'tertiary'].includes(kind)) return 'medium';
  if (['track', 'path'].includes(kind)) return 'track';
  if (['rail', 'transit'].includes(kind)) return 'rail';
  return 'minor';
};

const roadWidth = { major: [7, 1.5, 16, 8], medium: [9, 1, 16, 6], minor: [12, 0.5, 16, 4] };
const width = (kind) => (z) => {
  const [z0, w0, z1, w1] = roadWidth[kind];
  if (z <= z0) return w0;
  if (z >= z1) return w1;
  return w0 + ((w1 - w0) * (z - z0)) / (z1 - z0);
};

function paintRules() {
  const roads = (kind, colour, extra = 0) => ['transportation', 'roads'].map((dataLayer) => ({
    dataLayer,
    filter: (z, f) => roadKind(f) === kind,
    symbolizer: new LineSymbolizer({ color: colour, width: (z) => width(kind)(z) + extra, lineCap: 'round', lineJoin: 'round' }),
  }));
  return [
    { dataLayer: 'earth', symbolizer: new PolygonSymbolizer({ fill: colours.land }) },
    ...['landcover', 'landuse', 'park'].map((dataLayer) => ({
      dataLayer,
      symbolizer: new PolygonSymbolizer({
        fill: (z, f) => {
          const kind = text(f.props, 'class') || text(f.props, 'kind') || text(f.props, 'subclass');
          if (['wood', 'forest', 'nature_reserve', 'national_park', 'protected_area'].includes(kind)) return colours.wood;
          if (['grass', 'grassland', 'park', 'scrub', 'meadow', 'cemetery'].includes(kind)) return colours.grass;
          if (['farmland', 'farm', 'orchard', 'allotments'].includes(kind)) return colours.farmland;
          if (['wetland', 'marsh', 'swamp'].includes(kind)) return colours.wetland;
          if (['residential', 'suburb', 'neighbourhood', 'village', 'urban_area', 'commercial', 'industrial'].includes(kind)) return colours.residential;
          return dataLayer === 'park' ? colours.grass : 'transparent';
        },
      }),
    })),
    { dataLayer: 'water', symbolizer: new PolygonSymbolizer({ fill: colours.water }) },
    { dataLayer: 'waterway', symbolizer: new LineSymbolizer({ color: colours.water, width: (z) => (z < 12 ? 1 : 2) }) },
    ...['building', 'buildings'].map((dataLayer) => ({
      dataLayer, minzoom: 14, symbolizer: new PolygonSymbolizer({ fill: colours.building, stroke: colours.roadCase, width: 0.5 }),
    })),
    ...['boundary', 'boundaries'].map((dataLayer) => ({
      dataLayer,
      filter: (z, f) => Number(f.props.admin_level ?? f.props.kind_detail ?? 2) <= 4,
      symbolizer: new LineSymbolizer({ color: colours.boundary, width: 1, dash: [4, 3] }),
    })),
    ...roads('track', colours.track),
    ...roads('minor', colours.roadCase, 1),
    ...roads('minor', colours.road),
    ...roads('medium', colours.roadCase, 1),
    ...roads('medium', colours.road),
    ...roads('major', colours.roadCase, 1),
    ...roads('major', colours.majorRoad),
    ...['transportation', 'roads'].map((dataLayer) => ({
      dataLayer,
      filter: (z, f) => roadKind(f) === 'rail',
      symbolizer: new LineSymbolizer({ color: colours.rail, width: 1, dash: [3, 3] }),
    })),
  ];
}

/** Names in the interface's language: Khmer where the map has it, else the local name or its Latin form. */
function labelRules(language) {
  const names = language === 'km'
    ? ['name:km', 'name', 'name:en', 'name_en', 'name:latin']
    : ['name:en', 'name_en', 'name:latin', 'name_int', 'name'];
  const font = (size, weight = 400) => `${weight} ${size}px ${language === 'km' ? "'Noto Sans Khmer', 'Noto Sans'" : "'Noto Sans', 'Noto Sans Khmer'"}, sans-serif`;
  const place = (dataLayer) => ({
    dataLayer,
    filter: (z, f) => ['city', 'town', 'village', 'hamlet', 'locality', 'suburb'].includes(text(f.props, 'class') || text(f.props, 'kind'))
      && (z >= 12 || ['city', 'town', 'locality'].includes(text(f.props, 'class') || text(f.props, 'kind'))),
    symbolizer: new CenteredTextSymbolizer({
      labelProps: names, font: (z, f) => font(['city', 'town'].includes(text(f.props, 'class')) ? 14 : 12, 700),
      fill: colours.label, stroke: colours.halo, width: 2,
    }),
  });
  const road = (dataLayer) => ({
    dataLayer,
    minzoom: 14,
    symbolizer: new LineLabelSymbolizer({ labelProps: names, font: font(11), fill: colours.label, stroke: colours.halo, width: 2 }),
  });
  return [place('place'), place('places'), road('transportation_name'), road('roads')];
}

/**
 * The base map's layer for this silo's tiles (see GET /api/dashboard/config, baseMap), or null without one. Raster tiles
 * are drawn from their native zooms up (enlarged past the deepest); vector tiles, 512-pixel by convention, one zoom below
 * the map's (protomaps-leaflet's levelDiff), so the layer starts one zoom after the set's first.
 */
export function baseMapLayer(baseMap, language) {
  if (!baseMap) return null;
  const [west, south, east, north] = baseMap.bounds;
  const common = {
    bounds: L.latLngBounds([[south, west], [north, east]]),
    attribution: baseMap.attribution ? escape(baseMap.attribution) : '',
    maxZoom: 19,
    className: 'base-map',
  };
  if (!baseMap.vector) {
    return L.tileLayer(baseMap.url, { ...common, minZoom: baseMap.minZoom, maxNativeZoom: baseMap.maxZoom });
  }
  const layer = leafletLayer({
    ...common,
    url: baseMap.url,
    minZoom: baseMap.minZoom + 1,
    maxDataZoom: baseMap.maxZoom,
    paintRules: paintRules(),
    labelRules: labelRules(language),
  });
  layer.relabel = (lang) => {
    layer.labelRules = labelRules(lang);
    layer.clearLayout();
    layer.rerenderTiles();
  };
  return layer;
}
