/* Relevo visitor chat widget, the chat itself: an ES module the loader (../widget.js) imports and starts
 * with the widget's config, once it has drawn the launcher. Speaks docs/protocol.md.
 * The chat is one object, `w`: the loader's hooks, the config, the state (chat/state.js), the DOM (`ui`)
 * and the functions each part adds to it: the router (chat/router.js), the panel (chat/view.js), the
 * messages (chat/messages.js), the socket (chat/socket.js) and the composer (chat/composer.js). Feature
 * modules (calls, invitations, leads, offline, quality, visits) get the same object when they load. */
import { ENDED, createState, saveChat, forgetChat, countPage, remember, remembered } from "./chat/state.js";
import { installRouter } from "./chat/router.js";
import { installView, h, fill, zoned } from "./chat/view.js";
import { installMessages } from "./chat/messages.js";
import { installSocket } from "./chat/socket.js";
import { installComposer } from "./chat/composer.js";

export function start(loader, config) {
  var state = createState(loader, config);
  var w = {
    loader: loader, config: config, api: loader.api, ui: loader.ui, addCss: loader.addCss, h: h, fill: fill,
    S: config.strings, Q: config.quality || { rating_scale: "five", strings: {} }, clientName: config.client.name,
    language: config.language, ENDED: ENDED, state: state,
    zoned: function (at) { return zoned(at, config.language); },
    save: function () { saveChat(state); },
    remember: function (name, email) { remember(state, name, email); },
    remembered: function (key) { return remembered(state, key); }
  };
  installRouter(w);
  installView(w);
  installMessages(w);
  installSocket(w);
  installComposer(w);
  Object.assign(w, { goOffline: goOffline, newChat: newChat });
  routeFrames(w);

  /* Outside coverage (the config's status, a status frame, or a chat refused as it started): the offline
     form, a feature module, replaces the chat; `draft` is what the visitor had written. */
  function goOffline(opening, draft) {
    state.isOffline = true;
    state.nextOpening = opening || null;
    w.setStatusLine();
    w.feature("offline", function (f) { f.go(draft); });
  }

  function newChat() {
    w.park();
    forgetChat(state);
    w.clearMessages();
    state.lastSeq = state.attempt = state.refused = state.position = 0;
    state.nobodyServes = false;
    state.status = state.agentName = "";
    w.loaded("leads", function (f) { f.reset(); });
    w.loaded("quality", function (f) { f.reset(); });
    w.loaded("calls", function (f) { f.reset(); });
    w.sendError("");
    w.hideTyping();
    w.setStatusLine();
    w.ui.input.focus();
  }

  whenBody(function () { init(w); });
}

function whenBody(then) {
  if (document.body) then();
  else document.addEventListener("DOMContentLoaded", then);
}

/* The chat's own frames; each feature registers its own as it loads. */
function routeFrames(w) {
  var state = w.state;
  w.on("chat", "message", w.receive);
  w.on("chat", "ack", function (frame) { w.confirm(frame.client_id, frame.seq, null, frame.body); });
  w.on("chat", "error", w.rejected);
  w.on("chat", "redacted", w.redact);
  w.on("chat", "status", function (frame) { onStatus(w, frame); });
  w.on("chat", "typing", function (frame) { if (frame.sender === "agent") w.showTyping(); });
  w.on("chat", "pong", function () { if (ENDED[state.status]) w.park(); });
  w.on("visit", "chat", function (frame) { chatOffered(w, frame); });
}

function onStatus(w, frame) {
  var state = w.state;
  state.status = frame.status;
  state.nobodyServes = state.status === "queued" && frame.leave_message_offered && frame.estimated_wait_seconds == null;
  state.position = frame.queue_position;
  if (frame.agent) state.agentName = frame.agent.name;
  if (state.status === "offline") w.goOffline(frame.next_opening, "");
  if (ENDED[state.status]) { w.hideTyping(); w.transmit({ type: "ping" }); }  // its pong ends the socket, after the history
  w.setStatusLine();
}

/* An invitation accepted (on the visit socket): the chat it started opens here. */
function chatOffered(w, frame) {
  var state = w.state;
  state.conv = { id: frame.conversation, token: frame.token, lastSeq: 0, seen: 0, open: true };
  state.status = frame.status;
  state.position = frame.queue_position;
  if (frame.agent) state.agentName = frame.agent.name;
  w.save();
  w.setStatusLine();
  w.connect();
  w.setOpen(true, true);
}

function init(w) {
  var state = w.state, ui = w.ui, loader = w.loader;
  w.buildPanel();
  ui.name.value = w.remembered("name");
  if (state.wantsLeads) w.feature("leads");
  if (state.isOffline) w.feature("offline");
  window.addEventListener("online", function () { if (state.conv && !state.ws && !ENDED[state.status]) w.connect(); });
  if (!state.conv || !state.conv.id || !state.conv.token) state.conv = null;
  w.setStatusLine();
  loader.launch = function () { w.setOpen(true, true); };
  loader.apiCalled = function () { w.feature("visits"); };
  countPage(state, loader);
  if (state.conv) resume(w);
  else if (loader.wantsOpen) w.setOpen(true, true);
  if (w.config.tracks_visitors || state.conv) w.feature("visits", function (v) { v.want(); });
  else if (window.Relevo && window.Relevo.q && window.Relevo.q.length) w.feature("visits");
}

/* A chat stored by an earlier page: its unsent messages again, the panel as it was, the socket. */
function resume(w) {
  var state = w.state;
  (state.conv.out || []).forEach(function (out) { w.echo(out.client_id, out.body); });
  w.setOpen(!!state.conv.open || w.loader.wantsOpen, w.loader.wantsOpen);
  w.connect();
}
