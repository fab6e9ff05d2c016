// Text put into HTML: data escaped, and interface texts escaped the same way.
import { t } from './i18n.js';

/** An interface text for HTML: keys built from server values fall back to the value itself. */
export function te(key) {
  return escape(t(key));
}

export function escape(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
