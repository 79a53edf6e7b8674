// login.js — the terminal's login: the card code (typed, or scanned from the card's QR code) and the PIN;
// at a card's first login the PIN typed becomes the card's PIN, so that mode asks for it twice.

import { login } from '/lib/api.js';
import { h, fill } from '/lib/dom.js';
import { addStrings, t, onLang } from '/lib/i18n.js';
import { errorBox, showError } from '/lib/ui.js';
import { canScan, scanCode } from './scan.js';

addStrings({
  zh: {
    'login.title': '代表登录',
    'login.code': '登录卡号',
    'login.code.hint': '印在登录卡上的16位字母和数字，如 F4TV-WAVQ-1XMR-YN19；大小写和短横线均可',
    'login.pin': '密码',
    'login.pin.new': '设置密码',
    'login.pin.again': '再次输入密码',
    'login.pin.rules': '6至12位数字，不能是同一数字重复，也不能是连续数字（如123456）。',
    'login.first': '首次登录（设置密码）',
    'login.back': '已设置密码，直接登录',
    'login.first.intro': '首次使用此登录卡时，请设置您自己的密码。',
    'login.scan': '扫码',
    'login.scan.label': '用摄像头扫描登录卡二维码',
    'login.submit': '登录',
    'login.submit.first': '设置密码并登录',
    'login.busy': '正在登录…',
    'login.err.code': '请输入登录卡号',
    'login.err.pin': '请输入密码',
    'login.err.mismatch': '两次输入的密码不一致，请重新输入',
    'login.retry': '请在{s}秒后再试',
    'login.expired': '登录已失效，请重新登录',
  },
  en: {
    'login.title': 'Delegate login',
    'login.code': 'Card code',
    'login.code.hint': 'The 16 letters and digits printed on your card, such as F4TV-WAVQ-1XMR-YN19; any case, dashes optional',
    'login.pin': 'PIN',
    'login.pin.new': 'Choose a PIN',
    'login.pin.again': 'The PIN again',
    'login.pin.rules': '6 to 12 digits, not one digit repeated nor a run such as 123456.',
    'login.first': 'First login (set a PIN)',
    'login.back': 'I have a PIN: log in',
    'login.first.intro': 'The first time you use this card, choose a PIN of your own.',
    'login.scan': 'Scan',
    'login.scan.label': 'Scan the login card’s QR code with the camera',
    'login.submit': 'Log in',
    'login.submit.first': 'Set the PIN and log in',
    'login.busy': 'Logging in…',
    'login.err.code': 'Type the card code',
    'login.err.pin': 'Type the PIN',
    'login.err.mismatch': 'The two PINs differ; type them again',
    'login.retry': 'Try again in {s} seconds',
    'login.expired': 'The login has ended; log in again',
  },
});

// Draws the login form into `root`; onLogin(answer) once the API has let the delegate in (answer.pin_set
// says that this login set the PIN). `notice` is shown above the form (why the delegate is here again).
export function loginView(root, { onLogin, notice = null }) {
  let first = false;
  let busy = false;
  let scanning = false;
  const code = h('input', { id: 'code', name: 'code', autocomplete: 'username', autocapitalize: 'characters', spellcheck: 'false', required: true, 'aria-describedby': 'code-hint' });
  const pin = h('input', { id: 'pin', name: 'pin', type: 'password', inputmode: 'numeric', autocomplete: 'current-password', maxlength: 12, required: true });
  const again = h('input', { id: 'pin2', name: 'pin2', type: 'password', inputmode: 'numeric', autocomplete: 'new-password', maxlength: 12 });
  const err = errorBox();
  err.id = 'login-error';
  const scan = h('button', { type: 'button', class: 'scan-button', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary big' });
  const toggle = h('button', { type: 'button', class: 'link' });
  const form = h('form', { class: 'card login', novalidate: true, 'aria-labelledby': 'login-title' });

  const draw = () => {
    fill(form,
      h('h2', { id: 'login-title' }, t('login.title')),
      notice ? h('p', { class: 'notice' }, notice) : null,
      first ? h('p', t('login.first.intro')) : null,
      err,
      h('label', { for: 'code' }, h('span', t('login.code'))),
      h('div', { class: 'row code-row' }, code, scan),
      h('p', { id: 'code-hint', class: 'muted small' }, t('login.code.hint')),
      h('label', { for: 'pin' }, h('span', t(first ? 'login.pin.new' : 'login.pin'))),
      pin,
      first ? h('label', { for: 'pin2', class: 'again' }, h('span', t('login.pin.again'))) : null,
      first ? again : null,
      first ? h('p', { class: 'muted small' }, t('login.pin.rules')) : null,
      h('div', { class: 'row actions' }, submit, toggle));
    pin.autocomplete = first ? 'new-password' : 'current-password';
    scan.textContent = t('login.scan');
    scan.setAttribute('aria-label', t('login.scan.label'));
    submit.textContent = t(busy ? 'login.busy' : first ? 'login.submit.first' : 'login.submit');
    submit.disabled = busy;
    toggle.textContent = t(first ? 'login.back' : 'login.first');
  };

  toggle.addEventListener('click', () => {
    first = !first;
    showError(err, null);
    draw();
    pin.focus();
  });

  scan.addEventListener('click', async () => {
    if (scanning) return;
    scanning = true;
    const text = await scanCode({ onError: (m) => showError(err, new Error(m)) });
    scanning = false;
    if (text) {
      code.value = text;
      pin.focus();
    } else scan.focus();
  });
  canScan().then((yes) => (scan.hidden = !yes));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    const problem = check(code, pin, first ? again : null);
    if (problem) {
      showError(err, new Error(t(problem.key)));
      problem.el.focus();
      return;
    }
    busy = true;
    draw();
    try {
      const answer = await login({ code: code.value.trim(), pin: pin.value });
      onLogin(answer);
    } catch (ex) {
      busy = false;
      draw();
      refused(err, ex, { code, pin });
    }
  });

  const stop = onLang(draw);
  draw();
  fill(root, form);
  code.focus();
  return stop;
}

// What is missing or wrong before anything is sent: the API decides the PIN's rules, the page only
// that both fields are filled and the two new PINs agree.
function check(code, pin, again) {
  if (!code.value.trim()) return { key: 'login.err.code', el: code };
  if (!pin.value) return { key: 'login.err.pin', el: pin };
  if (again && again.value !== pin.value) return { key: 'login.err.mismatch', el: again };
  return null;
}

// The API's refusal, in the page's language, with the field it names focused and a wait when the card is
// locked out for a while.
function refused(err, ex, fields) {
  showError(err, ex);
  if (ex.retryAfter) err.append(h('p', t('login.retry', { s: ex.retryAfter })));
  const el = ex.field === 'code' ? fields.code : fields.pin;
  el.select?.();
  el.focus();
}
