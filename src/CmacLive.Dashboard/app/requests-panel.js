// Open dispatch requests: the list in the dispatch panel and their markers on the map.
import L from './leaflet-global.js';
import { t } from './i18n.js';
import { closed, requests, subscribe, unitFilter } from './store.js';
import { report } from './banner.js';
import { escape, te } from './html.js';
import { refreshRecommendations } from './dispatch-form.js';

let map = null;
const requestMarkers = new Map(); // request id -> marker

/** Draws the requests on the map from now on, and keeps the list. */
export function setUpRequests(view) {
  ({ map } = view);
  subscribe('requests', (changed) => {
    changed.forEach(applyRequestMarker);
    renderRequests();
  });
}

/** Puts an open request with a site on the map, and takes a closed one off it. */
export function applyRequestMarker(request) {
  const open = !closed(request);
  const lat = request.report?.lat ?? request.lat;
  const lon = request.report?.lon ?? request.lon;
  let marker = requestMarkers.get(request.id);
  if (!open || lat == null) {
    if (marker) { map.removeLayer(marker); requestMarkers.delete(request.id); }
    return;
  }
  const icon = L.divIcon({
    className: '',
    html: `<span class="request-marker priority-${escape(request.priority)} status-${escape(request.status)}" data-request-id="${escape(request.id)}"></span>`,
    iconSize: [22, 22],
    iconAnchor: [11, 11],
  });
  if (!marker) {
    marker = L.marker([lat, lon], { icon, keyboard: false, zIndexOffset: 1000 }).addTo(map);
    marker.bindTooltip(() => `${te('priority.' + request.priority)} · ${te('status.' + (requests.get(request.id)?.status ?? request.status))}`);
    requestMarkers.set(request.id, marker);
  } else {
    marker.setIcon(icon);
  }
}

export function renderRequests() {
  const list = document.getElementById('request-list');
  const open = [...requests.values()]
    .filter((r) => !['resolved', 'cancelled'].includes(r.status) && (!unitFilter() || !r.unit || r.unit === unitFilter()))
    .sort((a, b) => (b.receivedAt > a.receivedAt ? 1 : -1));
  list.replaceChildren(...open.map((request) => {
    const item = document.createElement('li');
    item.className = `request priority-${request.priority}`;
    item.dataset.requestId = request.id;
    const place = request.report?.village ?? request.village ?? '';
    item.innerHTML = `<div><strong>${te('priority.' + request.priority)}</strong> · ${escape(place)} · <small>${escape(request.id)}</small></div>
      <div class="request-status" data-status="${escape(request.status)}">${te('status.' + request.status)}${request.teamId ? ' · ' + escape(request.teamId) : ''}</div>`;
    item.title = t('locate');
    item.addEventListener('click', () => {
      locateRequest(request);
      if (['received', 'triaged'].includes(request.status)) {
        refreshRecommendations(request).catch(report);
      }
    });
    return item;
  }));
  if (open.length === 0) {
    const empty = document.createElement('li');
    empty.className = 'empty';
    empty.textContent = t('noRequests');
    list.append(empty);
  }
}

/** Brings a request's site into view. */
export function locateRequest(request) {
  const lat = request.report?.lat ?? request.lat;
  const lon = request.report?.lon ?? request.lon;
  if (lat != null) {
    map.setView([lat, lon], Math.max(map.getZoom(), 12));
  }
}
