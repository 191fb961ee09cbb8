import { CannedPicker } from "./canned.js";
import { EscalationPanel } from "./escalations.js";
import { TeamworkPanel, markInternal } from "./teamwork.js";
import { LeadCard } from "./leads.js";
import {
  gettext, ngettext, interpolate, TYPING_SEND_EVERY_MS, TYPING_SHOW_MS, LATE_REPLY_SECONDS, VERY_LATE_REPLY_SECONDS,
  clockFormat, fullFormat, element, cloneTemplate, httpUrl, setTime, formatDuration, drafts,
} from "./shared.js";

/** One chat: its list item, its pane (history, draft, scroll position) and what it has seen. */
export class Conversation {
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
    this.composer = pane.querySelector("[data-testid=composer]");
    this.sendButton = pane.querySelector("[data-testid=send]");
    this.closeButton = pane.querySelector(".close-chat");
    this.jumpButton = pane.querySelector(".jump-latest");
    this.divider = element("li", "new-divider", gettext("New messages"));
    this.composer.value = drafts.load(this.id);
    this.replyPlaceholder = this.composer.placeholder;
    this.canned = new CannedPicker(this);
    this.escalations = new EscalationPanel(this);
    this.teamwork = new TeamworkPanel(this);
    this.leadCard = new LeadCard(this);
    pane.querySelector(".composer").addEventListener("submit", (event) => {
      event.preventDefault();
      this.app.outbox.send(this);
    });
    this.composer.addEventListener("keydown", (event) => {
      if (this.canned.handleKey(event)) return;
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.app.outbox.send(this);
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
    const name = this.pane.querySelector(".pane-visitor");
    name.textContent = this.visitorName;
    name.title = this.visitorName; // the header truncates a long name
    const email = this.pane.querySelector(".pane-email");
    email.textContent = visitor.email || "";
    email.title = visitor.email || "";
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
    if (frame.internal) markInternal(node);
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

  /** `body`, when given, is the text as the server stored it (a masked card number). */
  confirmEcho(node, seq, at, body) {
    if (this.messages.has(seq)) {
      node.remove();
      return;
    }
    if (typeof body === "string") node.querySelector(".message-body").textContent = body;
    this.setState(node, "sent");
    if (at) setTime(node.querySelector("time"), new Date(at));
    this.store(node, seq, "agent", at || new Date().toISOString());
  }

  /** The server masked a card number in a message already shown: show its stored text. */
  redact(seq, body) {
    const message = this.messages.get(seq);
    if (!message) return;
    this.setBody(message.node, body);
    this.refreshSummary();
  }

  setBody(node, body) {
    node.querySelector(".message-body").textContent = body;
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
    if (sender === "agent" && !node.classList.contains("message-internal")) this.lastAgentSeq = Math.max(this.lastAgentSeq, seq);
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
    if (sender === "visitor") {
      node.classList.add("is-pickable");
      node.title = gettext("Click to quote this message in an escalation");
      node.addEventListener("click", () => this.escalations.selectMessage(node));
    }
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
    this.canned.onInput();
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
    this.escalations.loadList();
    this.teamwork.loadTags();
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
    this.teamwork.transferButton.hidden = true;
    this.escalations.setEnded(true);
    this.canned.close();
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
    this.teamwork.transferButton.hidden = false;
    this.escalations.setEnded(false);
    this.closeButton.disabled = false;
    this.composer.readOnly = false;
    this.composer.placeholder = this.replyPlaceholder;
    this.sendButton.disabled = false;
    this.refreshSummary();
  }
}
