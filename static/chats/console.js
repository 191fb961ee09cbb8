/* Relevo agent console: one socket (/ws/agent/) carrying all of an agent's chats.
 *
 * Wire protocol: docs/protocol.md. Messages are keyed by (conversation, seq) and
 * never shown twice; the agent's own messages are echoed at once under a
 * client_id and re-sent with that same id after a reconnect until acked.
 * Data reaches the DOM only through textContent and attributes.
 */

const gettext = window.gettext || ((text) => text);
const ngettext = window.ngettext || ((singular, plural, count) => (count === 1 ? singular : plural));
const interpolate = window.interpolate || ((format, args) => args.reduce((text, arg) => text.replace("%s", arg), format));

const HEARTBEAT_MS = 25000;
const PONG_TIMEOUT_MS = 10000;
const TYPING_SEND_EVERY_MS = 2000;
const TYPING_SHOW_MS = 4000;
const BACKOFF_MAX_SECONDS = 30;
const CLOSE_ANSWER_TIMEOUT_MS = 10000;
const RATE_LIMITED_RETRY_MS = 5000;
// CHAT_MAX_FRAME_BYTES' default: the server refuses longer frames without naming the message.
const MAX_FRAME_CHARS = 16384;
const LATE_REPLY_SECONDS = 60;
const VERY_LATE_REPLY_SECONDS = 180;

const language = document.documentElement.lang || undefined;
const clockFormat = new Intl.DateTimeFormat(language, { hour: "numeric", minute: "2-digit" });
const dayClockFormat = new Intl.DateTimeFormat(language, { day: "numeric", month: "short", hour: "numeric", minute: "2-digit" });
const fullFormat = new Intl.DateTimeFormat(language, { dateStyle: "full", timeStyle: "medium" });

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function cloneTemplate(id) {
  return document.getElementById(id).content.firstElementChild.cloneNode(true);
}

function newClientId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
}

function httpUrl(value) {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch (error) {
    return null;
  }
}

function setTime(node, date) {
  const isToday = date.toDateString() === new Date().toDateString();
  node.textContent = (isToday ? clockFormat : dayClockFormat).format(date);
  node.dateTime = date.toISOString();
  node.title = fullFormat.format(date);
}

function formatDuration(milliseconds) {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours ? hours + ":" + String(minutes).padStart(2, "0") + ":" + seconds : minutes + ":" + seconds;
}

const drafts = {
  key: (conversationId) => "relevo.console.draft." + conversationId,
  load(conversationId) {
    try { return sessionStorage.getItem(this.key(conversationId)) || ""; } catch (error) { return ""; }
  },
  save(conversationId, text) {
    try {
      if (text) sessionStorage.setItem(this.key(conversationId), text);
      else sessionStorage.removeItem(this.key(conversationId));
    } catch (error) { /* storage full or disabled: the draft still lives in the textarea */ }
  },
};

/** The socket: reconnects with backoff, pings every 25 s, drops a socket that stops answering. */
class Connection {
  constructor({ url, onFrame, onOpen, onStateChange }) {
    Object.assign(this, { url, onFrame, onOpen, onStateChange });
    this.socket = null;
    this.state = "connecting";
    this.failures = 0;
    this.retryAt = 0;
  }

  open() {
    clearTimeout(this.retryTimer);
    const socket = new WebSocket(this.url);
    this.socket = socket;
    this.setState("connecting");
    socket.addEventListener("open", () => {
      if (socket !== this.socket) return;
      this.failures = 0;
      this.setState("open");
      this.onOpen();
      this.ping();
      this.heartbeat = setInterval(() => this.ping(), HEARTBEAT_MS);
    });
    socket.addEventListener("message", (event) => {
      if (socket !== this.socket) return;
      let frame;
      try { frame = JSON.parse(event.data); } catch (error) { return; }
      if (frame && frame.type === "pong") clearTimeout(this.pongTimer);
      if (frame && typeof frame === "object") this.onFrame(frame);
    });
    socket.addEventListener("close", () => { if (socket === this.socket) this.lost(); });
  }

  lost() {
    clearInterval(this.heartbeat);
    clearTimeout(this.pongTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState !== WebSocket.CLOSED) socket.close();
    const base = Math.min(BACKOFF_MAX_SECONDS, 2 ** this.failures);
    this.failures += 1;
    const delay = base * 1000 + Math.random() * 500 * Math.min(base, 4);
    this.retryAt = Date.now() + delay;
    this.retryTimer = setTimeout(() => this.open(), delay);
    this.setState("waiting");
  }

  reconnectNow() {
    if (this.state === "waiting") this.open();
  }

  ping() {
    if (!this.send({ type: "ping" })) return;
    clearTimeout(this.pongTimer);
    this.pongTimer = setTimeout(() => this.lost(), PONG_TIMEOUT_MS);
  }

  get isOpen() {
    return Boolean(this.socket) && this.socket.readyState === WebSocket.OPEN;
  }

  send(frame) {
    if (!this.isOpen) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  setState(state) {
    this.state = state;
    this.onStateChange(state);
  }
}

/** One chat: its list item, its pane (history, draft, scroll position) and what it has seen. */
class Conversation {
  constructor(app, payload) {
    this.app = app;
    this.id = payload.id;
    this.messages = new Map(); // seq → {node, sender, at}
    this.maxSeq = 0;
    this.readSeq = 0;
    this.lastAgentSeq = 0;
    this.historyUntil = payload.last_seq || 0; // later seqs arrived while this page was open
    this.isEnded = false;
    this.closeRequested = false;
    this.lastTypingSentAt = 0;
    this.atBottom = true;
    this.savedScrollTop = 0;
    this.waitingSince = null;
    this.buildItem();
    this.buildPane();
    this.update(payload);
  }

  buildItem() {
    const item = cloneTemplate("chat-item-template");
    item.dataset.conversation = this.id;
    this.item = item;
    this.itemButton = item.querySelector(".chat-item-button");
    this.itemName = item.querySelector(".chat-item-name");
    this.itemTime = item.querySelector(".chat-item-time");
    this.itemPreview = item.querySelector(".chat-item-preview");
    this.itemTyping = item.querySelector(".chat-item-typing");
    this.unreadBadge = item.querySelector(".unread");
    this.itemButton.addEventListener("click", () => this.app.select(this, { focus: true }));
    item.querySelector(".chat-item-dismiss").addEventListener("click", () => this.app.dismiss(this));
  }

  buildPane() {
    const pane = cloneTemplate("pane-template");
    pane.dataset.conversation = this.id;
    this.pane = pane;
    this.history = pane.querySelector(".history");
    this.typingLine = pane.querySelector(".typing");
    this.composer = pane.querySelector("textarea");
    this.sendButton = pane.querySelector("[data-testid=send]");
    this.closeButton = pane.querySelector(".close-chat");
    this.jumpButton = pane.querySelector(".jump-latest");
    this.divider = element("li", "new-divider", gettext("New messages"));
    this.composer.value = drafts.load(this.id);
    this.replyPlaceholder = this.composer.placeholder;
    pane.querySelector(".composer").addEventListener("submit", (event) => {
      event.preventDefault();
      this.app.sendMessage(this);
    });
    this.composer.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.app.sendMessage(this);
      }
    });
    this.composer.addEventListener("input", () => this.onInput());
    this.closeButton.addEventListener("click", () => this.app.requestClose(this));
    pane.querySelector(".pane-dismiss").addEventListener("click", () => this.app.dismiss(this));
    this.history.addEventListener("scroll", () => {
      this.atBottom = this.history.scrollHeight - this.history.scrollTop - this.history.clientHeight < 40;
      if (this.atBottom) this.jumpButton.hidden = true;
    });
    this.jumpButton.addEventListener("click", () => this.scrollToBottom());
  }

  update(payload) {
    this.payload = payload;
    const visitor = payload.visitor || {};
    const client = payload.client || {};
    this.visitorName = visitor.name || interpolate(gettext("Visitor #%s"), [this.id]);
    this.itemName.textContent = this.visitorName;
    this.pane.querySelector(".pane-visitor").textContent = this.visitorName;
    const email = this.pane.querySelector(".pane-email");
    email.textContent = visitor.email || "";
    email.hidden = !visitor.email;
    for (const node of [this.item, this.pane]) {
      node.querySelector(".client-name").textContent = client.name || "";
      node.style.setProperty("--client-hue", String(((client.id || 0) * 67) % 360));
    }
    const page = this.pane.querySelector(".pane-page");
    const url = httpUrl(payload.page_url);
    page.hidden = !payload.page_url;
    page.textContent = url ? url.host + url.pathname + url.search : payload.page_url || "";
    page.title = payload.page_url || "";
    if (url) page.href = url.href;
    else page.removeAttribute("href");
    this.startedAt = new Date(payload.assigned_at || payload.requested_at || Date.now());
    const started = this.pane.querySelector(".pane-started");
    started.textContent = interpolate(gettext("Started %s"), [clockFormat.format(this.startedAt)]);
    started.title = fullFormat.format(this.startedAt);
    this.closeButton.title = interpolate(gettext("Close the chat with %s"), [this.visitorName]);
  }

  get isSelected() {
    return this.app.selected === this;
  }

  has(seq) {
    return this.messages.has(seq);
  }

  /** A stored message from the server, placed by seq. */
  addMessage(frame) {
    const node = this.messageNode(frame.sender, frame.author, frame.body, "sent");
    if (frame.at) setTime(node.querySelector("time"), new Date(frame.at));
    this.store(node, frame.seq, frame.sender, frame.at);
  }

  /** The agent's own message, shown at once and confirmed later. */
  addEcho(body) {
    const node = this.messageNode("agent", this.app.agentName, body, "pending");
    setTime(node.querySelector("time"), new Date());
    this.history.append(node);
    return node;
  }

  confirmEcho(node, seq, at) {
    if (this.messages.has(seq)) {
      node.remove();
      return;
    }
    this.setState(node, "sent");
    if (at) setTime(node.querySelector("time"), new Date(at));
    this.store(node, seq, "agent", at || new Date().toISOString());
  }

  failEcho(node, detail) {
    this.setState(node, "failed");
    node.querySelector(".message-failure-detail").textContent = detail;
  }

  store(node, seq, sender, at) {
    node.dataset.seq = seq;
    this.messages.set(seq, { node, sender, at });
    this.place(node, seq);
    this.maxSeq = Math.max(this.maxSeq, seq);
    if (sender === "agent") this.lastAgentSeq = Math.max(this.lastAgentSeq, seq);
  }

  place(node, seq) {
    // Echoes still waiting for their seq stay last; stored messages go in seq order.
    let before = this.history.querySelector(".message:not([data-seq])");
    if (seq < this.maxSeq) {
      for (const child of this.history.children) {
        if (child !== node && child.classList.contains("message") && Number(child.dataset.seq) > seq) {
          before = child;
          break;
        }
      }
    }
    this.history.insertBefore(node, before);
  }

  messageNode(sender, author, body, state) {
    const node = element("li", "message message-" + sender);
    node.setAttribute("data-testid", "message");
    const meta = element("div", "message-meta");
    if (sender !== "system") {
      meta.append(element("span", "message-author", sender === "visitor" ? this.visitorName : author || gettext("Agent")));
    }
    meta.append(element("time", "message-time"), element("span", "message-state"));
    const failure = element("div", "message-failure");
    const retry = element("button", "link message-retry", gettext("Retry"));
    retry.type = "button";
    failure.append(element("span", "message-failure-detail"), " ", retry);
    node.append(meta, element("div", "message-body", body), failure);
    this.setState(node, state);
    return node;
  }

  setState(node, state) {
    node.dataset.state = state;
    const labels = { pending: gettext("Sending…"), sent: "", failed: gettext("Not sent") };
    node.querySelector(".message-state").textContent = labels[state];
    node.querySelector(".message-failure").hidden = state !== "failed";
  }

  onInput() {
    drafts.save(this.id, this.composer.value);
    this.fitComposer();
    const now = Date.now();
    if (!this.isEnded && this.composer.value.trim() && now - this.lastTypingSentAt >= TYPING_SEND_EVERY_MS) {
      if (this.app.connection.send({ type: "typing", conversation: this.id })) this.lastTypingSentAt = now;
    }
  }

  fitComposer() {
    this.composer.style.height = "auto";
    this.composer.style.height = Math.min(this.composer.scrollHeight + 2, 180) + "px";
  }

  showTyping() {
    this.typingLine.textContent = interpolate(gettext("%s is typing…"), [this.visitorName]);
    this.typingLine.hidden = false;
    this.itemTyping.hidden = false;
    this.itemPreview.hidden = true;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.hideTyping(), TYPING_SHOW_MS);
  }

  hideTyping() {
    clearTimeout(this.typingTimer);
    this.typingLine.hidden = true;
    this.itemTyping.hidden = true;
    this.itemPreview.hidden = false;
  }

  /** Mark everything seen if the agent is looking at this chat right now. */
  markReadIfSeen() {
    if (this.isSelected && !document.hidden) this.readSeq = this.maxSeq;
  }

  /** Refresh the list item: preview, unread badge and who is waiting since when. */
  refreshSummary() {
    this.markReadIfSeen();
    const answeredUntil = Math.max(this.readSeq, this.lastAgentSeq);
    let unread = 0;
    let firstUnanswered = null;
    for (const [seq, message] of this.messages) {
      if (message.sender !== "visitor") continue;
      if (seq > answeredUntil) unread += 1;
      if (seq > this.lastAgentSeq && (!firstUnanswered || seq < firstUnanswered.seq)) firstUnanswered = { seq, at: message.at };
    }
    this.waitingSince = !this.isEnded && firstUnanswered && firstUnanswered.at ? new Date(firstUnanswered.at) : null;
    const showUnread = unread > 0 && !this.isSelected;
    this.unreadBadge.hidden = !showUnread;
    this.unreadBadge.textContent = showUnread ? (unread > 99 ? "99+" : String(unread)) : "";
    this.unreadBadge.title = interpolate(ngettext("%s unread message", "%s unread messages", unread), [unread]);
    this.item.classList.toggle("has-unread", showUnread);
    const last = [...this.history.children].reverse().find((child) => child.classList.contains("message"));
    this.itemPreview.textContent = last ? this.previewOf(last) : "";
    this.tick(Date.now());
  }

  previewOf(node) {
    const body = node.querySelector(".message-body").textContent.slice(0, 140);
    if (!node.classList.contains("message-agent")) return body;
    const author = node.querySelector(".message-author").textContent;
    return author === this.app.agentName ? interpolate(gettext("You: %s"), [body]) : author + ": " + body;
  }

  firstUnreadNode() {
    const answeredUntil = Math.max(this.readSeq, this.lastAgentSeq);
    let first = null;
    for (const [seq, message] of this.messages) {
      if (message.sender === "visitor" && seq > answeredUntil && (!first || seq < first.seq)) first = { seq, node: message.node };
    }
    return first && first.node;
  }

  tick(now) {
    const time = this.itemTime;
    time.classList.remove("is-waiting", "is-late", "is-very-late");
    if (this.isEnded) {
      time.textContent = gettext("Ended");
      time.title = "";
    } else if (this.waitingSince) {
      const waited = now - this.waitingSince.getTime();
      time.textContent = formatDuration(waited);
      time.title = gettext("The visitor has been waiting this long for a reply");
      time.classList.add("is-waiting");
      if (waited >= VERY_LATE_REPLY_SECONDS * 1000) time.classList.add("is-very-late");
      else if (waited >= LATE_REPLY_SECONDS * 1000) time.classList.add("is-late");
    } else {
      time.textContent = formatDuration(now - this.startedAt.getTime());
      time.title = gettext("Time since the chat started");
    }
  }

  show() {
    const answeredUntil = Math.max(this.readSeq, this.lastAgentSeq);
    const firstUnread = answeredUntil < this.maxSeq ? this.firstUnreadNode() : null;
    if (firstUnread) this.history.insertBefore(this.divider, firstUnread);
    else this.divider.remove();
    this.pane.hidden = false;
    this.item.classList.add("is-selected");
    this.itemButton.setAttribute("aria-current", "true");
    if (this.atBottom) this.scrollToBottom();
    else this.history.scrollTop = this.savedScrollTop;
    this.fitComposer();
    this.refreshSummary();
  }

  hide() {
    this.savedScrollTop = this.history.scrollTop;
    this.pane.hidden = true;
    this.item.classList.remove("is-selected");
    this.itemButton.removeAttribute("aria-current");
    this.refreshSummary();
  }

  scrollToBottom() {
    this.history.scrollTop = this.history.scrollHeight;
    this.atBottom = true;
    this.jumpButton.hidden = true;
  }

  /** After new nodes went in: follow the conversation if the agent was at its end. */
  followNewMessages(isOwn) {
    if (!this.isSelected) return;
    if (this.atBottom || isOwn) this.scrollToBottom();
    else this.jumpButton.hidden = false;
  }

  end(reason) {
    this.isEnded = true;
    this.hideTyping();
    this.pane.classList.add("is-ended");
    this.item.classList.add("is-ended");
    this.item.setAttribute("data-testid", "ended-item");
    this.item.querySelector(".chat-item-dismiss").hidden = false;
    this.pane.querySelector(".pane-ended").hidden = false;
    const text = this.pane.querySelector(".pane-ended-text");
    this.endedText = this.endedText || text.textContent;
    text.textContent = reason || this.endedText;
    this.closeButton.hidden = true;
    this.composer.readOnly = true;
    this.composer.placeholder = gettext("This chat has ended.");
    this.sendButton.disabled = true;
    this.refreshSummary();
  }

  reopen() {
    this.isEnded = false;
    this.closeRequested = false;
    this.pane.classList.remove("is-ended");
    this.item.classList.remove("is-ended");
    this.item.setAttribute("data-testid", "chat-item");
    this.item.querySelector(".chat-item-dismiss").hidden = true;
    this.pane.querySelector(".pane-ended").hidden = true;
    this.closeButton.hidden = false;
    this.closeButton.disabled = false;
    this.composer.readOnly = false;
    this.composer.placeholder = this.replyPlaceholder;
    this.sendButton.disabled = false;
    this.refreshSummary();
  }
}

/** The console: routes frames to conversations and keeps the page around them honest. */
class AgentConsole {
  constructor(root) {
    this.root = root;
    this.agentName = root.dataset.agentName;
    this.conversations = new Map();
    this.pending = new Map(); // client_id → {conversation, body, node, state}
    this.selected = null;
    this.isSynced = false;
    this.wasEverSynced = false;
    this.assignedThisSync = new Set();
    this.hiddenEvents = 0;
    this.baseTitle = document.title;
    this.chatList = root.querySelector(".chat-list");
    this.endedList = root.querySelector(".ended-list");
    this.panes = root.querySelector(".panes");
    this.briefing = root.querySelector("#client-briefing");
    this.banner = root.querySelector(".connection-banner");
    this.notices = root.querySelector(".notices");
    this.presenceSelect = document.getElementById("presence");
    this.presenceLabel = this.presenceSelect.closest(".presence");
    this.presence = this.presenceLabel.dataset.presence;
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    this.connection = new Connection({
      url: scheme + "//" + location.host + root.dataset.socketPath,
      onFrame: (frame) => this.receive(frame),
      onOpen: () => this.opened(),
      onStateChange: () => this.showConnection(),
    });
    this.bindPageEvents();
    setInterval(() => this.tick(), 1000);
    this.refreshLists();
    this.connection.open();
  }

  bindPageEvents() {
    this.presenceSelect.addEventListener("change", () => this.requestPresence(this.presenceSelect.value));
    this.banner.querySelector(".connection-retry").addEventListener("click", () => this.connection.reconnectNow());
    window.addEventListener("online", () => this.connection.reconnectNow());
    document.addEventListener("visibilitychange", () => {
      if (document.hidden) return;
      this.hiddenEvents = 0;
      document.title = this.baseTitle;
      if (this.selected) this.selected.refreshSummary();
      this.connection.reconnectNow();
    });
    document.addEventListener("keydown", (event) => {
      if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
        event.preventDefault();
        this.selectNeighbour(event.key === "ArrowUp" ? -1 : 1);
      }
    });
    window.addEventListener("beforeunload", (event) => {
      if ([...this.pending.values()].some((entry) => entry.state === "pending")) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  // --- connection -------------------------------------------------------------

  opened() {
    this.isSynced = false;
    this.assignedThisSync = new Set();
  }

  /** The first pong on a socket follows every `assigned` the server sends on connect. */
  finishSync() {
    this.isSynced = true;
    for (const conversation of this.conversations.values()) {
      if (!conversation.isEnded && !this.assignedThisSync.has(conversation.id)) {
        conversation.end(gettext("This chat was closed while you were disconnected."));
      }
    }
    this.wasEverSynced = true;
    for (const [clientId, entry] of this.pending) {
      if (entry.state === "pending") this.transmit(clientId, entry);
    }
    this.refreshLists();
  }

  showConnection() {
    const state = this.connection.state;
    this.banner.hidden = state === "open";
    this.presenceSelect.disabled = state !== "open";
    this.banner.classList.toggle("is-waiting", state === "waiting");
    this.banner.querySelector(".connection-retry").hidden = state !== "waiting";
    for (const conversation of this.conversations.values()) {
      conversation.closeButton.disabled = state !== "open" || conversation.closeRequested;
    }
    this.tickBanner();
  }

  tickBanner() {
    const text = this.banner.querySelector(".connection-text");
    if (this.connection.state === "waiting") {
      const seconds = Math.max(0, Math.ceil((this.connection.retryAt - Date.now()) / 1000));
      text.textContent = interpolate(
        gettext("Connection lost. Reconnecting in %s s… Your messages will be sent once it is back."), [seconds]);
    } else if (this.connection.state === "connecting") {
      text.textContent = this.wasEverSynced ? gettext("Reconnecting…") : gettext("Connecting…");
    }
  }

  tick() {
    const now = Date.now();
    for (const conversation of this.conversations.values()) conversation.tick(now);
    if (this.connection.state === "waiting") this.tickBanner();
  }

  // --- frames from the server -------------------------------------------------

  receive(frame) {
    const handlers = {
      presence: () => this.showPresence(frame.presence),
      pong: () => { if (!this.isSynced) this.finishSync(); },
      assigned: () => this.assign(frame.conversation),
      message: () => this.receiveMessage(frame),
      ack: () => this.acknowledge(frame),
      error: () => this.receiveError(frame),
      status: () => this.receiveStatus(frame),
      typing: () => {
        const conversation = this.conversations.get(frame.conversation);
        if (conversation && frame.sender === "visitor" && !conversation.isEnded) conversation.showTyping();
      },
    };
    if (handlers[frame.type]) handlers[frame.type]();
  }

  assign(payload) {
    if (!payload || !payload.id) return;
    let conversation = this.conversations.get(payload.id);
    if (conversation) {
      conversation.update(payload);
      if (conversation.isEnded) {
        conversation.reopen();
        this.chatList.append(conversation.item);
      }
    } else {
      conversation = new Conversation(this, payload);
      this.conversations.set(conversation.id, conversation);
      this.chatList.append(conversation.item);
      this.panes.append(conversation.pane);
      if (this.wasEverSynced) this.notifyIfHidden();
    }
    this.assignedThisSync.add(conversation.id);
    if (!this.selected) this.select(conversation, { focus: false });
    this.refreshLists();
    this.showConnection();
  }

  receiveMessage(frame) {
    const conversation = this.conversations.get(frame.conversation);
    if (!conversation || !Number.isInteger(frame.seq) || conversation.has(frame.seq)) return;
    const entry = frame.client_id ? this.pending.get(frame.client_id) : null;
    if (entry && entry.conversation === conversation) {
      conversation.confirmEcho(entry.node, frame.seq, frame.at);
      this.pending.delete(frame.client_id);
    } else {
      conversation.addMessage(frame);
    }
    if (frame.sender === "visitor") {
      conversation.hideTyping();
      if (frame.seq > conversation.historyUntil) this.notifyIfHidden();
    }
    conversation.refreshSummary();
    conversation.followNewMessages(false);
  }

  acknowledge(frame) {
    const entry = this.pending.get(frame.client_id);
    if (!entry) return;
    this.pending.delete(frame.client_id);
    entry.conversation.confirmEcho(entry.node, frame.seq, null);
    entry.conversation.refreshSummary();
  }

  receiveError(frame) {
    const entry = frame.client_id ? this.pending.get(frame.client_id) : null;
    if (entry) {
      entry.state = "failed";
      entry.conversation.failEcho(entry.node, frame.detail || frame.code);
      if (frame.code === "rate_limited" && !entry.wasRetriedAutomatically) {
        entry.wasRetriedAutomatically = true;
        setTimeout(() => this.retry(frame.client_id), RATE_LIMITED_RETRY_MS);
      }
    } else {
      this.notice(frame.detail || frame.code || gettext("The server refused a request."));
    }
  }

  receiveStatus(frame) {
    const conversation = this.conversations.get(frame.conversation);
    if (!conversation || (frame.status !== "closed" && frame.status !== "missed")) return;
    const hasUnsent = [...this.pending.values()].some((entry) => entry.conversation === conversation);
    if (conversation.closeRequested && !conversation.composer.value.trim() && !hasUnsent) {
      this.dismiss(conversation);
      return;
    }
    conversation.end(conversation.closeRequested ? gettext("You closed this chat.") : null);
    this.refreshLists();
  }

  showPresence(presence) {
    this.presence = presence;
    this.presenceSelect.value = presence;
    this.presenceLabel.dataset.presence = presence;
    this.presenceLabel.classList.remove("is-pending");
    this.refreshLists();
  }

  // --- what the agent does ----------------------------------------------------

  requestPresence(presence) {
    if (this.connection.send({ type: "presence", presence })) {
      this.presenceLabel.classList.add("is-pending");
    } else {
      this.presenceSelect.value = this.presence;
      this.notice(gettext("Not connected: your presence was not changed."));
    }
  }

  sendMessage(conversation) {
    const body = conversation.composer.value;
    if (!body.trim() || conversation.isEnded) return;
    const clientId = newClientId();
    const entry = { conversation, body, node: conversation.addEcho(body), state: "pending" };
    this.pending.set(clientId, entry);
    entry.node.querySelector(".message-retry").addEventListener("click", () => this.retry(clientId));
    conversation.composer.value = "";
    drafts.save(conversation.id, "");
    conversation.fitComposer();
    conversation.lastTypingSentAt = 0;
    conversation.refreshSummary();
    conversation.followNewMessages(true);
    if (this.isSynced) this.transmit(clientId, entry);
  }

  transmit(clientId, entry) {
    const frame = { type: "message", conversation: entry.conversation.id, client_id: clientId, body: entry.body };
    if (JSON.stringify(frame).length > MAX_FRAME_CHARS) {
      entry.state = "failed";
      entry.conversation.failEcho(entry.node, gettext("This message is too long to send. Please shorten it."));
      return;
    }
    this.connection.send(frame); // when not open, finishSync() sends it after the reconnect
  }

  retry(clientId) {
    const entry = this.pending.get(clientId);
    if (!entry || entry.state !== "failed") return;
    entry.state = "pending";
    entry.conversation.setState(entry.node, "pending");
    if (this.isSynced) this.transmit(clientId, entry);
  }

  requestClose(conversation) {
    if (conversation.isEnded || conversation.closeRequested) return;
    if (!window.confirm(interpolate(gettext("Close the chat with %s? The visitor will see that it has ended."),
      [conversation.visitorName]))) return;
    if (!this.connection.send({ type: "close", conversation: conversation.id })) {
      this.notice(gettext("Not connected: the chat was not closed. Try again once the connection is back."));
      return;
    }
    conversation.closeRequested = true;
    conversation.closeButton.disabled = true;
    setTimeout(() => {
      if (conversation.isEnded) return;
      conversation.closeRequested = false;
      conversation.closeButton.disabled = !this.connection.isOpen;
    }, CLOSE_ANSWER_TIMEOUT_MS);
  }

  dismiss(conversation) {
    for (const [clientId, entry] of this.pending) {
      if (entry.conversation === conversation) this.pending.delete(clientId);
    }
    const order = this.orderedConversations();
    const next = order[order.indexOf(conversation) + 1] || order[order.indexOf(conversation) - 1] || null;
    conversation.item.remove();
    conversation.pane.remove();
    drafts.save(conversation.id, "");
    this.conversations.delete(conversation.id);
    if (this.selected === conversation) {
      this.selected = null;
      if (next) this.select(next, { focus: false });
      else this.announceSelection();
    }
    this.refreshLists();
  }

  select(conversation, { focus }) {
    if (this.selected && this.selected !== conversation) this.selected.hide();
    this.selected = conversation;
    conversation.show();
    this.root.querySelector(".no-selection").hidden = true;
    if (focus && !conversation.isEnded) conversation.composer.focus();
    this.announceSelection();
  }

  selectNeighbour(step) {
    const order = this.orderedConversations();
    if (!order.length) return;
    const index = order.indexOf(this.selected);
    const next = order[(index + step + order.length) % order.length];
    this.select(next, { focus: true });
  }

  orderedConversations() {
    return [...this.chatList.children, ...this.endedList.children]
      .map((item) => this.conversations.get(Number(item.dataset.conversation)))
      .filter(Boolean);
  }

  /** The briefing slot (a later feature) follows the selected chat's client. */
  announceSelection() {
    const conversation = this.selected;
    const client = conversation ? conversation.payload.client || {} : {};
    this.briefing.dataset.conversation = conversation ? conversation.id : "";
    this.briefing.dataset.client = client.id || "";
    this.root.querySelector(".no-selection").hidden = Boolean(conversation);
    document.dispatchEvent(new CustomEvent("relevo:conversation-selected", {
      detail: { conversation: conversation ? conversation.id : null, client: conversation ? client : null },
    }));
  }

  // --- page furniture ---------------------------------------------------------

  refreshLists() {
    for (const conversation of this.conversations.values()) {
      if (conversation.isEnded && conversation.item.parentNode !== this.endedList) this.endedList.prepend(conversation.item);
    }
    const active = this.chatList.children.length;
    this.root.querySelector(".chat-count").textContent = String(active);
    for (const empty of this.root.querySelectorAll(".chat-list-empty")) {
      empty.hidden = active > 0 || (empty.dataset.when === "online") !== (this.presence === "online");
    }
    this.root.querySelector(".ended-section").hidden = this.endedList.children.length === 0;
  }

  notifyIfHidden() {
    if (!document.hidden) return;
    this.hiddenEvents += 1;
    document.title = "(" + this.hiddenEvents + ") " + this.baseTitle;
  }

  notice(text) {
    const notice = element("div", "notice");
    const close = element("button", "notice-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", gettext("Dismiss"));
    close.addEventListener("click", () => notice.remove());
    notice.append(element("span", "notice-text", text), close);
    this.notices.append(notice);
    while (this.notices.children.length > 3) this.notices.firstElementChild.remove();
  }
}

const root = document.getElementById("console");
if (root) window.relevoConsole = new AgentConsole(root);
