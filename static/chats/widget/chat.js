/* Relevo visitor chat widget, the chat itself: an ES module the loader (../widget.js) imports with the
 * widget's config. Speaks docs/protocol.md. Every text goes in with textContent: message bodies may hold HTML. */
export function start(loader, config) {
  var KEY = loader.key, BASE = loader.base, API = loader.api;
  var STORE = "relevo:" + KEY;
  var PING_EVERY = 25000, TYPING_EVERY = 2000, TYPING_SHOWN = 4000, BACKOFF_MAX = 30000, REFUSALS = 3;
  var SERVER_RESTARTING = 4012;  // close code: this server drains, reconnect now (docs/protocol.md)
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
    ".send-error{margin:0;padding:8px 16px;background:#fef3f2;color:#b42318;font-size:13px}" +
    ".composer button{flex:none;width:40px;height:40px;border-radius:50%;background:#2453c2;color:#fff;display:grid;place-items:center}" +
    "@media (max-width:480px){:host{right:12px!important;bottom:12px!important}.panel{position:fixed;inset:0;width:auto;height:auto;" +
    "max-height:none;border-radius:0}}";

  var S, clientName, language;                     // from the config endpoint
  /* The chat's state, one object: the chat and its feature modules read it (features never write it). */
  var state = {
    conv: load(),        // {id, token, lastSeq, seen, open, out} while a chat exists (localStorage)
    ws: null,            // the chat socket
    status: "", position: 0, nobodyServes: false, agentName: "",
    isOpen: false, unread: 0,
    lastSeq: 0,          // highest seq seen on this page (the DOM starts empty)
    attempt: 0, refused: 0,              // reconnections; sockets refused before they opened
    isOffline: false, nextOpening: null, // outside coverage: the offline form replaces the chat
    maxBodyChars: ""     // from the config endpoint
  };
  var bySeq = new Map(), pending = new Map();      // stored messages; local echoes by client_id
  var retryTimer = 0, pinger = 0, lastHeard = 0;
  var starting = false;
  var typingSentAt = 0, typingTimer = 0;
  var ui = {};

  function load() {
    try { return JSON.parse(localStorage.getItem(STORE)) || null; } catch (e) { return null; }
  }

  function save() {
    if (!state.conv) return;
    state.conv.out = [];
    pending.forEach(function (p) { if (p.state === "pending") state.conv.out.push({ client_id: p.client_id, body: p.body }); });
    try { localStorage.setItem(STORE, JSON.stringify(state.conv)); } catch (e) { /* private mode: live without it */ }
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
        ui.offline = h("div", { class: "offline", "data-testid": "offline", hidden: "" })
      ]),
      ui.typing = h("div", { class: "typing", "data-testid": "typing", "aria-hidden": "true", hidden: "" }),
      ui.status = h("div", { class: "status", "data-testid": "status", role: "status" }, [
        ui.statusText = h("span"),
        ui.newChat = h("button", { type: "button", "data-testid": "new-chat", text: S.new_chat, hidden: "", onclick: newChat })
      ]),
      ui.sendError = h("p", { class: "send-error", "data-testid": "send-error", role: "alert", hidden: "" }),
      ui.form = h("form", { class: "composer", onsubmit: function (e) { e.preventDefault(); send(); } }, [
        ui.input = h("textarea", { "data-testid": "input", rows: "1", maxlength: state.maxBodyChars, placeholder: S.placeholder,
          "aria-label": S.placeholder, oninput: onInput, onkeydown: onKey }),
        h("button", { type: "submit", "data-testid": "send", "aria-label": S.send, title: S.send }, [icon("send")])
      ])
    ]);
    ui.root = root;
    addCss(CSS);
    root.appendChild(ui.launcher);
    root.appendChild(ui.panel);
    document.body.appendChild(host);
  }

  /* A time as the visitor reads it: the browser's zone, named ("Monday, December 7 at 9:00 AM EST"). */
  function zoned(at) {
    return new Date(at).toLocaleString(language, { weekday: "long", day: "numeric", month: "long",
      hour: "numeric", minute: "2-digit", timeZoneName: "short" });
  }

  function scrollToOffline() {
    var top = ui.offline.getBoundingClientRect().top - ui.scroll.getBoundingClientRect().top;
    ui.scroll.scrollTop += top - 16;
  }

  /* Outside coverage (the config's status, a status frame, or a chat refused as it started): the offline
     form, a feature module, replaces the chat; `draft` is what the visitor had written. */
  function goOffline(opening, draft) {
    state.isOffline = true;
    state.nextOpening = opening || null;
    setStatusLine();
    feature("offline", function (f) { f.go(draft); });
  }

  function setOpen(open, byUser) {
    state.isOpen = open;
    ui.panel.hidden = !open;
    ui.launcher.hidden = open;
    ui.launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      wantVisit();
      state.unread = 0;
      showUnread();
      markSeen();
      if (ui.offline.hidden) ui.scroll.scrollTop = ui.scroll.scrollHeight;
      else scrollToOffline();
      if (byUser) (ui.offline.hidden ? ui.input : ui.offlineName || ui.offline).focus({ preventScroll: true });
    } else if (byUser) {
      ui.launcher.focus();
    }
    if (state.conv) { state.conv.open = open; save(); }
  }

  function showUnread() {
    ui.badge.textContent = state.unread;
    ui.badge.hidden = !state.unread;
  }

  function markSeen() {
    if (state.conv && state.isOpen && state.lastSeq > (state.conv.seen || 0)) { state.conv.seen = state.lastSeq; save(); }
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
    var offline = state.status === "offline" || (!state.conv && state.isOffline), ended = ENDED[state.status] || offline, text = "";
    if (offline) text = "";
    else if (ended) text = S[state.status];
    else if (state.refused >= REFUSALS) text = S.unavailable;
    else if (state.attempt) text = S.reconnecting;
    else if (state.status === "queued" && state.nobodyServes) text = !ui.offer || ui.offer.hidden ? fill(S.queued_nobody, { position: state.position }) : "";
    else if (state.status === "queued") text = fill(S.queued, { position: state.position });
    else if (state.status === "active") text = fill(S.active, { name: state.agentName || S.agent });
    ui.statusText.textContent = text;
    ui.newChat.hidden = offline || !(ended || state.refused >= REFUSALS);
    ui.status.hidden = !text;
    ui.form.hidden = !!ended;
    ui.intro.hidden = !!state.conv || offline;
    ui.offline.hidden = !offline;
    ended = ended && !offline;
    if (ready.quality) ready.quality.show(ended);
    else if (ended && state.conv && state.status === "closed" && state.agentName) feature("quality", function (f) { f.show(true); });
  }

  /* The frame router: each frame type of the chat socket (docs/protocol.md, "Server → client frames") and
     its handler. A feature's frames import the feature first, then reach it in the order they came. */
  var ROUTES = Object.assign(Object.create(null), {
    message: receive,
    ack: function (frame) { confirm(frame.client_id, frame.seq, null, frame.body); },
    error: function (frame) {
      rejected(pending.get(frame.client_id), frame);
      loaded("calls", function (f) { f.onFrame(frame); });  // a refused callback request
    },
    redacted: redact,
    status: function (frame) {
      onStatus(frame);
      if (frame.status === "queued" || features.leads) feature("leads", function (f) { f.onStatus(frame); });
    },
    typing: function (frame) { if (frame.sender === "agent") showTyping(); },
    pong: function () { if (ENDED[state.status]) park(); },
    callback: toCalls
  });
  function toCalls(frame) {
    feature("calls", function (f) { f.onFrame(frame); });
  }
  function onFrame(frame) {
    lastHeard = Date.now();
    if (ready.quality && ready.quality.onFrame(frame)) return;
    var route = ROUTES[frame.type] || (/^call(\.|$)/.test(frame.type) ? toCalls : null);
    if (route) route(frame);
  }

  function receive(frame) {
    if (bySeq.has(frame.seq) || confirm(frame.client_id, frame.seq, frame.at, frame.body)) return;
    var m = { seq: frame.seq, sender: frame.sender, author: frame.author, body: frame.body, at: frame.at, state: "sent" };
    bySeq.set(m.seq, m);
    render(m);
    seen(m.seq);
    if (m.sender === "agent") {
      hideTyping();
      if (!state.isOpen && m.seq > (state.conv.seen || 0)) { state.unread++; showUnread(); }
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
    if (seq <= state.lastSeq) return;
    state.lastSeq = seq;
    if (state.conv) state.conv.lastSeq = Math.max(state.conv.lastSeq || 0, seq);
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
    state.status = frame.status;
    state.nobodyServes = state.status === "queued" && frame.leave_message_offered && frame.estimated_wait_seconds == null;
    state.position = frame.queue_position;
    if (frame.agent) state.agentName = frame.agent.name;
    if (state.status === "offline") goOffline(frame.next_opening, "");
    if (ENDED[state.status]) { hideTyping(); transmit({ type: "ping" }); }  // its pong ends the socket, after the history
    if (ENDED[state.status]) loaded("calls", function (f) { f.end(); });
    setStatusLine();
  }

  function showTyping() {
    ui.typing.textContent = fill(S.typing, { name: state.agentName || S.agent });
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
    var url = BASE.replace(/^http/, "ws") + "/ws/chat/" + state.conv.id + "/";
    var socket = state.ws = new WebSocket(url, ["relevo.v1", "relevo-token." + state.conv.token]);
    socket.onopen = function () {
      opened = true;
      state.attempt = state.refused = 0;
      visitChat();
      lastHeard = Date.now();
      transmit({ type: "resume", after: state.lastSeq });
      pending.forEach(function (m) { if (m.state === "pending") transmitMessage(m); });
      if (ready.quality) ready.quality.flush();
      pinger = setInterval(heartbeat, PING_EVERY);
      setStatusLine();
    };
    socket.onmessage = function (event) {
      var frame;
      if (state.ws !== socket) return;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      onFrame(frame);
    };
    socket.onclose = function (event) {
      if (state.ws !== socket) return;
      if (!opened) state.refused++;
      if (event.code === 1009) frameTooBig(socket);
      reconnectLater(event.code === SERVER_RESTARTING);
    };
  }

  /* 4012: the server is restarting (docs/protocol.md): another one takes the socket now, so
     reconnect within a second (spread, not all at once) and without backing off. */
  function reconnectLater(restarting) {
    state.ws = null;
    clearInterval(pinger);
    var delay = restarting ? Math.random() * 1000
      : Math.min(BACKOFF_MAX, 1000 * Math.pow(2, state.attempt)) * (0.8 + Math.random() * 0.4);
    if (!restarting) state.attempt++;
    retryTimer = setTimeout(connect, delay);
    setStatusLine();
  }

  function heartbeat() {
    if (Date.now() - lastHeard > 2.5 * PING_EVERY) {  // a silently dead connection: do not wait for its close
      var socket = state.ws;
      reconnectLater();
      socket.close();
    } else {
      transmit({ type: "ping" });
    }
  }

  /* An ended chat needs no socket once its history is in. */
  function park() {
    var socket = state.ws;
    state.ws = null;
    clearInterval(pinger);
    if (socket) socket.close();
  }

  function transmit(frame) {
    if (state.ws && state.ws.readyState === 1) state.ws.send(JSON.stringify(frame));
  }

  function transmitMessage(m) {
    m.socket = state.ws;
    transmit({ type: "message", client_id: m.client_id, body: m.body });
  }

  /* The composer. */
  function send() {
    var body = ui.input.value;
    if (!body.trim()) return;
    if (!state.conv && wantsLeads && !ready.leads) return feature("leads", send);  // the pre-chat form first
    if (ready.leads && !ready.leads.ready()) return;
    if (tooLong(body)) return sendError(S.too_long);  // the text stays in the composer to be shortened
    sendError("");
    ui.input.value = "";
    grow();
    var m = { client_id: uuid(), sender: "visitor", body: body, state: "pending" };
    pending.set(m.client_id, m);
    render(m);
    save();
    if (state.conv) transmitMessage(m); else start();
  }

  /* The server's rule (CHAT_MAX_BODY_CHARS, from the config), counted in characters as Python does. */
  function tooLong(body) {
    return body.length > +state.maxBodyChars && Array.from(body).length > +state.maxBodyChars;
  }

  function sendError(text) {
    ui.sendError.textContent = text;
    ui.sendError.hidden = !text;
  }

  /* The server closed the socket with 1009 (a frame over its --ws-max-size): the biggest message sent on
     it goes back to the composer with the error; the others are resent once the socket resumes. */
  function frameTooBig(socket) {
    var big = null;
    pending.forEach(function (m) { if (m.socket === socket && (!big || m.body.length > big.body.length)) big = m; });
    if (!big) return;
    pending.delete(big.client_id);
    big.node.remove();
    save();
    if (!ui.input.value) ui.input.value = big.body;
    sendError(S.too_big);
  }

  function retry(m) {
    m.state = "pending";
    render(m);
    save();
    if (state.conv) transmitMessage(m); else start();
  }

  function start() {
    if (starting) return;
    starting = true;
    var answers = Object.assign({ name: ui.name.value.trim() || remembered("name"), page_url: location.href },
      ready.leads ? ready.leads.answers() : {});
    answers.email = answers.email || remembered("email");
    remember(answers.name, answers.email);
    fetch(API + "conversations/", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(answers)
    }).then(function (response) {
      return response.json().then(function (data) {
        if (response.ok && data.status === "offline") return startedOffline(data);
        if (!response.ok || !data.id) throw data;
        state.conv = { id: data.id, token: data.token, lastSeq: 0, seen: 0, open: state.isOpen };
        state.status = data.status;
        state.position = data.queue_position;
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
    sendError("");
    var now = Date.now();
    if (ui.input.value.trim() && now - typingSentAt > TYPING_EVERY && state.ws) {
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
    state.conv = null;
    bySeq.clear();
    pending.clear();
    ui.list.textContent = "";
    state.lastSeq = state.attempt = state.refused = state.position = 0;
    state.nobodyServes = false;
    loaded("leads", function (f) { f.reset(); });
    if (ready.quality) ready.quality.reset();
    sendError("");
    loaded("calls", function (f) { f.reset(); });
    state.status = state.agentName = "";
    hideTyping();
    setStatusLine();
    ui.input.focus();
  }

  /* Styles in the shadow root: the chat's, then each feature's as it loads. */
  function addCss(css) {
    var root = ui.root;
    if (root.adoptedStyleSheets && CSSStyleSheet.prototype.replaceSync) {  // not blocked by a page's style-src CSP
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = root.adoptedStyleSheets.concat([sheet]);
    } else {
      root.appendChild(h("style", { text: css }));
    }
  }

  /* Features are ES modules beside this one, imported the first time the visitor needs one; each gets
     the chat's tools and returns its handlers. Calls to one feature run in order, once it is loaded. */
  var features = {}, ready = {};
  function tools() {
    return { h: h, ui: ui, S: S, Q: Q, config: config, api: API, clientName: clientName, state: state, ENDED: ENDED,
      fill: fill, zoned: zoned, addCss: addCss, transmit: transmit, save: save, connect: connect, setOpen: setOpen,
      setStatusLine: setStatusLine, scrollToOffline: scrollToOffline, visitSend: visitSend,
      remember: remember, remembered: remembered };
  }
  function feature(name, use) {
    if (!features[name]) {
      features[name] = loader.load(name).then(function (module) {
        return ready[name] = module.install(tools());
      }).catch(function (error) {
        console.warn("Relevo chat could not load " + name + ":", error.message);
        return null;
      });
    }
    features[name].then(function (handlers) { if (handlers) use(handlers); });
  }
  function loaded(name, use) {
    if (features[name]) feature(name, use);
  }

  /* Leads (leads.js): imported at once when the client asks a pre-chat form, else when the visitor queues. */
  var wantsLeads = false;

  function init(config) {
    if (!document.body) return document.addEventListener("DOMContentLoaded", function () { init(config); });
    build();
    ui.name.value = remembered("name");
    wantsLeads = !!config.pre_chat;
    if (wantsLeads) feature("leads", function () {});
    if (state.isOffline) feature("offline", function () {});
    window.addEventListener("online", function () { if (state.conv && !state.ws && !ENDED[state.status]) connect(); });
    if (!state.conv || !state.conv.id || !state.conv.token) state.conv = null;
    setStatusLine();
    if (!state.conv) return;
    (state.conv.out || []).forEach(function (out) {
      var m = { client_id: out.client_id, sender: "visitor", body: out.body, state: "pending" };
      pending.set(m.client_id, m);
      render(m);
    });
    setOpen(!!state.conv.open, false);
    connect();
  }

  /* Live visits (docs/protocol.md, "Live visits"): one light socket per page, /ws/visit/<key>/, and the
     site's JS API (Relevo.setCart, Relevo.identify, Relevo.trackConversion, callable before this file
     loads through the README's stub). The visit key lives in sessionStorage; nothing is sent before a
     chat is opened unless the client tracks visitors. */
  var VISIT_STORE = "relevo-visit:" + KEY, VISIT_SEEN = "relevo-seen:" + KEY;
  var visit = loadVisit(), visitWs = null, visitWanted = false, visitTries = 0, visitPinger = 0, conversions = [];

  function loadVisit() {
    var stored = null;
    try { stored = JSON.parse(sessionStorage.getItem(VISIT_STORE)); } catch (e) { /* private mode */ }
    return stored || { key: null, pages: 0, returning: null, cart: null, identity: null };
  }

  /* The name and email the visitor gave (any form of the widget), for the browser session like the
     visit key: the next chat in this tab starts with them. */
  function remember(name, email) {
    var who = visit.contact = visit.contact || {};
    if (name) who.name = name;
    if (email) who.email = email;
    saveVisit();
  }

  function remembered(key) {
    return (visit.contact || {})[key] || "";
  }

  function saveVisit() {
    try { sessionStorage.setItem(VISIT_STORE, JSON.stringify(visit)); } catch (e) { /* live without it */ }
  }

  function installApi() {
    var queued = window.Relevo, api = {
      setCart: function (cart) { visit.cart = cart || null; saveVisit(); visitSend(cartFrame()); },
      identify: function (who) { visit.identity = who || null; saveVisit(); visitSend(identityFrame()); },
      trackConversion: function (sale) {
        var frame = { type: "conversion", value: (sale || {}).value, currency: (sale || {}).currency || "" };
        if (!visitSend(frame)) conversions.push(frame);
      },
      push: function (call) { if (call && api[call[0]]) api[call[0]](call[1]); }
    };
    window.Relevo = api;
    if (queued && queued.q) queued.q.forEach(api.push);           // the README's stub
    else if (queued && queued.forEach) queued.forEach(api.push);  // a plain array of [method, argument]
  }

  function cartFrame() {
    var cart = visit.cart;
    return cart && { type: "cart", value: cart.value, currency: cart.currency || "", items: cart.items || 0 };
  }

  function identityFrame() {
    var who = visit.identity;
    return who && { type: "identify", name: who.name || "", email: who.email || "" };
  }

  function visitStart(config) {
    visit.pages++;
    if (visit.returning == null) {  // decided on the visit's first page: seen on an earlier visit?
      try { visit.returning = !!localStorage.getItem(VISIT_SEEN); localStorage.setItem(VISIT_SEEN, "1"); } catch (e) {
        visit.returning = false;
      }
    }
    saveVisit();
    if (config.tracks_visitors || state.conv) wantVisit();
  }

  function wantVisit() {
    if (visitWanted || !S) return;
    visitWanted = true;
    visitConnect();
  }

  function visitConnect() {
    var socket = visitWs = new WebSocket(BASE.replace(/^http/, "ws") + "/ws/visit/" + encodeURIComponent(KEY) + "/");
    socket.onopen = function () {
      visitTries = 0;
      socket.send(JSON.stringify({ type: "hello", visit: visit.key, url: location.href, title: document.title,
        referrer: document.referrer, language: language, returning: !!visit.returning, pages_seen: Math.max(visit.pages, 1) }));
      visitPinger = setInterval(function () { visitSend({ type: "ping" }); }, PING_EVERY);
    };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      onVisitFrame(frame);
    };
    socket.onclose = function (event) {
      clearInterval(visitPinger);
      if (visitWs !== socket) return;
      visitWs = null;
      if (event.code === SERVER_RESTARTING) { setTimeout(visitConnect, Math.random() * 1000); return; }
      if (++visitTries <= 8) setTimeout(visitConnect, Math.min(BACKOFF_MAX, 1000 * Math.pow(2, visitTries)));
    };
  }

  function visitSend(frame) {
    if (!frame || !visitWs || visitWs.readyState !== 1 || !visit.key) return false;
    visitWs.send(JSON.stringify(frame));
    return true;
  }

  function onVisitFrame(frame) {
    if (frame.type === "visit") {
      visit.key = frame.visit;
      saveVisit();
      [cartFrame(), identityFrame()].concat(conversions.splice(0)).forEach(visitSend);
      visitChat();
    } else if (frame.type === "invitation") {
      feature("invitations", function (f) { f.show(frame); });
    } else if (frame.type === "chat") {
      loaded("invitations", function (f) { f.hide(); });
      state.conv = { id: frame.conversation, token: frame.token, lastSeq: 0, seen: 0, open: true };
      state.status = frame.status;
      state.position = frame.queue_position;
      if (frame.agent) state.agentName = frame.agent.name;
      save();
      setStatusLine();
      connect();
      setOpen(true, true);
    }
  }

  /* Called whenever the chat socket (re)connects: the visit shows as chatting, later sales count for chat. */
  function visitChat() {
    if (state.conv) visitSend({ type: "chat", conversation: state.conv.id, token: state.conv.token });
    else wantVisit();
  }

  installApi();


  var Q;
  S = config.strings;
  clientName = config.client.name;
  language = config.language;
  state.isOffline = config.status === "offline";
  state.nextOpening = config.next_opening || null;
  state.maxBodyChars = String(config.max_body_chars);
  Q = config.quality || { rating_scale: "five", strings: {} };
  init(config);
  visitStart(config);
}
