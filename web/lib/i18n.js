// i18n.js — the pages' two languages: Chinese by default, English by a switch that each device remembers.
// Pages add their own strings with addStrings(); the API's own messages ("中文 / English: detail") are split
// here, so that an error is shown in the page's language.

const KEY = 'yishi.lang';
const strings = { zh: {}, en: {} };
const listeners = new Set();

function stored() {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh'; /* storage refused (a private window): Chinese */
  }
}

let lang = stored();

export function addStrings(table) {
  for (const l of ['zh', 'en']) Object.assign(strings[l], table[l] || {});
}

// The string of `key` in the page's language ({name} replaced from vars); the key itself when none has it,
// so that a missing string shows up on the page rather than as a blank.
export function t(key, vars) {
  let s = strings[lang][key] ?? strings.zh[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

export function getLang() {
  return lang;
}

export function setLang(l) {
  lang = l === 'en' ? 'en' : 'zh';
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    /* not remembered, still switched */
  }
  translate(document);
  for (const f of listeners) f(lang);
}

// f(lang) after every switch: pages re-render what they drew from data.
export function onLang(f) {
  listeners.add(f);
  return () => listeners.delete(f);
}

// Fills every element marked data-i18n (its text), data-i18n-placeholder, data-i18n-title and
// data-i18n-label (aria-label) under root, and the document's language.
export function translate(root) {
  if (root === document) {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    const title = document.querySelector('title[data-i18n]');
    if (title) document.title = t(title.dataset.i18n);
  }
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
}

// An API message "未登录 / not logged in: wrong name or password" in the page's language: the headline of
// that language, then the detail (which names the thing, and is the same in both).
export function apiMessage(message) {
  const m = String(message ?? '');
  const slash = m.indexOf(' / ');
  if (slash < 0) return m;
  const zh = m.slice(0, slash);
  const rest = m.slice(slash + 3);
  const colon = rest.indexOf(': ');
  const en = colon < 0 ? rest : rest.slice(0, colon);
  const detail = colon < 0 ? '' : rest.slice(colon + 2);
  if (lang === 'zh') return detail ? `${zh}：${detail}` : zh;
  return detail ? `${en}: ${detail}` : en;
}

addStrings({
  zh: {
    'lang.switch': 'English',
    'lang.switch.label': '切换为英文',
    'conn.live': '实时',
    'conn.connecting': '正在连接…',
    'conn.reconnecting': '连接中断，正在重新连接…',
    'conn.stale': '数据可能不是最新的',
    'err.network': '无法连接服务器，请检查网络',
    'err.unknown': '出现错误',
    'err.line': '第{line}行（{field}）：{message}',
    'action.close': '关闭',
    'action.logout': '退出登录',
    'action.login': '登录',
    'action.cancel': '取消',
    'action.confirm': '确认',
    'action.retry': '重试',
    'loading': '正在载入…',
  },
  en: {
    'lang.switch': '中文',
    'lang.switch.label': 'Switch to Chinese',
    'conn.live': 'Live',
    'conn.connecting': 'Connecting…',
    'conn.reconnecting': 'Connection lost, reconnecting…',
    'conn.stale': 'These figures may not be current',
    'err.network': 'Cannot reach the server; check the network',
    'err.unknown': 'Something went wrong',
    'err.line': 'line {line} ({field}): {message}',
    'action.close': 'Close',
    'action.logout': 'Log out',
    'action.login': 'Log in',
    'action.cancel': 'Cancel',
    'action.confirm': 'Confirm',
    'action.retry': 'Retry',
    'loading': 'Loading…',
  },
});
