// votes.js — the trustee page's part in a closed verifiable election's or poll's count (docs/verifiable.md §8,
// §9): the board read and summed, every shuffle checked, the write-ins' shuffle made, partial decryptions made.
//
// Nothing is decrypted or shuffled that this page has not checked itself: the aggregates are its own sums of
// the board's ballots, a shuffle's input is its own ballots' tuples or the output of the shuffles it checked.

import { get, post } from '/lib/api.js';
import { h } from '/lib/dom.js';
import { addStrings, t } from '/lib/i18n.js';

addStrings({
  zh: {
    'tr.elections': '待解密的选举与表决',
    'tr.elections.none': '没有等待您解密的选举或表决。',
    'tr.el': '选举 {id}：{office}（密钥 {key}，{phase}，已解密 {done}/{k}）',
    'tr.el.shuffles': '选举 {id}：{office}（密钥 {key}，{phase}，已洗牌 {done}/{k}）',
    'tr.poll': '表决 {id}：{title}（密钥 {key}，已解密 {done}/{k}）',
    'tr.phase.tally': '解密总数',
    'tr.phase.shuffle': '洗牌',
    'tr.phase.mix': '解密洗牌后的另选人数',
    'tr.phase.block': '解密另选的姓名',
    'tr.phase.count': '计票',
    'tr.el.go': '解密',
    'tr.el.done': '您已解密，等待其他监票人。',
    'tr.el.counted': '解密已足门限，已计票。',
    'tr.el.nosecret': '本设备没有密钥 {key} 的份额：请先在上面从备份恢复。',
    'tr.el.sent': '已提交解密（计算用时 {ms} 毫秒）。',
    'tr.el.checked': '已核对公告板上的 {n} 张选票（{proofs}，用时 {ms} 毫秒）：要解密的正是它们的总和。',
    'tr.el.chain': '已核对公告板上的 {n} 张选票和 {k} 次洗牌的证明（用时 {ms} 毫秒）：要解密的正是最后一次洗牌的输出。',
    'tr.el.proofs': '每张选票的证明均已验证',
    'tr.el.noproofs': '选票太多，本页面只核对了密文的总和；每张选票的证明请用 yishi trustee 或 yishi-verify 验证',
    'tr.el.refused': '拒绝解密：{why}',
    'tr.sh.next': '有代表另选他人：解密姓名前须由 {k} 位监票人依次洗牌（现为第 {m} 次）。洗牌前，本页面核对公告板上的选票和此前每次洗牌的证明。',
    'tr.sh.go': '洗牌',
    'tr.sh.done': '您已洗牌，等待其他监票人（已洗 {m}/{k} 次）。',
    'tr.sh.sent': '已提交第 {m} 次洗牌（{n} 组密文，已核对此前 {before} 次洗牌，洗牌和证明用时 {ms} 毫秒）。',
    'tr.sh.refused': '拒绝洗牌：{why}',
    'tr.p.board': '正在读取并核对公告板上的选票……',
    'tr.p.check': '正在核对第 {m}/{n} 次洗牌的证明……',
    'tr.p.prove': '正在洗牌并生成证明（{n} 组密文，需要几秒）……',
    'tr.p.decrypt': '正在计算部分解密……',
  },
  en: {
    'tr.elections': 'Elections and votes to decrypt',
    'tr.elections.none': 'No election or vote waits for your decryption.',
    'tr.el': 'Election {id}: {office} (key {key}, {phase}, decrypted {done} of {k})',
    'tr.el.shuffles': 'Election {id}: {office} (key {key}, {phase}, shuffled {done} of {k})',
    'tr.poll': 'Vote {id}: {title} (key {key}, decrypted {done} of {k})',
    'tr.phase.tally': 'decrypting the totals',
    'tr.phase.shuffle': 'shuffling the write-ins',
    'tr.phase.mix': 'decrypting the shuffled counts of names',
    'tr.phase.block': 'decrypting the names written in',
    'tr.phase.count': 'counting',
    'tr.el.go': 'Decrypt',
    'tr.el.done': 'You have decrypted; waiting for the other trustees.',
    'tr.el.counted': 'Enough trustees have decrypted: the count is in.',
    'tr.el.nosecret': 'This device has no share of key {key}: restore it from your backup above first.',
    'tr.el.sent': 'Decryption posted (computed in {ms} ms).',
    'tr.el.checked': 'The {n} ballots on the board checked ({proofs}, {ms} ms): what is to be decrypted is their sum.',
    'tr.el.chain': 'The {n} ballots on the board and the proofs of the {k} shuffles checked ({ms} ms): what is to be decrypted is the last shuffle’s output.',
    'tr.el.proofs': 'every proof of every ballot',
    'tr.el.noproofs': 'too many for this page to check their proofs: their sums only; yishi trustee and yishi-verify check every proof',
    'tr.el.refused': 'Refusing to decrypt: {why}',
    'tr.sh.next': 'Names were written in: before they are decrypted, {k} trustees shuffle them in turn (this is shuffle {m}). Before shuffling, this page checks the board’s ballots and the proof of every earlier shuffle.',
    'tr.sh.go': 'Shuffle the write-ins',
    'tr.sh.done': 'You have shuffled; waiting for the other trustees ({m} of {k} shuffles made).',
    'tr.sh.sent': 'Shuffle {m} posted ({n} tuples, the {before} shuffles before it checked, shuffled and proved in {ms} ms).',
    'tr.sh.refused': 'Refusing to shuffle: {why}',
    'tr.p.board': 'Reading and checking the ballots on the board…',
    'tr.p.check': 'Checking the proof of shuffle {m} of {n}…',
    'tr.p.prove': 'Shuffling {n} tuples and proving it (some seconds)…',
    'tr.p.decrypt': 'Computing the partial decryptions…',
  },
});

// Ballots × candidates up to which the page checks every proof too (some 15 ms a mark in the browser: 15 s);
// beyond, it sums the ciphertexts, which takes a tenth of that, and leaves the proofs to yishi trustee.
const PROOF_BUDGET = 1000;
const PAGE = 50;

const pathOf = (vote) => `/api/${vote.kind === 'poll' ? 'polls' : 'elections'}/${vote.id}`;
const noteKey = (vote) => `${vote.kind}${vote.id}`;
// The number of ballots the vote itself says were cast.
const castOf = (vote) => (vote.kind === 'poll' ? vote.voted : vote.returned);

// A closed verifiable vote of this page's keys: { kind: 'election' | 'poll', id, …its view }.
export const asVote = (kind, x) => ({ ...x, kind, electionKind: x.kind });

// Says how far a long step has got, in the vote's card, and lets the browser paint it before the work.
async function progress(vote, text) {
  const el = document.querySelector(`[data-vote="${noteKey(vote)}"] .progress`);
  if (el) {
    el.hidden = false;
    el.textContent = text;
  }
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
}

// The vote's context remade from the key this page checked (its commitments and public shares) and the
// board's V and list: the board's Q, B and P must be what they make.
function boardVote(v, page, vote, key, c) {
  const { Qk, K, X } = page.keyContext(key);
  const writeIns = vote.kind === 'election' && vote.electionKind !== 'preliminary';
  const made = v.voteContext({ Qk, K, X, sessionId: page.ctx.session.id, kind: vote.kind, id: vote.id, V: c.V, S: c.S, names: c.names, writeIns });
  if (v.b64(made.Q) !== c.Q || made.B !== c.B || made.P !== c.P) v.refuse('context', "the board's context (Q, B, P) is not what the key and the list make: its ballots are another vote's");
  return made;
}

// Every page of the board into the sums; the count must be the board's and the vote's own.
async function boardSums(v, page, vote, key) {
  await progress(vote, t('tr.p.board'));
  let sums = null, after = 0, got;
  do {
    got = await get(`${pathOf(vote)}/board?after=${after}&limit=${PAGE}`);
    if (!sums) {
      const proofs = got.cast * got.context.names.length <= PROOF_BUDGET;
      sums = new v.BoardSums(boardVote(v, page, vote, key, got.context), { proofs, k: key.threshold });
    }
    sums.add(got.ballots);
    if (got.next !== null && !(got.next > after)) v.refuse('next', "the board's pages do not move on");
    after = got.next;
  } while (after !== null);
  if (sums.count !== got.cast || sums.count !== castOf(vote)) v.refuse('cast', `the board holds ${sums.count} ballots, and says ${got.cast} were cast (the ${vote.kind} itself says ${castOf(vote)})`);
  return sums;
}

// Every shuffle on the board, each checked against the tuples before it (the ballots' for the first).
async function checkShuffles(v, vote, sums) {
  const list = await get(`${pathOf(vote)}/shuffles`);
  const made = (list.shuffles || []).slice().sort((a, b) => a.m - b.m);
  for (const { m } of made) {
    await progress(vote, t('tr.p.check', { m, n: made.length }));
    const s = await get(`${pathOf(vote)}/shuffles?m=${m}`);
    if (s.m !== m) v.refuse(`shuffle ${m}`, `the board answers with shuffle ${s.m} when asked for shuffle ${m}`);
    sums.addShuffle(s.m, s.trustee, s.output, s.proof);
  }
}

// What GET …/shuffle hands this trustee must be the next shuffle of the tuples it checked, under its key.
function checkJob(v, sums, job, j) {
  const next = sums.shufflers.length + 1;
  if (job.m !== next) v.refuse('m', `the server asks for shuffle ${job.m}, and the board holds ${next - 1} shuffles`);
  if (job.trustee !== j) v.refuse('trustee', `the server asks trustee ${job.trustee} to shuffle, and this is trustee ${j}`);
  if (job.Q !== v.b64(sums.vote.Q)) v.refuse('Q', "the shuffle asked is bound to another context Q than the board's");
  if (job.K !== v.b64(sums.vote.K)) v.refuse('K', 'the shuffle asked is under another key K than the one this trustee holds a share of');
  const mine = v.tuplesJson(sums.tuples);
  const what = next === 1 ? "the ballots' tuples on the board" : `the output of shuffle ${next - 1}`;
  if (!Array.isArray(job.input) || job.input.length !== mine.length) v.refuse('input', `the input holds ${job.input?.length} tuples, and ${what} are ${mine.length}`);
  const i = mine.findIndex((tuple, n) => JSON.stringify(tuple) !== JSON.stringify(job.input[n]));
  if (i >= 0) v.refuse(`input[${i}]`, `tuple ${i + 1} of the input is not tuple ${i + 1} of ${what}`);
}

function shuffle(page, vote, key) {
  return page.act(async () => {
    const v = await import('/lib/verifiable.js');
    const j = page.indexOf(key);
    let sums, job;
    try {
      sums = await boardSums(v, page, vote, key);
      await checkShuffles(v, vote, sums);
      job = await get(`${pathOf(vote)}/shuffle`);
      checkJob(v, sums, job, j);
    } catch (e) {
      throw new Error(t('tr.sh.refused', { why: e.message }));
    }
    await progress(vote, t('tr.p.prove', { n: sums.tuples.length }));
    const started = performance.now();
    const { output, ...proof } = v.proveShuffle(sums.vote, job.m, sums.tuples);
    const ms = Math.round(performance.now() - started);
    await post(`${pathOf(vote)}/shuffles`, { m: job.m, output, proof });
    page.note(noteKey(vote), { ok: t('tr.sh.sent', { m: job.m, n: sums.tuples.length, before: job.m - 1, ms }), ms, done: 'shuffle:shuffle' });
  });
}

function decrypt(page, vote, key) {
  return page.act(async () => {
    const me = page.trusteeOf(key);
    if (!me?.x) throw new Error(t('tr.el.nosecret', { key: key.id }));
    const v = await import('/lib/verifiable.js');
    const job = await get(`${pathOf(vote)}/decrypt`);
    const checking = performance.now();
    const shuffled = job.phase === 'mix' || job.phase === 'block';
    let sums;
    try {
      sums = await boardSums(v, page, vote, key);
      if (shuffled) await checkShuffles(v, vote, sums);
      if (job.Q !== v.b64(sums.vote.Q)) v.refuse('Q', 'what the server asks to decrypt is bound to another context Q than the board\'s');
      sums.match(job.ciphertexts);
    } catch (e) {
      throw new Error(t('tr.el.refused', { why: e.message }));
    }
    const took = Math.round(performance.now() - checking);
    const checked = shuffled ? t('tr.el.chain', { n: sums.count, k: sums.shufflers.length, ms: took })
      : t('tr.el.checked', { n: sums.count, proofs: t(sums.proofs ? 'tr.el.proofs' : 'tr.el.noproofs'), ms: took });
    await progress(vote, t('tr.p.decrypt'));
    const started = performance.now();
    const partials = page.tr().decryptPartials(me, sums.vote.Q, job.ciphertexts);
    const ms = Math.round(performance.now() - started);
    await post(`${pathOf(vote)}/decrypt`, { partials });
    page.note(noteKey(vote), { ok: `${checked} ${t('tr.el.sent', { ms })}`, ms, done: `decrypt:${job.phase || 'tally'}` });
  });
}

// What this trustee does next for the vote: shuffle, decrypt, or wait.
function nextStep(page, vote, key) {
  const j = page.indexOf(key);
  const v = vote.verifiable;
  if (v.counted) return h('p', { class: 'step ok', 'data-step': 'counted' }, t('tr.el.counted'));
  if (v.phase === 'shuffle') {
    const shufflers = v.shuffled_by || [];
    const m = shufflers.length;
    if (shufflers.includes(j)) return h('p', { class: 'step', 'data-step': 'shuffled' }, t('tr.sh.done', { m, k: v.threshold }));
    return h('div', { class: 'step', 'data-step': 'shuffle' },
      h('p', { class: 'next' }, t('tr.sh.next', { m: m + 1, k: v.threshold })),
      h('div', { class: 'row' }, page.button(t('tr.sh.go'), () => shuffle(page, vote, key))));
  }
  if ((v.decrypted_by || []).includes(j)) return h('p', { class: 'step', 'data-step': 'decrypted' }, t('tr.el.done'));
  return h('div', { class: 'step', 'data-step': 'decrypt' }, page.button(t('tr.el.go'), () => decrypt(page, vote, key)));
}

export function voteCard(page, vote, key) {
  const v = vote.verifiable;
  const n = page.ctx.notes.get(noteKey(vote));
  /* while the write-ins are shuffled nothing is being decrypted: the count is of the shuffles made */
  const shuffling = v.phase === 'shuffle';
  const done = ((shuffling ? v.shuffled_by : v.decrypted_by) || []).length;
  const title = vote.kind === 'poll'
    ? t('tr.poll', { id: vote.id, title: vote.title, key: key.id, done, k: v.threshold })
    : t(shuffling ? 'tr.el.shuffles' : 'tr.el', { id: vote.id, office: vote.office_name || vote.office, key: key.id, phase: t(`tr.phase.${v.phase || 'tally'}`), done, k: v.threshold });
  return h('div', { class: vote.kind === 'poll' ? 'vpoll' : 'velection', [`data-${vote.kind}`]: vote.id, 'data-vote': noteKey(vote), 'data-phase': v.phase || 'tally' },
    h('h3', null, title),
    /* data-done names the step and phase the note reports, so a reader can tell a new note from the last */
    n?.ok ? h('p', { class: 'ok small', role: 'status', 'data-ms': n.ms, 'data-done': n.done }, n.ok) : null,
    h('p', { class: 'progress small muted', role: 'status', hidden: true }),
    nextStep(page, vote, key));
}

// The closed verifiable votes on this trustee's keys still to count (or just counted, with a note to show).
export function waitingVotes(page, keys, elections, polls) {
  const all = [...elections.map((x) => asVote('election', x)), ...polls.map((x) => asVote('poll', x))];
  return all
    .map((vote) => ({ vote, key: keys.find((k) => k.id === vote.verifiable?.key) }))
    .filter(({ vote, key }) => key && vote.state === 'closed' && (!vote.verifiable.counted || page.ctx.notes.has(noteKey(vote))));
}
