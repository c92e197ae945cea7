// page.js: the practice portal's own pages around the frame (host.js):
// the help panel and dialog, the remittances' action menus, unread
// markers, toasts, the language switch and the reception kiosk. Not part
// of the integration a host copies; it shows what a host does with it.
(() => {
  'use strict';
  const $ = (sel, el = document) => el.querySelector(sel);
  const $$ = (sel, el = document) => [...el.querySelectorAll(sel)];
  let strings = JSON.parse($('#strings').textContent);
  let unread = {total: 0, byRecord: {}};
  const panel = $('#panel');                  // <aside> beside the page, or a <dialog>
  const slot = $('[data-frame-slot]');
  const isKiosk = !!$('[data-kiosk]');
  let opener = null;                          // what gets the focus back when the panel closes

  // ---- unread markers: a dot with the count, and words for screen readers
  function showUnread() {
    $$('[data-unread]').forEach((el) => {
      const key = el.dataset.unread;
      const n = key === 'total' ? unread.total : (unread.byRecord[key] || 0);
      el.hidden = !n;
      el.replaceChildren();
      if (!n) return;
      const count = document.createElement('span');
      count.setAttribute('aria-hidden', 'true');
      count.textContent = n > 99 ? '99+' : String(n);
      const words = document.createElement('span');
      words.className = 'sr-only';
      words.textContent = n === 1 ? strings.unreadOne : strings.unread.replace('{n}', n);
      el.append(count, words);
    });
  }

  function toast(text) {
    const el = document.createElement('div');
    el.className = 'toast';
    el.textContent = text;
    $('.toasts').append(el);
    setTimeout(() => el.remove(), 6000);
  }

  // ---- the help panel (side panel, or the eligibility page's dialog)
  const same = (a, b) => (a && a.kind) === (b && b.kind) && (a && a.externalId) === (b && b.externalId);

  function openPanel(record, from) {
    opener = from;
    if (!same(record, Supportal.record)) Supportal.setContext(record);
    if (panel.tagName === 'DIALOG') {
      if (!panel.open) panel.showModal();
    } else {
      panel.classList.add('open');
    }
    $('[data-close]', panel).focus();
  }

  function closePanel() {
    if (panel.tagName === 'DIALOG') return panel.close();  // its close event gives the focus back
    panel.classList.remove('open');
    refocus();
  }

  function closeMenus(except) {
    $$('.menu-button[aria-expanded="true"]').forEach((b) => {
      if (b === except) return;
      b.setAttribute('aria-expanded', 'false');
      b.nextElementSibling.hidden = true;
    });
  }

  document.addEventListener('click', (e) => {
    const help = e.target.closest('[data-help]');
    const menuButton = e.target.closest('.menu-button');
    closeMenus(menuButton);
    if (help) {
      const rec = help.dataset.kind ? {kind: help.dataset.kind, externalId: help.dataset.id} : null;
      openPanel(rec, help.closest('.menu') ? $('.menu-button', help.closest('.menu')) : help);
    } else if (e.target.closest('[data-close]')) {
      closePanel();
    } else if (menuButton) {
      const open = menuButton.getAttribute('aria-expanded') !== 'true';
      menuButton.setAttribute('aria-expanded', String(open));
      menuButton.nextElementSibling.hidden = !open;
      if (open) $('[role=menuitem]:not([disabled])', menuButton.nextElementSibling).focus();
    } else if (e.target.closest('[data-kiosk-done]')) {
      endKioskSoon();
    }
  });

  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    const menu = $('.menu-button[aria-expanded="true"]');
    if (menu) {
      closeMenus();
      menu.focus();
    } else if (panel && panel.classList.contains('open')) {
      closePanel();
    }
  });
  if (panel && panel.tagName === 'DIALOG') panel.addEventListener('close', refocus);

  // refocus gives the focus back to what opened the panel (or its copy in another language).
  function refocus() {
    const el = opener && (opener.isConnected ? opener : document.getElementById(opener.id));
    if (el) el.focus();
  }

  // ---- the language switch: the page's texts in place (the frame stays), and the frame's
  function swap(html) {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    document.documentElement.lang = doc.documentElement.lang;
    document.title = doc.title;
    for (const id of ['top', 'nav', 'main', 'strings']) {
      const old = document.getElementById(id);
      const fresh = doc.getElementById(id);
      if (old && fresh) old.replaceWith(document.adoptNode(fresh));
    }
    $$('[data-t]').forEach((el) => { el.textContent = doc.querySelector(`[data-t="${el.dataset.t}"]`).textContent; });
    $$('[data-t-label]').forEach((el) => {
      el.setAttribute('aria-label', doc.querySelector(`[data-t-label="${el.dataset.tLabel}"]`).getAttribute('aria-label'));
    });
    strings = JSON.parse($('#strings').textContent);
    showUnread();
    if (isKiosk) showKiosk(kioskActive);
  }

  document.addEventListener('change', async (e) => {
    if (!e.target.matches('select[name=lang]')) return;
    const form = e.target.form;
    const res = await fetch('/lang', {method: 'POST', body: new URLSearchParams(new FormData(form))});
    if (!res.ok) return form.submit();
    swap(await res.text());
    if (isKiosk && !kioskActive) kioskLang = e.target.value;
    Supportal.setLocale(e.target.value);
    $('select[name=lang]').focus();
  });

  // ---- the reception kiosk: pick who you are, the portal full screen, back when it ends
  let kioskActive = false;
  let ending = null;
  // The kiosk's own language: the one its start screen spoke before anybody
  // picked (the language picked on the terminal, else the browser's), or
  // the one picked on the start screen since. A person's session speaks
  // their language; when it ends, the start screen goes back to this one
  // (and keeps it as the terminal's language, as if picked).
  let kioskLang = document.documentElement.lang;

  function showKiosk(active, message) {
    kioskActive = active;
    document.body.classList.toggle('kiosk-active', active);
    $('[data-kiosk-start]').hidden = active;
    slot.hidden = !active;
    $('[data-kiosk-done]').hidden = !active;
    const ended = $('[data-ended]');
    if (message !== undefined) ended.textContent = message;
    ended.hidden = active || !ended.textContent;
  }

  async function endKiosk(reason) {
    clearTimeout(ending);
    ending = null;
    Supportal.unmount();
    window.scrollTo(0, 0);
    // The start screen in the kiosk's language again (not the last person's).
    if (document.documentElement.lang !== kioskLang) {
      const form = new URLSearchParams({lang: kioskLang, next: '/kiosk'});
      try {
        const res = await fetch('/lang', {method: 'POST', body: form});
        if (res.ok) swap(await res.text());
      } catch (err) { /* the start screen stays in the last language */ }
    }
    const why = reason && reason !== 'logout' ? reason : '';
    showKiosk(false, why ? (strings['ended_' + why] || '') : '');
    $('.person') && $('.person').focus();
  }

  // Done: the frame ends its session (reset), then says so (session-ended).
  function endKioskSoon() {
    Supportal.reset();
    ending = setTimeout(endKiosk, 1500);
  }

  document.addEventListener('submit', async (e) => {
    if (!isKiosk || e.target.getAttribute('action') !== '/pick') return;
    e.preventDefault();
    const res = await fetch('/pick', {method: 'POST', body: new URLSearchParams(new FormData(e.target))});
    if (!res.ok) return;
    swap(await res.text());  // the kiosk in the person's language
    Supportal.mount(slot, {kiosk: true, title: strings.help});
    showKiosk(true, '');
    window.scrollTo(0, 0);
  });

  // ---- what the frame says
  Supportal.on('unread', (msg) => {
    unread = {total: msg.total || 0, byRecord: msg.byRecord || {}};
    showUnread();
  });
  Supportal.on('ticket-created', (msg) => toast(strings.ticketCreated.replace('{n}', msg.number)));
  Supportal.on('token-failed', () => toast(strings.tokenFailed));
  // The kiosk's page scrolls, not its frame: another page of the portal starts at the top.
  Supportal.on('navigated', () => { if (isKiosk) window.scrollTo(0, 0); });
  // Escape in the frame (its keys never reach this page) closes the panel.
  Supportal.on('escape', () => { if (panel && !isKiosk && (panel.open || panel.classList.contains('open'))) closePanel(); });
  Supportal.on('session-ended', (msg) => {
    if (isKiosk) endKiosk(msg.reason);
    else if (strings['ended_' + msg.reason]) toast(strings['ended_' + msg.reason]);
  });

  // The panel's frame loads with the page (hidden until Get Help), so
  // that the Get Help buttons show their unread messages.
  if (slot && !isKiosk) {
    const main = $('#main');
    const record = main.dataset.kind ? {kind: main.dataset.kind, externalId: main.dataset.id} : null;
    Supportal.mount(slot, {record, title: $('#panel-title').textContent});
  }
})();
