/* Relevo visitor chat widget, invitations (docs/protocol.md, "Live visits"): an ES module the router
 * (chat/router.js) imports when the first invitation arrives on the visit socket. `w` is the chat (chat.js). */
export function install(w) {
  var h = w.h, ui = w.ui, S = w.S, fill = w.fill, state = w.state;
  var CSS = "";
  var invitationId = 0;

  CSS += ".invite{width:300px;margin:0 0 12px auto;padding:14px 16px;border-radius:14px;background:#fff;" +
    "border:1px solid #e4e7ec;box-shadow:0 10px 30px rgba(16,24,48,.22)}.invite p{margin:4px 0 12px}" +
    ".invite-from{font-size:12px;color:#667085}.invite-actions{display:flex;gap:8px;justify-content:flex-end}" +
    ".invite-actions button{padding:7px 14px;border-radius:99px;font-weight:600}" +
    ".invite-yes{background:#2453c2;color:#fff}.invite-no{color:#475467}";

  function showInvitation(frame) {
    if (state.conv && !w.ENDED[state.status]) return;
    invitationId = frame.invitation;
    if (!ui.invite) {
      ui.invite = h("div", { class: "invite", "data-testid": "invitation", role: "dialog", hidden: "" }, [
        ui.inviteFrom = h("small", { class: "invite-from" }),
        ui.inviteText = h("p", { "data-testid": "invitation-text" }),
        h("div", { class: "invite-actions" }, [
          h("button", { type: "button", class: "invite-no", "data-testid": "invitation-decline", text: S.invite_decline,
            onclick: function () { answerInvitation("decline"); } }),
          h("button", { type: "button", class: "invite-yes", "data-testid": "invitation-accept", text: S.invite_accept,
            onclick: function () { answerInvitation("accept"); } })
        ])
      ]);
      ui.launcher.parentNode.insertBefore(ui.invite, ui.launcher);
    }
    ui.inviteFrom.textContent = frame.agent ? fill(S.invite_from, { name: frame.agent.name }) : w.clientName;
    ui.inviteText.textContent = frame.text;
    ui.invite.hidden = false;
  }

  function answerInvitation(answer) {
    w.ready.visits.send({ type: answer, invitation: invitationId });
    hideInvitation();
  }

  function hideInvitation() {
    if (ui.invite) ui.invite.hidden = true;
  }

  w.addCss(CSS);
  w.on("visit", "invitation", showInvitation);
  w.on("visit", "chat", hideInvitation);  // accepted in this tab or another
  return {};
}
