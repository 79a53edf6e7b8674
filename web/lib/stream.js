// stream.js — the session's live events (GET /api/stream/public, or /api/stream with a login) as a page
// needs them: resumed after the last id it has whenever the connection drops or the server restarts, a
// silent connection noticed by the missing heartbeat, and at every moment a state saying whether what the
// page shows is live. Read with fetch rather than EventSource, which can send neither a Bearer token nor
// tell a dead connection from a quiet one.

import { at, authHeaders } from './api.js';

const FIRST_RETRY_MS = 250;

// Opens the stream and keeps it open until close(). Options:
//   path      '/api/stream/public' (the board's view) or '/api/stream' (the login's own);
//   after     the seq the page's snapshot was read at: events after it come first (default: from now);
//   onEvent   f({ id, type, seq, time, payload }) for each event, in order, never twice;
//   onState   f(state): 'connecting', 'live', 'reconnecting' (what the page shows may be stale), 'denied'
//             (the login is gone: log in again), 'closed';
//   heartbeat the server's --heartbeat in seconds (15): two of them without a byte mean the link is dead.
export function openStream({ path = '/api/stream/public', after = null, onEvent, onState, heartbeat = 15 } = {}) {
  let lastId = after;
  let state = 'closed';
  let ctrl = null;
  let closed = false;
  let retryMs = FIRST_RETRY_MS;
  let maxRetryMs = 3000;
  let timer = null;

  const setState = (s) => {
    if (s === state) return;
    state = s;
    if (onState) onState(s);
  };

  const schedule = () => {
    if (closed) return;
    setState('reconnecting');
    const wait = Math.min(retryMs, maxRetryMs) * (0.75 + Math.random() / 2);
    retryMs = Math.min(retryMs * 2, maxRetryMs);
    timer = setTimeout(connect, wait);
  };

  // One SSE frame's fields, dispatched on the blank line that ends it (the text/event-stream rules).
  let frame = { id: null, type: 'message', data: [] };
  const field = (line) => {
    if (line === '') {
      if (frame.data.length) dispatch(frame);
      frame = { id: null, type: 'message', data: [] };
      return;
    }
    if (line[0] === ':') return; /* a comment: the heartbeat, the greeting */
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value[0] === ' ') value = value.slice(1);
    if (name === 'id') frame.id = value;
    else if (name === 'event') frame.type = value;
    else if (name === 'data') frame.data.push(value);
    else if (name === 'retry' && /^\d+$/.test(value)) maxRetryMs = Math.max(FIRST_RETRY_MS, Number(value));
  };

  const dispatch = (f) => {
    let body;
    try {
      body = JSON.parse(f.data.join('\n'));
    } catch {
      return; /* not one of ours: nothing to apply */
    }
    const id = f.id !== null && /^\d+$/.test(f.id) ? Number(f.id) : body.seq;
    if (lastId !== null && id <= lastId) return; /* already applied before a reconnect */
    lastId = id;
    if (onEvent) onEvent({ id, type: f.type, seq: body.seq, time: body.time, payload: body.payload || {} });
  };

  async function connect() {
    if (closed) return;
    ctrl = new AbortController();
    const mine = ctrl;
    let watchdog = null;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => mine.abort(), (2 * heartbeat + 5) * 1000);
    };
    if (state !== 'reconnecting') setState('connecting');
    try {
      const headers = { Accept: 'text/event-stream', ...authHeaders() };
      if (lastId !== null) headers['Last-Event-ID'] = String(lastId);
      arm();
      const res = await fetch(at(path), { headers, cache: 'no-store', credentials: 'same-origin', signal: mine.signal });
      if (res.status === 401 || res.status === 403) {
        clearTimeout(watchdog);
        closed = true;
        setState('denied');
        return;
      }
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let rest = '';
      let live = false;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        arm();
        if (!live) {
          live = true;
          retryMs = FIRST_RETRY_MS;
          setState('live');
        }
        rest += value;
        const lines = rest.split(/\r\n|\r|\n/);
        rest = lines.pop();
        for (const line of lines) field(line);
      }
    } catch {
      /* dropped, refused or silent: resumed below */
    } finally {
      clearTimeout(watchdog);
    }
    frame = { id: null, type: 'message', data: [] };
    if (!closed) schedule();
  }

  connect();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      if (ctrl) ctrl.abort();
      setState('closed');
    },
    get lastId() {
      return lastId;
    },
    get state() {
      return state;
    },
  };
}
