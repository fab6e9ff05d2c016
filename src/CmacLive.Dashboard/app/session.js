// Who is signed in: the token, the user and roles behind it, what those roles may do, and the end of the session.
// Every call to the server goes through here, so a refused token (401) ends the session in one place.

const TOKEN_KEY = 'cmaclive.token';
const ENDED_KEY = 'cmaclive.ended'; // why the last session ended (a text key), shown on the sign-in form
const USERNAME_KEY = 'cmaclive.username'; // the last user name in this tab, to fill the form again

/**
 * What each action needs: the server's policies (CmacLive.Api.Auth.Policies), said once here. The page only
 * leaves out what a role may not use; the server decides (403) whatever the page shows.
 */
const policies = {
  acknowledge: ['admin', 'operator', 'dispatcher'], // acknowledge alerts
  dispatch: ['admin', 'dispatcher'], // requests: file, assign, acknowledge by radio, resolve, cancel
  operate: ['admin', 'operator'], // change assets, hazard areas, detections, projects
};

/** The reasons a session may end with that the sign-in form explains. */
const endReasons = ['sessionEnded'];

export class Unauthorized extends Error {}
export class Forbidden extends Error {}

/** A sign-in that did not succeed: the text key that explains it, and what to fill into that text. */
export class SignInRefused extends Error {
  constructor(key, values = {}) {
    super(key);
    this.key = key;
    this.values = values;
  }
}

let token = sessionStorage.getItem(TOKEN_KEY);
let me = null; // { username, displayName, roles, expiresAt, via }
let endsAt = null; // the token's expiry on this machine's clock, in ms
let expiryTimer = null;
let ending = false;
const teardowns = [];

export const accessToken = () => token;
export const hasToken = () => Boolean(token);
export const signedIn = () => me;
export const isEnding = () => ending;
export const lastUsername = () => sessionStorage.getItem(USERNAME_KEY) ?? '';

/** Whether the signed-in user's roles allow an action ('acknowledge', 'dispatch', 'operate'). */
export function can(action) {
  const roles = policies[action];
  if (!roles) throw new Error(`no such action: ${action}`);
  return Boolean(me?.roles?.some((role) => roles.includes(role)));
}

/** A call with the session's token; a 401 ends the session. Answers the response, whatever its status. */
export async function send(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(options.headers ?? {}) },
  });
  if (response.status === 401) {
    endSession('sessionEnded');
    throw new Unauthorized(path);
  }
  return response;
}

/** A call answering its JSON body; a status other than 2xx is thrown. */
export async function api(path, options = {}) {
  const response = await send(path, options);
  if (response.status === 403) {
    throw new Forbidden(path);
  }
  if (!response.ok) {
    throw new Error(`${options.method ?? 'GET'} ${path}: ${response.status}`);
  }
  return response.status === 204 ? null : response.json();
}

/** Signs in with a user name and password (POST /api/auth/token), then reads who that is. */
export async function signInWithPassword(username, password) {
  let response;
  try {
    response = await fetch('/api/auth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  } catch {
    throw new SignInRefused('unreachable');
  }
  if (response.status === 401 || response.status === 400) {
    throw new SignInRefused('wrongCredentials');
  }
  if (response.status === 429) {
    throw new SignInRefused('tooManyAttempts', { seconds: retryAfter(response) });
  }
  if (!response.ok) {
    throw new SignInRefused('signInFailed', { status: response.status });
  }
  const answer = await response.json();
  sessionStorage.setItem(USERNAME_KEY, answer.username ?? username);
  return adopt(answer.accessToken, 'wrongCredentials');
}

/** Signs in with a pasted access token: the break-glass token, or an API key. */
export function signInWithToken(candidate) {
  return adopt(candidate, 'badToken');
}

/**
 * The session this tab kept (after a reload): who it is, or null when its token no longer holds. Waits out
 * an unreachable server, since a wall screen reloaded during an outage should come back by itself.
 */
export async function resume(waiting) {
  for (;;) {
    try {
      return await adopt(token, 'sessionEnded');
    } catch (error) {
      if (error.key !== 'unreachable' && !(error.key === 'signInFailed' && error.values.status >= 500)) {
        forget('sessionEnded');
        return null;
      }
      waiting();
      await new Promise((resolve) => { setTimeout(resolve, 3000); });
    }
  }
}

/** Takes a token when GET /api/me accepts it, and watches its expiry. */
async function adopt(candidate, refusal) {
  let response;
  try {
    response = await fetch('/api/me', { headers: { Authorization: `Bearer ${candidate}` } });
  } catch {
    throw new SignInRefused('unreachable');
  }
  if (response.status === 401) {
    throw new SignInRefused(refusal);
  }
  if (!response.ok) {
    throw new SignInRefused('signInFailed', { status: response.status });
  }
  const who = await response.json();
  if (!Array.isArray(who.roles) || who.roles.length === 0) {
    throw new SignInRefused('noRole');
  }
  me = who;
  token = candidate;
  sessionStorage.setItem(TOKEN_KEY, candidate);
  watchExpiry(clockSkew(response));
  return me;
}

/**
 * Ends the session when the token expires. The token's expiry is in whole seconds (a JWT's exp), and the
 * server closes the hub from then on: the page stops first, rather than reconnecting with a dead token.
 */
function watchExpiry(skew) {
  clearTimeout(expiryTimer);
  endsAt = me.expiresAt ? Math.floor(Date.parse(me.expiresAt) / 1000) * 1000 - skew : null;
  if (endsAt == null) return; // the break-glass token does not expire
  const check = () => {
    const left = endsAt - Date.now();
    if (left <= 0) {
      endSession('sessionEnded');
    } else {
      expiryTimer = setTimeout(check, Math.min(left, 60_000)); // checked again at least every minute: a machine may sleep
    }
  };
  check();
}

export const expired = () => endsAt != null && Date.now() >= endsAt;

/**
 * How far the server's clock is ahead of this machine's, when that is more than a few seconds: a wall screen
 * with a wrong clock must neither sign out at once nor keep a token the server no longer takes.
 */
function clockSkew(response) {
  const server = Date.parse(response.headers.get('Date') ?? '');
  if (Number.isNaN(server)) return 0;
  const skew = server - Date.now();
  return Math.abs(skew) > 5000 ? skew : 0;
}

/** Asks whether the token still holds (a 401 ends the session); when the server cannot say, it is taken to hold. */
export async function stillHolds() {
  if (ending) return false;
  if (expired()) {
    endSession('sessionEnded');
    return false;
  }
  try {
    const response = await send('/api/me');
    if (response.ok && rolesChanged((await response.json()).roles)) {
      // The server closed the hub because the roles changed: the page starts again with what the new roles may do.
      location.reload();
      return false;
    }
  } catch (error) {
    if (error instanceof Unauthorized) return false;
  }
  return !ending;
}

function rolesChanged(roles) {
  const now = Array.isArray(roles) ? [...roles].sort() : [];
  const before = [...(me?.roles ?? [])].sort();
  return now.length !== before.length || now.some((role, i) => role !== before[i]);
}

/** Work to do before the session's state is dropped (stop the hub). */
export function onSessionEnd(teardown) {
  teardowns.push(teardown);
}

/**
 * Signs out: stops what runs for the session, drops the token and reloads the page, which starts again from
 * the sign-in form with nothing of the last session's picture left; a reason is shown there.
 */
export async function endSession(reason = '') {
  if (ending) return;
  ending = true;
  clearTimeout(expiryTimer);
  await Promise.all(teardowns.map((teardown) => Promise.race([
    Promise.resolve().then(teardown).catch(() => {}),
    new Promise((resolve) => { setTimeout(resolve, 2000); }),
  ])));
  forget(reason);
  location.reload();
}

function forget(reason) {
  token = null;
  me = null;
  sessionStorage.removeItem(TOKEN_KEY);
  if (reason) sessionStorage.setItem(ENDED_KEY, reason); else sessionStorage.removeItem(ENDED_KEY);
}

/** Why the last session ended, once: a text key, or null. */
export function takeEndReason() {
  const reason = sessionStorage.getItem(ENDED_KEY);
  sessionStorage.removeItem(ENDED_KEY);
  return endReasons.includes(reason) ? reason : null;
}

/** Retry-After in seconds, whether given as seconds or as a date. */
function retryAfter(response) {
  const header = response.headers.get('Retry-After') ?? '';
  const seconds = /^\d+$/.test(header.trim()) ? Number(header) : Math.ceil((Date.parse(header) - Date.now()) / 1000);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 60;
}
