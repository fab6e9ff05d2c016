import L from './leaflet-global.js';
import 'leaflet.markercluster';
import * as signalR from '@microsoft/signalr';
import { t, setLanguage, currentLanguage, applyTexts } from './i18n.js';

// ---- session --------------------------------------------------------------------------------
const TOKEN_KEY = 'cmaclive.token';
let token = sessionStorage.getItem(TOKEN_KEY);

class Unauthorized extends Error {}

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(options.headers ?? {}) },
  });
  if (response.status === 401) {
    throw new Unauthorized(path);
  }
  if (!response.ok) {
    throw new Error(`${options.method ?? 'GET'} ${path}: ${response.status}`);
  }
  return response.status === 204 ? null : response.json();
}

// ---- the live picture: state applied once per animation frame -----------------------------
const assets = new Map(); // id -> { status, marker }
const alerts = new Map(); // id -> alert
const requests = new Map(); // id -> request
const pending = { assets: new Map(), alerts: new Map(), requests: new Map() };
let frameRequested = false;
let unitFilter = '';

function schedule() {
  if (!frameRequested) {
    frameRequested = true;
    requestAnimationFrame(flush);
  }
}

function flush() {
  frameRequested = false;
  if (pending.assets.size > 0) {
    const batch = [...pending.assets.values()];
    pending.assets.clear();
    for (const status of batch) {
      applyAsset(status);
    }
  }
  if (pending.alerts.size > 0) {
    for (const alert of pending.alerts.values()) {
      alerts.set(alert.id, alert);
    }
    pending.alerts.clear();
    renderAlerts();
  }
  if (pending.requests.size > 0) {
    for (const request of pending.requests.values()) {
      requests.set(request.id, request);
    }
    pending.requests.clear();
    renderRequests();
  }
}

// ---- map -------------------------------------------------------------------------------------
let map;
let cluster;

function createMap(config) {
  map = L.map('map', { zoomControl: true, attributionControl: false, minZoom: 5, maxZoom: 19 }).setView([12.7, 104.9], 7);
  if (config?.tileUrl) {
    L.tileLayer(config.tileUrl, { maxZoom: 19 }).addTo(map);
  }
  fetch('cambodia.geojson').then((r) => r.json()).then((outline) => {
    L.geoJSON(outline, { style: { color: '#8a6d3b', weight: 1.5, fillColor: '#f3efe2', fillOpacity: config?.tileUrl ? 0 : 1 }, interactive: false }).addTo(map);
  });
  cluster = L.markerClusterGroup({ disableClusteringAtZoom: 14, chunkedLoading: true, showCoverageOnHover: false });
  map.addLayer(cluster);
}

function stateOf(status) {
  return status.online ? status.state : (status.state === 'sos' ? 'sos' : 'offline');
}

function iconFor(status) {
  const state = stateOf(status);
  return L.divIcon({
    className: '',
    html: `<span class="asset-marker kind-${status.kind} state-${state}" data-asset-id="${escape(status.id)}" data-state="${state}" title="${escape(status.name)}"></span>`,
    iconSize: [18, 18],
    iconAnchor: [9, 9],
  });
}

function visible(status) {
  return !unitFilter || status.unit === unitFilter;
}

function applyAsset(status) {
  let entry = assets.get(status.id);
  const position = status.position ? [status.position.lat, status.position.lon] : null;
  if (!entry) {
    entry = { status, marker: null, iconKey: '' };
    assets.set(status.id, entry);
  }
  entry.status = status;
  if (!position) {
    return;
  }
  const iconKey = `${status.kind}/${stateOf(status)}`;
  if (!entry.marker) {
    entry.marker = L.marker(position, { icon: iconFor(status), keyboard: false });
    entry.marker.on('click', () => showAsset(status.id));
    entry.iconKey = iconKey;
    if (visible(status)) {
      cluster.addLayer(entry.marker);
    }
    return;
  }
  entry.marker.setLatLng(position);
  if (entry.iconKey !== iconKey) {
    entry.iconKey = iconKey;
    entry.marker.setIcon(iconFor(status));
  }
  const shown = cluster.hasLayer(entry.marker);
  if (shown !== visible(status)) {
    if (shown) cluster.removeLayer(entry.marker); else cluster.addLayer(entry.marker);
  }
}

function showAsset(id) {
  const status = assets.get(id)?.status;
  if (!status) return;
  const panel = document.getElementById('asset');
  panel.hidden = false;
  panel.innerHTML = `
    <h3>${escape(status.name)} <small>${escape(status.id)}</small></h3>
    <dl>
      <dt>${t('units')}</dt><dd>${escape(status.unit)}</dd>
      <dt>${t('kind.' + status.kind)}</dt><dd>${t('state.' + stateOf(status))}</dd>
      <dt>${t('battery')}</dt><dd>${status.battery ?? '–'}%</dd>
      <dt>${t('lastSeen')}</dt><dd>${status.lastSeen ? new Date(status.lastSeen).toLocaleString() : '–'}</dd>
    </dl>`;
}

// ---- panels ----------------------------------------------------------------------------------
function renderAlerts() {
  const list = document.getElementById('alert-list');
  const open = [...alerts.values()]
    .filter((a) => a.isOpen !== false && (!unitFilter || !a.unit || a.unit === unitFilter))
    .sort((a, b) => (b.raisedAt > a.raisedAt ? 1 : -1));
  document.getElementById('alert-count').textContent = String(open.length);
  list.replaceChildren(...open.map((alert) => {
    const item = document.createElement('li');
    item.className = `alert severity-${alert.severity}${alert.clearedAt ? ' cleared' : ''}`;
    item.dataset.alertId = alert.id;
    item.innerHTML = `
      <div class="alert-head"><span class="severity">${t('severity.' + alert.severity)}</span>
        <time>${new Date(alert.raisedAt).toLocaleTimeString()}</time>${alert.clearedAt ? ` <span class="cleared-tag">${t('cleared')}</span>` : ''}</div>
      <div class="message">${escape(alert.message)}</div>`;
    if (alert.acknowledgedAt) {
      const by = document.createElement('div');
      by.className = 'acknowledged';
      by.textContent = `${t('acknowledged')} ${alert.acknowledgedBy}`;
      item.append(by);
    } else {
      const button = document.createElement('button');
      button.className = 'ack';
      button.textContent = t('acknowledge');
      button.addEventListener('click', async () => {
        button.disabled = true;
        try {
          queue('alerts', await api(`/api/alerts/${encodeURIComponent(alert.id)}/ack`, { method: 'POST', body: '{}' }));
        } catch (error) {
          button.disabled = false;
          report(error);
        }
      });
      item.append(button);
    }
    return item;
  }));
  if (open.length === 0) {
    const empty = document.createElement('li');
    empty.className = 'empty';
    empty.textContent = t('noAlerts');
    list.append(empty);
  }
}

function renderRequests() {
  const list = document.getElementById('request-list');
  const open = [...requests.values()]
    .filter((r) => !['resolved', 'cancelled'].includes(r.status) && (!unitFilter || !r.unit || r.unit === unitFilter))
    .sort((a, b) => (b.receivedAt > a.receivedAt ? 1 : -1));
  list.replaceChildren(...open.map((request) => {
    const item = document.createElement('li');
    item.className = `request priority-${request.priority}`;
    item.dataset.requestId = request.id;
    const place = request.report?.village ?? request.village ?? '';
    item.innerHTML = `<div><strong>${t('priority.' + request.priority)}</strong> · ${escape(place)}</div>
      <div>${t('status.' + request.status)}${request.teamId ? ' · ' + escape(request.teamId) : ''}</div>`;
    return item;
  }));
  if (open.length === 0) {
    const empty = document.createElement('li');
    empty.className = 'empty';
    empty.textContent = t('noRequests');
    list.append(empty);
  }
}

function queue(kind, item) {
  if (!item) return;
  pending[kind].set(item.id, item);
  schedule();
}

// ---- hub and resync ----------------------------------------------------------------------------
let hub;

function banner(text, kind) {
  const element = document.getElementById('banner');
  element.textContent = text;
  element.className = kind;
  element.hidden = !text;
}

async function resync() {
  const [statuses, open, openRequests] = await Promise.all([
    api('/api/assets'),
    api('/api/alerts?open=true'),
    api('/api/dispatch/requests?open=true'),
  ]);
  for (const status of statuses) queue('assets', status);
  alerts.clear();
  for (const alert of open) queue('alerts', alert);
  requests.clear();
  for (const request of openRequests) queue('requests', request);
  renderAlerts();
  renderRequests();
}

async function connect() {
  hub = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/ops', { accessTokenFactory: () => token, transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (context) => Math.min(1000 * 2 ** context.previousRetryCount, 10000) })
    .configureLogging(signalR.LogLevel.None)
    .build();
  hub.on('assetUpdated', (status) => queue('assets', status));
  hub.on('alertRaised', (alert) => queue('alerts', alert));
  hub.on('alertUpdated', (alert) => queue('alerts', alert));
  hub.on('dispatchUpdated', (request) => queue('requests', request));
  hub.on('hazardAreaUpdated', () => {});
  hub.onreconnecting(() => banner(t('reconnecting'), 'warning'));
  hub.onreconnected(async () => {
    await refocus();
    await resync();
    banner(t('resynced'), 'ok');
    setTimeout(() => banner('', ''), 3000);
  });
  hub.onclose(() => {
    // Automatic reconnection gave up (the server was away a long time): keep trying.
    banner(t('reconnecting'), 'warning');
    setTimeout(startHub, 5000);
  });
  await startHub();
}

async function startHub() {
  try {
    await hub.start();
    await refocus();
    await resync();
    banner('', '');
  } catch (error) {
    if (error instanceof Unauthorized) {
      signOut(t('badToken'));
      return;
    }
    banner(t('reconnecting'), 'warning');
    setTimeout(startHub, 3000);
  }
}

async function refocus() {
  if (hub?.state === signalR.HubConnectionState.Connected) {
    await hub.invoke('Focus', unitFilter ? [unitFilter] : []);
  }
}

// ---- sign-in ------------------------------------------------------------------------------------
async function signIn(candidate) {
  token = candidate;
  try {
    await api('/api/assets');
  } catch (error) {
    token = null;
    throw error;
  }
  sessionStorage.setItem(TOKEN_KEY, candidate);
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  location.hash = message ? `#${encodeURIComponent(message)}` : '';
  location.reload();
}

async function showDashboard() {
  document.getElementById('sign-in').hidden = true;
  document.getElementById('dashboard').hidden = false;
  let config = null;
  try {
    config = await api('/api/dashboard/config');
  } catch (error) {
    if (error instanceof Unauthorized) {
      signOut(t('badToken'));
      return;
    }
  }
  createMap(config);
  const units = await api('/api/assets').then((list) => [...new Set(list.map((s) => s.unit))].sort());
  const select = document.getElementById('unit');
  for (const unit of new Set([...units, 'DU1', 'DU2', 'DU3', 'DU4', 'DU5', 'DU6'])) {
    const option = document.createElement('option');
    option.value = unit;
    option.textContent = unit;
    select.append(option);
  }
  select.addEventListener('change', async () => {
    unitFilter = select.value;
    for (const entry of assets.values()) {
      if (entry.marker) {
        const shown = cluster.hasLayer(entry.marker);
        if (shown !== visible(entry.status)) {
          if (shown) cluster.removeLayer(entry.marker); else cluster.addLayer(entry.marker);
        }
      }
    }
    renderAlerts();
    renderRequests();
    await refocus();
  });
  await connect();
}

function report(error) {
  if (error instanceof Unauthorized) {
    signOut(t('badToken'));
    return;
  }
  console.error(error);
}

function escape(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

// ---- start --------------------------------------------------------------------------------------
document.getElementById('language').value = currentLanguage();
document.getElementById('language').addEventListener('change', (e) => {
  setLanguage(e.target.value);
  renderAlerts();
  renderRequests();
});
setLanguage(currentLanguage());

document.getElementById('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = document.getElementById('sign-in-error');
  error.textContent = '';
  try {
    await signIn(document.getElementById('token').value.trim());
    await showDashboard();
  } catch (e) {
    error.textContent = e instanceof Unauthorized ? t('badToken') : t('unreachable');
    if (!(e instanceof Unauthorized)) {
      console.error(e);
    }
  }
});
document.getElementById('sign-out').addEventListener('click', () => signOut(''));
if (location.hash.length > 1) {
  document.getElementById('sign-in-error').textContent = decodeURIComponent(location.hash.slice(1));
  history.replaceState(null, '', location.pathname);
}

if (token) {
  showDashboard().catch(report);
}

// A handle for operators' consoles and the browser tests: where the page has put each asset.
window.cmacLive = {
  position: (id) => assets.get(id)?.marker?.getLatLng() ?? null,
  state: (id) => (assets.has(id) ? stateOf(assets.get(id).status) : null),
  focus: (lat, lon, zoom = 16) => map?.setView([lat, lon], zoom, { animate: false }),
  summary: () => ({ assets: assets.size, markers: [...assets.values()].filter((e) => e.marker).length, alerts: alerts.size, hub: hub?.state ?? null }),
};
applyTexts();
