// Dispatch: the new-request form with its site picked on the map, the recommended teams, and assignment.
import { t } from './i18n.js';
import { api, can, send } from './session.js';
import { queue, unitFilter } from './store.js';
import { report } from './banner.js';
import { escape, te } from './html.js';

let picking = false;
let shownRecommendations = null;

function pickSite(latlng) {
  if (!picking) return;
  document.getElementById('request-lat').value = latlng.lat.toFixed(6);
  document.getElementById('request-lon').value = latlng.lng.toFixed(6);
}

/** A click on the map picks the site while the form is open; the form files the request. */
export function setUpDispatch(view) {
  view.map.on('click', (event) => pickSite(event.latlng));
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
      unit: unitFilter() || null,
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

function showRecommendations(request) {
  shownRecommendations = request;
  const panel = document.getElementById('recommendations');
  panel.hidden = false;
  panel.dataset.requestId = request.id;
  const rows = request.recommendations.map((r) => `
    <li data-team-id="${escape(r.teamId)}"><span>${escape(r.name)} (${escape(r.unit)}) · ${(r.distanceM / 1000).toFixed(1)} km · ${r.etaMinutes.toFixed(0)} min</span>
      ${can('dispatch') ? `<button type="button" class="assign" data-team-id="${escape(r.teamId)}">${te('assign')}</button>` : ''}</li>`).join('');
  panel.innerHTML = `<h3>${te('recommended')} · ${te('priority.' + request.priority)} · <small>${escape(request.id)}</small></h3>
    <ul>${rows || `<li class="empty">${te('noTeams')}${request.noRecommendationReason ? ` <small class="why">${escape(request.noRecommendationReason)}</small>` : ''}</li>`}</ul>
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
export async function refreshRecommendations(request) {
  const path = `/api/dispatch/requests/${encodeURIComponent(request.id)}`;
  const recommendations = await api(`${path}/recommendations`);
  // None: the request, ranked just now, says why.
  const why = recommendations.length === 0 ? (await api(path)).noRecommendationReason : null;
  showRecommendations({ ...request, recommendations, noRecommendationReason: why });
}

/** Says the recommendations shown again in the language just chosen. */
export function retranslateRecommendations() {
  const recommendations = document.getElementById('recommendations');
  if (recommendations && !recommendations.hidden && shownRecommendations) showRecommendations(shownRecommendations);
}
