// host.js: how a host's page shows supportal in a frame and talks to it —
// the page half of the integration (token.go is the server half); copy it.
//
// Protocol v1: every message is an object {supportal: 1, type, ...}.
//   frame → host: ready, token-request, resize {height}, navigated {path},
//                 ticket-created {number}, unread {total, byRecord},
//                 session-ended {reason: idle | logout | reset | refused}, escape
//   host → frame: auth {token}, set-context {record}, set-locale {lang}, reset
// A record is {kind, externalId}; byRecord counts by "kind:externalId".
// API: Supportal.mount(slot, {record, kiosk, path, title}), setContext(record | null),
// setLocale(lang), reset(), unmount(), on(type, fn) (the frame's messages, 'token-failed').
(() => {
  'use strict';
  // The portal's origin (https://support.example.com): messages go to and come from it only.
  const PORTAL = document.querySelector('meta[name="supportal-portal"]').content;
  const listeners = {};
  let frame = null;   // the <iframe>, once mounted
  let record = null;  // the record the frame is beside
  let kiosk = false;  // a shared terminal

  const emit = (type, msg) => (listeners[type] || []).forEach((fn) => fn(msg));

  // post sends a message to the frame; never to another origin than the portal's.
  function post(type, data) {
    if (frame && frame.contentWindow) frame.contentWindow.postMessage({supportal: 1, type, ...data}, PORTAL);
  }

  // sendAuth hands the frame a fresh token from the host's own server (its session cookie
  // says who the user is). A token is good once, for under a minute: fetch one each time.
  async function sendAuth() {
    try {
      const res = await fetch('/token', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({record, kiosk})});
      if (!res.ok) throw new Error('token: HTTP ' + res.status);
      post('auth', {token: (await res.json()).token});
    } catch (err) {
      emit('token-failed', {error: err});
    }
  }

  addEventListener('message', (event) => {
    // Only our frame, showing the portal, is listened to.
    if (!frame || event.origin !== PORTAL || event.source !== frame.contentWindow) return;
    const msg = event.data;
    if (!msg || msg.supportal !== 1 || typeof msg.type !== 'string') return;
    // ready: the frame (re)loaded; token-request: its session ends soon, or it needs a record's details.
    if (msg.type === 'ready' || msg.type === 'token-request') sendAuth();
    // resize: the frame is as tall as its content, and never scrolls.
    if (msg.type === 'resize' && Number.isFinite(msg.height) && msg.height >= 0) frame.style.height = Math.ceil(msg.height) + 'px';
    emit(msg.type, msg);
  });

  window.Supportal = {
    mount(slot, opts = {}) {
      if (frame) return frame;
      record = opts.record || null;
      kiosk = !!opts.kiosk;
      frame = Object.assign(document.createElement('iframe'),
        {src: PORTAL + (opts.path || '/embed'), title: opts.title || 'supportal', allow: 'clipboard-write'});
      return slot.appendChild(frame);
    },
    setContext(rec) {
      record = rec || null;  // the next token carries it, with its title and fields
      post('set-context', {record});
    },
    setLocale(lang) { post('set-locale', {lang}); },
    reset() { post('reset'); },
    unmount() { if (frame) frame.remove(); frame = null; },
    get record() { return record; },
    on(type, fn) { (listeners[type] = listeners[type] || []).push(fn); },
  };
})();
