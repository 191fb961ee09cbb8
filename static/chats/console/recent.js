/* Recent chats (GET /console/api/recent-chats/): the agent's chats that ended lately, each with its
 * escalations and the client's answers. Read from the server on every page load, so a reload loses
 * nothing; a chat opens read-only with its whole history (GET /console/api/recent-chats/<id>/). The
 * `escalation_answered` frame (docs/protocol.md) brings a new answer at once. Text only via textContent. */
import { requestJson, urls } from "./api.js";
import { dayClockFormat, element, gettext, interpolate } from "./shared.js";

/** `escalations` with `escalation` put in place of the one with its id (or added last). */
export function withEscalation(escalations, escalation) {
  const others = (escalations || []).filter((known) => known.id !== escalation.id);
  return [...others, escalation].sort((a, b) => a.id - b.id);
}

export class RecentChats {
  constructor(app) {
    this.app = app;
    this.section = app.root.querySelector(".recent-section");
    this.list = this.section.querySelector(".recent-list");
    this.chats = new Map(); // conversation id → the list's chat object
  }

  async load() {
    try {
      const data = await requestJson(urls.recentChats());
      this.chats = new Map(data.chats.map((chat) => [chat.id, chat]));
    } catch (error) {
      return; // the list stays as it was; the next load tries again
    }
    this.render();
  }

  /** Chats shown in a pane of this page (active, or ended and still listed) are left out. */
  render() {
    const shown = [...this.chats.values()].filter((chat) => !this.app.conversations.has(chat.id));
    this.list.replaceChildren(...shown.map((chat) => this.itemOf(chat)));
    this.section.hidden = shown.length === 0;
  }

  itemOf(chat) {
    const item = element("li", "chat-item recent-item");
    item.dataset.conversation = chat.id;
    item.dataset.testid = "recent-chat";
    const button = element("button", "chat-item-button");
    button.type = "button";
    const name = (chat.visitor && chat.visitor.name) || interpolate(gettext("Visitor #%s"), [chat.id]);
    const when = element("span", "chat-item-time", chat.closed_at ? dayClockFormat.format(new Date(chat.closed_at)) : "");
    const top = element("span", "chat-item-row");
    top.append(element("span", "chat-item-name", name), when);
    const client = element("span", "chat-item-row");
    client.append(element("span", "chat-item-client", (chat.client && chat.client.name) || ""));
    button.append(top, client);
    const escalations = chat.escalations || [];
    if (escalations.length) {
      const isAnswered = escalations.every((escalation) => escalation.status === "answered");
      const state = element("span", "recent-state " + (isAnswered ? "is-answered" : "is-waiting"),
        isAnswered ? gettext("Answered by the client") : gettext("Waiting for the client's answer."));
      state.dataset.testid = "recent-state";
      button.append(state);
      const answered = escalations.filter((escalation) => escalation.answer);
      if (answered.length) {
        const answer = element("span", "recent-answer", answered[answered.length - 1].answer);
        answer.dataset.testid = "recent-answer";
        button.append(answer);
      }
    }
    button.addEventListener("click", () => this.open(chat.id));
    item.append(button);
    return item;
  }

  /** Open a recent chat read-only: its history, escalations and answers. */
  async open(conversationId) {
    if (!this.app.conversations.has(conversationId)) {
      let data;
      try {
        data = await requestJson(urls.recentChat(conversationId));
      } catch (error) {
        this.app.notice(error.detail);
        return;
      }
      if (!this.app.conversations.has(conversationId)) this.app.showEnded(data.conversation, data.messages);
    }
    this.app.select(this.app.conversations.get(conversationId), { focus: false });
    this.render();
  }

  /** The client answered a question escalated from one of this agent's chats. */
  answered(frame) {
    const chat = this.chats.get(frame.conversation);
    if (!chat) {
      this.load(); // ended since this page read the list, or older: read it again
      return;
    }
    chat.escalations = withEscalation(chat.escalations, frame.escalation);
    this.render();
  }
}
