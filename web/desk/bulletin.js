// bulletin.js — a meeting's bulletin (简报) as `yishi report bulletin` writes it (GET /api/reports/bulletin),
// shown and printed through the browser's print dialog.

import { get } from '/lib/api.js';
import { $, fill, h } from '/lib/dom.js';
import { errorBox } from '/lib/ui.js';
import { button, field, panel, run } from './util.js';

export function bulletinPanel(el) {
  const box = errorBox();
  const meeting = h('select', { name: 'meeting' });
  /* left empty: the number the meeting's bulletin was issued with (POST /api/meetings/{id}/bulletin), or 未编号 */
  const issue = h('input', { name: 'issue', type: 'number', min: 1 });
  const show = button('bul.show', { class: 'primary' });
  const print = button('bul.print', { disabled: true });
  const text = h('pre', { class: 'bulletin' });
  const area = $('#print-area');
  show.addEventListener('click', () => run(show, box, async () => {
    const n = Number(issue.value);
    const r = await get(`/api/reports/bulletin?meeting=${meeting.value}${n >= 1 ? `&issue=${n}` : ''}`);
    text.textContent = r;
    fill(area, h('pre', { class: 'bulletin' }, r));
    print.disabled = false;
  }));
  print.addEventListener('click', () => window.print());
  get('/api/meetings').then((r) => fill(meeting, r.meetings.map((m) => h('option', { value: m.id }, `${m.id} · ${m.title}`))),
    (e) => run(null, box, () => { throw e; }));
  el.append(panel('nav.bulletin', h('div', { class: 'row' }, field('bul.meeting', meeting), field('bul.issue', issue), show, print),
    box, text));
  return { leave: () => fill(area) };
}
