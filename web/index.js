// index.js — the front page: its strings in both languages, and the switch every page has (lib/ui.js),
// which this device remembers. A session's front page links to its pages; the front of a service of many
// sessions lists them (GET /api/sessions), each with its own front page.
import { BASE, get } from './lib/api.js';
import { $, fill, h } from './lib/dom.js';
import { addStrings, t } from './lib/i18n.js';
import { langButton, startPage } from './lib/ui.js';

addStrings({
  zh: {
    'index.title': '议事',
    'index.terminal': '终端',
    'index.terminal.what': '代表：登录、签到、议程与文件、申请发言、表决与选举',
    'index.chair': '主持人',
    'index.chair.what': '主持人：会议、出席与法定人数、表决、选举与发言',
    'index.board': '大屏',
    'index.board.what': '会场大屏：出席、表决进度与结果、座位图',
    'index.desk': '秘书处',
    'index.desk.what': '秘书处：会次、导入、座位、出席、文件、账户与代表证',
    'index.trustee': '监票人',
    'index.trustee.what': '监票人：密钥仪式与可验证选举的解密',
    'index.sessions': '本服务上的会议',
    'index.session.events': '{n} 条事件',
  },
  en: {
    'index.title': 'yishi',
    'index.terminal': 'Delegate terminal',
    'index.terminal.what': 'Delegates: log in, check in, agenda and documents, ask for the floor, vote and elect',
    'index.chair': 'Chair console',
    'index.chair.what': 'The chair: meetings, attendance and quorum, votes, elections and speakers',
    'index.board': 'Hall screen',
    'index.board.what': "The hall's screen: attendance, votes in progress and results, the seat map",
    'index.desk': 'Secretariat desk',
    'index.desk.what': 'The secretariat: the session, imports, seats, attendance, documents, accounts and cards',
    'index.trustee': 'Trustee',
    'index.trustee.what': 'Scrutineers: the key ceremony and the decryption of verifiable elections',
    'index.sessions': 'Sessions on this service',
    'index.session.events': '{n} events',
  },
});
document.getElementById('lang').replaceWith(langButton());
startPage();

// The pages of this session are under its path; a service's front lists its sessions instead.
for (const a of document.querySelectorAll('a.page')) a.setAttribute('href', BASE + a.getAttribute('href'));
if (!BASE) {
  get('/api/sessions').then((r) => {
    const many = r.sessions.filter((x) => x.path !== '/');
    if (!many.length) return;
    fill($('main nav'), h('h2', { 'data-i18n': 'index.sessions' }, t('index.sessions')),
      h('ul', { class: 'pages sessions' }, many.map((x) => h('li', { 'data-session': x.id },
        h('a', { class: 'page', href: x.path }, x.title),
        h('p', { class: 'muted' }, x.path, ' · ', t('index.session.events', { n: x.seq }))))));
  }, () => { /* an older server, or none: the page links stay */ });
}
