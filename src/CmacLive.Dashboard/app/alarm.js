// The alarm: a critical alert sounds, so an SOS is heard by an officer looking away; an SOS sounds once per episode.
// Browsers let a page play sound only after a click on it; signing in is one, and any later click unlocks too.
import { t } from './i18n.js';

const SOUND_KEY = 'cmaclive.sound';
let audio = null;
let alarms = 0;

/** Alarms raised since the page opened, sounded or not. */
export const alarmCount = () => alarms;

function unlockAudio() {
  try {
    if (!audio) {
      audio = new AudioContext();
      audio.addEventListener('statechange', showSoundHint);
    }
    if (audio.state === 'suspended') audio.resume().catch(() => {});
  } catch (error) {
    console.warn('no sound on this machine', error); // the alarm still counts and shows
  }
}

/** Says so while the alarm cannot sound yet (the page was opened without a click, as after a reload). */
export function showSoundHint() {
  const on = localStorage.getItem(SOUND_KEY) !== 'off';
  const hint = document.getElementById('sound-hint');
  hint.hidden = !on || audio?.state === 'running';
  hint.textContent = t('soundHint');
}

// Assets whose SOS has sounded here: the first of its signals (the asset's state or the critical alert, whichever
// comes first; the alert may wait for a failover) sounds once per episode, which ends when the asset leaves SOS.
const sosSounded = new Set();

export function sosAlarm(assetId) {
  if (sosSounded.has(assetId)) return;
  sosSounded.add(assetId);
  alarm();
}

/** The asset left SOS: its next SOS is a new episode, and sounds. */
export function sosOver(assetId) {
  sosSounded.delete(assetId);
}

export function alarm() {
  alarms++;
  if (localStorage.getItem(SOUND_KEY) === 'off' || !audio || audio.state !== 'running') return;
  const start = audio.currentTime;
  for (let i = 0; i < 3; i++) {
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.value = 0.25;
    tone.connect(gain).connect(audio.destination);
    tone.start(start + i * 0.4);
    tone.stop(start + i * 0.4 + 0.25);
  }
}

/**
 * After the picture was read again: a critical alert raised while the link was down (one `unseen` says this page
 * has not shown) sounds now. So does an asset in SOS whose alert is not raised yet (it may wait for a failover);
 * one whose alert is open already is that alert's to sound (or not, once acknowledged).
 */
export function alarmAfterResync(statuses, open, unseen) {
  const missed = open.some((a) => a.severity === 'critical' && !a.acknowledgedAt && unseen(a));
  const alerted = new Set(open.filter((a) => a.kind === 'sos' && a.assetId).map((a) => a.assetId));
  let unalerted = false;
  for (const status of statuses) {
    if (status.state !== 'sos' || sosSounded.has(status.id)) continue;
    sosSounded.add(status.id);
    unalerted ||= !alerted.has(status.id);
  }
  if (missed || unalerted) alarm();
}

export function setUpSound() {
  const box = document.getElementById('sound');
  box.checked = localStorage.getItem(SOUND_KEY) !== 'off';
  box.addEventListener('change', () => {
    localStorage.setItem(SOUND_KEY, box.checked ? 'on' : 'off');
    showSoundHint();
  });
  document.addEventListener('pointerdown', unlockAudio, { capture: true });
  showSoundHint();
}
