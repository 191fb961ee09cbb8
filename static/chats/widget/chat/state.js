/* The widget's state, one object: every part of the chat reads and writes it here, by name; feature
 * modules read it. What must outlive the page is stored: the chat in localStorage (it survives a reload
 * and the next visit), the visit and the visitor's name and email in sessionStorage (this browser tab). */

export var ENDED = { closed: 1, missed: 1, offline: 1 };

export function createState(loader, config) {
  return {
    chatStore: "relevo:" + loader.key,
    visitStore: "relevo-visit:" + loader.key,
    conv: readJson(localStorage, "relevo:" + loader.key),  // {id, token, lastSeq, seen, open, out, rated}
    visit: readJson(sessionStorage, "relevo-visit:" + loader.key) ||
      { key: null, pages: 0, returning: null, cart: null, identity: null },
    ws: null,                   // the chat socket
    status: "",                 // the chat's status frame: queued, active, closed, missed, offline
    position: 0,                // place in the queue
    nobodyServes: false,        // queued with no agent to serve: the offer replaces the promise
    agentName: "",
    isOpen: false,              // the panel
    unread: 0,
    lastSeq: 0,                 // highest seq seen on this page (the DOM starts empty)
    bySeq: new Map(),           // stored messages by seq
    pending: new Map(),         // local echoes by client_id, until acked
    attempt: 0, refused: 0,     // reconnections; sockets refused before they opened
    isStarting: false,          // the first message is creating the chat
    lastHeard: 0,               // when the chat socket last sent a frame
    typingSentAt: 0,
    timers: { retry: 0, pinger: 0, typing: 0 },
    isOffline: config.status === "offline",  // outside coverage: the offline form replaces the chat
    nextOpening: config.next_opening || null,
    maxBodyChars: String(config.max_body_chars),
    wantsLeads: !!config.pre_chat  // the pre-chat form comes before the first message
  };
}

function readJson(storage, key) {
  try { return JSON.parse(storage.getItem(key)) || null; } catch (e) { return null; }  // private mode
}

function writeJson(storage, key, value) {
  try { storage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: live without it */ }
}

/* The chat as stored, with the echoes not yet acked (resent after a reload). */
export function saveChat(state) {
  if (!state.conv) return;
  state.conv.out = [];
  state.pending.forEach(function (m) {
    if (m.state === "pending") state.conv.out.push({ client_id: m.client_id, body: m.body });
  });
  writeJson(localStorage, state.chatStore, state.conv);
}

export function forgetChat(state) {
  try { localStorage.removeItem(state.chatStore); } catch (e) { /* nothing stored */ }
  state.conv = null;
}

export function saveVisit(state) {
  writeJson(sessionStorage, state.visitStore, state.visit);
}

/* The visit's page count, and on its first page whether this browser came on an earlier visit. */
export function countPage(state, loader) {
  var seen = "relevo-seen:" + loader.key, visit = state.visit;
  visit.pages++;
  if (visit.returning == null) {
    try { visit.returning = !!localStorage.getItem(seen); localStorage.setItem(seen, "1"); } catch (e) {
      visit.returning = false;
    }
  }
  saveVisit(state);
}

/* The name and email the visitor gave (any form of the widget), for the browser session like the
   visit key: the next chat in this tab starts with them. */
export function remember(state, name, email) {
  var who = state.visit.contact = state.visit.contact || {};
  if (name) who.name = name;
  if (email) who.email = email;
  saveVisit(state);
}

export function remembered(state, key) {
  return (state.visit.contact || {})[key] || "";
}
