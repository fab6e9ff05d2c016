// Projects against their targets: released m² of the areas each names, the share of the target, and where the plan says it
// should be by now. Read from GET /api/projects when the dashboard opens, every minute, and soon after an area changes.
import { t, texts } from './i18n.js';
import { api, Unauthorized } from './session.js';
import { subscribe } from './store.js';
import { report } from './banner.js';
import { escape } from './html.js';

Object.assign(texts.en, {
  projects: {
    title: 'Projects',
    none: 'No projects.',
    released: '{released} of {target} m² released ({percent} %)',
    planned: 'planned by today: {planned} %',
    ahead: 'on plan',
    behind: 'behind plan',
    donor: 'Donor: {donor}',
    areas: '{n} areas',
  },
});
Object.assign(texts.km, {
  projects: {
    title: 'គម្រោង',
    none: 'មិនមានគម្រោងទេ។',
    released: 'បានដោះលែង {released} ក្នុងចំណោម {target} m² ({percent} %)',
    planned: 'តាមផែនការដល់ថ្ងៃនេះ៖ {planned} %',
    ahead: 'តាមផែនការ',
    behind: 'យឺតជាងផែនការ',
    donor: 'ម្ចាស់ជំនួយ៖ {donor}',
    areas: 'តំបន់ {n}',
  },
});

/** How often the list is read when nothing happens, and how soon after an area's change. */
const EVERY_MS = 60000;
const AFTER_CHANGE_MS = 5000;

let projects = [];
let soon = null;

/** Reads the projects now, every minute from now on, and a few seconds after areas change. */
export function setUpProjects() {
  load();
  setInterval(load, EVERY_MS);
  subscribe('areas', () => {
    if (soon === null) soon = setTimeout(() => { soon = null; load(); }, AFTER_CHANGE_MS);
  });
  document.getElementById('language').addEventListener('change', renderProjects);
}

async function load() {
  try {
    projects = await api('/api/projects');
    renderProjects();
  } catch (error) {
    if (!(error instanceof Unauthorized)) report(error);
  }
}

const figure = (n) => Number(n).toLocaleString('en-US', { maximumFractionDigits: 0 });

export function renderProjects() {
  const list = document.getElementById('project-list');
  if (!list) return;
  document.getElementById('project-count').textContent = String(projects.length);
  const sorted = [...projects].sort((a, b) => a.name.localeCompare(b.name));
  list.replaceChildren(...sorted.map((p) => {
    const done = Math.min(100, p.percentOfTarget);
    const onPlan = p.percentOfTarget >= p.plannedPercent;
    const item = document.createElement('li');
    item.className = `project ${onPlan ? 'on-plan' : 'behind-plan'}`;
    item.dataset.projectId = p.id;
    const donor = p.donor ? ` · <small class="project-donor">${escape(t('projects.donor', { donor: p.donor }))}</small>` : '';
    item.innerHTML = `<div><strong>${escape(p.name)}</strong>${donor}</div>
      <div class="project-bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${escape(done)}"><span class="project-done"></span><span class="project-planned"></span></div>
      <div class="project-figures">${escape(t('projects.released', { released: figure(p.releasedM2), target: figure(p.targetM2), percent: p.percentOfTarget }))}</div>
      <div class="project-plan">${escape(t('projects.planned', { planned: p.plannedPercent }))} · <strong>${escape(t(onPlan ? 'projects.ahead' : 'projects.behind'))}</strong> · ${escape(t('projects.areas', { n: p.areas.length }))}</div>`;
    // Widths through the CSS object model: the page's policy allows no inline style.
    item.querySelector('.project-done').style.width = `${done}%`;
    item.querySelector('.project-planned').style.left = `${Math.min(100, p.plannedPercent)}%`;
    return item;
  }));
  if (projects.length === 0) {
    const empty = document.createElement('li');
    empty.className = 'empty';
    empty.textContent = t('projects.none');
    list.append(empty);
  }
}
