// The selected asset's recent movements (it entered or left a hazard area, after the entry dwell): read from
// GET /api/assets/{id}/events when the asset panel shows it, kept live by the hub's assetEvent.
import { texts, t } from './i18n.js';
import { api } from './session.js';
import { report } from './banner.js';
import { escape, te } from './html.js';

// This module's own texts, in both languages, beside the others.
Object.assign(texts.en, {
  movements: {
    title: 'Recent movements',
    none: 'No movements in the last 24 hours.',
    entered: 'Entered',
    left: 'Left',
  },
});
Object.assign(texts.km, {
  movements: {
    title: 'ចលនាថ្មីៗ',
    none: 'គ្មានចលនាក្នុងរយៈពេល ២៤ ម៉ោងចុងក្រោយទេ។',
    entered: 'បានចូល',
    left: 'បានចាកចេញ',
  },
});

/** How many movements the panel lists, newest first. */
const SHOWN = 10;

// The asset shown and its movements known so far (oldest first), or null.
let shown = null;

const isMovement = (e) => e.kind === 'entered' || e.kind === 'left';
const keyOf = (e) => `${Date.parse(e.at)}/${e.kind}/${e.hazardArea}`;

/** Adds the movements list to the asset panel just drawn for <code>id</code>, and reads them from history. */
export function showAssetEvents(panel, id) {
  const section = document.createElement('section');
  section.className = 'asset-events';
  section.innerHTML = `<h4>${te('movements.title')}</h4><ol class="movement-list"></ol>`;
  panel.append(section);
  if (shown?.id !== id) shown = { id, events: [], loaded: false };
  render();
  // The last 24 hours up to everything stored so far: the server's default period, by its clock.
  api(`/api/assets/${encodeURIComponent(id)}/events`)
    .then((events) => {
      if (shown?.id !== id) return; // another asset was chosen meanwhile
      for (const e of events.filter(isMovement)) add(e);
      shown.loaded = true;
      render();
    })
    .catch(report);
}

/** The hub's assetEvent: listed at once when its asset is the one shown. */
export function assetEvent(event) {
  if (!shown || event.assetId !== shown.id || !isMovement(event)) return;
  add(event);
  render();
}

function add(event) {
  const key = keyOf(event);
  if (shown.events.some((e) => keyOf(e) === key)) return;
  shown.events.push({ at: event.at, kind: event.kind, hazardArea: event.hazardArea });
  // Oldest first; at one time, leaving before entering.
  shown.events.sort((a, b) => (Date.parse(a.at) - Date.parse(b.at)) || (a.kind === 'left' ? -1 : 1));
  if (shown.events.length > SHOWN) shown.events.splice(0, shown.events.length - SHOWN);
}

function render() {
  const panel = document.getElementById('asset');
  const list = panel?.querySelector('.movement-list');
  if (!list || panel.hidden || panel.dataset.assetId !== shown?.id) return;
  if (shown.events.length === 0) {
    list.innerHTML = shown.loaded ? `<li class="movement-none">${te('movements.none')}</li>` : '';
    return;
  }
  list.innerHTML = [...shown.events].reverse().map((e) => `
    <li class="movement movement-${escape(e.kind)}" data-kind="${escape(e.kind)}" data-area="${escape(e.hazardArea)}">
      <time datetime="${escape(e.at)}">${escape(new Date(e.at).toLocaleString())}</time>
      <span>${escape(t('movements.' + e.kind))}</span> <strong>${escape(e.hazardArea)}</strong>
    </li>`).join('');
}
