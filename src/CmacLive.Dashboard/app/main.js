import L from './leaflet-global.js';
import { FleetLayer } from './fleet-layer.js';
import * as signalR from '@microsoft/signalr';
import { t, setLanguage, currentLanguage, applyTexts } from './i18n.js';
import {
  Forbidden, Unauthorized, accessToken, api, can, isEnding, onSessionEnd, send, stillHolds,
} from './session.js';
import { retranslateSignIn, setUpSignIn } from './sign-in.js';

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
  // Alerts first, and each part on its own: nothing going wrong with markers may keep an SOS off the list.
  guarded(() => {
    if (pending.alerts.size === 0) return;
    for (const alert of pending.alerts.values()) {
      if (alert.isOpen === false) alerts.delete(alert.id); else alerts.set(alert.id, alert);
    }
    pending.alerts.clear();
    renderAlerts();
  });
  guarded(() => {
    if (pending.requests.size === 0) return;
    for (const request of pending.requests.values()) {
      if (closed(request)) requests.delete(request.id); else requests.set(request.id, request);
      applyRequestMarker(request);
    }
    pending.requests.clear();
    renderRequests();
  });
  guarded(() => {
    if (pending.assets.size === 0) return;
    const panel = document.getElementById('asset');
    for (const status of pending.assets.values()) {
      applyAsset(status, panel);
    }
    pending.assets.clear();
    fleet.flush((marker) => visible(marker.status));
  });
  guarded(() => {
    for (const view of pendingAreas.values()) {
      applyArea(view);
    }
    pendingAreas.clear();
  });
}

function guarded(part) {
  try {
    part();
  } catch (error) {
    report(error);
  }
}

const closed = (request) => ['resolved', 'cancelled'].includes(request.status);

// ---- map -------------------------------------------------------------------------------------
let map;
let fleet;
let areaLayer;
let footprintLayer;
const areaShapes = new Map(); // code -> leaflet layer
const requestMarkers = new Map(); // request id -> marker
const pendingAreas = new Map();

const areaColours = { suspected: '#f9a825', confirmed: '#e65100', 'in-clearance': '#c62828', released: '#2e7d32' };

function areaStyle(properties) {
  const colour = areaColours[properties.status] ?? '#777';
  return { color: colour, weight: 2, fillColor: colour, fillOpacity: properties.status === 'released' ? 0.1 : 0.25 };
}

function areaLabel(p) {
  return `${escape(p.code)}${p.name ? ' · ' + escape(p.name) : ''} · ${te('areaStatus.' + p.status)} · ${Number(p.percent ?? 0).toFixed(1)} % ${te('searched')}`;
}

async function loadAreas() {
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
  const searched = await api(`/api/hazard-areas/${encodeURIComponent(code)}/searched`);
  footprintLayer.clearLayers();
  if (searched.geometry) {
    footprintLayer.addData(searched);
  }
}

let detectionLayer;
let detectionReload = null;

/** Detections still open (a possible item) and finds (a confirmed one); clutter is not drawn. */
async function loadDetections() {
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

function applyRequestMarker(request) {
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

// ---- base map: Cambodia, its provinces and neighbours, drawn without any tile server ------------
const basemapStyles = {
  neighbour: { color: '#9e9a8c', weight: 1, fillColor: '#e4e1d8', fillOpacity: 1 },
  country: { color: '#6d5a2f', weight: 2, fillColor: '#f6f3e8', fillOpacity: 1 },
  province: { color: '#a8987a', weight: 1, dashArray: '4 3', fill: false },
};
let provinceLabels;

async function loadBasemap(imagery) {
  const response = await fetch('basemap.geojson');
  const basemap = await response.json();
  map.createPane('basemap').style.zIndex = 250; // under the overlays, over any imagery
  L.geoJSON(basemap, {
    pane: 'basemap',
    interactive: false,
    style: (feature) => ({ ...basemapStyles[feature.properties.kind], ...(imagery ? { fillOpacity: 0 } : {}) }),
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

/** Province names follow the interface language; they are place names, not entered data. */
function nameProvinces() {
  provinceLabels?.eachLayer((label) => {
    label.setIcon(L.divIcon({
      className: 'province-label',
      html: `<span>${escape(currentLanguage() === 'km' ? label.names.km : label.names.en)}</span>`,
      iconSize: null,
    }));
  });
}

function createMap(config) {
  map = L.map('map', { zoomControl: true, attributionControl: false, minZoom: 5, maxZoom: 19 })
    .fitBounds([[10.4, 102.3], [14.7, 107.7]]); // Cambodia
  if (config?.tileUrl) {
    L.tileLayer(config.tileUrl, { maxZoom: 19 }).addTo(map);
  }
  loadBasemap(Boolean(config?.tileUrl)).catch(report);
  areaLayer = L.featureGroup().addTo(map);
  trackLayer = L.featureGroup().addTo(map);
  detectionLayer = L.featureGroup().addTo(map);
  footprintLayer = L.geoJSON(null, { style: { color: '#1b5e20', weight: 0, fillColor: '#43a047', fillOpacity: 0.55 }, interactive: false }).addTo(map);
  fleet = new FleetLayer(map);
  map.on('click', (event) => pickSite(event.latlng));
  // Close in, every marker carries its asset's name.
  const labelAssets = () => map.getContainer().classList.toggle('show-asset-labels', map.getZoom() >= 16);
  map.on('zoomend', labelAssets);
  labelAssets();
}

function stateOf(status) {
  return status.online ? status.state : (status.state === 'sos' ? 'sos' : 'offline');
}

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
  return !unitFilter || status.unit === unitFilter || stateOf(status) === 'sos';
}

function applyAsset(status, panel) {
  if (!panel.hidden && panel.dataset.assetId === status.id) {
    fillAssetFacts(panel, status);
  }
  let entry = assets.get(status.id);
  if (!entry) {
    entry = { status, marker: null, iconKey: '' };
    assets.set(status.id, entry);
  }
  entry.status = status;
  if (!status.position) {
    return;
  }
  const position = L.latLng(status.position.lat, status.position.lon);
  const iconKey = `${status.kind}/${stateOf(status)}/${status.name}`;
  if (!entry.marker) {
    entry.marker = L.marker(position, { icon: iconFor(status), keyboard: false });
    entry.marker.on('click', () => showAsset(status.id));
    entry.marker.status = status;
    entry.iconKey = iconKey;
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

/** An asset no longer registered: off the map and out of the picture. */
function dropAsset(id) {
  const entry = assets.get(id);
  if (entry?.marker) fleet.remove(entry.marker);
  assets.delete(id);
}

let trackLayer;
let replay = null;

function showAsset(id) {
  const status = assets.get(id)?.status;
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
  document.getElementById('show-track').addEventListener('click', () => showTrack(id).catch(report));
  document.getElementById('replay-track').addEventListener('click', () => replayTrack());
}

/** The facts in the asset panel that change with every update. */
function fillAssetFacts(panel, status) {
  panel.querySelector('.asset-state').textContent = t('state.' + stateOf(status));
  panel.querySelector('.asset-battery').textContent = status.battery == null ? '–' : `${status.battery} %`;
  panel.querySelector('.asset-seen').textContent = status.lastSeen ? new Date(status.lastSeen).toLocaleString() : '–';
  panel.querySelector('.asset-assignment').textContent = status.dispatch ?? status.taskArea ?? '–';
}

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

// ---- panels ----------------------------------------------------------------------------------
function renderAlerts() {
  const list = document.getElementById('alert-list');
  const open = [...alerts.values()]
    .filter((a) => a.isOpen !== false && (!unitFilter || !a.unit || a.unit === unitFilter || a.severity === 'critical'))
    .sort((a, b) => (b.raisedAt > a.raisedAt ? 1 : -1));
  document.getElementById('alert-count').textContent = String(open.length);
  list.replaceChildren(...open.map((alert) => {
    const item = document.createElement('li');
    item.className = `alert severity-${alert.severity}${alert.clearedAt ? ' cleared' : ''}`;
    item.dataset.alertId = alert.id;
    item.innerHTML = `
      <div class="alert-head"><span class="severity">${te('severity.' + alert.severity)}</span>
        <span class="alert-kind">${escape(t('alertKind.' + alert.kind))}</span>
        <time>${new Date(alert.raisedAt).toLocaleTimeString()}</time>${alert.clearedAt ? ` <span class="cleared-tag">${te('cleared')}</span>` : ''}</div>
      <div class="message">${escape(alert.message)}</div>`;
    item.title = t('locate');
    item.addEventListener('click', (event) => { if (!event.target.closest('button')) locateAlert(alert); });
    if (alert.acknowledgedAt) {
      const by = document.createElement('div');
      by.className = 'acknowledged';
      by.textContent = `${t('acknowledged')} ${alert.acknowledgedBy}`;
      item.append(by);
    } else if (can('acknowledge')) {
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

/** Brings what an alert is about into view: the asset (and its detail), else the request's site. */
function locateAlert(alert) {
  const position = alert.assetId ? assets.get(alert.assetId)?.marker?.getLatLng() : null;
  if (position) {
    map.setView(position, Math.max(map.getZoom(), 15));
    showAsset(alert.assetId);
    return;
  }
  const request = alert.requestId ? requests.get(alert.requestId) : null;
  if (request) {
    locateRequest(request);
  }
}

function locateRequest(request) {
  const lat = request.report?.lat ?? request.lat;
  const lon = request.report?.lon ?? request.lon;
  if (lat != null) {
    map.setView([lat, lon], Math.max(map.getZoom(), 12));
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

function queue(kind, item) {
  if (!item) return;
  pending[kind].set(item.id, item);
  schedule();
}

// ---- dispatch: the new request form, its recommendations, assignment -------------------------
let picking = false;

function pickSite(latlng) {
  if (!picking) return;
  document.getElementById('request-lat').value = latlng.lat.toFixed(6);
  document.getElementById('request-lon').value = latlng.lng.toFixed(6);
}

function setUpDispatch() {
  if (!can('dispatch')) return; // the form and its button were left out
  const form = document.getElementById('request-form');
  document.getElementById('new-request').addEventListener('click', () => {
    form.hidden = !form.hidden;
    picking = !form.hidden;
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const problems = document.getElementById('request-problems');
    problems.textContent = '';
    const value = (id) => document.getElementById(id).value.trim();
    const body = {
      lat: Number(value('request-lat')),
      lon: Number(value('request-lon')),
      found: value('request-found'),
      village: value('request-village') || null,
      province: value('request-province') || null,
      description: value('request-description') || null,
      reporterName: value('request-reporter') || null,
      reporterPhone: value('request-phone') || null,
      nearPeople: document.getElementById('request-people').checked,
      nearSchool: document.getElementById('request-school').checked,
      nearRoad: document.getElementById('request-road').checked,
      unit: unitFilter || null,
    };
    if (value('request-lat') === '' || value('request-lon') === '') {
      problems.textContent = t('pickSite');
      return;
    }
    let response;
    let answer;
    try {
      response = await send('/api/dispatch/requests', { method: 'POST', body: JSON.stringify(body) });
      answer = await response.json();
    } catch (error) {
      report(error);
      return;
    }
    if (!response.ok) {
      problems.textContent = Object.entries(answer.errors ?? {}).map(([field, messages]) => `${field}: ${messages.join(', ')}`).join('; ') || answer.detail || response.status;
      return;
    }
    form.reset();
    form.hidden = true;
    picking = false;
    queue('requests', answer);
    showRecommendations(answer);
  });
}

let shownRecommendations = null;

function showRecommendations(request) {
  shownRecommendations = request;
  const panel = document.getElementById('recommendations');
  panel.hidden = false;
  panel.dataset.requestId = request.id;
  const rows = request.recommendations.map((r) => `
    <li data-team-id="${escape(r.teamId)}"><span>${escape(r.name)} (${escape(r.unit)}) · ${(r.distanceM / 1000).toFixed(1)} km · ${r.etaMinutes.toFixed(0)} min</span>
      ${can('dispatch') ? `<button type="button" class="assign" data-team-id="${escape(r.teamId)}">${te('assign')}</button>` : ''}</li>`).join('');
  panel.innerHTML = `<h3>${te('recommended')} · ${te('priority.' + request.priority)} · <small>${escape(request.id)}</small></h3>
    <ul>${rows || `<li class="empty">${te('noTeams')}</li>`}</ul>
    <div class="toolbar"><small>${te('rankedAt')} ${new Date().toLocaleTimeString()}</small>
      <span><button type="button" class="refresh-recommendations">${te('refresh')}</button>
      <button type="button" class="close-recommendations">${te('close')}</button></span></div>
    <p class="assign-problem" role="alert"></p>`;
  panel.querySelector('.refresh-recommendations').addEventListener('click', () => refreshRecommendations(request).catch(report));
  panel.querySelector('.close-recommendations').addEventListener('click', () => { panel.hidden = true; });
  for (const button of panel.querySelectorAll('button.assign')) {
    button.addEventListener('click', async () => {
      button.disabled = true;
      let response;
      let answer;
      try {
        response = await send(`/api/dispatch/requests/${encodeURIComponent(request.id)}/assign`, {
          method: 'POST',
          body: JSON.stringify({ teamId: button.dataset.teamId }),
        });
        answer = await response.json();
      } catch (error) {
        button.disabled = false;
        report(error);
        return;
      }
      if (response.ok) {
        queue('requests', answer);
        panel.hidden = true;
      } else {
        button.disabled = false;
        panel.querySelector('.assign-problem').textContent = answer.detail ?? String(response.status);
      }
    });
  }
}

/** Ranks the teams again now: they move while a dispatcher decides. */
async function refreshRecommendations(request) {
  const recommendations = await api(`/api/dispatch/requests/${encodeURIComponent(request.id)}/recommendations`);
  showRecommendations({ ...request, recommendations });
}

// ---- alarm: a critical alert sounds, so an SOS is heard by an officer looking away ---------------
// Browsers let a page play sound only after a click on it; signing in is one, and any later click unlocks too.
const SOUND_KEY = 'cmaclive.sound';
let audio = null;
let alarms = 0;

function unlockAudio() {
  try {
    if (!audio) {
      audio = new AudioContext();
      audio.addEventListener('statechange', showSoundHint);
    }
    if (audio.state === 'suspended') audio.resume().catch(() => {});
  } catch (error) {
    console.warn('no sound on this machine', error); // the alarm still counts and shows
  }
}

/** Says so while the alarm cannot sound yet (the page was opened without a click, as after a reload). */
function showSoundHint() {
  const on = localStorage.getItem(SOUND_KEY) !== 'off';
  const hint = document.getElementById('sound-hint');
  hint.hidden = !on || audio?.state === 'running';
  hint.textContent = t('soundHint');
}

// Assets whose SOS has sounded here: the first of its signals (the asset's state or the critical alert, whichever
// comes first; the alert may wait for a failover) sounds once per episode, which ends when the asset leaves SOS.
const sosSounded = new Set();

/** The SOS alert of the asset's current episode (the ledger's or a provisional one), if one is here. */
function openSosAlert(assetId) {
  const isIt = (a) => a.kind === 'sos' && a.assetId === assetId && !a.clearedAt && a.isOpen !== false;
  for (const a of pending.alerts.values()) if (isIt(a)) return a;
  for (const a of alerts.values()) if (isIt(a)) return a;
  return null;
}

/** Takes away the asset's provisional SOS alerts (but <code>keep</code>): the ledger's alert is here, or the SOS is over. */
function dropProvisional(assetId, keep) {
  for (const map of [alerts, pending.alerts]) {
    for (const a of map.values()) {
      if (a.provisional && a.assetId === assetId && a.id !== keep) queue('alerts', { id: a.id, isOpen: false });
    }
  }
}

// A provisional SOS the ledger never confirmed (a late or repeated SOS report that changed nothing) goes once its asset
// is seen out of SOS for a while.
setInterval(() => {
  const before = Date.now() - 30000;
  for (const a of alerts.values()) {
    if (a.provisional && Date.parse(a.raisedAt) < before && assets.get(a.assetId)?.status?.state !== 'sos') dropProvisional(a.assetId);
  }
}, 10000);

function sosAlarm(assetId) {
  if (sosSounded.has(assetId)) return;
  sosSounded.add(assetId);
  alarm();
}

function alarm() {
  alarms++;
  if (localStorage.getItem(SOUND_KEY) === 'off' || !audio || audio.state !== 'running') return;
  const start = audio.currentTime;
  for (let i = 0; i < 3; i++) {
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.value = 0.25;
    tone.connect(gain).connect(audio.destination);
    tone.start(start + i * 0.4);
    tone.stop(start + i * 0.4 + 0.25);
  }
}

function setUpSound() {
  const box = document.getElementById('sound');
  box.checked = localStorage.getItem(SOUND_KEY) !== 'off';
  box.addEventListener('change', () => {
    localStorage.setItem(SOUND_KEY, box.checked ? 'on' : 'off');
    showSoundHint();
  });
  document.addEventListener('pointerdown', unlockAudio, { capture: true });
  showSoundHint();
}

// ---- hub and resync ----------------------------------------------------------------------------
let hub;

function banner(text, kind) {
  const element = document.getElementById('banner');
  element.textContent = text;
  element.className = kind;
  element.hidden = !text;
}

// While the picture is read again, hub events keep coming. For an id the hub spoke of meanwhile, the hub's
// word stands: events for one id arrive in order, so the last one is the newest. For the others, the
// snapshot is the picture, and what it no longer holds (an asset deleted, an alert or request closed
// while the link was down) is taken away.
let touched = null;

function fromHub(kind, item) {
  touched?.[kind].add(item.id);
  queue(kind, item);
}

async function resync() {
  touched = { assets: new Set(), alerts: new Set(), requests: new Set() };
  try {
    const [statuses, open, openRequests] = await Promise.all([
      api('/api/assets'),
      api('/api/alerts?open=true'),
      api('/api/dispatch/requests?open=true'),
    ]);
    replacePicture('assets', assets, statuses, dropAsset);
    // A provisional SOS is not in the ledger yet (it may wait for a failover): it stays while its asset is in SOS.
    const inSos = new Set(statuses.filter((s) => s.state === 'sos').map((s) => s.id));
    replacePicture('alerts', alerts, open, (id) => {
      if (!(alerts.get(id)?.provisional && inSos.has(alerts.get(id).assetId))) alerts.delete(id);
    });
    replacePicture('requests', requests, openRequests, (id) => {
      const request = requests.get(id);
      requests.delete(id);
      applyRequestMarker({ ...request, status: 'resolved' });
    });
    // A critical alert raised while the link was down sounds now. So does an asset in SOS whose alert is not raised yet
    // (it may wait for a failover); one whose alert is open already is that alert's to sound (or not, once acknowledged).
    const missed = open.some((a) => a.severity === 'critical' && !a.acknowledgedAt && !alerts.has(a.id) && !touched.alerts.has(a.id));
    const alerted = new Set(open.filter((a) => a.kind === 'sos' && a.assetId).map((a) => a.assetId));
    let unalerted = false;
    for (const status of statuses) {
      if (status.state !== 'sos' || sosSounded.has(status.id)) continue;
      sosSounded.add(status.id);
      unalerted ||= !alerted.has(status.id);
    }
    if (missed || unalerted) alarm();
    addUnits(statuses.map((s) => s.unit));
    for (const item of statuses) if (!touched.assets.has(item.id)) queue('assets', item);
    for (const item of open) if (!touched.alerts.has(item.id)) queue('alerts', item);
    for (const item of openRequests) if (!touched.requests.has(item.id)) queue('requests', item);
  } finally {
    touched = null;
  }
  await loadAreas();
  await loadDetections();
}

function replacePicture(kind, known, snapshot, drop) {
  const present = new Set(snapshot.map((item) => item.id));
  for (const id of [...known.keys()]) {
    if (!present.has(id) && !touched[kind].has(id) && !pending[kind].has(id)) drop(id);
  }
  schedule();
}

async function connect() {
  hub = new signalR.HubConnectionBuilder()
    // Assets' updates come as one array per feed batch (assetsUpdated), not one message each.
    .withUrl('/hubs/ops?batched=true', { accessTokenFactory: accessToken, transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
    .configureLogging(signalR.LogLevel.None)
    .build();
  hub.serverTimeoutInMilliseconds = 12000; // the server pings every 5 s
  hub.keepAliveIntervalInMilliseconds = 5000;
  const assetUpdated = (status) => {
    fromHub('assets', status);
    if (status.state === 'sos') {
      sosAlarm(status.id);
    } else {
      sosSounded.delete(status.id);
      dropProvisional(status.id);
    }
  };
  hub.on('assetUpdated', assetUpdated);
  hub.on('assetsUpdated', (statuses) => statuses.forEach(assetUpdated));
  hub.on('alertRaised', (alert) => {
    const known = alerts.has(alert.id) || pending.alerts.has(alert.id);
    if (alert.provisional) {
      // The receiving silo's word, before the ledger's: shown unless the ledger's alert of this SOS is here already.
      if (!known && !openSosAlert(alert.assetId)) fromHub('alerts', alert);
      sosAlarm(alert.assetId);
      return;
    }
    if (alert.kind === 'sos' && alert.assetId) dropProvisional(alert.assetId, alert.id);
    fromHub('alerts', alert);
    if (alert.severity !== 'critical') return;
    if (alert.kind === 'sos' && alert.assetId) sosAlarm(alert.assetId); else if (!known) alarm();
  });
  hub.on('alertUpdated', (alert) => fromHub('alerts', alert));
  hub.on('dispatchUpdated', (request) => fromHub('requests', request));
  hub.on('hazardAreaUpdated', (view) => { pendingAreas.set(view.code, view); schedule(); });
  hub.onclose(() => {
    if (isEnding()) return;
    banner(t('reconnecting'), 'warning');
    reconnectSoon();
  });
  onSessionEnd(() => hub.stop());
  await startHub(false);
}

let hubAttempts = 0;

/**
 * The link went: the silo stopped, the network dropped, or the server closed a sign-in that no longer holds
 * (expired, user deleted or disabled). A refused WebSocket handshake shows no status, so before each attempt
 * the API is asked whether the token still holds: a dead token ends the session instead of looping.
 */
function reconnectSoon() {
  const delay = Math.min(1000 * 2 ** hubAttempts, 10000);
  hubAttempts++;
  setTimeout(async () => {
    if (await stillHolds()) await startHub(true);
  }, delay);
}

/** Opens the hub connection (retrying until it is up), then reads the picture. */
async function startHub(reconnected) {
  if (isEnding() || hub.state !== signalR.HubConnectionState.Disconnected) return;
  try {
    await hub.start();
  } catch {
    if (isEnding()) return;
    banner(t('reconnecting'), 'warning');
    reconnectSoon();
    return;
  }
  hubAttempts = 0;
  await catchUp(reconnected);
}

/** Focus and a full read of the picture, retried while the link stays up, so the page is never left stale. */
let synced = 0; // pictures read in full since the page opened

async function catchUp(reconnected) {
  try {
    await refocus();
    await resync();
  } catch (error) {
    if (error instanceof Unauthorized || isEnding()) return;
    console.warn('resync failed, trying again', error);
    if (hub.state === signalR.HubConnectionState.Connected) {
      setTimeout(() => catchUp(reconnected), 3000);
    }
    return;
  }
  if (hub.state !== signalR.HubConnectionState.Connected) {
    return; // the link went again while the picture was read; the next reconnection reads it again
  }
  synced++;
  if (reconnected) {
    banner(t('resynced'), 'ok');
    setTimeout(() => { if (hub.state === signalR.HubConnectionState.Connected) banner('', ''); }, 3000);
  } else {
    banner('', '');
  }
}

async function refocus() {
  if (hub?.state === signalR.HubConnectionState.Connected) {
    await hub.invoke('Focus', unitFilter ? [unitFilter] : []);
  }
}

// ---- the dashboard, once signed in ----------------------------------------------------------------
async function showDashboard() {
  document.getElementById('sign-in').hidden = true;
  document.getElementById('dashboard').hidden = false;
  // Controls the role may not use are left out, not merely disabled (those rendered later ask can() themselves).
  for (const element of document.querySelectorAll('[data-needs]')) {
    if (!can(element.dataset.needs)) element.remove();
  }
  let config = null;
  try {
    config = await api('/api/dashboard/config');
  } catch (error) {
    if (error instanceof Unauthorized) return;
  }
  createMap(config);
  addUnits(['DU1', 'DU2', 'DU3', 'DU4', 'DU5', 'DU6']);
  const select = document.getElementById('unit');
  select.addEventListener('change', () => {
    unitFilter = select.value;
    fleet.show([...assets.values()].filter((e) => e.marker).map((e) => e.marker), (marker) => visible(marker.status));
    renderAlerts();
    renderRequests();
    // The hub narrows what it sends to the units in focus: widening again reads the picture afresh.
    catchUp(false);
  });
  setUpDispatch();
  await connect();
}

/** Every unit seen, in order, in the unit filter. */
function addUnits(units) {
  const select = document.getElementById('unit');
  const known = new Set([...select.options].map((o) => o.value));
  for (const unit of new Set(units)) {
    if (!unit || known.has(unit)) continue;
    known.add(unit);
    const option = document.createElement('option');
    option.value = unit;
    option.textContent = unit;
    const after = [...select.options].find((o) => o.value && o.value.localeCompare(unit) > 0);
    select.insertBefore(option, after ?? null);
  }
}

function report(error) {
  if (error instanceof Unauthorized || isEnding()) return; // the session is ending: the sign-in form says why
  if (error instanceof Forbidden) {
    banner(t('forbidden'), 'warning'); // the server has the last word on what a role may do
    setTimeout(() => { if (document.getElementById('banner').textContent === t('forbidden')) banner('', ''); }, 5000);
    return;
  }
  console.error(error);
}

/** An interface text for HTML: keys built from server values fall back to the value itself. */
function te(key) {
  return escape(t(key));
}

function escape(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

// ---- start --------------------------------------------------------------------------------------
document.getElementById('language').value = currentLanguage();
document.getElementById('language').addEventListener('change', (e) => {
  setLanguage(e.target.value);
  nameProvinces();
  renderAlerts();
  renderRequests();
  const panel = document.getElementById('asset');
  if (panel && !panel.hidden) showAsset(panel.dataset.assetId);
  const recommendations = document.getElementById('recommendations');
  if (recommendations && !recommendations.hidden && shownRecommendations) showRecommendations(shownRecommendations);
  showSoundHint();
  retranslateSignIn();
});
setLanguage(currentLanguage());
setUpSound();
setUpSignIn(() => showDashboard().catch(report), (on) => banner(on ? t('reconnecting') : '', on ? 'warning' : ''));

// A handle for operators' consoles and the browser tests: where the page has put each asset.
window.cmacLive = {
  position: (id) => assets.get(id)?.marker?.getLatLng() ?? null,
  state: (id) => (assets.has(id) ? stateOf(assets.get(id).status) : null),
  focus: (lat, lon, zoom = 16) => { map?.setView([lat, lon], zoom, { animate: false }); },
  select: (id) => { showAsset(id); },
  summary: () => ({
    assets: assets.size,
    markers: [...assets.values()].filter((e) => e.marker).length,
    alerts: alerts.size,
    areas: areaShapes.size,
    detections: detectionLayer?.getLayers().length ?? 0,
    hub: hub?.state ?? null,
    synced,
    alarms,
    zoom: map?.getZoom() ?? null,
    clustered: fleet?.count() ?? 0,
  }),
  clusterProblems: () => fleet?.problems() ?? [],
  shown: () => (fleet ? fleet.group.getLayers().map((marker) => marker.status.id) : []),
  area: (code) => areaShapes.get(code)?.feature.properties ?? null,
};
applyTexts();
