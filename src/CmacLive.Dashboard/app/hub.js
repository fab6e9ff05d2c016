// The hub connection: live events into the store, the reconnect banner, and a full read of the picture after each (re)connection.
import * as signalR from '@microsoft/signalr';
import { t } from './i18n.js';
import {
  Unauthorized, accessToken, api, isEnding, onSessionEnd, stillHolds,
} from './session.js';
import {
  alerts, assets, dropProvisional, openSosAlert, pending, queue, queueArea, requests, schedule, unitFilter,
} from './store.js';
import { banner } from './banner.js';
import { alarm, alarmAfterResync, sosAlarm, sosOver } from './alarm.js';
import { dropMarker } from './assets-panel.js';
import { assetEvent } from './asset-events.js';
import { applyRequestMarker } from './requests-panel.js';
import { loadAreas, loadDetections } from './map.js';
import { addUnits } from './unit-filter.js';
import { loadSituation, showSituation } from './situation-bar.js';

let hub;
let hubAttempts = 0;
let synced = 0; // pictures read in full since the page opened

export const hubState = () => hub?.state ?? null;
export const syncedCount = () => synced;

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
    replacePicture('assets', assets, statuses, (id) => {
      dropMarker(id);
      assets.delete(id);
    });
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
    alarmAfterResync(statuses, open, (a) => !alerts.has(a.id) && !touched.alerts.has(a.id));
    addUnits(statuses.map((s) => s.unit));
    for (const item of statuses) if (!touched.assets.has(item.id)) queue('assets', item);
    for (const item of open) if (!touched.alerts.has(item.id)) queue('alerts', item);
    for (const item of openRequests) if (!touched.requests.has(item.id)) queue('requests', item);
  } finally {
    touched = null;
  }
  await loadAreas();
  await loadDetections();
  await loadSituation();
}

function replacePicture(kind, known, snapshot, drop) {
  const present = new Set(snapshot.map((item) => item.id));
  for (const id of [...known.keys()]) {
    if (!present.has(id) && !touched[kind].has(id) && !pending[kind].has(id)) drop(id);
  }
  schedule();
}

export async function connect() {
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
      sosOver(status.id);
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
    if (alert.kind !== 'sos' || !alert.assetId) {
      if (!known) alarm();
      return;
    }
    // An asset in SOS sounds once per episode, whichever of its state and its alert comes first. A new SOS alert of an
    // asset that is not in SOS (a phone's SOS button: a phone has no state) is an episode of its own, and sounds.
    const status = pending.assets.get(alert.assetId) ?? assets.get(alert.assetId);
    if (!known && status?.state !== 'sos') sosOver(alert.assetId);
    sosAlarm(alert.assetId);
  });
  hub.on('alertUpdated', (alert) => fromHub('alerts', alert));
  hub.on('dispatchUpdated', (request) => fromHub('requests', request));
  hub.on('hazardAreaUpdated', (view) => queueArea(view));
  hub.on('assetEvent', assetEvent);
  hub.on('situationUpdated', showSituation);
  hub.onclose(() => {
    if (isEnding()) return;
    banner(t('reconnecting'), 'warning');
    reconnectSoon();
  });
  onSessionEnd(() => hub.stop());
  await startHub(false);
}

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
export async function catchUp(reconnected) {
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
    await hub.invoke('Focus', unitFilter() ? [unitFilter()] : []);
  }
}
