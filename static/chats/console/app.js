import { gettext, interpolate, CLOSE_ANSWER_TIMEOUT_MS, element, drafts } from "./shared.js";
import { BriefingPanel } from "./briefing.js";
import { CallDesk } from "./calls.js";
import { Connection } from "./connection.js";
import { Conversation } from "./conversation.js";
import { Outbox } from "./outbox.js";
import { Teamwork } from "./teamwork.js";
import { showRating } from "./ratings.js";
import { HistorySearch } from "./search.js";
import { RecentChats } from "./recent.js";

/** The console: routes frames to conversations and keeps the page around them honest. */
export class AgentConsole {
  constructor(root) {
    this.root = root;
    this.agentName = root.dataset.agentName;
    this.maxBodyChars = Number(root.dataset.maxBodyChars); // CHAT_MAX_BODY_CHARS
    this.conversations = new Map();
    this.outbox = new Outbox(this);
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
    this.briefingPanel = new BriefingPanel(this.briefing);
    this.calls = new CallDesk(this);
    this.banner = root.querySelector(".connection-banner");
    this.notices = root.querySelector(".notices");
    this.presenceSelect = document.getElementById("presence");
    this.presenceLabel = this.presenceSelect.closest(".presence");
    this.presence = this.presenceLabel.dataset.presence;
    this.teamwork = new Teamwork(this);
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    this.connection = new Connection({
      url: scheme + "//" + location.host + root.dataset.socketPath,
      onFrame: (frame) => this.receive(frame),
      onOpen: () => this.opened(),
      onStateChange: () => this.showConnection(),
    });
    this.bindPageEvents();
    this.historySearch = new HistorySearch(root.querySelector(".chat-sidebar"));
    this.recent = new RecentChats(this);
    setInterval(() => this.tick(), 1000);
    this.refreshLists();
    this.recent.load();
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
      if (this.outbox.isSending()) {
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
    this.outbox.resendAll();
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
    if (this.teamwork.receive(frame)) return;
    const handlers = {
      presence: () => this.showPresence(frame.presence),
      pong: () => { if (!this.isSynced) this.finishSync(); },
      assigned: () => this.assign(frame.conversation),
      message: () => this.receiveMessage(frame),
      ack: () => this.outbox.acknowledge(frame),
      error: () => this.receiveError(frame),
      status: () => this.receiveStatus(frame),
      rating: () => showRating(this, frame),
      escalation_answered: () => this.escalationAnswered(frame),
      redacted: () => {
        const conversation = this.conversations.get(frame.conversation);
        if (conversation && typeof frame.body === "string") conversation.redact(frame.seq, frame.body);
      },
      typing: () => {
        const conversation = this.conversations.get(frame.conversation);
        if (conversation && frame.sender === "visitor" && !conversation.isEnded) conversation.showTyping();
      },
    };
    if (handlers[frame.type]) handlers[frame.type]();
    else if (/^call(\.|$)/.test(frame.type)) this.calls.receive(frame);
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
      this.calls.attach(conversation);
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
    if (!this.outbox.confirmByMessage(conversation, frame)) conversation.addMessage(frame);
    if (frame.sender === "visitor") {
      conversation.hideTyping();
      if (frame.seq > conversation.historyUntil) this.notifyIfHidden();
    }
    conversation.refreshSummary();
    conversation.followNewMessages(false);
  }

  receiveError(frame) {
    if (!this.outbox.refused(frame)) this.notice(frame.detail || frame.code || gettext("The server refused a request."));
  }

  receiveStatus(frame) {
    const conversation = this.conversations.get(frame.conversation);
    if (!conversation || (frame.status !== "closed" && frame.status !== "missed")) return;
    if (conversation.closeRequested && !conversation.composer.value.trim() && !this.outbox.hasUnsent(conversation)) {
      this.dismiss(conversation);
      return;
    }
    conversation.end(conversation.closeRequested ? gettext("You closed this chat.") : null);
    this.refreshLists();
    this.recent.load();
  }

  /** The client answered a question this agent escalated: say so, and show it where the chat is. */
  escalationAnswered(frame) {
    const escalation = frame.escalation;
    if (!escalation || typeof escalation.answer !== "string") return;
    const conversation = this.conversations.get(frame.conversation);
    if (conversation) conversation.escalations.update(escalation);
    this.recent.answered(frame);
    const text = interpolate(gettext("The client answered “%s”: %s"), [escalation.question, escalation.answer]);
    const note = this.notice(text);
    note.classList.add("is-success");
    note.dataset.testid = "answer-notice";
    note.dataset.conversation = frame.conversation;
    this.teamwork.notify(text);
  }

  /** A chat that ended before this page saw it (a recent chat), shown read-only in its own pane. */
  showEnded(payload, messages) {
    const conversation = new Conversation(this, payload);
    this.conversations.set(conversation.id, conversation);
    this.endedList.append(conversation.item);
    this.panes.append(conversation.pane);
    for (const frame of messages) if (Number.isInteger(frame.seq)) conversation.addMessage(frame);
    conversation.readSeq = conversation.maxSeq; // history to read, nothing new in it
    conversation.escalations.show(payload.escalations || []);
    conversation.end(gettext("This chat has ended: you are reading its history."));
    this.refreshLists();
    return conversation;
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
    this.outbox.forget(conversation);
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
    this.recent.render();
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

  /** The briefing aside follows the selected chat's client. */
  announceSelection() {
    const conversation = this.selected;
    const client = conversation ? conversation.payload.client || {} : {};
    this.briefing.dataset.conversation = conversation ? conversation.id : "";
    this.briefing.dataset.client = client.id || "";
    this.root.querySelector(".no-selection").hidden = Boolean(conversation);
    this.briefingPanel.show(conversation);
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
    this.teamwork.notify(gettext("A new chat or message is waiting"));
  }

  /** A short confirmation that goes away by itself. */
  flash(text) {
    const note = this.notice(text);
    note.classList.add("is-success");
    setTimeout(() => note.remove(), 5000);
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
    return notice;
  }
}
