/* Relevo visitor chat widget, the offline form: an ES module the chat (chat.js) imports when the client is
 * outside coverage. A notice with the next opening and a form that leaves a message. `w` is the chat (chat.js). */
export function install(w) {
  var h = w.h, ui = w.ui, S = w.S, fill = w.fill, state = w.state;
  var CSS = "";
  CSS += ".offline{padding:16px;border-radius:12px;background:#fff;border:1px solid #e4e7ec;margin-top:4px}" +
    ".offline-notice{display:flex;gap:10px;align-items:flex-start;margin:0 0 6px;font-weight:600}" +
    ".offline-notice::before{content:'';flex:none;width:9px;height:9px;margin-top:6px;border-radius:50%;background:#98a2b3}" +
    ".offline-intro{margin:0 0 14px;color:#475467}" +
    ".offline label{display:block;margin:0 0 10px;font-size:12.5px;font-weight:600;color:#344054}" +
    ".offline label input,.offline label textarea{display:block;margin-top:4px;font-weight:400;font-size:14px}" +
    ".offline textarea{resize:vertical;min-height:96px;max-height:240px}" +
    ".offline .consent{display:flex;gap:8px;align-items:flex-start;font-weight:400;color:#475467;line-height:1.4}" +
    ".offline .consent input{width:auto;flex:none;margin:2px 0 0}" +
    ".offline-error{margin:0 0 10px;padding:8px 10px;border-radius:8px;background:#fef3f2;color:#b42318;font-size:13px}" +
    ".offline-submit{width:100%;padding:10px 14px;border-radius:10px;background:#2453c2;color:#fff;font-weight:600}" +
    ".offline-submit:disabled{opacity:.6;cursor:default}" +
    ".offline-thanks{margin:0;padding:10px 12px;border-radius:8px;background:#ecfdf3;color:#05603a}";

  function buildOffline() {
    function field(label, control) {
      return h("label", {}, [document.createTextNode(label), control]);
    }
    [
      ui.offlineNotice = h("p", { class: "offline-notice", "data-testid": "offline-notice", role: "status" }),
      ui.offlineForm = h("form", { "data-testid": "offline-form", onsubmit: function (e) { e.preventDefault(); leaveMessage(); } }, [
        h("p", { class: "offline-intro", text: S.offline_intro }),
        field(S.offline_name, ui.offlineName = h("input", { "data-testid": "offline-name", name: "name", maxlength: "120",
          autocomplete: "name" })),
        field(S.offline_email, ui.offlineEmail = h("input", { "data-testid": "offline-email", name: "email", type: "email",
          required: "", maxlength: "254", autocomplete: "email" })),
        field(S.offline_message, ui.offlineMessage = h("textarea", { "data-testid": "offline-message", name: "message",
          required: "", maxlength: state.maxBodyChars, rows: "4" })),
        h("label", { class: "consent" }, [
          ui.offlineConsent = h("input", { type: "checkbox", "data-testid": "offline-consent", name: "consent", required: "" }),
          h("span", { text: S.offline_consent })
        ]),
        ui.offlineError = h("p", { class: "offline-error", "data-testid": "offline-error", role: "alert", hidden: "" }),
        ui.offlineSubmit = h("button", { type: "submit", class: "offline-submit", "data-testid": "offline-submit",
          text: S.offline_submit })
      ]),
      ui.offlineThanks = h("p", { class: "offline-thanks", "data-testid": "offline-thanks", role: "status", hidden: "",
        text: S.offline_thanks })
    ].forEach(function (node) { ui.offline.appendChild(node); });
  }

  function offlineNotice() {
    return state.nextOpening ? fill(S.offline_until, { time: w.zoned(state.nextOpening) }) : S.offline;
  }

  function leaveMessage() {
    ui.offlineError.hidden = true;
    w.remember(ui.offlineName.value.trim(), ui.offlineEmail.value.trim());
    ui.offlineSubmit.disabled = true;
    ui.offlineSubmit.textContent = S.offline_sending;
    fetch(w.api + "offline-messages/", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: ui.offlineName.value.trim(), email: ui.offlineEmail.value.trim(),
        message: ui.offlineMessage.value, consent: ui.offlineConsent.checked })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.status !== 201) throw data;
        ui.offlineForm.hidden = true;
        ui.offlineThanks.hidden = false;
      });
    }).catch(function (error) {
      ui.offlineError.textContent = (error && error.detail) || S.error;
      ui.offlineError.hidden = false;
    }).then(function () {
      ui.offlineSubmit.disabled = false;
      ui.offlineSubmit.textContent = S.offline_submit;
    });
  }

  function goOffline(draft) {
    ui.offlineNotice.textContent = offlineNotice();
    if (draft && !ui.offlineMessage.value) ui.offlineMessage.value = draft;
    if (!ui.offlineName.value) ui.offlineName.value = ui.name.value.trim() || w.remembered("name");
    if (!ui.offlineEmail.value) ui.offlineEmail.value = w.remembered("email");
    w.scrollToOffline();
  }

  w.addCss(CSS);
  buildOffline();
  ui.offlineNotice.textContent = offlineNotice();
  return { go: goOffline };
}
