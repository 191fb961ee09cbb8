/* Working as a team in the console: internal notes, transfers (sent, offered, accepted), tags,
   chats taken over by a supervisor (kept read-only), and a desktop notification and sound while
   the tab is hidden (the agent's own preference, kept on the server). Text only via textContent. */
import { requestJson, urls } from "./api.js";
import { element, gettext, interpolate } from "./shared.js";

/** The part of one chat's pane: the note switch, the transfer form and the tags. */
export class TeamworkPanel {
  constructor(conversation) {
    this.conversation = conversation;
    const pane = conversation.pane;
    this.noteSwitch = element("label", "internal-switch");
    this.noteBox = element("input");
    this.noteBox.type = "checkbox";
    this.noteBox.setAttribute("data-testid", "internal-note");
    this.noteSwitch.append(this.noteBox, " ", gettext("Internal note (agents only)"));
    this.noteBox.addEventListener("change", () => pane.classList.toggle("is-writing-note", this.noteBox.checked));
    pane.querySelector(".composer-side").prepend(this.noteSwitch);

    this.transferButton = element("button", "pane-action", gettext("Transfer"));
    this.transferButton.type = "button";
    this.transferButton.setAttribute("data-testid", "transfer");
    this.transferButton.addEventListener("click", () => this.toggleTransfer());
    pane.querySelector(".pane-actions").prepend(this.transferButton);
    this.transferForm = this.buildTransferForm();
    pane.querySelector(".escalation-list").before(this.transferForm);

    this.tagList = element("div", "tag-list");
    this.tagList.setAttribute("data-testid", "tags");
    this.tagList.hidden = true;
    pane.querySelector(".pane-header").append(this.tagList);
    this.tagsLoaded = false;
  }

  get isInternal() {
    return this.noteBox.checked;
  }

  buildTransferForm() {
    const form = element("form", "pane-form transfer-form");
    form.hidden = true;
    form.setAttribute("data-testid", "transfer-form");
    this.targetSelect = element("select");
    this.targetSelect.name = "target";
    this.targetSelect.setAttribute("data-testid", "transfer-target");
    this.transferNote = element("textarea");
    this.transferNote.rows = 2;
    this.transferNote.setAttribute("data-testid", "transfer-note");
    const targetLabel = element("label", "", gettext("To"));
    targetLabel.append(this.targetSelect);
    const noteLabel = element("label", "wide", gettext("Note for your colleague (not shown to the visitor)"));
    noteLabel.append(this.transferNote);
    this.transferError = element("p", "form-error wide");
    this.transferError.hidden = true;
    const cancel = element("button", "link form-cancel", gettext("Cancel"));
    cancel.type = "button";
    cancel.addEventListener("click", () => { form.hidden = true; });
    const submit = element("button", "primary", gettext("Transfer"));
    submit.type = "submit";
    submit.setAttribute("data-testid", "transfer-submit");
    const buttons = element("div", "form-buttons wide");
    buttons.append(cancel, submit);
    form.append(element("h2", "pane-form-title", gettext("Transfer the chat")), targetLabel, noteLabel,
      this.transferError, buttons);
    form.addEventListener("submit", (event) => { event.preventDefault(); this.transfer(); });
    return form;
  }

  async toggleTransfer() {
    if (!this.transferForm.hidden) { this.transferForm.hidden = true; return; }
    this.transferForm.hidden = false;
    this.transferError.hidden = true;
    try {
      const targets = await requestJson(urls.transferTargets(this.conversation.id));
      const options = [];
      for (const agent of targets.agents) {
        const label = agent.name + (agent.has_free_slot && agent.presence === "online" ? "" : " · " + gettext("busy: waits for acceptance"));
        options.push(new Option(label, "agent:" + agent.id));
      }
      for (const team of targets.teams) options.push(new Option(interpolate(gettext("Team %s"), [team.name]), "team:" + team.id));
      this.targetSelect.replaceChildren(...options);
    } catch (error) {
      this.showTransferError(error.detail);
    }
  }

  transfer() {
    const [kind, id] = this.targetSelect.value.split(":");
    if (!id) return;
    const frame = { type: "transfer", conversation: this.conversation.id, note: this.transferNote.value };
    frame[kind === "team" ? "to_team" : "to_agent"] = Number(id);
    if (!this.conversation.app.connection.send(frame)) {
      this.showTransferError(gettext("Not connected: the chat was not transferred."));
    }
  }

  showTransferError(text) {
    this.transferError.textContent = text;
    this.transferError.hidden = !text;
  }

  transferred(status) {
    this.transferForm.hidden = true;
    this.transferNote.value = "";
    if (status === "pending") this.conversation.app.flash(gettext("Transfer sent: it waits until your colleague has a free slot."));
  }

  /** Tags: loaded when the pane is first shown; a click toggles one and saves the set. */
  async loadTags() {
    if (this.tagsLoaded) return;
    this.tagsLoaded = true;
    try {
      this.renderTags(await requestJson(urls.tags(this.conversation.id)));
    } catch (error) {
      this.tagsLoaded = false;
    }
  }

  renderTags(data) {
    const chosen = new Set(data.tags);
    this.tagList.hidden = data.available.length === 0;
    this.tagList.replaceChildren(...data.available.map((tag) => {
      const chip = element("button", "tag-chip" + (chosen.has(tag.id) ? " is-on" : ""), tag.name);
      chip.type = "button";
      chip.setAttribute("aria-pressed", String(chosen.has(tag.id)));
      chip.addEventListener("click", () => {
        if (chosen.has(tag.id)) chosen.delete(tag.id);
        else chosen.add(tag.id);
        this.saveTags([...chosen]);
      });
      return chip;
    }));
  }

  async saveTags(tags) {
    try {
      this.renderTags(await requestJson(urls.tags(this.conversation.id), { tags }, "PUT"));
    } catch (error) {
      this.conversation.app.notice(error.detail);
    }
  }

  /** A supervisor took the chat over: it stays on screen, read-only. */
  setReadOnly(name) {
    const conversation = this.conversation;
    conversation.isReadOnly = true;
    conversation.composer.readOnly = true;
    conversation.sendButton.disabled = true;
    conversation.closeButton.hidden = true;
    this.transferButton.hidden = true;
    conversation.composer.placeholder = interpolate(gettext("%s took this chat over: you can read it, no longer write."), [name]);
  }
}

/** Marks a message node as an internal note. */
export function markInternal(node) {
  node.classList.add("message-internal");
  const meta = node.querySelector(".message-meta");
  if (meta && !meta.querySelector(".internal-label")) meta.prepend(element("span", "internal-label", gettext("Internal note")));
}

/** The console-wide part: frames about transfers, and notifications while the tab is hidden. */
export class Teamwork {
  constructor(app) {
    this.app = app;
    this.offers = new Map(); // conversation id → offer node
    this.preferences = { desktop_notifications: true, sound: true };
    this.offerList = element("div", "transfer-offers");
    this.offerList.setAttribute("data-testid", "transfer-offers");
    app.notices.before(this.offerList);
    this.buildPreferenceSwitches();
    requestJson(urls.preferences()).then((preferences) => this.showPreferences(preferences)).catch(() => {});
  }

  buildPreferenceSwitches() {
    const box = element("div", "notification-preferences");
    this.switches = {};
    for (const [name, label] of [["desktop_notifications", gettext("Desktop notifications")], ["sound", gettext("Sound")]]) {
      const input = element("input");
      input.type = "checkbox";
      input.addEventListener("change", () => this.savePreference(name, input.checked));
      const wrap = element("label", "preference-switch");
      wrap.append(input, " ", label);
      this.switches[name] = input;
      box.append(wrap);
    }
    this.app.presenceLabel.after(box);
  }

  showPreferences(preferences) {
    this.preferences = preferences;
    for (const [name, input] of Object.entries(this.switches)) input.checked = Boolean(preferences[name]);
  }

  async savePreference(name, value) {
    if (name === "desktop_notifications" && value && window.Notification && Notification.permission === "default") {
      Notification.requestPermission();
    }
    try {
      this.showPreferences(await requestJson(urls.preferences(), { [name]: value }, "PUT"));
    } catch (error) {
      this.app.notice(error.detail);
      this.showPreferences(this.preferences);
    }
  }

  /** Frames of docs/protocol.md's teamwork section; true if handled. */
  receive(frame) {
    const conversation = this.app.conversations.get(frame.conversation);
    if (frame.type === "transferred" && conversation) {
      conversation.end(interpolate(gettext("You transferred this chat to %s."), [frame.to.name]));
      this.app.refreshLists();
    } else if (frame.type === "taken_over" && conversation) {
      conversation.teamwork.setReadOnly(frame.by.name);
    } else if (frame.type === "transfer_result" && conversation) {
      conversation.teamwork.transferred(frame.status);
    } else if (frame.type === "transfer_offered") {
      this.showOffer(frame);
    } else if (frame.type === "transfer_withdrawn") {
      this.removeOffer(frame.conversation);
    } else {
      return false;
    }
    return true;
  }

  showOffer(frame) {
    const payload = frame.conversation;
    this.removeOffer(payload.id);
    const offer = element("div", "transfer-offer");
    offer.setAttribute("data-testid", "transfer-offer");
    const from = frame.transfer.from ? frame.transfer.from.name : gettext("A colleague");
    offer.append(element("strong", "", interpolate(gettext("%s wants to transfer a chat to you"), [from])),
      element("span", "", " · " + (payload.client.name || "") + " · " + (payload.visitor.name || "")));
    if (frame.transfer.note) offer.append(element("p", "transfer-offer-note", frame.transfer.note));
    const accept = element("button", "primary", gettext("Accept"));
    accept.type = "button";
    accept.addEventListener("click", () => {
      if (this.app.connection.send({ type: "transfer_accept", conversation: payload.id })) this.removeOffer(payload.id);
    });
    offer.append(accept);
    this.offers.set(payload.id, offer);
    this.offerList.append(offer);
    this.notify(gettext("A chat is being transferred to you"));
  }

  removeOffer(conversationId) {
    const offer = this.offers.get(conversationId);
    if (offer) offer.remove();
    this.offers.delete(conversationId);
  }

  /** A new chat or message while the tab is hidden: a desktop notification and a short beep, if wanted. */
  notify(text) {
    if (!document.hidden) return;
    if (this.preferences.desktop_notifications && window.Notification && Notification.permission === "granted") {
      try { new Notification("Relevo", { body: text, tag: "relevo-console" }); } catch (error) { /* not allowed here */ }
    }
    if (this.preferences.sound) this.beep();
  }

  beep() {
    try {
      this.audio = this.audio || new (window.AudioContext || window.webkitAudioContext)();
      const oscillator = this.audio.createOscillator();
      const gain = this.audio.createGain();
      oscillator.frequency.value = 880;
      gain.gain.value = 0.1;
      oscillator.connect(gain).connect(this.audio.destination);
      oscillator.start();
      oscillator.stop(this.audio.currentTime + 0.15);
    } catch (error) { /* no audio on this page */ }
  }
}
