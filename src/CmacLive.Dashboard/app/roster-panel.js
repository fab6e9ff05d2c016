// The asset roster: every asset in a list to search, sort, filter and click, kept live with thousands of assets.
//
// Only the rows in view exist in the page (a pool of row elements moved over a spacer as tall as the whole list),
// each filled again only when its asset's status changed. The order (search, filters, sort) is worked out again at
// most once a second while fixes stream in, at once when the officer changes a control.
import { t } from './i18n.js';
import { assets, subscribe, unitFilter } from './store.js';
import { markerPosition, showAsset, stateOf } from './assets-panel.js';

const ROW_HEIGHT = 36; // px, as .roster-row in style.css
const OVERSCAN = 4; // rows drawn beyond the viewport's edges
const REORDER_MS = 1000;

export const rosterColumns = ['name', 'kind', 'unit', 'state', 'battery', 'lastSeen', 'task', 'request'];

let map = null;
let order = []; // asset ids, filtered and sorted
let orderedAt = -Infinity;
let orderStale = true;
let sort = { column: 'name', descending: false };
let drawRequested = false;
const rows = []; // the pool: { element, id, status, cells }
let viewport;
let spacer;

/** The value an asset is sorted by in a column. */
function sortValue(status, column) {
  switch (column) {
    case 'name': return (status.name ?? status.id).toLocaleLowerCase();
    case 'kind': return status.kind ?? '';
    case 'unit': return status.unit ?? '';
    case 'state': return stateOf(status);
    case 'battery': return status.battery ?? -1;
    case 'lastSeen': return status.lastSeen ? Date.parse(status.lastSeen) : 0;
    case 'task': return status.taskArea ?? '';
    case 'request': return status.dispatch ?? '';
    default: return '';
  }
}

function compare(a, b) {
  const x = sortValue(a, sort.column);
  const y = sortValue(b, sort.column);
  let result = 0;
  if (x < y) result = -1; else if (x > y) result = 1;
  if (sort.descending) result = -result;
  return result !== 0 ? result : (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function matches(status, words, kind, state) {
  if (kind && status.kind !== kind) return false;
  if (state && stateOf(status) !== state) return false;
  if (unitFilter() && status.unit !== unitFilter() && stateOf(status) !== 'sos') return false;
  if (words.length === 0) return true;
  const text = [status.name, status.id, status.unit, status.taskArea, status.dispatch].join(' ').toLocaleLowerCase();
  return words.every((word) => text.includes(word));
}

function reorder() {
  const words = document.getElementById('roster-search').value.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
  const kind = document.getElementById('roster-kind').value;
  const state = document.getElementById('roster-state').value;
  const shown = [];
  for (const status of assets.values()) if (matches(status, words, kind, state)) shown.push(status);
  shown.sort(compare);
  order = shown.map((s) => s.id);
  orderedAt = performance.now();
  orderStale = false;
  spacer.style.height = `${order.length * ROW_HEIGHT}px`;
  document.getElementById('roster-count').textContent = `${order.length} / ${assets.size}`;
}

/** Draws the rows in view; reorders first when the order is stale and due (or `now`). */
function draw(now) {
  drawRequested = false;
  if (orderStale && (now || performance.now() - orderedAt >= REORDER_MS)) reorder();
  else if (orderStale) drawSoon(REORDER_MS - (performance.now() - orderedAt));
  const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(order.length, Math.ceil((viewport.scrollTop + viewport.clientHeight) / ROW_HEIGHT) + OVERSCAN);
  while (rows.length < last - first) rows.push(newRow());
  rows.forEach((row, slot) => {
    const index = first + slot;
    const id = index < last ? order[index] : undefined;
    const status = id === undefined ? undefined : assets.get(id);
    if (!status) {
      row.element.hidden = true;
      row.id = undefined;
      row.status = undefined;
      return;
    }
    row.element.hidden = false;
    if (row.index !== index) {
      row.index = index;
      row.element.dataset.index = String(index);
      row.element.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
    }
    if (row.status !== status || row.language !== document.documentElement.lang) fillRow(row, status);
  });
}

let drawTimer = null;
function drawSoon(delay) {
  if (drawTimer) return;
  drawTimer = setTimeout(() => { drawTimer = null; requestDraw(); }, Math.max(0, delay));
}

function requestDraw() {
  if (!drawRequested) {
    drawRequested = true;
    requestAnimationFrame(() => draw(false));
  }
}

function newRow() {
  const element = document.createElement('li');
  element.className = 'roster-row';
  element.setAttribute('role', 'button');
  element.tabIndex = 0;
  const cells = {};
  const line = (names) => {
    const div = document.createElement('div');
    for (const name of names) {
      const span = document.createElement('span');
      span.className = `roster-${name}`;
      cells[name] = span;
      div.append(span);
    }
    return div;
  };
  element.append(line(['name', 'state', 'battery']), line(['kind', 'unit', 'lastSeen', 'task', 'request']));
  const row = { element, cells, id: undefined, status: undefined, index: -1, language: '' };
  const locate = () => { if (row.id) locateAsset(row.id); };
  element.addEventListener('click', locate);
  element.addEventListener('keydown', (event) => { if (event.key === 'Enter') locate(); });
  document.getElementById('roster-list').append(element);
  return row;
}

function fillRow(row, status) {
  const state = stateOf(status);
  row.id = status.id;
  row.status = status;
  row.language = document.documentElement.lang;
  row.element.dataset.assetId = status.id;
  row.element.className = `roster-row state-${state}`;
  const set = (name, text) => { if (row.cells[name].textContent !== text) row.cells[name].textContent = text; };
  set('name', status.name ?? status.id);
  set('state', t('state.' + state));
  set('battery', status.battery == null ? '–' : `${status.battery} %`);
  set('kind', t('kind.' + status.kind));
  set('unit', status.unit ?? '');
  set('lastSeen', status.lastSeen ? new Date(status.lastSeen).toLocaleTimeString() : '–');
  set('task', status.taskArea ?? '');
  set('request', status.dispatch ?? '');
}

/** Centres the map on the asset (close enough to see it on its own) and opens its panel. */
export function locateAsset(id) {
  showAsset(id); // first: the names are placed again as the map moves, the selected asset's before others
  const position = markerPosition(id);
  if (position) map.setView(position, Math.max(map.getZoom(), 16), { animate: false });
}

/** Fills the roster's controls (in the language chosen) and draws it again. */
export function retranslateRoster() {
  const kind = document.getElementById('roster-kind');
  const state = document.getElementById('roster-state');
  const options = (select, key, values) => {
    const chosen = select.value;
    select.replaceChildren(new Option(t(key === 'kind' ? 'allKinds' : 'allStates'), ''), ...values.map((v) => new Option(t(`${key}.${v}`), v)));
    select.value = chosen;
  };
  options(kind, 'kind', ['team', 'machine', 'dog', 'rat']);
  options(state, 'state', ['sos', 'working', 'travelling', 'standby', 'resting', 'unknown', 'offline']);
  for (const button of document.querySelectorAll('#roster-sort button')) {
    const column = button.dataset.column;
    button.textContent = t('rosterColumn.' + column) + (sort.column === column ? (sort.descending ? ' ▼' : ' ▲') : '');
    button.setAttribute('aria-pressed', String(sort.column === column));
  }
  requestDraw();
}

function reorderNow() {
  orderStale = true;
  viewport.scrollTop = 0;
  draw(true);
}

/** Keeps the roster live from now on; clicking a row locates its asset. */
export function setUpRoster(view) {
  ({ map } = view);
  viewport = document.getElementById('roster-viewport');
  spacer = document.getElementById('roster-list');
  const sortBar = document.getElementById('roster-sort');
  for (const column of rosterColumns) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.column = column;
    button.addEventListener('click', () => {
      // A column chosen anew sorts up, but the last seen newest first; chosen again, the other way.
      sort = { column, descending: sort.column === column ? !sort.descending : column === 'lastSeen' };
      retranslateRoster();
      reorderNow();
    });
    sortBar.append(button);
  }
  retranslateRoster();
  document.getElementById('roster-search').addEventListener('input', reorderNow);
  document.getElementById('roster-kind').addEventListener('change', reorderNow);
  document.getElementById('roster-state').addEventListener('change', reorderNow);
  document.getElementById('unit').addEventListener('change', reorderNow);
  viewport.addEventListener('scroll', requestDraw, { passive: true });
  // Called in the store's frame: the rows in view are filled again now, the order once it is due.
  subscribe('assets', () => {
    orderStale = true;
    draw(false);
  });
}
