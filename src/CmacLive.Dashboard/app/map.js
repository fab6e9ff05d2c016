// The map: the base map (the silo's own tiles when it has them, over and around them the outlines shipped with the
// dashboard), hazard areas with their searched footprints, detections and finds.
import L from './leaflet-global.js';
import { baseMapLayer } from './basemap-layer.js';
import { FleetLayer } from './fleet-layer.js';
import { currentLanguage } from './i18n.js';
import { api } from './session.js';
import { subscribe } from './store.js';
import { report } from './banner.js';
import { escape, te } from './html.js';
import { simplifyGeometry, pointCount } from './simplify.js';

let map = null;
let tiles = null; // the silo's base map layer, when it serves one
let areaLayer;
let footprintLayer;
let detectionLayer;
const areaShapes = new Map(); // code -> leaflet layer
const areaWatchers = []; // called when the areas or their figures change
let searchedExact = null; // the searched footprint shown, exact as the API answered it
let searchedDrawn = 0; // how many points of it are drawn at this zoom

/**
 * Makes the map in #map, with the layers drawn over it in this order: areas, the asset's track, detections,
 * the searched footprint, the fleet. Answers what the asset panel draws on: the map, its fleet layer and the track layer.
 */
export function createMap(config) {
  map = L.map('map', { zoomControl: true, attributionControl: false, minZoom: 5, maxZoom: 19 })
    .fitBounds([[10.4, 102.3], [14.7, 107.7]]); // Cambodia
  tiles = baseMapLayer(config?.baseMap, currentLanguage());
  if (tiles) {
    // The file's attribution (its data's licence asks for it), as text.
    if (config.baseMap.attribution) L.control.attribution({ prefix: false }).addTo(map);
    tiles.addTo(map);
  } else if (config?.tileUrl) {
    L.tileLayer(config.tileUrl, { maxZoom: 19 }).addTo(map);
  }
  loadBasemap(Boolean(tiles || config?.tileUrl)).catch(report);
  areaLayer = L.featureGroup().addTo(map);
  const trackLayer = L.featureGroup().addTo(map);
  detectionLayer = L.featureGroup().addTo(map);
  footprintLayer = L.geoJSON(null, { style: { color: '#1b5e20', weight: 0, fillColor: '#43a047', fillOpacity: 0.55 }, interactive: false }).addTo(map);
  const fleet = new FleetLayer(map);
  // Close in, every marker carries its asset's name.
  const labelAssets = () => map.getContainer().classList.toggle('show-asset-labels', map.getZoom() >= 16);
  map.on('zoomend', labelAssets);
  labelAssets();
  subscribe('areas', (views) => { views.forEach(applyArea); areasChanged(); });
  map.on('zoomend', drawSearched);
  return { map, fleet, trackLayer };
}

/** What the map holds, for the page's summary. */
export function mapCounts() {
  return { areas: areaShapes.size, detections: detectionLayer?.getLayers().length ?? 0, zoom: map?.getZoom() ?? null };
}

/** Every hazard area's figures as the map shows them. */
export const areaList = () => [...areaShapes.values()].map((layer) => layer.feature.properties);

/** `changed()` is called whenever the areas or their figures change. */
export function watchAreas(changed) {
  areaWatchers.push(changed);
}

function areasChanged() {
  areaWatchers.forEach((changed) => changed());
}

/** Brings the area into view and shows its searched footprint. */
export function zoomToArea(code) {
  const layer = areaShapes.get(code);
  if (!layer) return;
  map.fitBounds(layer.getBounds().pad(0.1), { animate: false, maxZoom: 18 });
  showSearched(code).catch(report);
}

/** The searched footprint shown: its code, its points as the API sent them and as drawn at this zoom. */
export const searchedShown = () => (searchedExact
  ? { code: searchedExact.properties?.code ?? null, exact: pointCount(searchedExact.geometry), drawn: searchedDrawn, zoom: map.getZoom() }
  : null);

/** A hazard area as the map shows it (status, percent searched, counts), or null. */
export function areaShown(code) {
  return areaShapes.get(code)?.feature.properties ?? null;
}

// ---- hazard areas and their searched footprints ---------------------------------------------------
const areaColours = { suspected: '#f9a825', confirmed: '#e65100', 'in-clearance': '#c62828', released: '#2e7d32' };

function areaStyle(properties) {
  const colour = areaColours[properties.status] ?? '#777';
  return { color: colour, weight: 2, fillColor: colour, fillOpacity: properties.status === 'released' ? 0.1 : 0.25 };
}

function areaLabel(p) {
  return `${escape(p.code)}${p.name ? ' · ' + escape(p.name) : ''} · ${te('areaStatus.' + p.status)} · ${Number(p.percent ?? 0).toFixed(1)} % ${te('searched')}`;
}

export async function loadAreas() {
  const outlines = await api('/api/hazard-areas/outlines');
  areaLayer.clearLayers();
  areaShapes.clear();
  L.geoJSON(outlines, {
    style: (feature) => areaStyle(feature.properties),
    onEachFeature: (feature, layer) => {
      const code = feature.properties.code;
      layer.feature = feature;
      layer.bindTooltip(() => areaLabel(layer.feature.properties), { sticky: true });
      layer.on('click', () => showSearched(code));
      areaShapes.set(code, layer);
      areaLayer.addLayer(layer);
    },
  });
  areasChanged();
}

function applyArea(view) {
  const layer = areaShapes.get(view.code);
  if (!layer) {
    loadAreasSoon();
    return;
  }
  const before = layer.feature.properties;
  if (before.finds !== view.finds || before.openDetections !== view.openDetections || before.clutter !== view.clutter) {
    loadDetectionsSoon();
  }
  Object.assign(layer.feature.properties, {
    status: view.status, percent: view.percent, searchedM2: view.searchedM2, name: view.name,
    finds: view.finds, openDetections: view.openDetections, clutter: view.clutter,
  });
  layer.setStyle(areaStyle(layer.feature.properties));
}

let areaReload = null;
function loadAreasSoon() {
  if (!areaReload) {
    areaReload = setTimeout(() => { areaReload = null; loadAreas().catch(report); }, 1000);
  }
}

async function showSearched(code) {
  searchedExact = await api(`/api/hazard-areas/${encodeURIComponent(code)}/searched`);
  drawSearched();
}

// The searched footprint (cell for cell: thousands of points for a lane) is drawn simplified to about a pixel, exact
// only at the closest zoom.
const EXACT_FROM_ZOOM = 19; // the closest zoom: a pixel there is about 30 cm

function drawSearched() {
  footprintLayer.clearLayers();
  searchedDrawn = 0;
  if (!searchedExact?.geometry) return;
  const zoom = map.getZoom();
  const degreesPerPixel = 360 / (256 * 2 ** zoom);
  const geometry = zoom >= EXACT_FROM_ZOOM ? searchedExact.geometry : simplifyGeometry(searchedExact.geometry, degreesPerPixel);
  searchedDrawn = pointCount(geometry);
  if (geometry) footprintLayer.addData({ ...searchedExact, geometry });
}

// ---- detections and finds -----------------------------------------------------------------------
let detectionReload = null;

/** Detections still open (a possible item) and finds (a confirmed one); clutter is not drawn. */
export async function loadDetections() {
  const detections = await api('/api/detections');
  detectionLayer.clearLayers();
  for (const detection of detections) {
    if (detection.status === 'clutter') continue;
    const find = detection.status === 'find';
    L.circleMarker([detection.lat, detection.lon], {
      radius: find ? 6 : 4,
      color: find ? '#7f0000' : '#6d4c00',
      weight: 1,
      fillColor: find ? '#d50000' : '#ffca28',
      fillOpacity: 0.9,
      className: find ? 'find-marker' : 'detection-marker',
    }).bindTooltip(find
      ? `${te('find')}: ${escape(detection.find?.category ?? '')} ${escape(detection.find?.model ?? '')} · ${detection.find?.depthCm ?? '–'} cm`
      : `${te('detection')} · ${escape(detection.sensor)} · ${new Date(detection.ts).toLocaleString()}`)
      .addTo(detectionLayer);
  }
}

function loadDetectionsSoon() {
  if (!detectionReload) {
    detectionReload = setTimeout(() => { detectionReload = null; loadDetections().catch(report); }, 2000);
  }
}

// ---- base map: Cambodia, its provinces and neighbours ------------------------------------------------
// Alone, the outlines are the map. Under tiles, their fills go under the tiles (shown where the tiles have nothing:
// beyond the file's area or zooms) and their lines over them.
const basemapStyles = {
  neighbour: { color: '#9e9a8c', weight: 1, fillColor: '#e4e1d8', fillOpacity: 1 },
  country: { color: '#6d5a2f', weight: 2, fillColor: '#f6f3e8', fillOpacity: 1 },
  province: { color: '#a8987a', weight: 1, dashArray: '4 3', fill: false },
};
let provinceLabels;

async function loadBasemap(imagery) {
  const response = await fetch('basemap.geojson');
  const basemap = await response.json();
  map.createPane('basemap').style.zIndex = 250; // under the overlays, over any tiles
  if (imagery) {
    map.createPane('basemap-fill').style.zIndex = 150; // under the tiles (200)
    L.geoJSON(basemap, {
      pane: 'basemap-fill',
      interactive: false,
      filter: (feature) => feature.properties.kind !== 'province',
      style: (feature) => ({ ...basemapStyles[feature.properties.kind], stroke: false }),
    }).addTo(map);
  }
  L.geoJSON(basemap, {
    pane: 'basemap',
    interactive: false,
    style: (feature) => ({ ...basemapStyles[feature.properties.kind], ...(imagery ? { fill: false } : {}) }),
  }).addTo(map);
  map.createPane('province-labels').style.zIndex = 350;
  provinceLabels = L.layerGroup();
  for (const province of basemap.features.filter((f) => f.properties.kind === 'province')) {
    const label = L.marker(province.properties.label, {
      pane: 'province-labels',
      interactive: false,
      keyboard: false,
      icon: L.divIcon({ className: 'province-label', html: '', iconSize: null }),
    });
    label.names = province.properties;
    provinceLabels.addLayer(label);
  }
  nameProvinces();
  const showLabels = () => {
    const wanted = map.getZoom() >= 8 && map.getZoom() <= 11;
    if (wanted !== map.hasLayer(provinceLabels)) {
      if (wanted) provinceLabels.addTo(map); else provinceLabels.remove();
    }
  };
  map.on('zoomend', showLabels);
  showLabels();
}

/** Province names (and the vector base map's) follow the interface language; they are place names, not entered data. */
export function nameProvinces() {
  tiles?.relabel?.(currentLanguage());
  provinceLabels?.eachLayer((label) => {
    label.setIcon(L.divIcon({
      className: 'province-label',
      html: `<span>${escape(currentLanguage() === 'km' ? label.names.km : label.names.en)}</span>`,
      iconSize: null,
    }));
  });
}
