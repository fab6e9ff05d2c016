// Asset names at site zoom, placed so that none overlaps another: labels are placed in priority order (the asset
// selected, then assets in SOS, then those already shown, then by id) and a label that would overlap one already
// placed is hidden. A hidden name is still in the roster and shows on hovering its marker.
import { subscribe } from './store.js';

export const LABEL_ZOOM = 16; // as map.js shows names from
const LABEL_FONT_PX = 11; // as .asset-label in style.css
const LABEL_HEIGHT = 15; // 11 px at line-height 1.3, rounded up
const LABEL_TOP = 11; // the label's top below the marker's centre: 20 px below the 18 px icon's top
const PADDING = 3; // each side
const MARGIN = 2; // kept clear around each label

let map = null;
let fleet = null;
let measure = null;
const widths = new Map(); // name -> text width in px
let shown = new Set(); // asset ids whose label is shown

function textWidth(name) {
  let width = widths.get(name);
  if (width === undefined) {
    if (!measure) {
      measure = document.createElement('canvas').getContext('2d');
      measure.font = `${LABEL_FONT_PX}px ${getComputedStyle(document.body).fontFamily}`;
    }
    width = Math.ceil(measure.measureText(name).width);
    if (widths.size > 10000) widths.clear();
    widths.set(name, width);
  }
  return width;
}

function selectedId() {
  const panel = document.getElementById('asset');
  return panel && !panel.hidden ? panel.dataset.assetId : null;
}

/** Places the names of the markers drawn on the map; hides those that would overlap. */
export function placeLabels() {
  if (!map || map.getZoom() < LABEL_ZOOM) return;
  const size = map.getSize();
  const selected = selectedId();
  const candidates = [];
  // Only the markers drawn now (the clustering plugin's own layer of what is on the map), not the whole fleet.
  for (const marker of fleet.group._featureGroup.getLayers()) {
    const element = marker.getElement?.();
    if (!element || !marker.status) continue;
    const point = map.latLngToContainerPoint(marker.getLatLng());
    if (point.x < -200 || point.y < -50 || point.x > size.x + 200 || point.y > size.y + 50) continue;
    const id = marker.status.id;
    const rank = id === selected ? 0 : marker.options.sos ? 1 : shown.has(id) ? 2 : 3;
    candidates.push({ marker, element, point, id, rank });
  }
  candidates.sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const placed = [];
  const now = new Set();
  for (const c of candidates) {
    const half = textWidth(c.marker.status.name ?? '') / 2 + PADDING + MARGIN;
    const box = {
      left: c.point.x - half, right: c.point.x + half,
      top: c.point.y + LABEL_TOP - MARGIN, bottom: c.point.y + LABEL_TOP + LABEL_HEIGHT + MARGIN,
    };
    const free = !placed.some((p) => p.left < box.right && box.left < p.right && p.top < box.bottom && box.top < p.bottom);
    if (free) {
      placed.push(box);
      now.add(c.id);
    }
    if (c.element.classList.contains('label-hidden') === free) c.element.classList.toggle('label-hidden', !free);
  }
  shown = now;
}

// Markers move with fixes about once a second each: names are placed again at most every PLACE_MS for them.
const PLACE_MS = 250;
let placeTimer = null;
function placeLabelsSoon() {
  if (placeTimer || !map || map.getZoom() < LABEL_ZOOM) return;
  placeTimer = setTimeout(() => { placeTimer = null; placeLabels(); }, PLACE_MS);
}

/** Places the names again whenever the map moves (a zoom ends with a move too) or the fleet's markers do. */
export function setUpLabels(view) {
  ({ map, fleet } = view);
  map.on('moveend', placeLabels);
  subscribe('assets', placeLabelsSoon);
  // An asset selected (from its marker, an alert, the roster) has its name placed first.
  new MutationObserver(placeLabels).observe(document.getElementById('asset'), { attributes: true, attributeFilter: ['data-asset-id', 'hidden'] });
}
