// meeting.js — the console's left column: the meeting under way (open one, close it), its attendance at a
// glance (应出席 / 出席 / 缺席 (请假) / 法定人数, quorate or not), and the agenda with the item being dealt with.

import { post } from '/lib/api.js';
import { $, fill, h } from '/lib/dom.js';
import { getLang, t } from '/lib/i18n.js';
import { fmtNumber, fmtTime } from '/lib/ui.js';
import { ask, run } from './act.js';

export function drawMeeting(ctx) {
  const card = $('#meeting');
  const box = $('.error', card);
  const m = ctx.meeting;
  const others = ctx.meetings.filter((x) => x.open && (!m || x.id !== m.id));
  fill(
    $('.body', card),
    m
      ? h(
          'div',
          { class: 'current-meeting' },
          h('p', { class: 'meeting-title' }, m.title),
          h('p', { class: 'muted' }, `${ctxLangZh() && m.kind_zh ? m.kind_zh : t(`meet.kind.${m.kind}`)} · ${t('meet.opened', { time: fmtTime(m.opened_at) })}`),
          h('button', { type: 'button', class: 'danger', id: 'meeting-close', onclick: (e) => closeMeeting(e.currentTarget, box, m) }, t('meet.close')),
        )
      : h('p', { class: 'muted' }, t('meet.none')),
    others.length
      ? h('div', { class: 'others' }, h('h3', t('meet.others')), h('ul', others.map((x) => h('li', x.title))))
      : null,
    m ? null : openForm(box),
  );
}

const ctxLangZh = () => getLang() === 'zh';

async function closeMeeting(btn, box, m) {
  if (!(await ask({ text: t('meet.close.confirm', { title: m.title }), ok: t('meet.close') }))) return;
  await run(btn, box, () => post(`/api/meetings/${m.id}/close`));
}

function openForm(box) {
  const kind = h(
    'select',
    { name: 'kind' },
    h('option', { value: 'plenary' }, t('meet.kind.plenary')),
    h('option', { value: 'preparatory' }, t('meet.kind.preparatory')),
  );
  const title = h('input', { name: 'title', required: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('meet.open'));
  return h(
    'form',
    {
      class: 'open-meeting',
      onsubmit: (e) => {
        e.preventDefault();
        run(submit, box, () => post('/api/meetings', { kind: kind.value, title: title.value.trim() }));
      },
    },
    h('h3', t('meet.open.heading')),
    h('label', h('span', t('meet.kind')), kind),
    h('label', h('span', t('meet.title')), title),
    submit,
  );
}

// The figures: drawn from the Attendance tally, which each check-in has already updated.
export function drawAttendance(ctx) {
  const a = ctx.att;
  const body = $('#attendance .body');
  if (!ctx.meeting) {
    fill(body, h('p', { class: 'muted' }, t('att.closed')));
    return;
  }
  const tile = (key, n, extra, cls) =>
    h('div', { class: ['tile', cls], 'data-k': key }, h('span', { class: 'label' }, t(`att.${key}`)), h('span', { class: 'n num' }, fmtNumber(n)), extra ? h('span', { class: 'extra' }, extra) : null);
  fill(
    body,
    h(
      'div',
      { class: 'tiles' },
      tile('entitled', a.entitled),
      tile('present', a.present, null, 'present'),
      tile('absent', a.absent, a.onLeave ? t('att.leave', { n: fmtNumber(a.onLeave) }) : null),
      tile('quorum', a.quorum),
    ),
    h('p', { class: ['quorate-badge', a.quorate ? 'yes' : 'no'], id: 'quorate' }, a.quorate ? t('att.quorate') : t('att.notquorate')),
  );
}

// The agenda, with the item the meeting is on (POST /api/meetings/{id}/item, 「现在进行第N项议程」) marked,
// and a button on each other item to take it up.
export function drawAgenda(ctx) {
  const body = $('#agenda .body');
  const box = $('#agenda .error');
  if (!ctx.agenda.length) {
    fill(body, h('p', { class: 'muted' }, t('agenda.none')));
    return;
  }
  const m = ctx.meeting;
  const current = m?.item ?? null;
  const take = (a) =>
    h(
      'button',
      {
        type: 'button',
        class: 'take',
        'aria-label': t('agenda.goto.label', { n: a.order }),
        onclick: (e) => run(e.currentTarget, box, () => post(`/api/meetings/${m.id}/item`, { item: a.id })),
      },
      t('agenda.goto'),
    );
  fill(
    body,
    h(
      'ol',
      { class: 'agenda', id: 'agenda-list' },
      ctx.agenda.map((a) =>
        h(
          'li',
          { class: a.id === current ? 'current' : null, 'aria-current': a.id === current ? 'step' : null, 'data-item': a.id },
          h('span', { class: 'order num' }, `${a.order}.`),
          h(
            'span',
            { class: 'grow' },
            h('span', { class: 'kind' }, ctxLangZh() ? a.kind_zh : a.kind),
            ' ',
            a.title,
            a.presenter ? h('span', { class: 'muted' }, ` · ${a.presenter}`) : null,
          ),
          m && a.id !== current ? take(a) : null,
        ),
      ),
    ),
  );
  const cur = body.querySelector('li.current');
  if (cur && current !== shownItem) body.scrollTop = Math.max(0, cur.offsetTop - body.offsetTop - 40); /* within the list only */
  shownItem = current;
}

let shownItem = null;
