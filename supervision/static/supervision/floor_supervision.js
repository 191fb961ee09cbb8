/* The floor's supervision: monitor a chat live (read-only, internal notes included), whisper to its
   agent (an internal note the visitor never sees) and take it over. Frames: docs/protocol.md, "Floor".
   Text reaches the DOM only through textContent. */
const gettext = window.gettext || ((text) => text);
const interpolate = window.interpolate || ((format, args) => args.reduce((text, arg) => text.replace("%s", arg), format));

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function newClientId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
    (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16));
}

export class Supervision {
  constructor(root) {
    this.root = root;
    this.socket = null;
    this.panels = new Map(); // conversation id → {card, history, seqs, form}
    this.area = element("section", "supervision");
    this.area.setAttribute("data-testid", "supervision");
    root.append(this.area);
  }

  attach(socket) {
    this.socket = socket;
    socket.addEventListener("open", () => {
      for (const id of this.panels.keys()) this.send({ type: "monitor", conversation: id });
    });
  }

  send(frame) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** The cell of an active chat's row: a button to monitor it. */
  actionCell(chat) {
    const td = element("td");
    const button = element("button", "link", gettext("Monitor"));
    button.type = "button";
    button.setAttribute("data-testid", "monitor");
    button.addEventListener("click", () => this.send({ type: "monitor", conversation: chat.id }));
    td.append(button);
    return td;
  }

  receive(frame) {
    const panel = this.panels.get(frame.conversation && frame.conversation.id ? frame.conversation.id : frame.conversation);
    if (frame.type === "monitoring") this.open(frame.conversation);
    else if (frame.type === "message" && panel) this.addMessage(panel, frame);
    else if (frame.type === "ack" && panel) panel.form.reset();
    else if (frame.type === "status" && panel && (frame.status === "closed" || frame.status === "missed")) {
      panel.state.textContent = gettext("This chat has ended.");
      panel.form.hidden = true;
    } else if (frame.type === "status" && panel && frame.agent) {
      panel.agent.textContent = interpolate(gettext("Agent: %s"), [frame.agent.name]);
    } else if (frame.type === "took_over" && panel) {
      panel.state.textContent = gettext("You took this chat over: answer it in your console.");
      const link = element("a", "", gettext("Open the console"));
      link.href = "/console/";
      panel.state.append(" ", link);
    } else if (frame.type === "error") {
      const target = panel || [...this.panels.values()].pop();
      if (target) target.state.textContent = frame.detail || frame.code;
      else window.alert(frame.detail || frame.code);
    }
  }

  open(conversation) {
    if (this.panels.has(conversation.id)) return;
    const card = element("section", "card monitor");
    card.setAttribute("data-testid", "monitor-panel");
    const title = element("h2", "", interpolate(gettext("Monitoring: %s"), [
      (conversation.client.name || "") + " · " + (conversation.visitor.name || gettext("Visitor"))]));
    const agent = element("p", "muted", interpolate(gettext("Agent: %s"), [conversation.agent ? conversation.agent.name : "—"]));
    const history = element("ol", "monitor-history");
    const state = element("p", "monitor-state");
    state.setAttribute("role", "status");
    const form = element("form", "whisper-form");
    const text = element("textarea");
    text.rows = 2;
    text.setAttribute("data-testid", "whisper-text");
    text.setAttribute("aria-label", gettext("Whisper to the agent"));
    text.placeholder = gettext("Whisper to the agent (the visitor never sees it)");
    const whisper = element("button", "primary", gettext("Whisper"));
    whisper.type = "submit";
    whisper.setAttribute("data-testid", "whisper-send");
    const takeOver = element("button", "", gettext("Take over"));
    takeOver.type = "button";
    takeOver.setAttribute("data-testid", "take-over");
    const stop = element("button", "link", gettext("Stop monitoring"));
    stop.type = "button";
    form.append(text, whisper, takeOver, stop);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (text.value.trim()) this.send({ type: "whisper", conversation: conversation.id, client_id: newClientId(), body: text.value });
    });
    takeOver.addEventListener("click", () => {
      if (window.confirm(gettext("Take this chat over? You become its agent; the current agent keeps it read-only."))) {
        this.send({ type: "take_over", conversation: conversation.id });
      }
    });
    stop.addEventListener("click", () => {
      this.send({ type: "unmonitor", conversation: conversation.id });
      card.remove();
      this.panels.delete(conversation.id);
    });
    card.append(title, agent, history, state, form);
    this.area.append(card);
    this.panels.set(conversation.id, { card, history, seqs: new Set(), form, state, agent });
  }

  addMessage(panel, frame) {
    if (panel.seqs.has(frame.seq)) return;
    panel.seqs.add(frame.seq);
    const item = element("li", "monitor-message message-" + frame.sender + (frame.internal ? " message-internal" : ""));
    item.setAttribute("data-testid", "monitor-message");
    const who = frame.sender === "system" ? "" : (frame.author || gettext("Visitor")) + (frame.internal ? " · " + gettext("Internal note") : "") + ": ";
    item.append(element("strong", "", who), element("span", "", frame.body));
    panel.history.append(item);
    item.scrollIntoView({ block: "nearest" });
  }
}
