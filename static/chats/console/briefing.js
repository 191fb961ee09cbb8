/* The aside beside the selected chat: its client's briefing and FAQ, and what the visitor asked before.
   A client's briefing is fetched once and kept in memory; every render checks that the chat it was
   fetched for is still the selected one, so an agent serving several clients never sees the wrong one. */
import { requestJson, urls } from "./api.js";
import { element, gettext, httpUrl } from "./shared.js";

export class BriefingPanel {
  constructor(aside) {
    this.aside = aside;
    this.briefings = new Map(); // client id → Promise of the briefing
    this.histories = new Map(); // conversation id → Promise of earlier escalations
    this.conversation = null;
  }

  briefingOf(clientId) {
    if (!this.briefings.has(clientId)) {
      const request = requestJson(urls.briefing(clientId));
      request.catch(() => this.briefings.delete(clientId)); // a failure is retried on the next selection
      this.briefings.set(clientId, request);
    }
    return this.briefings.get(clientId);
  }

  historyOf(conversation) {
    if (!this.histories.has(conversation.id)) {
      const request = requestJson(urls.visitorHistory(conversation.id)).then((data) => data.escalations);
      request.catch(() => this.histories.delete(conversation.id));
      this.histories.set(conversation.id, request);
    }
    return this.histories.get(conversation.id);
  }

  async show(conversation) {
    this.conversation = conversation;
    const client = conversation ? conversation.payload.client || {} : {};
    this.aside.hidden = !conversation;
    if (!conversation) return;
    if (this.aside.dataset.client !== String(client.id) || !this.aside.childElementCount) {
      this.aside.replaceChildren(element("p", "briefing-loading muted", gettext("Loading the client's briefing…")));
    }
    this.aside.dataset.client = client.id;
    const hasEmail = Boolean((conversation.payload.visitor || {}).email);
    try {
      const [briefing, history] = await Promise.all([
        this.briefingOf(client.id),
        hasEmail ? this.historyOf(conversation).catch(() => []) : Promise.resolve([]),
      ]);
      if (this.conversation !== conversation) return;
      this.render(briefing, history);
    } catch (error) {
      if (this.conversation !== conversation) return;
      this.aside.replaceChildren(element("p", "briefing-error", error.detail || gettext("The briefing could not be loaded.")));
    }
  }

  render(briefing, history) {
    const sections = [this.heading(briefing.client)];
    if (history.length) sections.push(this.historySection(history));
    sections.push(
      this.textSection(gettext("You may answer"), briefing.may_answer, "may-answer"),
      this.textSection(gettext("Do not answer — escalate"), briefing.may_not_answer, "may-not-answer"),
      this.textSection(gettext("Tone of voice"), briefing.tone, "tone"),
    );
    if (briefing.useful_links.length) sections.push(this.linksSection(briefing.useful_links));
    if (briefing.faq.length) sections.push(this.faqSection(briefing.faq));
    sections.push(element("p", "briefing-hint muted", gettext("Type / at the start of a reply to insert a canned reply.")));
    this.aside.replaceChildren(...sections.filter(Boolean));
  }

  heading(client) {
    const header = element("header", "briefing-header");
    const name = element("h2", "briefing-client", client.name);
    name.setAttribute("data-testid", "briefing-client");
    header.append(element("span", "briefing-kicker", gettext("Client briefing")), name);
    if (client.timezone) header.append(element("span", "briefing-timezone muted", client.timezone));
    return header;
  }

  section(title, className) {
    const section = element("section", "briefing-section " + className);
    section.append(element("h3", "", title));
    return section;
  }

  textSection(title, text, className) {
    if (!text) return null;
    const section = this.section(title, className);
    section.append(element("p", "briefing-text", text));
    return section;
  }

  linksSection(links) {
    const section = this.section(gettext("Useful links"), "links");
    const list = element("ul", "briefing-links");
    for (const link of links) {
      const url = httpUrl(link);
      const item = element("li");
      if (url) {
        const anchor = element("a", "", url.host + url.pathname);
        anchor.href = url.href;
        anchor.target = "_blank";
        anchor.rel = "noopener noreferrer";
        item.append(anchor);
      } else {
        item.textContent = link;
      }
      list.append(item);
    }
    section.append(list);
    return section;
  }

  faqSection(faq) {
    const section = this.section(gettext("FAQ"), "faq");
    section.setAttribute("data-testid", "faq");
    for (const entry of faq) {
      const details = element("details", "faq-entry");
      details.append(element("summary", "", entry.question), element("p", "briefing-text", entry.answer));
      section.append(details);
    }
    return section;
  }

  historySection(history) {
    const section = this.section(gettext("This visitor asked before"), "visitor-history");
    section.setAttribute("data-testid", "visitor-history");
    for (const escalation of history) {
      const entry = element("div", "history-entry");
      entry.append(element("p", "history-question", escalation.question));
      entry.append(escalation.answer
        ? element("p", "history-answer", escalation.answer)
        : element("p", "history-pending muted", gettext("Waiting for the client's answer.")));
      section.append(entry);
    }
    return section;
  }
}
