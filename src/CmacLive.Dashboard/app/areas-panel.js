// The areas panel: every hazard area with its status, percent searched (a bar), finds and the assets tasked there;
// clicking one brings it into view with its searched footprint.
import { t } from './i18n.js';
import { assets, subscribe } from './store.js';
import { areaList, watchAreas, zoomToArea } from './map.js';
import { stateOf } from './assets-panel.js';

const COUNT_ASSETS_MS = 2000;
const items = new Map(); // code -> { element, cells }
let countedAt = -Infinity;
let working = new Map(); // code -> assets tasked there and not offline
let drawRequested = false;
let countTimer = null;

const statusOrder = { 'in-clearance': 0, confirmed: 1, suspected: 2, released: 3 };

function countAssets() {
  working = new Map();
  for (const status of assets.values()) {
    if (status.taskArea && stateOf(status) !== 'offline') working.set(status.taskArea, (working.get(status.taskArea) ?? 0) + 1);
  }
  countedAt = performance.now();
}

function newItem(code) {
  const element = document.createElement('li');
  element.className = 'area';
  element.dataset.areaCode = code;
  element.setAttribute('role', 'button');
  element.tabIndex = 0;
  const head = document.createElement('div');
  head.className = 'area-head';
  const cells = {};
  for (const name of ['code', 'status']) {
    cells[name] = document.createElement('span');
    cells[name].className = `area-${name}`;
    head.append(cells[name]);
  }
  const bar = document.createElement('div');
  bar.className = 'area-bar';
  cells.fill = document.createElement('div');
  cells.fill.className = 'area-bar-fill';
  bar.append(cells.fill);
  const figures = document.createElement('div');
  figures.className = 'area-figures';
  for (const name of ['percent', 'finds', 'assets']) {
    cells[name] = document.createElement('span');
    cells[name].className = `area-${name}`;
    figures.append(cells[name]);
  }
  element.append(head, bar, figures);
  element.addEventListener('click', () => zoomToArea(code));
  element.addEventListener('keydown', (event) => { if (event.key === 'Enter') zoomToArea(code); });
  return { element, cells };
}

/** Lists the areas again: items are kept and only their changed texts written. */
export function renderAreas() {
  drawRequested = false;
  const areas = areaList().sort((a, b) => (statusOrder[a.status] ?? 9) - (statusOrder[b.status] ?? 9) || a.code.localeCompare(b.code));
  const list = document.getElementById('area-list');
  const present = new Set(areas.map((a) => a.code));
  for (const [code, item] of items) {
    if (!present.has(code)) {
      item.element.remove();
      items.delete(code);
    }
  }
  const set = (element, text) => { if (element.textContent !== text) element.textContent = text; };
  let previous = null;
  for (const area of areas) {
    let item = items.get(area.code);
    if (!item) {
      item = newItem(area.code);
      items.set(area.code, item);
    }
    const percent = Math.max(0, Math.min(100, Number(area.percent ?? 0)));
    item.element.className = `area status-${area.status}`;
    set(item.cells.code, area.name ? `${area.code} · ${area.name}` : area.code);
    set(item.cells.status, t('areaStatus.' + area.status));
    set(item.cells.percent, `${percent.toFixed(1)} % ${t('searched')}`);
    set(item.cells.finds, `${t('finds')}: ${area.finds ?? 0}`);
    set(item.cells.assets, `${t('assetsThere')}: ${working.get(area.code) ?? 0}`);
    item.element.dataset.percent = percent.toFixed(1);
    item.cells.fill.style.width = `${percent}%`;
    const wanted = previous ? previous.nextSibling : list.firstChild;
    if (wanted !== item.element) list.insertBefore(item.element, wanted);
    previous = item.element;
  }
  document.getElementById('area-count').textContent = String(areas.length);
  document.getElementById('no-areas').hidden = areas.length > 0;
}

function renderSoon() {
  if (!drawRequested) {
    drawRequested = true;
    requestAnimationFrame(renderAreas);
  }
}

/** The assets changed: they are counted again (and the list drawn) once the last count is old enough. */
function countSoon() {
  if (countTimer) return;
  countTimer = setTimeout(() => {
    countTimer = null;
    countAssets();
    renderSoon();
  }, Math.max(0, COUNT_ASSETS_MS - (performance.now() - countedAt)));
}

/** Keeps the panel live from now on: on every change of the areas, and the assets' counts every few seconds. */
export function setUpAreas() {
  watchAreas(renderSoon);
  subscribe('assets', countSoon);
  renderAreas();
}
