/* Relevo visitor chat widget, calls (docs/protocol.md, "Calls"): an ES module the router (chat/router.js)
 * imports when the first call or callback frame arrives. `w` is the chat (chat.js). */
export function install(w) {
  var h = w.h, ui = w.ui, S = w.S, fill = w.fill, transmit = w.transmit, setOpen = w.setOpen, zoned = w.zoned;
  var CSS = "";

  /* Calls (docs/protocol.md, "Calls"): the agent offers, the visitor accepts or declines here;
     the media flows browser to browser (WebRTC), the signalling over this chat's socket. */
  CSS += ".call{display:flex;flex-direction:column;gap:8px;padding:10px 14px;border-top:1px solid #eaecf0;background:#eef2fb}" +
    ".call-row{display:flex;flex-wrap:wrap;align-items:center;gap:8px}.call-row span{flex:1;min-width:140px;font-weight:600}" +
    ".call-row button{padding:7px 14px;border-radius:99px;background:#2453c2;color:#fff;font-weight:600}" +
    ".call-row .call-no{background:#fff;color:#b42318;border:1px solid #fda29b}" +
    ".call video{width:100%;max-height:180px;border-radius:8px;background:#101828}.call .call-self{width:30%;align-self:flex-end}";
  var call = null;  // {id, kind, iceServers, stream, pc, candidates, mine} while a call is offered or under way

  function onCall(frame) {
    if (frame.type === "call") callState(frame);
    else if (!call || frame.call !== call.id || !call.mine) return;
    else if (frame.type === "call.sdp") callAnswer(frame.description);
    else if (frame.type === "call.ice") callCandidate(frame.candidate);
  }

  function callState(frame) {
    var state = frame.call, live = state.status === "offered" || state.status === "accepted" || state.status === "connected";
    if (!live) { if (call && call.id === state.id) callEnd(); return; }
    if (!call || call.id !== state.id) {
      callEnd();
      call = { id: state.id, kind: state.kind, iceServers: frame.ice_servers || [], candidates: [], mine: false };
    }
    if (state.status !== "offered" && !call.mine) { callEnd(); return; }  // answered in another tab
    callShow(state.status);
  }

  function callBar() {
    if (!ui.call) {
      ui.call = h("div", { class: "call", "data-testid": "call", role: "region", "aria-label": S.call_title }, [
        ui.callRow = h("div", { class: "call-row" }, [ui.callText = h("span", { "data-testid": "call-text" })]),
        ui.callRemote = h("video", { autoplay: "", playsinline: "", "data-testid": "call-remote", hidden: "" }),
        ui.callSelf = h("video", { class: "call-self", autoplay: "", playsinline: "", hidden: "" })
      ]);
      ui.callSelf.muted = true;
      ui.panel.insertBefore(ui.call, ui.status);
    }
    ui.call.hidden = false;
    return ui.call;
  }

  function callButton(text, onclick, testid, className) {
    return h("button", { type: "button", class: className || "", text: text, "data-testid": testid, onclick: onclick });
  }

  function callShow(state) {
    callBar().setAttribute("data-status", state);
    while (ui.callRow.childNodes.length > 1) ui.callRow.removeChild(ui.callRow.lastChild);
    var video = call.kind === "video";
    if (state === "offered") {
      ui.callText.textContent = fill(video ? S.call_offered_video : S.call_offered_voice, { name: w.state.agentName || S.agent });
      ui.callRow.appendChild(callButton(S.call_accept, accept, "call-accept"));
      ui.callRow.appendChild(callButton(S.call_decline, decline, "call-decline", "call-no"));
      ui.callRow.appendChild(callButton(S.callback_offer, callMeBack, "call-me-back", "call-no"));
      setOpen(true, false);
    } else {
      ui.callText.textContent = state === "connected" ? S.call_connected : S.call_connecting;
      ui.callRow.appendChild(callButton(S.call_hang_up, hangUp, "call-hang-up", "call-no"));
    }
  }

  function accept() {
    var current = call;
    ui.callText.textContent = S.call_connecting;
    navigator.mediaDevices.getUserMedia({ audio: true, video: current.kind === "video" }).then(function (stream) {
      if (call !== current) return stream.getTracks().forEach(function (track) { track.stop(); });
      current.stream = stream;
      current.mine = true;
      if (current.kind === "video") { ui.callSelf.srcObject = stream; ui.callSelf.hidden = false; }
      transmit({ type: "call.accept", call: current.id });
    }).catch(function () {
      callMeBack();
      ui.callText.textContent = S.call_no_media;
    });
  }

  function decline() {
    transmit({ type: "call.decline", call: call.id });
    callEnd();
  }

  function hangUp() {
    transmit({ type: "call.hangup", call: call.id });
    callEnd();
  }

  function callPeer() {
    var current = call, pc = current.pc = new RTCPeerConnection({ iceServers: current.iceServers });
    current.stream.getTracks().forEach(function (track) { pc.addTrack(track, current.stream); });
    pc.onicecandidate = function (event) {
      transmit({ type: "call.ice", call: current.id, candidate: event.candidate ? event.candidate.toJSON() : null });
    };
    pc.ontrack = function (event) {
      ui.callRemote.srcObject = event.streams[0];
      ui.callRemote.hidden = current.kind !== "video";
    };
    pc.onconnectionstatechange = function () {
      if (call !== current) return;
      ui.call.setAttribute("data-connection", pc.connectionState);
      if (pc.connectionState === "connected") {
        transmit({ type: "call.connected", call: current.id });
        callShow("connected");
      } else if (pc.connectionState === "failed") {
        ui.callText.textContent = S.call_failed;
        hangUp();
      }
    };
    return pc;
  }

  function callAnswer(description) {
    var current = call, pc = callPeer();
    pc.setRemoteDescription(description).then(function () {
      current.candidates.splice(0).forEach(function (candidate) { pc.addIceCandidate(candidate); });
      return pc.createAnswer();
    }).then(function (answer) {
      return pc.setLocalDescription(answer);
    }).then(function () {
      transmit({ type: "call.sdp", call: current.id, description: { type: "answer", sdp: pc.localDescription.sdp } });
    }).catch(function () { if (call === current) hangUp(); });
  }

  function callCandidate(candidate) {
    if (call.pc && call.pc.remoteDescription) call.pc.addIceCandidate(candidate || undefined).catch(function () {});
    else call.candidates.push(candidate || undefined);
  }

  function callEnd() {
    if (!call) return;
    if (call.pc) call.pc.close();
    if (call.stream) call.stream.getTracks().forEach(function (track) { track.stop(); });
    call = null;
    if (ui.call) {
      ui.call.hidden = true;
      ui.callRemote.srcObject = ui.callSelf.srcObject = null;
      ui.callRemote.hidden = ui.callSelf.hidden = true;
      ui.call.removeAttribute("data-connection");
    }
  }

  /* A callback when a call is not possible: a phone number and a time (the visitor's clock);
     the server checks the time against the client's coverage and names a better one. */
  CSS += ".callback{display:flex;flex-direction:column;gap:6px}.callback label{font-size:12.5px;font-weight:600;color:#344054}" +
    ".callback input{display:block;margin-top:3px;font-weight:400}.callback-error{color:#b42318;font-size:12.5px}" +
    ".callback button{padding:8px 14px;border-radius:99px;background:#2453c2;color:#fff;font-weight:600}";
  var callbackPending = false;

  function offerCallback() {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    callBar().setAttribute("data-status", "callback");
    ui.callText.textContent = S.callback_title;
    while (ui.callRow.childNodes.length > 1) ui.callRow.removeChild(ui.callRow.lastChild);
    if (ui.callback) ui.callback.remove();
    ui.callback = h("form", { class: "callback", "data-testid": "callback-form", onsubmit: function (e) {
      e.preventDefault();
      var at = new Date(ui.callbackAt.value);
      if (!ui.callbackPhone.value.trim() || isNaN(at.getTime())) return;
      callbackPending = true;
      ui.callbackError.hidden = true;
      transmit({ type: "callback.request", phone: ui.callbackPhone.value, at: at.toISOString(), timezone: zone });
    } }, [
      h("label", { text: S.callback_phone }, [ui.callbackPhone = h("input", { type: "tel", autocomplete: "tel",
        maxlength: "32", required: "", "data-testid": "callback-phone" })]),
      h("label", { text: fill(S.callback_time, { zone: zone }) }, [ui.callbackAt = h("input", { type: "datetime-local",
        required: "", "data-testid": "callback-at" })]),
      ui.callbackError = h("p", { class: "callback-error", role: "alert", hidden: "" }),
      h("button", { type: "submit", text: S.callback_submit, "data-testid": "callback-submit" })
    ]);
    ui.call.appendChild(ui.callback);
  }

  function callbackAnswered(frame) {
    callbackPending = false;
    if (ui.callback) ui.callback.remove();
    ui.callback = null;
    callBar().setAttribute("data-status", "callback-" + frame.callback.status);
    ui.callText.textContent = fill(S.callback_thanks, { phone: frame.callback.phone,
      time: zoned(frame.callback.preferred_at) });
  }

  function callbackRefused(frame) {
    if (!callbackPending || frame.client_id || !ui.callback) return;
    callbackPending = false;
    ui.callbackError.textContent = frame.detail || S.error;
    ui.callbackError.hidden = false;
  }

  function callMeBack() {
    if (call) transmit({ type: "call.decline", call: call.id });
    callEnd();
    offerCallback();
  }

  w.addCss(CSS);
  w.on("chat", "call call.sdp call.ice", onCall);
  w.on("chat", "callback", callbackAnswered);
  w.on("chat", "error", callbackRefused);
  w.on("chat", "status", function (frame) { if (w.ENDED[frame.status]) callEnd(); });
  return {
    reset: function () {
      callbackPending = false;
      if (ui.call) ui.call.hidden = true;
    }
  };
}
