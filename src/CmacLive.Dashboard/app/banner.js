// The banner under the header (reconnecting, up to date again, a refused action), and errors: said there or logged.
import { t } from './i18n.js';
import { Forbidden, Unauthorized, isEnding } from './session.js';

export function banner(text, kind) {
  const element = document.getElementById('banner');
  element.textContent = text;
  element.className = kind;
  element.hidden = !text;
}

export function report(error) {
  if (error instanceof Unauthorized || isEnding()) return; // the session is ending: the sign-in form says why
  if (error instanceof Forbidden) {
    banner(t('forbidden'), 'warning'); // the server has the last word on what a role may do
    setTimeout(() => { if (document.getElementById('banner').textContent === t('forbidden')) banner('', ''); }, 5000);
    return;
  }
  console.error(error);
}
