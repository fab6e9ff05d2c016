// Assets: their markers on the map, the asset panel kept live, and the asset's track drawn and replayed.
import L from './leaflet-global.js';
import { t } from './i18n.js';
import { api } from './session.js';
import { assets, subscribe, unitFilter } from './store.js';
import { report } from './banner.js';
import { escape, te } from './html.js';
import { showAssetEvents } from './asset-events.js';

let map = null;
let fleet = null;
let trackLayer = null;
let replay = null;
const markers = new Map(); // asset id -> { marker, iconKey }

/** Draws the assets on the map's fleet layer from now on, and the track on its track layer. */
export function setUpAssets(view) {
  ({ map, fleet, trackLayer } = view);
  subscribe('assets', (statuses) => {
    const panel = document.getElementById('asset');
    for (const status of statuses) {
      applyAsset(status, panel);
    }
    fleet.flush((marker) => visible(marker.status));
  });
}

export function stateOf(status) {
  return status.online ? status.state : (status.state === 'sos' ? 'sos' : 'offline');
}

/** Where the page has put the asset's marker, or null. */
export const markerPosition = (id) => markers.get(id)?.marker.getLatLng() ?? null;
export const markerCount = () => markers.size;

function iconFor(status) {
  const state = stateOf(status);
  return L.divIcon({
    className: '',
    html: `<span class="asset-marker kind-${escape(status.kind)} state-${escape(state)}" data-asset-id="${escape(status.id)}" data-state="${escape(state)}" title="${escape(status.name)}"></span><span class="asset-label">${escape(status.name)}</span>`,
    iconSize: [18, 18],
    iconAnchor: [9, 9],
  });
}

/** Shown under the unit filter; an asset in SOS is shown whatever the filter. */
function visible(status) {
  return !unitFilter() || status.unit === unitFilter() || stateOf(status) === 'sos';
}

/** Shows the markers the unit filter lets through, and only those. */
export function showFiltered() {
  const all = [...assets.keys()].map((id) => markers.get(id)?.marker).filter(Boolean);
  fleet.show(all, (marker) => visible(marker.status));
}

function applyAsset(status, panel) {
  if (!panel.hidden && panel.dataset.assetId === status.id) {
    fillAssetFacts(panel, status);
  }
  if (!status.position) {
    return;
  }
  const position = L.latLng(status.position.lat, status.position.lon);
  const iconKey = `${status.kind}/${stateOf(status)}/${status.name}`;
  let entry = markers.get(status.id);
  if (!entry) {
    entry = { marker: L.marker(position, { icon: iconFor(status), keyboard: false }), iconKey };
    entry.marker.on('click', () => showAsset(status.id));
    entry.marker.status = status;
    markers.set(status.id, entry);
    fleet.add(entry.marker, stateOf(status) === 'sos');
    return;
  }
  entry.marker.status = status;
  fleet.move(entry.marker, position);
  if (entry.iconKey !== iconKey) {
    entry.iconKey = iconKey;
    entry.marker.setIcon(iconFor(status));
    fleet.setSos(entry.marker, stateOf(status) === 'sos');
  }
  if (visible(status) !== fleet.isShown(entry.marker)) {
    fleet.show([entry.marker], (marker) => visible(marker.status));
  }
}

/** An asset no longer registered: its marker off the map. */
export function dropMarker(id) {
  const entry = markers.get(id);
  if (entry) fleet.remove(entry.marker);
  markers.delete(id);
}

// ---- the asset panel ----------------------------------------------------------------------------------
export function showAsset(id) {
  const status = assets.get(id);
  if (!status) return;
  const panel = document.getElementById('asset');
  panel.hidden = false;
  panel.dataset.assetId = id;
  panel.innerHTML = `
    <h3>${escape(status.name)} <small>${escape(status.id)}</small></h3>
    <dl>
      <dt>${te('units')}</dt><dd>${escape(status.unit)}</dd>
      <dt>${te('kind.' + status.kind)}</dt><dd class="asset-state"></dd>
      <dt>${te('battery')}</dt><dd class="asset-battery"></dd>
      <dt>${te('lastSeen')}</dt><dd class="asset-seen"></dd>
      <dt>${te('assignment')}</dt><dd class="asset-assignment"></dd>
    </dl>
    <div class="track-controls">
      <select id="track-window">
        <option value="15">15 min</option><option value="60" selected>1 h</option><option value="480">8 h</option><option value="1440">24 h</option>
      </select>
      <button id="show-track" type="button">${te('showTrack')}</button>
      <button id="replay-track" type="button" disabled>${te('replay')}</button>
      <span id="track-count"></span>
    </div>`;
  fillAssetFacts(panel, status);
  showAssetEvents(panel, id);
  document.getElementById('show-track').addEventListener('click', () => showTrack(id).catch(report));
  document.getElementById('replay-track').addEventListener('click', () => replayTrack());
}

/** Says the asset panel again in the language just chosen. */
export function retranslateAsset() {
  const panel = document.getElementById('asset');
  if (panel && !panel.hidden) showAsset(panel.dataset.assetId);
}

/** The facts in the asset panel that change with every update. */
function fillAssetFacts(panel, status) {
  panel.querySelector('.asset-state').textContent = t('state.' + stateOf(status));
  panel.querySelector('.asset-battery').textContent = status.battery == null ? '–' : `${status.battery} %`;
  panel.querySelector('.asset-seen').textContent = status.lastSeen ? new Date(status.lastSeen).toLocaleString() : '–';
  panel.querySelector('.asset-assignment').textContent = status.dispatch ?? status.taskArea ?? '–';
}

// ---- track and replay -------------------------------------------------------------------------------
async function showTrack(id) {
  const minutes = Number(document.getElementById('track-window').value);
  const to = new Date();
  const from = new Date(to.getTime() - minutes * 60000);
  const track = await api(`/api/assets/${encodeURIComponent(id)}/track?from=${from.toISOString()}&to=${to.toISOString()}`);
  const points = (track.geometry?.coordinates ?? []).map(([lon, lat]) => [lat, lon]);
  trackLayer.clearLayers();
  stopReplay();
  document.getElementById('track-count').textContent = `${points.length} ${t('fixes')}`;
  if (points.length === 0) return;
  L.polyline(points, { color: '#283593', weight: 3, className: 'track-line' }).addTo(trackLayer);
  trackLayer.points = points;
  document.getElementById('replay-track').disabled = points.length < 2;
  map.fitBounds(L.latLngBounds(points).pad(0.2), { maxZoom: 18 });
}

function stopReplay() {
  if (replay) {
    cancelAnimationFrame(replay.frame);
    replay.marker.remove();
    replay = null;
  }
}

/** Plays the shown track back in ten seconds, whatever its length. */
function replayTrack() {
  stopReplay();
  const points = trackLayer.points ?? [];
  if (points.length < 2) return;
  const marker = L.circleMarker(points[0], { radius: 7, color: '#fff', fillColor: '#283593', fillOpacity: 1, className: 'replay-marker' }).addTo(trackLayer);
  const started = performance.now();
  const step = () => {
    const share = Math.min(1, (performance.now() - started) / 10000);
    marker.setLatLng(points[Math.min(points.length - 1, Math.floor(share * (points.length - 1)))]);
    if (share < 1) {
      replay.frame = requestAnimationFrame(step);
    }
  };
  replay = { marker, frame: requestAnimationFrame(step) };
}
