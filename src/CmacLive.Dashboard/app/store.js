// The live picture the panels read: assets, alerts and requests, with the changes queued for the next animation frame.
import { report } from './banner.js';

export const assets = new Map(); // id -> status
export const alerts = new Map(); // id -> alert
export const requests = new Map(); // id -> open request
/** Changes not applied yet, the newest per id (per code for hazard areas, which the map holds). */
export const pending = { assets: new Map(), alerts: new Map(), requests: new Map(), areas: new Map() };

const filter = { unit: '' };
export const unitFilter = () => filter.unit;
export function setUnitFilter(unit) {
  filter.unit = unit;
}

export const closed = (request) => ['resolved', 'cancelled'].includes(request.status);

// ---- the frame: state applied once per animation frame --------------------------------------------
// Alerts first, and each part on its own: nothing going wrong with markers may keep an SOS off the list.
const order = ['alerts', 'requests', 'assets', 'areas'];
const merge = {
  alerts: (alert) => { if (alert.isOpen === false) alerts.delete(alert.id); else alerts.set(alert.id, alert); },
  requests: (request) => { if (closed(request)) requests.delete(request.id); else requests.set(request.id, request); },
  assets: (status) => { assets.set(status.id, status); },
  areas: () => {},
};
const subscribers = { alerts: [], requests: [], assets: [], areas: [] };
let frameRequested = false;

/** `apply(changes)` draws a kind's changes each frame that has some, once they are in the picture. */
export function subscribe(kind, apply) {
  subscribers[kind].push(apply);
}

export function queue(kind, item) {
  if (!item) return;
  pending[kind].set(item.id, item);
  schedule();
}

export function queueArea(view) {
  pending.areas.set(view.code, view);
  schedule();
}

export function schedule() {
  if (!frameRequested) {
    frameRequested = true;
    requestAnimationFrame(flush);
  }
}

function flush() {
  frameRequested = false;
  for (const kind of order) {
    guarded(() => {
      const changes = pending[kind];
      if (changes.size === 0) return;
      const items = [...changes.values()];
      items.forEach(merge[kind]);
      subscribers[kind].forEach((apply) => apply(items));
      changes.clear();
    });
  }
}

function guarded(part) {
  try {
    part();
  } catch (error) {
    report(error);
  }
}

// ---- provisional SOS alerts: the receiving silo's word, until the ledger's alert comes -------------
/** The SOS alert of the asset's current episode (the ledger's or a provisional one), if one is here. */
export function openSosAlert(assetId) {
  const isIt = (a) => a.kind === 'sos' && a.assetId === assetId && !a.clearedAt && a.isOpen !== false;
  for (const a of pending.alerts.values()) if (isIt(a)) return a;
  for (const a of alerts.values()) if (isIt(a)) return a;
  return null;
}

/** Takes away the asset's provisional SOS alerts (but <code>keep</code>): the ledger's alert is here, or the SOS is over. */
export function dropProvisional(assetId, keep) {
  for (const known of [alerts, pending.alerts]) {
    for (const a of known.values()) {
      if (a.provisional && a.assetId === assetId && a.id !== keep) queue('alerts', { id: a.id, isOpen: false });
    }
  }
}

// A provisional SOS the ledger never confirmed (a late or repeated SOS report that changed nothing) goes once its asset
// is seen out of SOS for a while.
setInterval(() => {
  const before = Date.now() - 30000;
  for (const a of alerts.values()) {
    if (a.provisional && Date.parse(a.raisedAt) < before && assets.get(a.assetId)?.state !== 'sos') dropProvisional(a.assetId);
  }
}, 10000);
