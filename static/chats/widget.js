/* Relevo visitor chat widget: one file, no dependencies, no build step.
 * Embedded with <script src="https://relevo.host/static/chats/widget.js" data-widget-key="KEY" async></script>
 * Speaks docs/protocol.md. Every text goes in with textContent: message bodies may hold HTML. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-widget-key]");
  if (!script || window.RelevoWidget) return;
  window.RelevoWidget = true;

  var KEY = script.getAttribute("data-widget-key");
  var BASE = script.src.replace(/\/static\/.*$/, "");
  var API = BASE + "/api/widget/" + encodeURIComponent(KEY) + "/";
  var STORE = "relevo:" + KEY;
  var PING_EVERY = 25000, TYPING_EVERY = 2000, TYPING_SHOWN = 4000, BACKOFF_MAX = 30000, REFUSALS = 3;
  var ENDED = { closed: 1, missed: 1, offline: 1 };
  var ICONS = {
    chat: "M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2z",
    down: "M16.6 8.6 12 13.2 7.4 8.6 6 10l6 6 6-6z",
    send: "M2 21 23 12 2 3v7l15 2-15 2z"
  };
  // !important on :host: the page's own rules (even `div{…!important}`) must not reach the host.
  var CSS = ":host{all:initial!important;position:fixed!important;right:20px!important;bottom:20px!important;" +
    "z-index:2147483000!important;display:block!important}:host>*{" +
    "font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2433}" +
    "*{box-sizing:border-box;font:inherit}[hidden]{display:none!important}" +
    "button{cursor:pointer;border:0;background:none;color:inherit;padding:0}" +
    ":focus-visible{outline:2px solid #2453c2;outline-offset:2px}svg{width:20px;height:20px;fill:currentColor}" +
    ".launcher{position:relative;display:flex;align-items:center;gap:8px;padding:12px 20px;border-radius:99px;" +
    "background:#2453c2;color:#fff;font-weight:600;box-shadow:0 6px 20px rgba(16,24,48,.25)}" +
    ".badge{position:absolute;top:-6px;right:-4px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;" +
    "background:#d92d20;color:#fff;font-size:12px;line-height:20px;text-align:center}" +
    ".panel{width:370px;height:560px;max-height:calc(100vh - 40px);display:flex;flex-direction:column;" +
    "background:#fff;border-radius:14px;overflow:hidden;box-shadow:0 12px 40px rgba(16,24,48,.28)}" +
    "header{display:flex;align-items:center;gap:12px;padding:14px 12px 14px 18px;background:#2453c2;color:#fff}" +
    "header div{flex:1;min-width:0}header strong{display:block;font-size:16px;font-weight:600}" +
    "header small{font-size:12px;opacity:.85}header button{padding:6px;border-radius:8px;display:flex}" +
    "header button:hover{background:rgba(255,255,255,.16)}" +
    ".scroll{flex:1;overflow-y:auto;padding:16px;background:#f6f7f9}" +
    ".intro{padding:16px;border-radius:12px;background:#fff;border:1px solid #e4e7ec}.intro p{margin:0 0 12px}" +
    "input,textarea{width:100%;border:1px solid #cfd4dc;border-radius:10px;padding:9px 12px;background:#fff;color:inherit}" +
    ".m{margin:0 0 10px;max-width:82%}.v{margin-left:auto;text-align:right}" +
    ".who{font-size:12px;color:#667085;margin:0 4px 2px}.v+.v .who,.a+.a .who{display:none}" +
    ".body{display:inline-block;text-align:left;padding:8px 12px;border-radius:16px;white-space:pre-wrap;" +
    "overflow-wrap:anywhere;background:#fff;border:1px solid #e4e7ec}" +
    ".v .body{background:#2453c2;border-color:#2453c2;color:#fff;border-bottom-right-radius:4px}" +
    ".a .body{border-bottom-left-radius:4px}" +
    ".meta{font-size:11px;color:#98a2b3;margin:2px 4px 0}.meta button{color:#2453c2;text-decoration:underline;margin-left:6px}" +
    "[data-state=pending] .body{opacity:.65}" +
    "[data-state=failed] .body{background:#fef3f2;border-color:#fda29b;color:#b42318}[data-state=failed] .meta{color:#b42318}" +
    ".s{max-width:none;text-align:center;color:#667085;font-size:12px}" +
    ".s .body{background:none;border:0;padding:0 8px;text-align:center}.s .who,.s .meta{display:none}" +
    ".typing{padding:4px 18px;font-size:12px;font-style:italic;color:#667085;background:#f6f7f9}" +
    ".status{display:flex;flex-wrap:wrap;align-items:center;justify-content:center;gap:8px;padding:8px 16px;" +
    "font-size:12.5px;color:#475467;text-align:center;border-top:1px solid #eaecf0}" +
    ".status button{padding:7px 14px;border-radius:99px;background:#2453c2;color:#fff;font-weight:600}" +
    ".composer{display:flex;gap:8px;align-items:flex-end;padding:10px 12px;border-top:1px solid #eaecf0}" +
    ".composer textarea{resize:none;height:40px;max-height:120px}" +
    ".composer button{flex:none;width:40px;height:40px;border-radius:50%;background:#2453c2;color:#fff;display:grid;place-items:center}" +
    ".offline{padding:16px;border-radius:12px;background:#fff;border:1px solid #e4e7ec;margin-top:4px}" +
    ".offline-notice{display:flex;gap:10px;align-items:flex-start;margin:0 0 6px;font-weight:600}" +
    ".offline-notice::before{content:'';flex:none;width:9px;height:9px;margin-top:6px;border-radius:50%;background:#98a2b3}" +
    ".offline-intro{margin:0 0 14px;color:#475467}" +
    ".offline label{display:block;margin:0 0 10px;font-size:12.5px;font-weight:600;color:#344054}" +
    ".offline label input,.offline label textarea{display:block;margin-top:4px;font-weight:400;font-size:14px}" +
    ".offline textarea{resize:vertical;min-height:96px;max-height:240px}" +
    ".offline .consent{display:flex;gap:8px;align-items:flex-start;font-weight:400;color:#475467;line-height:1.4}" +
    ".offline .consent input{width:auto;flex:none;margin:2px 0 0}" +
    ".offline-error{margin:0 0 10px;padding:8px 10px;border-radius:8px;background:#fef3f2;color:#b42318;font-size:13px}" +
    ".offline-submit{width:100%;padding:10px 14px;border-radius:10px;background:#2453c2;color:#fff;font-weight:600}" +
    ".offline-submit:disabled{opacity:.6;cursor:default}" +
    ".offline-thanks{margin:0;padding:10px 12px;border-radius:8px;background:#ecfdf3;color:#05603a}" +
    "@media (max-width:480px){:host{right:12px!important;bottom:12px!important}.panel{position:fixed;inset:0;width:auto;height:auto;" +
    "max-height:none;border-radius:0}}";

  var S, clientName, language, maxBodyChars;       // from the config endpoint
  var isOffline = false, nextOpening = null;       // outside coverage: the offline form replaces the chat
  var conv = load();                               // {id, token, lastSeq, seen, open, out} while a chat exists
  var bySeq = new Map(), pending = new Map();      // stored messages; local echoes by client_id
  var lastSeq = 0;                                 // highest seq seen on this page (the DOM starts empty)
  var ws = null, attempt = 0, refused = 0, retryTimer = 0, pinger = 0, lastHeard = 0;
  var status = "", position = 0, agentName = "", isOpen = false, starting = false, unread = 0;
  var typingSentAt = 0, typingTimer = 0;
  var ui = {};

  function load() {
    try { return JSON.parse(localStorage.getItem(STORE)) || null; } catch (e) { return null; }
  }

  function save() {
    if (!conv) return;
    conv.out = [];
    pending.forEach(function (p) { if (p.state === "pending") conv.out.push({ client_id: p.client_id, body: p.body }); });
    try { localStorage.setItem(STORE, JSON.stringify(conv)); } catch (e) { /* private mode: live without it */ }
  }

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (all, key) { return key in values ? values[key] : all; });
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();  // only in secure contexts
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }

  function h(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      var value = props[key];
      if (key === "text") node.textContent = value;
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  function icon(name) {
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg"), path = document.createElementNS(ns, "path");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    path.setAttribute("d", ICONS[name]);
    svg.appendChild(path);
    return svg;
  }

  function build() {
    var host = h("relevo-chat", { id: "relevo-widget" });
    var root = host.attachShadow({ mode: "open" });
    ui.launcher = h("button", { type: "button", class: "launcher", "data-testid": "launcher", "aria-expanded": "false",
      onclick: function () { setOpen(true, true); } }, [
      icon("chat"), h("span", { text: S.launcher }), ui.badge = h("span", { class: "badge", hidden: "" })
    ]);
    ui.panel = h("section", { class: "panel", "data-testid": "panel", "aria-label": clientName, hidden: "",
      onkeydown: function (e) { if (e.key === "Escape") setOpen(false, true); } }, [
      h("header", {}, [
        h("div", {}, [h("strong", { text: clientName }), h("small", { text: S.title })]),
        h("button", { type: "button", "aria-label": S.close, title: S.close,
          onclick: function () { setOpen(false, true); } }, [icon("down")])
      ]),
      ui.scroll = h("div", { class: "scroll", tabindex: "0" }, [
        ui.intro = h("div", { class: "intro" }, [
          h("p", { text: S.intro }),
          ui.name = h("input", { placeholder: S.name_placeholder, "aria-label": S.name_placeholder, maxlength: "120",
            autocomplete: "name" })
        ]),
        ui.list = h("div", { "data-testid": "messages", role: "log", "aria-live": "polite" }),
        buildQuality(),
        buildOffline()
      ]),
      ui.typing = h("div", { class: "typing", "data-testid": "typing", "aria-hidden": "true", hidden: "" }),
      ui.status = h("div", { class: "status", "data-testid": "status", role: "status" }, [
        ui.statusText = h("span"),
        ui.newChat = h("button", { type: "button", "data-testid": "new-chat", text: S.new_chat, hidden: "", onclick: newChat })
      ]),
      ui.form = h("form", { class: "composer", onsubmit: function (e) { e.preventDefault(); send(); } }, [
        ui.input = h("textarea", { "data-testid": "input", rows: "1", maxlength: maxBodyChars, placeholder: S.placeholder,
          "aria-label": S.placeholder, oninput: onInput, onkeydown: onKey }),
        h("button", { type: "submit", "data-testid": "send", "aria-label": S.send, title: S.send }, [icon("send")])
      ])
    ]);
    if (root.adoptedStyleSheets && CSSStyleSheet.prototype.replaceSync) {  // not blocked by a page's style-src CSP
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.appendChild(h("style", { text: CSS }));
    }
    root.appendChild(ui.launcher);
    root.appendChild(ui.panel);
    document.body.appendChild(host);
  }

  /* Outside coverage: a notice with the next opening and a form that leaves a message. */
  function buildOffline() {
    function field(label, control) {
      return h("label", {}, [document.createTextNode(label), control]);
    }
    ui.offline = h("div", { class: "offline", "data-testid": "offline", hidden: "" }, [
      ui.offlineNotice = h("p", { class: "offline-notice", "data-testid": "offline-notice", role: "status" }),
      ui.offlineForm = h("form", { "data-testid": "offline-form", onsubmit: function (e) { e.preventDefault(); leaveMessage(); } }, [
        h("p", { class: "offline-intro", text: S.offline_intro }),
        field(S.offline_name, ui.offlineName = h("input", { "data-testid": "offline-name", name: "name", maxlength: "120",
          autocomplete: "name" })),
        field(S.offline_email, ui.offlineEmail = h("input", { "data-testid": "offline-email", name: "email", type: "email",
          required: "", maxlength: "254", autocomplete: "email" })),
        field(S.offline_message, ui.offlineMessage = h("textarea", { "data-testid": "offline-message", name: "message",
          required: "", maxlength: maxBodyChars, rows: "4" })),
        h("label", { class: "consent" }, [
          ui.offlineConsent = h("input", { type: "checkbox", "data-testid": "offline-consent", name: "consent", required: "" }),
          h("span", { text: S.offline_consent })
        ]),
        ui.offlineError = h("p", { class: "offline-error", "data-testid": "offline-error", role: "alert", hidden: "" }),
        ui.offlineSubmit = h("button", { type: "submit", class: "offline-submit", "data-testid": "offline-submit",
          text: S.offline_submit })
      ]),
      ui.offlineThanks = h("p", { class: "offline-thanks", "data-testid": "offline-thanks", role: "status", hidden: "",
        text: S.offline_thanks })
    ]);
    return ui.offline;
  }

  function offlineNotice() {
    if (!nextOpening) return S.offline;
    var format = new Intl.DateTimeFormat(language, { weekday: "long", day: "numeric", month: "long",
      hour: "numeric", minute: "2-digit" });
    return fill(S.offline_until, { time: format.format(new Date(nextOpening)) });
  }

  function goOffline(opening, draft) {
    isOffline = true;
    nextOpening = opening || null;
    ui.offlineNotice.textContent = offlineNotice();
    if (draft && !ui.offlineMessage.value) ui.offlineMessage.value = draft;
    if (!ui.offlineName.value) ui.offlineName.value = ui.name.value.trim();
    setStatusLine();
    scrollToOffline();
  }

  function scrollToOffline() {
    var top = ui.offline.getBoundingClientRect().top - ui.scroll.getBoundingClientRect().top;
    ui.scroll.scrollTop += top - 16;
  }

  function leaveMessage() {
    ui.offlineError.hidden = true;
    ui.offlineSubmit.disabled = true;
    ui.offlineSubmit.textContent = S.offline_sending;
    fetch(API + "offline-messages/", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: ui.offlineName.value.trim(), email: ui.offlineEmail.value.trim(),
        message: ui.offlineMessage.value, consent: ui.offlineConsent.checked })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.status !== 201) throw data;
        ui.offlineForm.hidden = true;
        ui.offlineThanks.hidden = false;
      });
    }).catch(function (error) {
      ui.offlineError.textContent = (error && error.detail) || S.error;
      ui.offlineError.hidden = false;
    }).then(function () {
      ui.offlineSubmit.disabled = false;
      ui.offlineSubmit.textContent = S.offline_submit;
    });
  }

  function setOpen(open, byUser) {
    isOpen = open;
    ui.panel.hidden = !open;
    ui.launcher.hidden = open;
    ui.launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      unread = 0;
      showUnread();
      markSeen();
      if (ui.offline.hidden) ui.scroll.scrollTop = ui.scroll.scrollHeight;
      else scrollToOffline();
      if (byUser) (ui.offline.hidden ? ui.input : ui.offlineName).focus({ preventScroll: true });
    } else if (byUser) {
      ui.launcher.focus();
    }
    if (conv) { conv.open = open; save(); }
  }

  function showUnread() {
    ui.badge.textContent = unread;
    ui.badge.hidden = !unread;
  }

  function markSeen() {
    if (conv && isOpen && lastSeq > (conv.seen || 0)) { conv.seen = lastSeq; save(); }
  }

  function render(m) {
    if (!m.node) {
      m.node = h("div", { class: "m " + m.sender.charAt(0), "data-testid": "message" }, [
        h("div", { class: "who", text: m.sender === "visitor" ? S.you : m.sender === "agent" ? m.author || S.agent : "" }),
        m.text = h("div", { class: "body", text: m.body }),
        m.meta = h("div", { class: "meta" })
      ]);
    }
    m.node.setAttribute("data-state", m.state);
    if (m.seq) m.node.setAttribute("data-seq", m.seq);
    m.meta.textContent = m.state === "pending" ? S.pending : m.state === "failed" ? S.failed + ": " + m.detail : clock(m.at);
    if (m.state === "failed") {
      m.meta.appendChild(h("button", { type: "button", text: S.retry, onclick: function () { retry(m); } }));
    }
    place(m);
  }

  function clock(at) {
    var moment = at ? new Date(at) : new Date();
    return moment.toLocaleTimeString(language, { hour: "numeric", minute: "2-digit" });
  }

  /* Keep the list ordered by seq with pending echoes last; walk back from the end,
     where nearly every message lands, and touch the DOM only when out of place. */
  function place(m) {
    var list = ui.list, scroller = ui.scroll, next = null, node = list.lastChild;
    var atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 60;
    if (m.seq) {
      while (node && (node === m.node || !node.dataset.seq || +node.dataset.seq > m.seq)) {
        if (node !== m.node) next = node;
        node = node.previousSibling;
      }
    } else if (m.node.parentNode === list) {
      return;
    }
    if (m.node.parentNode !== list || m.node.nextSibling !== next) list.insertBefore(m.node, next);
    if (atBottom || m.sender === "visitor") scroller.scrollTop = scroller.scrollHeight;
  }

  function setStatusLine() {
    var offline = status === "offline" || (!conv && isOffline), ended = ENDED[status] || offline, text = "";
    if (offline) text = "";
    else if (ended) text = S[status];
    else if (refused >= REFUSALS) text = S.unavailable;
    else if (attempt) text = S.reconnecting;
    else if (status === "queued") text = fill(S.queued, { position: position });
    else if (status === "active") text = fill(S.active, { name: agentName || S.agent });
    ui.statusText.textContent = text;
    ui.newChat.hidden = offline || !(ended || refused >= REFUSALS);
    ui.status.hidden = !text;
    ui.form.hidden = !!ended;
    ui.intro.hidden = !!conv || offline;
    ui.offline.hidden = !offline;
    showQuality(ended && !offline);
  }

  /* Frames from the server (docs/protocol.md, "Server → client frames"). */
  function onFrame(frame) {
    lastHeard = Date.now();
    if (onQualityFrame(frame)) return;
    if (frame.type === "message") receive(frame);
    else if (frame.type === "ack") confirm(frame.client_id, frame.seq, null, frame.body);
    else if (frame.type === "error") rejected(pending.get(frame.client_id), frame);
    else if (frame.type === "redacted") redact(frame);
    else if (frame.type === "status") onStatus(frame);
    else if (frame.type === "typing" && frame.sender === "agent") showTyping();
    else if (frame.type === "pong" && ENDED[status]) park();
  }

  function receive(frame) {
    if (bySeq.has(frame.seq) || confirm(frame.client_id, frame.seq, frame.at, frame.body)) return;
    var m = { seq: frame.seq, sender: frame.sender, author: frame.author, body: frame.body, at: frame.at, state: "sent" };
    bySeq.set(m.seq, m);
    render(m);
    seen(m.seq);
    if (m.sender === "agent") {
      hideTyping();
      if (!isOpen && m.seq > (conv.seen || 0)) { unread++; showUnread(); }
    }
  }

  /* A local echo is committed as `seq` (by its ack, or by its message frame after a reload);
     `body` is the text as stored when the server changed it (a masked card number). */
  function confirm(clientId, seq, at, body) {
    var m = pending.get(clientId);
    if (!m) return false;
    pending.delete(clientId);
    if (bySeq.has(seq)) {
      m.node.remove();
    } else {
      m.seq = seq;
      m.state = "sent";
      m.at = at || m.at;
      if (body != null) m.text.textContent = m.body = body;
      bySeq.set(seq, m);
      render(m);
    }
    seen(seq);
    return true;
  }

  /* A message already shown was masked afterwards (a card number split over messages). */
  function redact(frame) {
    var m = bySeq.get(frame.seq);
    if (m && typeof frame.body === "string") m.text.textContent = m.body = frame.body;
  }

  function seen(seq) {
    if (seq <= lastSeq) return;
    lastSeq = seq;
    if (conv) conv.lastSeq = Math.max(conv.lastSeq || 0, seq);
    markSeen();
    save();
  }

  function rejected(m, frame) {
    if (m && frame.code === "rate_limited" && frame.retry_after) {
      setTimeout(function () { if (m.state === "pending") transmitMessage(m); }, frame.retry_after * 1000);
    } else {
      fail(m, frame.detail);
    }
  }

  function fail(m, detail) {
    if (!m) return;
    m.state = "failed";
    m.detail = detail || S.error;
    render(m);
    save();
  }

  function onStatus(frame) {
    status = frame.status;
    position = frame.queue_position;
    if (frame.agent) agentName = frame.agent.name;
    if (status === "offline") goOffline(frame.next_opening, "");
    if (ENDED[status]) { hideTyping(); transmit({ type: "ping" }); }  // its pong ends the socket, after the history
    setStatusLine();
  }

  function showTyping() {
    ui.typing.textContent = fill(S.typing, { name: agentName || S.agent });
    ui.typing.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, TYPING_SHOWN);
  }

  function hideTyping() {
    ui.typing.hidden = true;
  }

  /* The socket: resume on open, resend unacked echoes, back off when it drops. */
  function connect() {
    clearTimeout(retryTimer);
    var opened = false;
    // The token travels in a subprotocol header, never in the URL (servers and proxies log URLs).
    var url = BASE.replace(/^http/, "ws") + "/ws/chat/" + conv.id + "/";
    var socket = ws = new WebSocket(url, ["relevo.v1", "relevo-token." + conv.token]);
    socket.onopen = function () {
      opened = true;
      attempt = refused = 0;
      lastHeard = Date.now();
      transmit({ type: "resume", after: lastSeq });
      pending.forEach(function (m) { if (m.state === "pending") transmitMessage(m); });
      flushQuality();
      pinger = setInterval(heartbeat, PING_EVERY);
      setStatusLine();
    };
    socket.onmessage = function (event) {
      var frame;
      if (ws !== socket) return;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      onFrame(frame);
    };
    socket.onclose = function () {
      if (ws !== socket) return;
      if (!opened) refused++;
      reconnectLater();
    };
  }

  function reconnectLater() {
    ws = null;
    clearInterval(pinger);
    var delay = Math.min(BACKOFF_MAX, 1000 * Math.pow(2, attempt)) * (0.8 + Math.random() * 0.4);
    attempt++;
    retryTimer = setTimeout(connect, delay);
    setStatusLine();
  }

  function heartbeat() {
    if (Date.now() - lastHeard > 2.5 * PING_EVERY) {  // a silently dead connection: do not wait for its close
      var socket = ws;
      reconnectLater();
      socket.close();
    } else {
      transmit({ type: "ping" });
    }
  }

  /* An ended chat needs no socket once its history is in. */
  function park() {
    var socket = ws;
    ws = null;
    clearInterval(pinger);
    if (socket) socket.close();
  }

  function transmit(frame) {
    if (ws && ws.readyState === 1) ws.send(JSON.stringify(frame));
  }

  function transmitMessage(m) {
    transmit({ type: "message", client_id: m.client_id, body: m.body });
  }

  /* The composer. */
  function send() {
    var body = ui.input.value;
    if (!body.trim()) return;
    ui.input.value = "";
    grow();
    var m = { client_id: uuid(), sender: "visitor", body: body, state: "pending" };
    pending.set(m.client_id, m);
    render(m);
    save();
    if (conv) transmitMessage(m); else start();
  }

  function retry(m) {
    m.state = "pending";
    render(m);
    save();
    if (conv) transmitMessage(m); else start();
  }

  function start() {
    if (starting) return;
    starting = true;
    fetch(API + "conversations/", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: ui.name.value.trim(), page_url: location.href })
    }).then(function (response) {
      return response.json().then(function (data) {
        if (response.ok && data.status === "offline") return startedOffline(data);
        if (!response.ok || !data.id) throw data;
        conv = { id: data.id, token: data.token, lastSeq: 0, seen: 0, open: isOpen };
        status = data.status;
        position = data.queue_position;
        save();
        setStatusLine();
        connect();
      });
    }).catch(function (error) {
      pending.forEach(function (m) { fail(m, error && error.detail); });
    }).then(function () { starting = false; });
  }

  /* Coverage closed before the first message went out: it becomes the offline message's draft. */
  function startedOffline(data) {
    var drafts = [];
    pending.forEach(function (m) { drafts.push(m.body); m.node.remove(); });
    pending.clear();
    goOffline(data.next_opening, drafts.join("\n"));
  }

  function onKey(e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
  }

  function onInput() {
    grow();
    var now = Date.now();
    if (ui.input.value.trim() && now - typingSentAt > TYPING_EVERY && ws) {
      typingSentAt = now;
      transmit({ type: "typing" });
    }
  }

  function grow() {
    ui.input.style.height = "";
    ui.input.style.height = Math.min(ui.input.scrollHeight + 2, 120) + "px";
  }

  function newChat() {
    park();
    clearTimeout(retryTimer);
    try { localStorage.removeItem(STORE); } catch (e) { /* nothing stored */ }
    conv = null;
    bySeq.clear();
    pending.clear();
    ui.list.textContent = "";
    lastSeq = attempt = refused = position = 0;
    status = agentName = "";
    hideTyping();
    setStatusLine();
    ui.input.focus();
  }

  function init() {
    if (!document.body) return document.addEventListener("DOMContentLoaded", init);
    build();
    ui.offlineNotice.textContent = offlineNotice();
    window.addEventListener("online", function () { if (conv && !ws && !ENDED[status]) connect(); });
    if (!conv || !conv.id || !conv.token) conv = null;
    setStatusLine();
    if (!conv) return;
    (conv.out || []).forEach(function (out) {
      var m = { client_id: out.client_id, sender: "visitor", body: out.body, state: "pending" };
      pending.set(m.client_id, m);
      render(m);
    });
    setOpen(!!conv.open, false);
    connect();
  }

  /* Ratings and transcripts (issue 13): when a chat an agent took has ended, ask once for a rating
   * (the client's scale) and an optional comment, and offer the transcript by email. Both go as
   * frames on the visitor socket; an ended chat's parked socket is reopened to send them. */
  CSS += ".quality{padding:14px 16px;border-radius:12px;background:#fff;border:1px solid #e4e7ec;margin:8px 0 0}" +
    ".quality p{margin:0 0 8px;font-weight:600}.quality form{margin:0 0 12px}.quality form:last-child{margin:0}" +
    ".scores{display:flex;gap:6px;margin:0 0 8px}.scores button{flex:1;padding:8px 0;border-radius:8px;" +
    "border:1px solid #cfd4dc;background:#fff}.scores button[aria-pressed=true]{background:#2453c2;color:#fff;border-color:#2453c2}" +
    ".quality textarea{resize:vertical;min-height:56px;margin:0 0 8px}.quality input{margin:0 0 8px}" +
    ".quality .go{width:100%;padding:9px 14px;border-radius:10px;background:#2453c2;color:#fff;font-weight:600}" +
    ".quality .go:disabled{opacity:.6;cursor:default}.quality .note{margin:0 0 8px;font-size:13px;color:#05603a}" +
    ".quality .note.bad{color:#b42318}";
  var Q, qualityQueue = [], chosenScore = null;

  function buildQuality() {
    var T = Q.strings, scores = Q.rating_scale === "thumbs" ? [[1, T.good], [0, T.bad]] : [[1], [2], [3], [4], [5]];
    ui.scores = h("div", { class: "scores", role: "group", "aria-label": T.rate_prompt }, scores.map(function (s) {
      return h("button", { type: "button", "data-score": String(s[0]), text: s[1] || String(s[0]), "aria-pressed": "false",
        "aria-label": s[1] || fill(T.score, { score: s[0] }), onclick: function () { chooseScore(s[0]); } });
    }));
    ui.rateForm = h("form", { "data-testid": "rating-form", onsubmit: function (e) { e.preventDefault(); rate(); } }, [
      h("p", { text: T.rate_prompt }), ui.scores,
      ui.comment = h("textarea", { "data-testid": "rating-comment", placeholder: T.comment, "aria-label": T.comment,
        maxlength: maxBodyChars }),
      ui.rateNote = h("div", { class: "note", hidden: "" }),
      ui.rateButton = h("button", { type: "submit", class: "go", "data-testid": "rating-submit", text: T.rate_submit, disabled: "" })
    ]);
    ui.transcriptForm = h("form", { "data-testid": "transcript-form", onsubmit: function (e) { e.preventDefault(); askTranscript(); } }, [
      h("p", { text: T.transcript_prompt }),
      ui.transcriptEmail = h("input", { type: "email", placeholder: T.transcript_email, "aria-label": T.transcript_email,
        maxlength: "254", autocomplete: "email" }),
      ui.transcriptNote = h("div", { class: "note", hidden: "" }),
      h("button", { type: "submit", class: "go", "data-testid": "transcript-submit", text: T.transcript_submit })
    ]);
    return ui.quality = h("div", { class: "quality", "data-testid": "quality", hidden: "" }, [ui.rateForm, ui.transcriptForm]);
  }

  function showQuality(ended) {
    ui.quality.hidden = !(conv && ended && status === "closed" && agentName);
    if (conv && conv.rated) { ui.rateForm.hidden = false; thank(ui.rateNote, Q.strings.rated); lockRating(); }
  }

  function chooseScore(score) {
    chosenScore = score;
    Array.prototype.forEach.call(ui.scores.children, function (b) { b.setAttribute("aria-pressed", String(+b.dataset.score === score)); });
    ui.rateButton.disabled = false;
  }

  function lockRating() {
    ui.rateButton.disabled = true;
    ui.comment.disabled = true;
    Array.prototype.forEach.call(ui.scores.children, function (b) { b.disabled = true; });
  }

  function thank(node, text, isError) {
    node.textContent = text;
    node.className = isError ? "note bad" : "note";
    node.hidden = false;
  }

  function rate() {
    if (chosenScore === null || (conv && conv.rated)) return;
    ui.rateButton.disabled = true;
    sendQuality({ type: "rating", score: chosenScore, comment: ui.comment.value });
  }

  function askTranscript() {
    sendQuality({ type: "transcript", email: ui.transcriptEmail.value.trim() });
  }

  function sendQuality(frame) {
    qualityQueue.push(frame);
    if (ws && ws.readyState === 1) flushQuality(); else if (!ws) connect();
  }

  function flushQuality() {
    while (qualityQueue.length) transmit(qualityQueue.shift());
  }

  function onQualityFrame(frame) {
    if (frame.type === "rated" || (frame.type === "error" && frame.code === "already_rated")) {
      conv.rated = true;
      save();
      thank(ui.rateNote, Q.strings.rated);
      lockRating();
    } else if (frame.type === "transcript_queued") {
      thank(ui.transcriptNote, fill(Q.strings.transcript_queued, { email: frame.email }));
    } else if (frame.type === "error" && !frame.client_id && !ui.quality.hidden) {
      var note = ui.rateButton.disabled && !(conv && conv.rated) ? ui.rateNote : ui.transcriptNote;
      thank(note, frame.detail || S.error, true);
      if (note === ui.rateNote) ui.rateButton.disabled = false;
    } else {
      return false;
    }
    if (ENDED[status] && ws && !qualityQueue.length) transmit({ type: "ping" });  // its pong parks the socket again
    return true;
  }

  fetch(API).then(function (response) {
    if (!response.ok) throw new Error("HTTP " + response.status);
    return response.json();
  }).then(function (config) {
    S = config.strings;
    clientName = config.client.name;
    language = config.language;
    isOffline = config.status === "offline";
    nextOpening = config.next_opening || null;
    maxBodyChars = String(config.max_body_chars);
    Q = config.quality || { rating_scale: "five", strings: {} };
    init();
  }).catch(function (error) {
    console.warn("Relevo chat is not available on this page:", error.message);
  });
})();
