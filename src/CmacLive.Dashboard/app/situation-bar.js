// The situation at a glance: a bar of large figures over the map, readable on a wall screen at 3 m. Each figure has its
// label (English or Khmer) and its colour, so neither colour nor text alone carries the meaning. Read once with
// GET /api/situation when the picture is read, then kept by the hub's situationUpdated (at most once a second).
import { api } from './session.js';
import { applyTexts } from './i18n.js';
import { unitFilter } from './store.js';

// The tiles, left to right: [figure id, label key, tone]. A tone is a class: the colour of the figure's band.
const tiles = [
  ['online', 'situation.online', 'tone-online'],
  ['working', 'state.working', 'tone-working'],
  ['resting', 'state.resting', 'tone-resting'],
  ['offline', 'state.offline', 'tone-offline'],
  ['sos', 'state.sos', 'tone-critical'],
  ['searched', 'situation.searchedToday', 'tone-ground'],
  ['released', 'situation.releasedToday', 'tone-released'],
  ['finds', 'situation.findsToday', 'tone-finds'],
  ['alerts', 'situation.openAlerts', 'tone-alerts'],
  ['requests', 'situation.openRequests', 'tone-requests'],
];
const severities = ['critical', 'high', 'warning', 'info'];

let bar = null;
let shown = null; // the situation on the bar
const figures = new Map(); // figure id -> its element

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Builds the bar (once, after sign-in); its labels follow the language like every data-i18n text. */
export function setUpSituationBar() {
  bar = document.getElementById('situation-bar');
  bar.replaceChildren();
  for (const [id, label, tone] of tiles) {
    const tile = document.createElement('div');
    tile.className = `tile ${tone}`;
    tile.dataset.tile = id;
    const figure = document.createElement('span');
    figure.className = 'figure';
    figure.dataset.figure = id;
    figure.textContent = '–';
    const caption = document.createElement('span');
    caption.className = 'caption';
    caption.dataset.i18n = label;
    const line = document.createElement('span');
    line.className = 'line';
    line.append(figure);
    if (id === 'searched' || id === 'released') {
      const unit = document.createElement('span');
      unit.className = 'unit';
      unit.dataset.i18n = 'situation.m2';
      line.append(unit);
    }
    tile.append(line, caption);
    if (id === 'alerts') tile.append(chips('severity', severities));
    if (id === 'requests') tile.append(chips('overdue', ['overdue']));
    figures.set(id, figure);
    bar.append(tile);
  }
  bar.hidden = false;
  applyTexts(bar);
}

/** Small labelled counts under a figure: open alerts by severity, overdue requests. */
function chips(kind, names) {
  const row = document.createElement('span');
  row.className = 'chips';
  for (const name of names) {
    const chip = document.createElement('span');
    chip.className = `chip chip-${name}`;
    const count = document.createElement('b');
    count.dataset.figure = `${kind}-${name}`;
    count.textContent = '0';
    const label = document.createElement('span');
    label.dataset.i18n = kind === 'severity' ? `severity.${name}` : 'situation.overdue';
    chip.append(count, ' ', label);
    figures.set(`${kind}-${name}`, count);
    row.append(chip);
  }
  return row;
}

const sum = (counts) => Object.values(counts ?? {}).reduce((a, b) => a + b, 0);

/** Whether a situation is of the units the dashboard is focused on now (a push of the focus just left is passed over). */
function ofFocus(situation) {
  const focus = unitFilter();
  const units = situation.units ?? [];
  return focus ? units.length === 1 && units[0] === focus : units.length === 0;
}

/** Shows a situation (from the hub or the GET) if it is of the current focus. */
export function showSituation(situation) {
  if (!bar || !situation || !ofFocus(situation)) return;
  shown = situation;
  const set = (id, value) => {
    const element = figures.get(id);
    const text = number.format(value);
    if (element && element.textContent !== text) element.textContent = text;
  };
  const { assets, areas, finds, alerts, requests } = situation;
  set('online', assets.online);
  set('working', assets.byState.working ?? 0);
  set('resting', assets.byState.resting ?? 0);
  set('offline', assets.offline);
  set('sos', assets.byState.sos ?? 0);
  set('searched', areas.searchedTodayM2);
  set('released', areas.releasedTodayM2);
  set('finds', finds.today);
  set('alerts', sum(alerts.openBySeverity));
  for (const severity of severities) set(`severity-${severity}`, alerts.openBySeverity[severity] ?? 0);
  set('requests', sum(requests.openByPriority));
  set('overdue-overdue', requests.overdue);
  // Alarm colours only while there is something to see: an SOS, a critical alert, an overdue request.
  bar.querySelector('[data-tile="sos"]').classList.toggle('active', (assets.byState.sos ?? 0) > 0);
  bar.querySelector('[data-tile="alerts"]').classList.toggle('active', (alerts.openBySeverity.critical ?? 0) > 0);
  bar.querySelector('[data-tile="requests"]').classList.toggle('active', requests.overdue > 0);
}

/** Reads the situation of the current focus (after a (re)connection or a change of focus); a failure leaves the bar as it was. */
export async function loadSituation() {
  if (!bar) return;
  const focus = unitFilter();
  try {
    showSituation(await api(focus ? `/api/situation?unit=${encodeURIComponent(focus)}` : '/api/situation'));
  } catch (error) {
    console.warn('situation not read', error);
  }
}

/** What the bar shows, for the browser tests. */
export const situationShown = () => shown;
