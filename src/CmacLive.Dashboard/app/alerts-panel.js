// Open alerts: the list, newest first, with acknowledgement, and what an alert is about brought into view.
import { t } from './i18n.js';
import { api, can } from './session.js';
import { alerts, queue, requests, unitFilter, subscribe } from './store.js';
import { report } from './banner.js';
import { escape, te } from './html.js';
import { markerPosition, showAsset } from './assets-panel.js';
import { locateRequest } from './requests-panel.js';

let map = null;

/** Keeps the list from now on; clicking an alert moves the map. */
export function setUpAlerts(view) {
  ({ map } = view);
  subscribe('alerts', () => renderAlerts());
}

export function renderAlerts() {
  const list = document.getElementById('alert-list');
  const open = [...alerts.values()]
    .filter((a) => a.isOpen !== false && (!unitFilter() || !a.unit || a.unit === unitFilter() || a.severity === 'critical'))
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
  const position = alert.assetId ? markerPosition(alert.assetId) : null;
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
