/* The lead card: the agent records the visitor's name, email, phone and consent during the chat
   (GET/POST /console/api/conversations/<id>/lead/). Built here, so the pane template stays as it is. */
import { requestJson } from "./api.js";
import { element, gettext } from "./shared.js";

const leadUrl = (conversationId) => `/console/api/conversations/${conversationId}/lead/`;

export class LeadCard {
  constructor(conversation) {
    this.conversation = conversation;
    const pane = conversation.pane;
    this.button = element("button", "pane-action", gettext("Lead"));
    this.button.type = "button";
    this.button.dataset.testid = "lead-card-toggle";
    this.button.setAttribute("aria-expanded", "false");
    this.button.title = gettext("Record the visitor's contact details for the client");
    pane.querySelector(".pane-actions").insertBefore(this.button, pane.querySelector(".close-chat"));
    this.form = this.buildForm();
    pane.querySelector(".feedback-form").after(this.form);
    this.loaded = false;
    this.button.addEventListener("click", () => this.toggle());
    this.form.addEventListener("submit", (event) => { event.preventDefault(); this.save(); });
  }

  buildForm() {
    const form = element("form", "pane-form lead-form");
    form.dataset.testid = "lead-card";
    form.hidden = true;
    form.append(element("h2", "pane-form-title", gettext("Lead card")));
    const fields = [["name", gettext("Name"), "text"], ["email", gettext("Email"), "email"], ["phone", gettext("Phone"), "tel"]];
    for (const [name, label, type] of fields) {
      const input = element("input");
      Object.assign(input, { name, type, maxLength: name === "email" ? 254 : name === "phone" ? 40 : 120 });
      input.dataset.testid = "lead-" + name;
      const wrap = element("label", "", label);
      wrap.append(input);
      form.append(wrap);
    }
    const consent = element("label", "wide");
    const box = element("input");
    Object.assign(box, { type: "checkbox", name: "consent" });
    box.dataset.testid = "lead-consent";
    consent.append(box, element("span", "", " " + gettext("The visitor agreed to be contacted")));
    form.append(consent);
    this.status = element("p", "form-error wide");
    this.status.setAttribute("role", "alert");
    this.status.dataset.testid = "lead-status";
    this.status.hidden = true;
    const buttons = element("div", "form-buttons wide");
    const cancel = element("button", "link", gettext("Cancel"));
    cancel.type = "button";
    cancel.addEventListener("click", () => this.toggle(false));
    const submit = element("button", "primary", gettext("Save lead"));
    submit.type = "submit";
    submit.dataset.testid = "lead-submit";
    buttons.append(cancel, submit);
    form.append(this.status, buttons);
    return form;
  }

  toggle(open = this.form.hidden) {
    this.form.hidden = !open;
    this.button.setAttribute("aria-expanded", String(open));
    if (open && !this.loaded) this.load();
  }

  /** Show a lead; `keepTyped`: what the agent typed while it loaded stays. */
  fill(lead, keepTyped = false) {
    if (!lead) return;
    for (const name of ["name", "email", "phone"]) {
      const input = this.form.elements.namedItem(name);
      if (!keepTyped || !input.value) input.value = lead[name] || "";
    }
    const consent = this.form.elements.namedItem("consent");
    consent.checked = (keepTyped && consent.checked) || !!lead.consent;
  }

  show(text, isError) {
    this.status.textContent = text;
    this.status.hidden = !text;
    this.status.classList.toggle("is-ok", !isError);
  }

  async load() {
    try {
      const data = await requestJson(leadUrl(this.conversation.id));
      this.loaded = true;
      const visitor = (this.conversation.payload && this.conversation.payload.visitor) || {};
      this.fill(data.lead || { name: visitor.name, email: visitor.email }, true);
    } catch (error) {
      this.show(error.detail, true);
    }
  }

  async save() {
    const value = (name) => this.form.elements.namedItem(name).value.trim();
    try {
      const data = await requestJson(leadUrl(this.conversation.id), {
        name: value("name"), email: value("email"), phone: value("phone"),
        consent: this.form.elements.namedItem("consent").checked,
      });
      this.fill(data.lead);
      this.show(gettext("Lead saved."), false);
    } catch (error) {
      this.show(error.detail, true);
    }
  }
}
