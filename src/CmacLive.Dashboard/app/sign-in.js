// The sign-in form (user name and password; a pasted access token as the other way) and, once signed in,
// who that is in the header, with the sign-out button.
import { t } from './i18n.js';
import {
  SignInRefused, endSession, hasToken, lastUsername, resume, signInWithPassword, signInWithToken, signedIn, takeEndReason,
} from './session.js';

let message = null; // { key, values } shown on the form, kept to be said again in another language

/**
 * Wires the form and the sign-out button, and enters the dashboard with a session this tab kept.
 * `enter` shows the dashboard; `waiting(true)` says the server cannot be reached yet, `waiting(false)` that this is over.
 */
export function setUpSignIn(enter, waiting) {
  document.getElementById('username').value = lastUsername();
  const passwordForm = document.getElementById('sign-in-form');
  passwordForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const username = document.getElementById('username').value.trim();
    const password = document.getElementById('password');
    attempt(passwordForm, () => signInWithPassword(username, password.value), enter).finally(() => { password.value = ''; });
  });
  const tokenForm = document.getElementById('token-form');
  tokenForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = document.getElementById('token');
    attempt(tokenForm, () => signInWithToken(token.value.trim()), enter).finally(() => { token.value = ''; });
  });
  document.getElementById('sign-out').addEventListener('click', () => endSession(''));

  const reason = takeEndReason();
  if (reason) say(reason);
  if (hasToken()) {
    const form = document.getElementById('sign-in');
    form.hidden = true; // no flash of the form while the kept session is checked
    resume(() => waiting(true)).then((who) => {
      if (who) {
        showWho();
        return enter();
      }
      waiting(false);
      say(takeEndReason());
      form.hidden = false;
      return undefined;
    }).catch((error) => console.error(error));
  }
}

async function attempt(form, signIn, enter) {
  say(null);
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    await signIn();
  } catch (error) {
    say(error instanceof SignInRefused ? error.key : 'unreachable', error.values);
    return;
  } finally {
    button.disabled = false;
  }
  showWho();
  await enter();
}

/** Puts a message on the sign-in form (null clears it). */
function say(key, values = {}) {
  message = key ? { key, values } : null;
  renderMessage();
}

function renderMessage() {
  const element = document.getElementById('sign-in-error');
  if (!message) {
    element.textContent = '';
    return;
  }
  const { key, values } = message;
  element.textContent = key === 'tooManyAttempts' ? t(key, { wait: waitText(values.seconds) }) : t(key, values);
}

function waitText(seconds) {
  return seconds < 120 ? t('seconds', { n: seconds }) : t('minutes', { n: Math.ceil(seconds / 60) });
}

/** The header's name and roles of who is signed in; server values go in as text only. */
function showWho() {
  const who = signedIn();
  const name = document.getElementById('user-name');
  name.textContent = who.displayName || who.username;
  name.title = `${t('signedInAs')} ${who.username}`;
  document.getElementById('user-roles').textContent = who.roles.map(roleName).join(', ');
  document.getElementById('session').hidden = false;
}

/** A role's name in the interface language; a role this page does not know by its own name. */
function roleName(role) {
  const name = t('role.' + role);
  return name === 'role.' + role ? role : name;
}

/** Says the form's message and the header's roles again in the language just chosen. */
export function retranslateSignIn() {
  renderMessage();
  if (signedIn()) showWho();
}
