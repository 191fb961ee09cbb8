/* Relevo visitor chat widget, leads and the honest queue (issue 11): an ES module the chat (chat.js) imports
 * when the client asks a pre-chat form, and the router (chat/router.js) when the visitor waits in the queue:
 * the pre-chat form before the first message, the queued visitor's estimated wait, and the offer to leave a
 * message instead of waiting. `w` is the chat (chat.js). */
export function install(w) {
  var h = w.h, ui = w.ui, S = w.S, fill = w.fill, state = w.state, remember = w.remember, remembered = w.remembered;
  var CSS = "";
  var preChat = null, offerDismissed = false;      // config.pre_chat; "keep waiting" was chosen
  var leftMessage = false;                         // this chat ended by leaving a message (it shows the thanks)
  CSS += ".prechat label{display:block;margin:8px 0 0;font-size:12.5px;font-weight:600;color:#344054}" +
    ".prechat label input{display:block;margin-top:4px;font-weight:400;font-size:14px}" +
    ".prechat .consent,.queue-offer .consent{display:flex;gap:8px;align-items:flex-start;font-weight:400;color:#475467}" +
    ".prechat .consent input,.queue-offer .consent input{width:auto;flex:none;margin:2px 0 0}" +
    ".prechat-error{margin:8px 0 0;color:#b42318;font-size:13px}.wait{flex-basis:100%;color:#667085}" +
    ".queue-offer{padding:12px 16px;border-top:1px solid #eaecf0;font-size:13px;background:#fffbeb}" +
    ".queue-offer p{margin:0 0 8px}.queue-offer input,.queue-offer textarea{margin:0 0 8px}" +
    ".queue-offer button{padding:7px 14px;border-radius:99px;background:#2453c2;color:#fff;font-weight:600;margin-right:8px}" +
    ".queue-offer button.quiet{background:none;color:#2453c2;border:1px solid #2453c2}";
  function setupLeads(config) {
    preChat = config.pre_chat || null;
    ui.wait = h("span", { class: "wait", "data-testid": "estimated-wait", hidden: "" });
    ui.status.appendChild(ui.wait);
    ui.panel.insertBefore(buildQueueOffer(), ui.form);
    if (!preChat) return;
    var fields = preChat.fields || {};
    ui.prechat = {};
    if (!fields.name) ui.name.hidden = true;
    else if (fields.name === "required") ui.name.placeholder = S.prechat_name;
    ui.name.required = fields.name === "required";
    var box = h("div", { class: "prechat", "data-testid": "prechat" });
    ["email", "phone"].forEach(function (key) {
      if (!fields[key]) return;
      var label = S["prechat_" + key] + (fields[key] === "required" ? "" : " " + S.prechat_optional);
      ui.prechat[key] = h("input", { "data-testid": "prechat-" + key, type: key === "email" ? "email" : "tel",
        maxlength: key === "email" ? "254" : "40", autocomplete: key === "email" ? "email" : "tel" });
      ui.prechat[key].required = fields[key] === "required";
      if (key === "email") ui.prechat.email.value = remembered("email");
      box.appendChild(h("label", {}, [document.createTextNode(label), ui.prechat[key]]));
    });
    if (preChat.consent != null) {
      ui.prechat.consent = h("input", { type: "checkbox", "data-testid": "prechat-consent", required: "" });
      box.appendChild(h("label", { class: "consent" }, [ui.prechat.consent, h("span", { text: preChat.consent })]));
    }
    ui.prechatError = h("p", { class: "prechat-error", "data-testid": "prechat-error", role: "alert", hidden: "" });
    box.appendChild(ui.prechatError);
    ui.intro.appendChild(box);
  }
  /* Before the first message: every required answer given (the server checks again). */
  function preChatReady() {
    if (!preChat || state.conv) return true;
    var controls = [ui.name].concat(Object.keys(ui.prechat).map(function (k) { return ui.prechat[k]; }));
    var missing = controls.filter(function (c) {
      return c.required && (c.type === "checkbox" ? !c.checked : !c.value.trim() || !c.checkValidity());
    });
    ui.prechatError.textContent = S.prechat_missing;
    ui.prechatError.hidden = !missing.length;
    if (missing.length) missing[0].focus();
    return !missing.length;
  }
  function preChatAnswers() {
    if (!preChat) return {};
    return { email: ui.prechat.email ? ui.prechat.email.value.trim() : "",
      phone: ui.prechat.phone ? ui.prechat.phone.value.trim() : "",
      consent: ui.prechat.consent ? ui.prechat.consent.checked : false };
  }
  function buildQueueOffer() {
    ui.offer = h("div", { class: "queue-offer", "data-testid": "queue-offer", hidden: "" }, [
      ui.offerText = h("p", { "data-testid": "queue-offer-text" }),
      ui.offerChoice = h("div", {}, [
        h("button", { type: "button", "data-testid": "queue-leave", text: S.queue_leave,
          onclick: function () { ui.offerChoice.hidden = true; ui.offerForm.hidden = false; ui.offerEmail.focus(); } }),
        h("button", { type: "button", class: "quiet", "data-testid": "queue-keep", text: S.queue_keep,
          onclick: function () { offerDismissed = ui.offer.hidden = true; w.setStatusLine(); } })
      ]),
      ui.offerForm = h("form", { hidden: "", onsubmit: function (e) { e.preventDefault(); leaveQueueMessage(); } }, [
        ui.offerEmail = h("input", { "data-testid": "queue-email", type: "email", placeholder: S.offline_email,
          "aria-label": S.offline_email, maxlength: "254", autocomplete: "email" }),
        ui.offerPhone = h("input", { "data-testid": "queue-phone", type: "tel", placeholder: S.prechat_phone + " " +
          S.prechat_optional, "aria-label": S.prechat_phone, maxlength: "40", autocomplete: "tel" }),
        ui.offerMessage = h("textarea", { "data-testid": "queue-message", rows: "2", placeholder: S.queue_message,
          "aria-label": S.queue_message, maxlength: state.maxBodyChars }),
        h("label", { class: "consent" }, [
          ui.offerConsent = h("input", { type: "checkbox", "data-testid": "queue-consent", required: "" }),
          h("span", { text: S.queue_contact_consent })
        ]),
        ui.offerError = h("p", { class: "prechat-error", "data-testid": "queue-error", role: "alert", hidden: "" }),
        h("button", { type: "submit", "data-testid": "queue-submit", text: S.offline_submit })
      ]),
      ui.offerThanks = h("p", { "data-testid": "queue-thanks", role: "status", hidden: "", text: S.queue_thanks })
    ]);
    return ui.offer;
  }
  /* The status frame's `estimated_wait_seconds` and `leave_message_offered` (docs/protocol.md). */
  function leadsOnStatus(frame) {
    var queued = frame.status === "queued", estimate = frame.estimated_wait_seconds;
    ui.wait.hidden = !queued || estimate == null;
    if (queued && estimate != null) {
      ui.wait.textContent = estimate < 60 ? S.wait_under_minute : fill(S.wait_estimate, { minutes: Math.ceil(estimate / 60) });
    }
    if (leftMessage) {  // the chat is "missed" now: say thanks, not "we could not answer"
      ui.offer.hidden = false;
      if (w.ENDED[frame.status]) ui.statusText.textContent = "";
      return;
    }
    ui.offer.hidden = !(queued && frame.leave_message_offered && !offerDismissed);
    w.setStatusLine();  // with nobody to serve, the offer replaces the place-in-line promise
    ui.offerText.textContent = estimate == null ? S.queue_offer_nobody : S.queue_offer;
    if (!ui.offer.hidden && !ui.offerEmail.value) ui.offerEmail.value = preChatAnswers().email || remembered("email");
  }
  function resetQueueOffer() {
    offerDismissed = leftMessage = false;
    ui.offer.hidden = ui.wait.hidden = ui.offerForm.hidden = ui.offerThanks.hidden = true;
    ui.offerChoice.hidden = ui.offerText.hidden = false;
  }
  function leaveQueueMessage() {
    ui.offerError.hidden = true;
    remember(ui.name.value.trim(), ui.offerEmail.value.trim());
    leftMessage = true;
    fetch(w.api + "leads/", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ conversation: state.conv.id, token: state.conv.token, name: ui.name.value.trim(),
        email: ui.offerEmail.value.trim(), phone: ui.offerPhone.value.trim(), message: ui.offerMessage.value,
        consent: ui.offerConsent.checked })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.status !== 201) throw data;
        ui.offerForm.hidden = true;
        ui.offerText.hidden = true;
        ui.offerThanks.hidden = false;
      });
    }).catch(function (error) {
      leftMessage = false;
      ui.offerError.textContent = (error && error.detail) || S.error;
      ui.offerError.hidden = false;
    });
  }

  w.addCss(CSS);
  setupLeads(w.config);
  w.on("chat", "status", leadsOnStatus);
  return { ready: preChatReady, answers: preChatAnswers, reset: resetQueueOffer };
}
