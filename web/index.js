// index.js — the front page's language: Chinese unless this device chose English (remembered in
// localStorage), switched by the link in the header; ?lang=en or ?lang=zh also chooses.
const KEY = 'yishi.lang';
const names = { 'zh-CN': '中文', en: 'English' };

function chosen() {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'en' || asked === 'zh') localStorage.setItem(KEY, asked === 'en' ? 'en' : 'zh-CN');
  return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh-CN';
}

function show(lang) {
  document.documentElement.lang = lang;
  const other = lang === 'en' ? 'zh-CN' : 'en';
  const link = document.getElementById('lang-switch');
  link.textContent = names[other];
  link.lang = other;
  link.href = `?lang=${other === 'en' ? 'en' : 'zh'}`;
  document.title = lang === 'en' ? 'yishi' : '议事';
}

document.getElementById('lang-switch').addEventListener('click', (e) => {
  e.preventDefault();
  const next = document.documentElement.lang === 'en' ? 'zh-CN' : 'en';
  localStorage.setItem(KEY, next);
  show(next);
});
show(chosen());
