/* Relevo visitor chat widget, live visits (docs/protocol.md, "Live visits"): an ES module the chat (chat.js)
 * imports when the client tracks visitors, when a chat exists or opens, or when the site calls its JS API
 * (Relevo.setCart, Relevo.identify, Relevo.trackConversion; calls made before wait in Relevo.q, README's
 * stub). One light socket per page, /ws/visit/<key>/; the visit key lives in sessionStorage; nothing is
 * sent before a chat is opened unless the client tracks visitors. `w` is the chat (chat.js). */
import { saveVisit } from "./chat/state.js";
var SERVER_RESTARTING = 4012;  // close code: this server drains, reconnect now (docs/protocol.md)

export function install(w) {
  var state = w.state, visit = state.visit;
  var ws = null, isWanted = false, tries = 0, pinger = 0, conversions = [];

  function installApi() {
    var queued = window.Relevo, api = {
      setCart: function (cart) { visit.cart = cart || null; saveVisit(state); send(cartFrame()); },
      identify: function (who) { visit.identity = who || null; saveVisit(state); send(identityFrame()); },
      trackConversion: function (sale) {
        var frame = { type: "conversion", value: (sale || {}).value, currency: (sale || {}).currency || "" };
        if (!send(frame)) conversions.push(frame);
      },
      push: function (call) { if (call && api[call[0]]) api[call[0]](call[1]); }
    };
    window.Relevo = api;
    if (queued && queued.q) queued.q.splice(0).forEach(api.push);  // the loader's queue (README's stub)
  }

  function cartFrame() {
    var cart = visit.cart;
    return cart && { type: "cart", value: cart.value, currency: cart.currency || "", items: cart.items || 0 };
  }

  function identityFrame() {
    var who = visit.identity;
    return who && { type: "identify", name: who.name || "", email: who.email || "" };
  }

  function want() {
    if (isWanted) return;
    isWanted = true;
    connect();
  }

  function connect() {
    var socket = ws = new WebSocket(w.loader.base.replace(/^http/, "ws") + "/ws/visit/" + encodeURIComponent(w.loader.key) + "/");
    socket.onopen = function () {
      tries = 0;
      socket.send(JSON.stringify({ type: "hello", visit: visit.key, url: location.href, title: document.title,
        referrer: document.referrer, language: w.language, returning: !!visit.returning,
        pages_seen: Math.max(visit.pages, 1) }));
      pinger = setInterval(function () { send({ type: "ping" }); }, w.PING_EVERY);
    };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      w.dispatch("visit", frame);
    };
    socket.onclose = function (event) {
      clearInterval(pinger);
      if (ws !== socket) return;
      ws = null;
      if (event.code === SERVER_RESTARTING) { setTimeout(connect, Math.random() * 1000); return; }  // drains: no backoff
      if (++tries <= 8) setTimeout(connect, Math.min(w.BACKOFF_MAX, 1000 * Math.pow(2, tries)));
    };
  }

  function send(frame) {
    if (!frame || !ws || ws.readyState !== 1 || !visit.key) return false;
    ws.send(JSON.stringify(frame));
    return true;
  }

  /* The visit is known: what the site told before goes out, and the chat if there is one. */
  function visitKnown(frame) {
    visit.key = frame.visit;
    saveVisit(state);
    [cartFrame(), identityFrame()].concat(conversions.splice(0)).forEach(send);
    chat();
  }

  /* Whenever the chat socket (re)connects: the visit shows as chatting, later sales count for the chat. */
  function chat() {
    if (state.conv) send({ type: "chat", conversation: state.conv.id, token: state.conv.token });
    else want();
  }

  installApi();
  w.on("visit", "visit", visitKnown);
  return { want: want, send: send, chat: chat };
}
