// scan.js — reading a login card's QR code with the device's camera, where the browser can
// (BarcodeDetector and a camera); the code encodes the card code and nothing else.

import { h } from '/lib/dom.js';
import { addStrings, t } from '/lib/i18n.js';

addStrings({
  zh: {
    'scan.title': '扫描登录卡二维码',
    'scan.hint': '将登录卡上的二维码对准摄像头',
    'scan.denied': '无法使用摄像头，请手动输入卡号',
  },
  en: {
    'scan.title': 'Scan the login card’s QR code',
    'scan.hint': 'Hold the QR code on your login card up to the camera',
    'scan.denied': 'The camera cannot be used; type the card code instead',
  },
});

// Whether this browser can scan: BarcodeDetector that knows QR codes, and a camera API. Without one the
// scan button is never shown.
export async function canScan() {
  if (!('BarcodeDetector' in window) || !navigator.mediaDevices?.getUserMedia) return false;
  try {
    const formats = await window.BarcodeDetector.getSupportedFormats();
    return formats.includes('qr_code');
  } catch {
    return false;
  }
}

// Opens the camera in a dialog and resolves with the text of the first QR code seen, or null when the
// delegate cancels (Escape, the button) or the camera is refused (onError says why).
export function scanCode({ onError } = {}) {
  return new Promise((resolve) => {
    const video = h('video', { class: 'scan-video', autoplay: true, muted: true, playsinline: true });
    const cancel = h('button', { type: 'button', class: 'scan-cancel' }, t('action.cancel'));
    const dialog = h('dialog', { class: 'scan', 'aria-label': t('scan.title') },
      h('h2', t('scan.title')), h('p', { class: 'muted' }, t('scan.hint')), video, cancel);
    let stream = null;
    let timer = null;
    let done = false;
    const finish = (value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (stream) for (const tr of stream.getTracks()) tr.stop();
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    cancel.addEventListener('click', () => finish(null));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      finish(null);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
    const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    const look = async () => {
      if (done) return;
      try {
        const found = await detector.detect(video);
        const text = found.map((c) => c.rawValue).find((v) => v && v.trim());
        if (text) return finish(text.trim());
      } catch {
        /* the frame was not ready: look again */
      }
      timer = setTimeout(look, 200);
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then((s) => {
        if (done) {
          for (const tr of s.getTracks()) tr.stop(); /* cancelled while the camera was starting */
          return;
        }
        stream = s;
        video.srcObject = s;
        look();
      })
      .catch(() => {
        if (onError) onError(t('scan.denied'));
        finish(null);
      });
  });
}
