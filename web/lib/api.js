// api.js — the pages' one way to the server: the documented JSON API (docs/api.md), with the login's token
// held by this tab. Every refusal becomes an ApiError carrying the API's code, field and message.

import { apiMessage, t } from './i18n.js';

// A tab holds its own login (sessionStorage) and sends it as a Bearer token rather than relying on the
// cookie, which one browser shares between its tabs: a chair's console and delegates' terminals open in
// tabs of one laptop must not log each other out. A Bearer token needs no CSRF value (a browser never
// adds the header by itself), and the pages' strict CSP keeps script that could read it off them.
const KEY_PREFIX = 'yishi.login';

// A service of many sessions serves each under /s/ID/ (GET /api/sessions lists them): the page at /s/7/desk
// speaks to /s/7/api/…, and keeps its login apart from another session's. One session alone is at the root.
export const BASE = (/^\/s\/[1-9][0-9]*(?=\/|$)/.exec(location.pathname) || [''])[0];
const KEY = KEY_PREFIX + BASE;

// The address of a path of the session's own (an API route, a report to open, a page): under BASE.
export const at = (path) => (path.startsWith('/') ? BASE + path : path);

export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error || (status ? `http_${status}` : 'network');
    this.field = body?.field || null;
    this.errors = Array.isArray(body?.errors) ? body.errors : [];
    this.retryAfter = retryAfter || null;
    this.apiText = body?.message || '';
  }

  // The message in the page's language: the API's own, or ours for a network failure.
  text() {
    if (this.code === 'network') return t('err.network');
    return this.apiText ? apiMessage(this.apiText) : t('err.unknown');
  }
}

export function currentLogin() {
  try {
    const v = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    return v && v.token && v.expires * 1000 > Date.now() ? v : null;
  } catch {
    return null;
  }
}

function keepLogin(v) {
  try {
    if (v) sessionStorage.setItem(KEY, JSON.stringify(v));
    else sessionStorage.removeItem(KEY);
  } catch {
    /* storage refused: the login lasts as long as the page */
  }
  memoryLogin = v;
}

let memoryLogin = null;

function token() {
  return (currentLogin() || memoryLogin)?.token || null;
}

// One call. `body` is sent as JSON (or as is when it is a string); the answer is parsed JSON, or text for
// routes that answer text (a document's content, a report).
export async function api(method, path, body, { signal } = {}) {
  const headers = { Accept: 'application/json' };
  const tok = token();
  if (tok) headers.Authorization = `Bearer ${tok}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(at(path), {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, null);
  }
  const type = res.headers.get('Content-Type') || '';
  let data = null;
  try {
    data = type.includes('json') ? await res.json() : await res.text();
  } catch {
    throw new ApiError(res.ok ? 0 : res.status, null);
  }
  if (!res.ok) {
    if (res.status === 401 && tok) keepLogin(null); /* expired or logged out elsewhere */
    throw new ApiError(res.status, typeof data === 'object' ? data : null, Number(res.headers.get('Retry-After')) || 0);
  }
  return data;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body ?? {}, opts);

// Staff log in with { name, password }, a delegate with { code, pin }. The answer is kept for this tab.
export async function login(credentials) {
  const r = await post('/api/login', credentials);
  keepLogin({ token: r.token, role: r.role, name: r.name, actor: r.actor, delegation: r.delegation, expires: r.expires });
  return r;
}

// Who this tab is logged in as ({ role, name, …, delegate } from GET /api/me), or null.
export async function whoami() {
  if (!token()) return null;
  try {
    return await get('/api/me');
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

export async function logout() {
  try {
    if (token()) await post('/api/logout');
  } finally {
    keepLogin(null);
  }
}

// The Authorization header a stream needs (stream.js opens it with fetch, which can send it).
export function authHeaders() {
  const tok = token();
  return tok ? { Authorization: `Bearer ${tok}` } : {};
}
