/* Escalate a visitor's question to the client, record feedback, and list the chat's escalations.
   Clicking a visitor message selects it: its text prefills the question and its seq is the source. */
import { requestJson, urls } from "./api.js";
import { element, gettext, interpolate } from "./shared.js";

export class EscalationPanel {
  constructor(conversation) {
    this.conversation = conversation;
    const pane = conversation.pane;
    this.escalateButton = pane.querySelector("[data-testid=escalate]");
    this.feedbackButton = pane.querySelector("[data-testid=feedback]");
    this.escalationForm = pane.querySelector("[data-testid=escalation-form]");
    this.feedbackForm = pane.querySelector("[data-testid=feedback-form]");
    this.list = pane.querySelector("[data-testid=escalations]");
    this.selectedNode = null;
    this.categoriesLoaded = null;
    this.listLoaded = false;
    this.escalateButton.addEventListener("click", () => this.toggle(this.escalationForm));
    this.feedbackButton.addEventListener("click", () => this.toggle(this.feedbackForm));
    for (const form of [this.escalationForm, this.feedbackForm]) {
      form.querySelector(".form-cancel").addEventListener("click", () => this.closeForms());
      form.addEventListener("keydown", (event) => { if (event.key === "Escape") this.closeForms(); });
    }
    this.escalationForm.addEventListener("submit", (event) => { event.preventDefault(); this.escalate(); });
    this.feedbackForm.addEventListener("submit", (event) => { event.preventDefault(); this.sendFeedback(); });
  }

  field(form, name) {
    return form.elements.namedItem(name);
  }

  /** A click on a visitor message: select it (again: unselect) as the question to escalate. */
  selectMessage(node) {
    if (!node.dataset.seq) return;
    const isSame = this.selectedNode === node;
    if (this.selectedNode) this.selectedNode.classList.remove("is-picked");
    this.selectedNode = isSame ? null : node;
    if (this.selectedNode) this.selectedNode.classList.add("is-picked");
    if (!this.escalationForm.hidden) this.prefill();
  }

  prefill() {
    const question = this.field(this.escalationForm, "question");
    const node = this.selectedNode;
    this.escalationForm.dataset.sourceSeq = node ? node.dataset.seq : "";
    if (node) question.value = node.querySelector(".message-body").textContent;
    this.escalationForm.querySelector(".form-source").textContent = node
      ? interpolate(gettext("From message #%s"), [node.dataset.seq])
      : gettext("Tip: click a visitor's message to quote it.");
  }

  toggle(form) {
    const opening = form.hidden;
    this.closeForms();
    if (!opening) return;
    form.hidden = false;
    (form === this.escalationForm ? this.escalateButton : this.feedbackButton).setAttribute("aria-expanded", "true");
    this.showError(form, "");
    if (form === this.escalationForm) {
      this.prefill();
      this.loadCategories();
    }
    form.querySelector("textarea").focus();
  }

  closeForms() {
    for (const form of [this.escalationForm, this.feedbackForm]) form.hidden = true;
    this.escalateButton.setAttribute("aria-expanded", "false");
    this.feedbackButton.setAttribute("aria-expanded", "false");
  }

  loadCategories() {
    if (this.categoriesLoaded) return this.categoriesLoaded;
    const select = this.field(this.escalationForm, "category");
    this.categoriesLoaded = requestJson(urls.categories(this.conversation.id)).then((data) => {
      select.replaceChildren(...data.categories.map((category) => {
        const option = element("option", "", category.label);
        option.value = category.code;
        return option;
      }));
    }).catch((error) => {
      this.categoriesLoaded = null;
      this.showError(this.escalationForm, error.detail);
    });
    return this.categoriesLoaded;
  }

  showError(form, text) {
    const error = form.querySelector(".form-error");
    error.textContent = text;
    error.hidden = !text;
  }

  async submit(form, url, body, done) {
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    this.showError(form, "");
    try {
      done(await requestJson(url, body));
      form.reset();
      this.closeForms();
    } catch (error) {
      this.showError(form, error.detail);
    } finally {
      button.disabled = false;
    }
  }

  escalate() {
    const form = this.escalationForm;
    const sourceSeq = Number(form.dataset.sourceSeq) || null;
    const body = {
      question: this.field(form, "question").value, category: this.field(form, "category").value,
      urgency: this.field(form, "urgency").value, note: this.field(form, "note").value, source_seq: sourceSeq,
    };
    return this.submit(form, urls.escalations(this.conversation.id), body, (escalation) => {
      this.addToList(escalation);
      if (this.selectedNode) this.selectMessage(this.selectedNode);
      this.conversation.app.flash(gettext("The question was escalated to the client."));
    });
  }

  sendFeedback() {
    const form = this.feedbackForm;
    const body = { kind: this.field(form, "kind").value, text: this.field(form, "text").value };
    return this.submit(form, urls.feedback(this.conversation.id), body, () => {
      this.conversation.app.flash(gettext("Thank you: the feedback goes into the client's report."));
    });
  }

  /** The chat's escalations, fetched the first time its pane is shown. */
  async loadList() {
    if (this.listLoaded) return;
    this.listLoaded = true;
    try {
      const data = await requestJson(urls.escalations(this.conversation.id));
      for (const escalation of data.escalations) this.addToList(escalation);
    } catch (error) {
      this.listLoaded = false;
    }
  }

  /** Escalations already read (a recent chat's): shown without asking the server again. */
  show(escalations) {
    this.listLoaded = true;
    for (const escalation of escalations) this.addToList(escalation);
  }

  addToList(escalation) {
    if (this.list.querySelector(`[data-escalation="${escalation.id}"]`)) return;
    this.list.append(this.itemOf(escalation));
    this.list.hidden = false;
  }

  /** An escalation changed (the client answered it): its line shows it now. */
  update(escalation) {
    const known = this.list.querySelector(`[data-escalation="${escalation.id}"]`);
    if (known) known.replaceWith(this.itemOf(escalation));
    else if (this.listLoaded) this.addToList(escalation);
  }

  itemOf(escalation) {
    const item = element("li", "escalation-item is-" + escalation.status);
    item.dataset.escalation = escalation.id;
    item.setAttribute("data-testid", "escalation-item");
    const meta = element("span", "escalation-meta", escalation.category_label);
    if (escalation.urgency === "urgent") meta.append(element("span", "badge-urgent", gettext("Urgent")));
    const question = element("span", "escalation-question", escalation.question);
    question.title = escalation.question;
    item.append(meta, question);
    if (escalation.answer) {
      const answer = element("span", "escalation-answer", escalation.answer);
      answer.title = escalation.answer;
      answer.setAttribute("data-testid", "escalation-answer");
      item.append(answer);
    } else {
      item.append(element("span", "escalation-waiting muted", gettext("Waiting for the client's answer.")));
    }
    return item;
  }

  /** An ended chat takes feedback but no new escalations. */
  setEnded(isEnded) {
    this.escalateButton.hidden = isEnded;
    if (isEnded) this.escalationForm.hidden = true;
  }
}
