// Start-up: the language, the sound, the sign-in; once signed in, the map, the panels and the hub, wired together.
import { setLanguage, currentLanguage, applyTexts, t } from './i18n.js';
import { Unauthorized, api, can } from './session.js';
import { retranslateSignIn, setUpSignIn } from './sign-in.js';
import { alerts, assets } from './store.js';
import { banner, report } from './banner.js';
import { areaShown, createMap, mapCounts, nameProvinces } from './map.js';
import {
  markerCount, markerPosition, retranslateAsset, setUpAssets, showAsset, showFiltered, stateOf,
} from './assets-panel.js';
import { renderAlerts, setUpAlerts } from './alerts-panel.js';
import { renderRequests, setUpRequests } from './requests-panel.js';
import { retranslateRecommendations, setUpDispatch } from './dispatch-form.js';
import { alarmCount, setUpSound, showSoundHint } from './alarm.js';
import { catchUp, connect, hubState, syncedCount } from './hub.js';
import { setUpUnitFilter } from './unit-filter.js';
import { setUpProjects } from './projects-panel.js';
import { setUpSituationBar, situationShown } from './situation-bar.js';
import { retranslateRoster, setUpRoster } from './roster-panel.js';
import { renderAreas, setUpAreas } from './areas-panel.js';
import { casualtiesShown, retranslateCasualties, setUpCasualties } from './casualty-layer.js';
import { setUpLabels } from './labels.js';
import { searchedShown } from './map.js';

let view = null; // the map, its fleet layer and the track layer, once signed in

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
  view = createMap(config);
  setUpAssets(view);
  setUpRequests(view);
  setUpAlerts(view);
  setUpUnitFilter(() => {
    showFiltered();
    renderAlerts();
    renderRequests();
    // The hub narrows what it sends to the units in focus: widening again reads the picture afresh.
    catchUp(false);
  });
  setUpDispatch(view);
  setUpProjects();
  setUpSituationBar();
  setUpRoster(view);
  setUpAreas();
  setUpCasualties(view);
  setUpLabels(view);
  await connect();
}

document.getElementById('language').value = currentLanguage();
document.getElementById('language').addEventListener('change', (e) => {
  setLanguage(e.target.value);
  nameProvinces();
  renderAlerts();
  renderRequests();
  retranslateAsset();
  retranslateRecommendations();
  showSoundHint();
  retranslateSignIn();
  if (view) {
    retranslateRoster();
    renderAreas();
    retranslateCasualties();
  }
});
setLanguage(currentLanguage());
setUpSound();
setUpSignIn(() => showDashboard().catch(report), (on) => banner(on ? t('reconnecting') : '', on ? 'warning' : ''));

// A handle for operators' consoles and the browser tests: where the page has put each asset.
window.cmacLive = {
  position: (id) => markerPosition(id),
  state: (id) => (assets.has(id) ? stateOf(assets.get(id)) : null),
  focus: (lat, lon, zoom = 16) => { view?.map.setView([lat, lon], zoom, { animate: false }); },
  select: (id) => { showAsset(id); },
  summary: () => {
    const shown = mapCounts();
    return {
      assets: assets.size,
      markers: markerCount(),
      alerts: alerts.size,
      areas: shown.areas,
      detections: shown.detections,
      hub: hubState(),
      synced: syncedCount(),
      alarms: alarmCount(),
      zoom: shown.zoom,
      clustered: view?.fleet.count() ?? 0,
    };
  },
  clusterProblems: () => view?.fleet.problems() ?? [],
  shown: () => (view ? view.fleet.group.getLayers().map((marker) => marker.status.id) : []),
  area: (code) => areaShown(code),
  situation: () => situationShown(),
  center: () => (view ? { lat: view.map.getCenter().lat, lon: view.map.getCenter().lng, zoom: view.map.getZoom() } : null),
  searched: () => searchedShown(),
  casualties: () => casualtiesShown(),
};
applyTexts();
