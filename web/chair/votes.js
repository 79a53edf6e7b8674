// votes.js — the console's middle column: the vote under way with its turnout rising live (and, for a
// named poll, who has not voted yet), the result once closed and its announcement in the statute's words;
// the list of every poll and election; the forms that create them. Turnout is redrawn in place (three
// numbers, a bar, one list item removed per vote), never by rebuilding the panel.

import { get, post } from '/lib/api.js';
import { $, fill, h } from '/lib/dom.js';
import { getLang, t } from '/lib/i18n.js';
import { debounce, fmtNumber, fmtTime, showError } from '/lib/ui.js';
import { ask, paint, run } from './act.js';
import { Turnout } from './tally.js';
import { motionChooser } from './motions.js';

export function voteOf(ctx, ref) {
  if (!ref) return null;
  return (ref.kind === 'poll' ? ctx.polls : ctx.elections).get(ref.id) || null;
}

export function electionTitle(e) {
  return t('el.title', { by: e.by_election ? t('el.title.by') : '', office: e.office_name || e.office, seats: e.seats });
}

const titleOf = (kind, v) => (kind === 'poll' ? v.title : electionTitle(v));
const announcedOf = (kind, v) => (kind === 'poll' ? !!v.announced : !!v.announcement);

// ---- turnout ----

// The turnout figures and the not-voted list, kept between draws so that each vote touches only them.
let tv = null;

// Starts counting a vote. From a snapshot, who voted before it was read comes from the log (staff may read
// it: poll.vote / poll.cast / election.cast name the voter, never the choice); the stream adds the rest.
export async function startTurnout(ctx, kind, id, fromSnapshot, issued) {
  const tu = new Turnout(kind, id, ctx.att);
  ctx.turnout = tu;
  tv = null;
  if (kind === 'election') tu.issued = issued ?? ctx.elections.get(id)?.issued ?? null;
  if (fromSnapshot) await votersFromLog(tu);
  paint('vote', () => drawVote(ctx));
}

async function logPages(type, after, each) {
  let from = after;
  for (;;) {
    const r = await get(`/api/log?type=${encodeURIComponent(type)}&after=${from}&limit=1000`);
    for (const e of r.events) if (each(e) === false) return;
    if (r.next === null || r.next === undefined) return;
    from = r.next;
  }
}

async function votersFromLog(tu) {
  let opened = null;
  await logPages(`${tu.kind}.open`, 0, (e) => {
    if (e.payload[tu.kind] === tu.id) opened = e.seq;
  });
  if (opened === null) return;
  const casts = tu.kind === 'poll' ? ['poll.vote', 'poll.cast'] : ['election.cast'];
  await logPages(`${tu.kind}.`, opened, (e) => {
    if (e.payload[tu.kind] !== tu.id) return true;
    if (e.type === `${tu.kind}.close`) return false;
    if (casts.includes(e.type)) tu.add(e.payload.delegate);
    return true;
  });
}

export function voterAdded(ctx, delegate) {
  if (tv && tv.items) {
    const li = tv.items.get(delegate);
    if (li) {
      li.remove();
      tv.items.delete(delegate);
    }
  }
  paint('turnout', () => drawTurnout(ctx));
}

export function votePresenceMoved(ctx, delegate, from, to) {
  const tu = ctx.turnout;
  if (!tu) return;
  tu.moved(delegate, from, to);
  if (tv && tv.items && !tu.has(delegate)) {
    if (to === 'present' && !tv.items.has(delegate)) addNotVoted(ctx, delegate);
    else if (from === 'present' && tv.items.has(delegate)) {
      tv.items.get(delegate).remove();
      tv.items.delete(delegate);
    }
  }
  paint('turnout', () => drawTurnout(ctx));
}

function notVotedItem(d) {
  const li = h('li', h('span', { class: 'name' }, d.name), h('span', { class: 'muted' }, ` ${d.delegation_name} · ${d.seat || '—'}`));
  li.dataset.q = `${d.name} ${d.delegation_name} ${d.seat || ''} ${d.code}`.toLowerCase();
  return li;
}

function addNotVoted(ctx, id) {
  const d = ctx.delegates.get(id);
  if (!d) return;
  const li = notVotedItem(d);
  tv.items.set(id, li);
  tv.list.append(li);
  filterOne(li);
}

function filterOne(li) {
  const q = tv.filter.value.trim().toLowerCase();
  li.hidden = q !== '' && !li.dataset.q.includes(q);
}

// The not-voted list of a named poll: everyone present who has not voted, in the order of the roll.
function buildNotVoted(ctx) {
  const tu = ctx.turnout;
  tv.items = new Map();
  tv.list = h('ul', { class: 'notvoted', id: 'notvoted' });
  tv.filter = h('input', { type: 'search', 'data-i18n-placeholder': 'vote.filter', placeholder: t('vote.filter'), 'aria-label': t('vote.filter') });
  tv.filter.addEventListener(
    'input',
    debounce(() => {
      for (const li of tv.items.values()) filterOne(li);
    }, 120),
  );
  const frag = document.createDocumentFragment();
  for (const [id, p] of ctx.att.presence) {
    if (p !== 'present' || tu.has(id)) continue;
    const d = ctx.delegates.get(id);
    if (!d) continue;
    const li = notVotedItem(d);
    tv.items.set(id, li);
    frag.append(li);
  }
  tv.list.append(frag);
  tv.listHead = h('h3');
  return h('div', { class: 'notvoted-box' }, tv.listHead, tv.filter, tv.list);
}

function drawTurnout(ctx) {
  const tu = ctx.turnout;
  if (!tv || !tu) return;
  tv.voted.textContent = fmtNumber(tu.voted);
  tv.present.textContent = tu.kind === 'election' ? t('vote.issued', { n: fmtNumber(tu.present) }) : t('vote.of', { n: fmtNumber(tu.present) });
  tv.notVoted.textContent = fmtNumber(tu.notVoted);
  const share = tu.present ? Math.min(1, tu.voted / tu.present) : 0;
  tv.bar.style.width = `${(share * 100).toFixed(1)}%`;
  tv.meter.setAttribute('aria-valuenow', String(tu.voted));
  tv.meter.setAttribute('aria-valuemax', String(tu.present));
  if (tv.listHead) {
    tv.listHead.textContent = tv.items.size ? t('vote.notvoted.names', { n: fmtNumber(tv.items.size) }) : t('vote.notvoted.all');
  }
}

function turnoutBlock(ctx, kind, v) {
  const tu = ctx.turnout;
  tv = {
    voted: h('span', { class: 'n num', id: 'turnout-voted' }),
    present: h('span', { class: 'of num', id: 'turnout-present' }),
    notVoted: h('span', { class: 'n num', id: 'turnout-notvoted' }),
    bar: h('span', { class: 'fill' }),
  };
  tv.meter = h('div', { class: 'meter', role: 'meter', 'aria-valuemin': '0', 'aria-label': t('vote.voted') }, tv.bar);
  const list = kind === 'poll' && v.named ? buildNotVoted(ctx) : h('p', { class: 'muted' }, kind === 'poll' ? t('vote.notvoted.anon') : null);
  const block = h(
    'div',
    { class: 'turnout' },
    h(
      'div',
      { class: 'tiles' },
      h('div', { class: 'tile big' }, h('span', { class: 'label' }, t(kind === 'poll' ? 'vote.voted' : 'vote.returned')), tv.voted, tv.present),
      h('div', { class: 'tile' }, h('span', { class: 'label' }, t('vote.notvoted')), tv.notVoted),
    ),
    tv.meter,
    list,
  );
  drawTurnout(ctx);
  return tu ? block : null;
}

// ---- the vote panel ----

export function drawVote(ctx) {
  const card = $('#vote');
  const box = $('.error', card);
  const ref = ctx.focus;
  const v = voteOf(ctx, ref);
  if (!v) {
    tv = null;
    fill($('.body', card), h('p', { class: 'muted' }, t('vote.none')));
    return;
  }
  fill($('.body', card), ref.kind === 'poll' ? pollView(ctx, v, box) : electionView(ctx, v, box));
}

// A verifiable vote closed but not yet counted: its trustees are decrypting the aggregates.
const counting = (v) => v.state === 'closed' && !!v.verifiable && !v.verifiable.counted;

function stateBadge(kind, v) {
  const st = counting(v) ? 'counting' : v.state === 'closed' && announcedOf(kind, v) ? 'announced' : v.state;
  return h('span', { class: ['badge', `st-${st}`] }, t(`vote.state.${st}`));
}

// What a counting vote waits for: how many of its key's trustees have decrypted, of the k it needs. Nothing
// is counted or announced before.
function decrypting(v) {
  const { decrypted_by: by = [], threshold } = v.verifiable;
  return h('p', { class: 'notice decrypting', id: 'vote-decrypting', 'data-done': by.length }, t('vote.decrypting', { done: by.length, k: threshold }));
}

function pollView(ctx, p, box) {
  const meta = [t(`vote.majority.${p.majority}`), t(`vote.method.${p.method}`), p.named ? t('vote.named') : t('vote.anonymous')];
  const head = h('div', { class: 'vote-head' }, h('p', { class: 'vote-title', id: 'vote-title' }, p.title), stateBadge('poll', p), h('p', { class: 'muted' }, meta.join(' · ')));
  if (p.state === 'created') {
    return h('div', head, h('button', { type: 'button', class: 'primary', id: 'vote-open', onclick: (e) => run(e.currentTarget, box, () => post(`/api/polls/${p.id}/open`)) }, t('vote.open')));
  }
  if (p.state === 'open') {
    const tu = ctx.turnout && ctx.turnout.kind === 'poll' && ctx.turnout.id === p.id ? turnoutBlock(ctx, 'poll', p) : null;
    return h(
      'div',
      head,
      p.opened_at ? h('p', { class: 'muted' }, fmtTime(p.opened_at)) : null,
      tu,
      h('button', { type: 'button', class: 'danger', id: 'vote-close', onclick: (e) => closeVote(e.currentTarget, box, 'poll', p) }, t('vote.close')),
    );
  }
  tv = null;
  if (counting(p)) return h('div', head, decrypting(p));
  return h('div', head, pollResult(p), announcement(box, 'poll', p));
}

function pollResult(p) {
  const row = (key, n, cls) => h('div', { class: ['tile', cls], 'data-k': key }, h('span', { class: 'label' }, t(key)), h('span', { class: 'n num' }, fmtNumber(n)));
  return h(
    'div',
    { class: 'result', id: 'poll-result' },
    h('p', { class: 'muted' }, t('vote.entitled', { entitled: fmtNumber(p.entitled), present: fmtNumber(p.present) })),
    h('div', { class: 'tiles' }, row('vote.yes', p.yes, 'yes'), row('vote.no', p.no, 'no'), row('vote.abstain', p.abstain, 'abstain'), row('vote.notpressed', p.not_voted, 'notpressed')),
    h(
      'p',
      { class: 'outcome' },
      h('span', { class: 'muted' }, `${t('vote.threshold')} ${fmtNumber(p.threshold)}`),
      ' ',
      h('strong', { class: ['verdict', p.passed ? 'passed' : 'failed'], id: 'verdict' }, p.passed ? t('vote.passed') : t('vote.failed')),
    ),
  );
}

// The announcement: once made, the API's text as the hall heard it; before, a button that shows that text
// (for a poll; an election's text is made as it is announced) and asks before it goes into the record.
function announcement(box, kind, v) {
  if (announcedOf(kind, v)) {
    return h('figure', { class: 'announcement', id: 'announcement' }, h('figcaption', t('vote.announced')), h('blockquote', { lang: 'zh-CN' }, v.announcement));
  }
  const url = kind === 'poll' ? `/api/polls/${v.id}/announce` : `/api/elections/${v.id}/announce`;
  return h(
    'button',
    {
      type: 'button',
      class: 'primary',
      id: 'vote-announce',
      onclick: async (e) => {
        const btn = e.currentTarget;
        const body = kind === 'poll' && v.announcement ? h('blockquote', { class: 'announcement', lang: 'zh-CN' }, v.announcement) : null;
        const text = kind === 'poll' ? t('vote.announce.confirm') : t('vote.announce.election.confirm', { title: titleOf(kind, v) });
        if (await ask({ text, body, ok: t('vote.announce'), danger: false })) await run(btn, box, () => post(url));
      },
    },
    t('vote.announce'),
  );
}

async function closeVote(btn, box, kind, v) {
  if (!(await ask({ text: t('vote.close.confirm', { title: titleOf(kind, v) }), ok: t(kind === 'poll' ? 'vote.close' : 'vote.close.election') }))) return;
  await run(btn, box, () => post(kind === 'poll' ? `/api/polls/${v.id}/close` : `/api/elections/${v.id}/close`));
}

function electionView(ctx, e, box) {
  const head = h(
    'div',
    { class: 'vote-head' },
    h('p', { class: 'vote-title', id: 'vote-title' }, electionTitle(e)),
    stateBadge('election', e),
    h('p', { class: 'muted' }, `${t(`el.kind.${e.kind}`)} · ${t('el.candidates')}: ${e.candidates.map((c) => c.name).join('、') || '—'}`),
  );
  if (e.state === 'created') {
    const name = h('input', { name: 'candidate', required: true, 'aria-label': t('el.nominate.name'), placeholder: t('el.nominate.name') });
    const add = h('button', { type: 'submit' }, t('el.nominate'));
    return h(
      'div',
      head,
      h(
        'form',
        {
          class: 'row nominate',
          onsubmit: async (ev) => {
            ev.preventDefault();
            if (await run(add, box, () => post(`/api/elections/${e.id}/nominations`, { name: name.value.trim() }))) name.value = '';
          },
        },
        h('div', { class: 'grow' }, name),
        add,
      ),
      h('button', { type: 'button', class: 'primary', id: 'vote-open', onclick: (ev) => run(ev.currentTarget, box, () => post(`/api/elections/${e.id}/open`)) }, t('vote.open.election')),
    );
  }
  if (e.state === 'open') {
    const tu = ctx.turnout && ctx.turnout.kind === 'election' && ctx.turnout.id === e.id ? turnoutBlock(ctx, 'election', e) : null;
    return h('div', head, tu, h('button', { type: 'button', class: 'danger', id: 'vote-close', onclick: (ev) => closeVote(ev.currentTarget, box, 'election', e) }, t('vote.close.election')));
  }
  tv = null;
  if (counting(e)) return h('div', head, decrypting(e));
  return h('div', head, electionResult(e, box), announcement(box, 'election', e));
}

function electionResult(e, box) {
  const r = e.result;
  if (!r) return null;
  const rows = r.candidates.map((c) =>
    h(
      'tr',
      { class: c.elected ? 'elected' : null },
      h('th', { scope: 'row' }, c.name, c.write_in ? h('span', { class: 'muted' }, ` (${t('el.writein')})`) : null),
      h('td', { class: 'num' }, fmtNumber(c.yes)),
      h('td', { class: 'num' }, fmtNumber(c.no)),
      h('td', { class: 'num' }, fmtNumber(c.abstain)),
      h('td', c.elected ? h('strong', { class: 'verdict passed' }, t('el.elected')) : h('span', { class: 'muted' }, t('el.notelected'))),
    ),
  );
  const next = (runoff) =>
    h(
      'button',
      {
        type: 'button',
        id: runoff ? 'el-runoff' : 'el-nextround',
        onclick: async (ev) => {
          const btn = ev.currentTarget;
          const text = runoff ? t('el.runoff.confirm') : t('el.nextround.confirm', { title: electionTitle(e) });
          if (await ask({ text, ok: t(runoff ? 'el.runoff' : 'el.nextround'), danger: false })) await run(btn, box, () => post(`/api/elections/${e.id}/next-round`, { runoff }));
        },
      },
      t(runoff ? 'el.runoff' : 'el.nextround'),
    );
  const fr = r.further_round;
  return h(
    'div',
    { class: 'result', id: 'election-result' },
    h('p', { class: 'muted' }, `${t('vote.issued', { n: fmtNumber(e.issued) })} · ${t('el.ballots', { returned: fmtNumber(r.ballots_returned), valid: fmtNumber(r.ballots_valid), void: fmtNumber(r.ballots_void) })}`),
    h('p', h('strong', { class: ['verdict', r.valid ? 'passed' : 'failed'] }, r.valid ? t('el.valid') : t('el.invalid')), ' ', h('span', { class: 'muted' }, `${t('vote.threshold')} ${fmtNumber(r.threshold)}`)),
    h(
      'table',
      { class: 'candidates' },
      h('thead', h('tr', h('th', t('el.candidate')), h('th', t('vote.yes')), h('th', t('vote.no')), h('th', t('vote.abstain')), h('th', ''))),
      h('tbody', rows),
    ),
    r.tied && r.tied.length ? h('p', { class: 'warn' }, t('el.tied', { names: r.tied.join('、') }), ' ', next(true)) : null,
    fr ? h('p', { class: 'warn' }, t('el.further', { n: fmtNumber(r.unfilled), min: fr.min_candidates, max: fr.max_candidates }), ' ', next(false)) : null,
  );
}

// ---- the list of votes ----

export function drawVotes(ctx) {
  const card = $('#votes');
  const box = $('.error', card);
  const all = [...[...ctx.polls.values()].map((v) => ['poll', v]), ...[...ctx.elections.values()].map((v) => ['election', v])];
  all.sort((a, b) => order(b[1]) - order(a[1]) || (b[1].opened_at || '').localeCompare(a[1].opened_at || '') || b[1].id - a[1].id);
  const focusIs = (k, v) => ctx.focus && ctx.focus.kind === k && ctx.focus.id === v.id;
  fill(
    $('.body', card),
    all.length
      ? h(
          'ul',
          { class: 'votes' },
          all.map(([kind, v]) =>
            h(
              'li',
              { class: focusIs(kind, v) ? 'focus' : null },
              h('span', { class: 'grow' }, titleOf(kind, v)),
              stateBadge(kind, v),
              v.state === 'created'
                ? h('button', { type: 'button', onclick: (e) => openFrom(ctx, e.currentTarget, box, kind, v) }, t(kind === 'poll' ? 'vote.open' : 'vote.open.election'))
                : null,
              h(
                'button',
                {
                  type: 'button',
                  'aria-pressed': focusIs(kind, v) ? 'true' : 'false',
                  onclick: () => {
                    ctx.focus = { kind, id: v.id };
                    ctx.redraw();
                    $('#vote').scrollIntoView({ block: 'nearest' });
                  },
                },
                t('vote.show'),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('vote.none')),
  );
}

/* open first, then created, then the closed ones (newest first) */
const order = (v) => (v.state === 'open' ? 2 : v.state === 'created' ? 1 : 0);

// A poll opens from the list (its poll.open event then brings it to the vote panel); an election is shown
// in the vote panel first, where its candidates are settled before it opens.
async function openFrom(ctx, btn, box, kind, v) {
  if (kind === 'poll') return run(btn, box, () => post(`/api/polls/${v.id}/open`));
  ctx.focus = { kind, id: v.id };
  return ctx.redraw();
}

// ---- the forms ----

export function drawPollForm(ctx) {
  const body = $('#new-poll .body');
  const box = h('div', { class: 'error', role: 'alert', hidden: true });
  const title = h('input', { name: 'title', required: true, maxlength: 500 });
  const item = h(
    'select',
    { name: 'item' },
    h('option', { value: '' }, t('poll.item.none')),
    ctx.agenda.filter((a) => a.kind === 'vote').map((a) => h('option', { value: String(a.id) }, a.title)),
  );
  item.addEventListener('change', () => {
    const a = ctx.agenda.find((x) => String(x.id) === item.value);
    if (a && !title.value.trim()) title.value = a.title;
  });
  const majority = h('select', { name: 'majority' }, ['simple', 'two_thirds'].map((m) => h('option', { value: m }, t(`vote.majority.${m}`))));
  const method = h('select', { name: 'method' }, ['terminal', 'verifiable', 'show_of_hands', 'paper'].map((m) => h('option', { value: m }, t(m === 'verifiable' ? 'poll.method.verifiable' : `vote.method.${m}`))));
  const key = keyChooser(method, box);
  const named = h('input', { type: 'checkbox', name: 'named' });
  const motion = motionChooser(ctx, { title, majority, named, method });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('poll.create'));
  const done = h('p', { class: 'muted', role: 'status' });
  fill(
    body,
    h(
      'form',
      {
        id: 'poll-form',
        onsubmit: async (e) => {
          e.preventDefault();
          const req = { title: title.value.trim(), majority: majority.value, method: method.value, named: named.checked };
          if (item.value) req.item = Number(item.value);
          if (motion.select.value) req.motion = Number(motion.select.value);
          /* a verifiable poll is one at the terminals on a key (POST /api/polls's `key`) */
          if (method.value === 'verifiable') {
            if (!key.select.value) return showError(box, { text: () => t('poll.key.none') });
            Object.assign(req, { method: 'terminal', key: Number(key.select.value) });
          }
          const r = await run(submit, box, () => post('/api/polls', req));
          if (r) {
            const id = r.events?.[0]?.payload?.id;
            if (id) ctx.focus = { kind: 'poll', id };
            done.textContent = t('poll.created', { title: req.title });
            title.value = '';
            motion.select.value = '';
            motion.select.dispatchEvent(new Event('change'));
            ctx.refresh('votes');
          }
        },
      },
      box,
      motion.row,
      h('label', h('span', t('poll.item')), item),
      h('label', h('span', t('poll.title')), title),
      h('div', { class: 'row' }, h('label', { class: 'grow' }, h('span', t('poll.majority')), majority), h('label', { class: 'grow' }, h('span', t('poll.method')), method)),
      key.row,
      h('label', { class: 'check' }, named, ' ', t('poll.named')),
      submit,
      done,
    ),
  );
}

// The key a verifiable poll is encrypted to: shown when the method is verifiable, listing the complete keys
// (GET /api/keys, read again each time it is chosen) with their trustees.
function keyChooser(method, box) {
  const select = h('select', { name: 'key', id: 'poll-key' });
  const note = h('p', { class: 'muted small' }, t('poll.verifiable.note'));
  const row = h('div', { class: 'poll-key', hidden: true }, h('label', h('span', t('poll.key')), select), note);
  method.addEventListener('change', async () => {
    row.hidden = method.value !== 'verifiable';
    if (row.hidden) return;
    try {
      const keys = ((await get('/api/keys')).keys || []).filter((k) => k.state === 'complete');
      fill(select, keys.length
        ? keys.map((k) => h('option', { value: String(k.id) }, t('poll.key.item', { id: k.id, k: k.threshold, n: k.trustees.length, trustees: k.trustees.map((x) => x.login).join('、') })))
        : h('option', { value: '' }, t('poll.key.none')));
    } catch (e) {
      showError(box, e);
    }
  });
  return { row, select };
}

export function drawElectionForm(ctx) {
  const body = $('#new-election .body');
  const box = h('div', { class: 'error', role: 'alert', hidden: true });
  const office = h('select', { name: 'office', required: true }, ctx.offices.map((o) => h('option', { value: o.key }, getLang() === 'zh' ? o.name : `${o.name} (${o.key})`)));
  const seats = h('input', { name: 'seats', type: 'number', min: 1, value: '1', required: true });
  const kind = h('select', { name: 'kind' }, ['election', 'preliminary'].map((k) => h('option', { value: k }, t(`el.kind.${k}`))));
  const by = h('input', { type: 'checkbox', name: 'by_election' });
  const item = h(
    'select',
    { name: 'item' },
    h('option', { value: '' }, t('poll.item.none')),
    ctx.agenda.filter((a) => a.kind === 'elect').map((a) => h('option', { value: String(a.id) }, a.title)),
  );
  const names = h('textarea', { name: 'nominees', rows: 3 });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('el.create'));
  const done = h('p', { class: 'muted', role: 'status' });
  fill(
    body,
    h(
      'form',
      {
        id: 'election-form',
        onsubmit: async (e) => {
          e.preventDefault();
          const req = { office: office.value, seats: Number(seats.value), kind: kind.value, by_election: by.checked };
          if (item.value) req.item = Number(item.value);
          const r = await run(submit, box, () => post('/api/elections', req));
          const id = r?.events?.[0]?.payload?.id;
          if (!id) return;
          ctx.focus = { kind: 'election', id };
          /* the nominations one by one, in the order given; the first refused stops and says why */
          for (const n of names.value.split('\n').map((x) => x.trim()).filter(Boolean)) {
            if (!(await run(submit, box, () => post(`/api/elections/${id}/nominations`, { name: n })))) break;
          }
          done.textContent = t('el.created', { title: office.selectedOptions[0]?.textContent || req.office });
          names.value = '';
          ctx.refresh('votes');
        },
      },
      box,
      h('label', h('span', t('el.office')), office),
      h('div', { class: 'row' }, h('label', { class: 'grow' }, h('span', t('el.seats')), seats), h('label', { class: 'grow' }, h('span', t('el.kind')), kind)),
      h('label', h('span', t('poll.item')), item),
      h('label', { class: 'check' }, by, ' ', t('el.by')),
      h('label', h('span', t('el.nominees')), names),
      submit,
      done,
    ),
  );
}
