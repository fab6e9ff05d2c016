// Casualty records (mine and ERW accidents) as their own layer, switched on and off: a marker by device type and a
// popup with the date, the device and how many victims were killed and injured. Only what the server sends is shown
// (a viewer gets records masked: no village, no occupations, the place rounded).
import L from './leaflet-global.js';
import { t } from './i18n.js';
import { api } from './session.js';
import { report } from './banner.js';
import { escape, te } from './html.js';

const RELOAD_MS = 60000;

let map = null;
let layer = null;
let reload = null;
let records = [];
let drawnText = null; // the records drawn, as read

function popup(record) {
  const victims = record.victims ?? [];
  const killed = victims.filter((v) => v.outcome === 'killed').length;
  const injured = victims.filter((v) => v.outcome === 'injured').length;
  const place = [record.village, record.district, record.province].filter(Boolean).map(escape).join(', ');
  return `<div class="casualty-popup">
    <strong>${escape(record.date)}</strong> · ${te('foundItem.' + record.device)}<br>
    ${place}<br>
    ${te('killed')}: <b class="casualty-killed">${killed}</b> · ${te('injured')}: <b class="casualty-injured">${injured}</b>
  </div>`;
}

function draw() {
  layer.clearLayers();
  for (const record of records) {
    const icon = L.divIcon({
      className: '',
      html: `<span class="casualty-marker device-${escape(record.device)}" data-casualty-id="${escape(record.id)}"></span>`,
      iconSize: [16, 16],
      iconAnchor: [8, 8],
    });
    L.marker([record.lat, record.lon], { icon, keyboard: false, title: `${record.date} · ${t('foundItem.' + record.device)}` })
      .bindPopup(() => popup(record))
      .addTo(layer);
  }
}

/** Reads the last year's records (the server's default period, by its clock) and draws them if they changed. */
export async function loadCasualties() {
  const read = await api('/api/casualties');
  const text = JSON.stringify(read);
  if (text === drawnText) return; // drawing again would close a popup being read
  drawnText = text;
  records = read;
  if (layer) draw();
}

function switchLayer(on) {
  if (on) {
    layer.addTo(map);
    loadCasualties().catch(report);
    reload = setInterval(() => loadCasualties().catch(report), RELOAD_MS);
  } else {
    clearInterval(reload);
    reload = null;
    layer.remove();
  }
}

/** The layer's switch (#casualty-layer): off until the officer turns it on. */
export function setUpCasualties(view) {
  ({ map } = view);
  layer = L.layerGroup();
  const toggle = document.getElementById('casualty-layer');
  toggle.addEventListener('change', () => switchLayer(toggle.checked));
  if (toggle.checked) switchLayer(true);
}

/** Popups follow the interface language. */
export function retranslateCasualties() {
  if (layer && map?.hasLayer(layer)) draw();
}

/** How many records the layer draws (none while it is off). */
export const casualtiesShown = () => (layer && map?.hasLayer(layer) ? layer.getLayers().length : 0);
