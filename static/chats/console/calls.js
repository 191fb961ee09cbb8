/* Calls from the console (docs/protocol.md, "Calls"): the agent offers a voice or video call,
 * the visitor answers in the widget, the media flows browser to browser (WebRTC) and the
 * signalling rides on the agent socket. One call at a time per console tab. */

import { gettext, element, formatDuration } from "./shared.js";

const OFFER_ANSWER_TIMEOUT_MS = 10000; // no `call` frame after an offer: the server refused it
const LIVE = new Set(["offered", "accepted", "connected"]);

const sheet = new CSSStyleSheet();
sheet.replaceSync(
  ".call-panel{display:flex;flex-wrap:wrap;align-items:center;gap:8px;padding:8px 16px;background:#eef2fb;" +
  "border-bottom:1px solid #d0d5dd}.call-panel .call-text{flex:1;font-weight:600}" +
  ".call-panel video{width:240px;max-height:180px;border-radius:8px;background:#101828}" +
  ".call-panel video.call-self{width:96px}");
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

function stopTracks(stream) {
  if (stream) stream.getTracks().forEach((track) => track.stop());
}

/** The console's calls: the buttons and panel of each conversation, and the one call this tab runs. */
export class CallDesk {
  constructor(app) {
    this.app = app;
    this.call = null; // {conversation, kind, id, stream, pc, candidates, iceServers, timer}
  }

  /** Give a conversation's pane its call buttons and panel. */
  attach(conversation) {
    const actions = conversation.pane.querySelector(".pane-actions");
    const closeButton = actions.querySelector(".close-chat");
    const buttons = ["voice", "video"].map((kind) => {
      const button = element("button", "pane-action", kind === "video" ? gettext("Video call") : gettext("Voice call"));
      button.type = "button";
      button.dataset.testid = `offer-${kind}-call`;
      button.addEventListener("click", () => this.offer(conversation, kind));
      actions.insertBefore(button, closeButton);
      return button;
    });
    const panel = element("div", "call-panel");
    panel.dataset.testid = "call-panel";
    panel.hidden = true;
    const text = element("span", "call-text");
    text.dataset.testid = "call-text";
    const hangUp = element("button", "pane-action", gettext("Hang up"));
    hangUp.type = "button";
    hangUp.dataset.testid = "hang-up";
    hangUp.addEventListener("click", () => this.hangUpIn(conversation));
    const remote = element("video");
    const self = element("video", "call-self");
    for (const video of [remote, self]) {
      video.autoplay = true;
      video.playsInline = true;
      video.hidden = true;
    }
    self.muted = true;
    panel.append(text, hangUp, remote, self);
    conversation.pane.querySelector(".pane-header").after(panel);
    conversation.callUi = { buttons, panel, text, hangUp, remote, self };
  }

  show(conversation, message, { busy = true } = {}) {
    const ui = conversation.callUi;
    ui.panel.hidden = !message;
    ui.text.textContent = message || "";
    ui.hangUp.hidden = !(busy && ((this.call && this.call.conversation === conversation) || conversation.openCallId));
    for (const button of ui.buttons) button.disabled = busy;
  }

  async offer(conversation, kind) {
    if (this.call) return;
    const call = this.call = { conversation, kind, id: null, candidates: [], iceServers: [] };
    this.show(conversation, gettext("Starting the call…"));
    try {
      call.stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: kind === "video" });
    } catch {
      this.end(gettext("Your microphone or camera is not available."));
      return;
    }
    if (this.call !== call) return stopTracks(call.stream);
    if (kind === "video") {
      conversation.callUi.self.srcObject = call.stream;
      conversation.callUi.self.hidden = false;
    }
    if (!this.app.connection.send({ type: "call.offer", conversation: conversation.id, kind })) {
      this.end(gettext("Not connected: the call was not offered."));
      return;
    }
    setTimeout(() => { if (this.call === call && call.id === null) this.end(gettext("The call could not be offered.")); },
      OFFER_ANSWER_TIMEOUT_MS);
  }

  receive(frame) {
    if (frame.type === "call") this.state(frame);
    else if (!this.call || frame.call !== this.call.id || !this.call.pc) return;
    else if (frame.type === "call.sdp") this.answered(frame.description);
    else if (frame.type === "call.ice") this.candidate(frame.candidate);
  }

  state(frame) {
    const conversation = this.app.conversations.get(frame.conversation);
    if (!conversation || !conversation.callUi) return;
    const state = frame.call;
    const call = this.call;
    if (call && call.conversation === conversation && call.id === null && state.status === "offered") {
      call.id = state.id;
      call.iceServers = frame.ice_servers || [];
    }
    const isMine = Boolean(call) && call.id === state.id;
    conversation.openCallId = LIVE.has(state.status) && !isMine ? state.id : null;
    if (!LIVE.has(state.status)) {
      if (isMine) this.end(state.status === "declined" ? gettext("The visitor declined the call.") : gettext("The call has ended."));
      else this.show(conversation, "", { busy: false });
      return;
    }
    if (!isMine) {
      // Another tab's call, or one this page lost (a reload): it can still be hung up from here.
      this.show(conversation, gettext("A call is open in this chat, started in another tab or before a reload."));
      return;
    }
    if (state.status === "offered") this.show(conversation, gettext("Calling… waiting for the visitor to accept."));
    else if (state.status === "accepted") this.startPeer();
    else if (state.status === "connected") this.connected(state);
  }

  startPeer() {
    const call = this.call;
    this.show(call.conversation, gettext("The visitor accepted. Connecting…"));
    const pc = call.pc = new RTCPeerConnection({ iceServers: call.iceServers });
    call.stream.getTracks().forEach((track) => pc.addTrack(track, call.stream));
    pc.onicecandidate = (event) => this.app.connection.send({
      type: "call.ice", conversation: call.conversation.id, call: call.id,
      candidate: event.candidate ? event.candidate.toJSON() : null,
    });
    pc.ontrack = (event) => {
      const remote = call.conversation.callUi.remote;
      remote.srcObject = event.streams[0];
      remote.hidden = call.kind !== "video";
    };
    pc.onconnectionstatechange = () => {
      if (this.call !== call) return;
      call.conversation.callUi.panel.dataset.connection = pc.connectionState;
      if (pc.connectionState === "connected") {
        this.app.connection.send({ type: "call.connected", conversation: call.conversation.id, call: call.id });
      } else if (pc.connectionState === "failed") {
        this.hangUp(gettext("The call could not connect."));
      }
    };
    pc.createOffer()
      .then((offer) => pc.setLocalDescription(offer))
      .then(() => this.app.connection.send({
        type: "call.sdp", conversation: call.conversation.id, call: call.id,
        description: { type: "offer", sdp: pc.localDescription.sdp },
      }))
      .catch(() => this.hangUp(gettext("The call could not connect.")));
  }

  answered(description) {
    const call = this.call;
    call.pc.setRemoteDescription(description)
      .then(() => call.candidates.splice(0).forEach((candidate) => call.pc.addIceCandidate(candidate)))
      .catch(() => this.hangUp(gettext("The call could not connect.")));
  }

  candidate(candidate) {
    const call = this.call;
    if (call.pc.remoteDescription) call.pc.addIceCandidate(candidate || undefined).catch(() => {});
    else call.candidates.push(candidate || undefined);
  }

  connected(state) {
    const call = this.call;
    const since = Date.parse(state.connected_at) || Date.now();
    const tick = () => this.show(call.conversation, gettext("In the call") + " · " + formatDuration(Date.now() - since));
    clearInterval(call.timer);
    call.timer = setInterval(tick, 1000);
    tick();
  }

  /** The hang-up button of a conversation: this tab's call, or another call still open there. */
  hangUpIn(conversation) {
    if (this.call && this.call.conversation === conversation) {
      this.hangUp();
    } else if (conversation.openCallId) {
      this.app.connection.send({ type: "call.hangup", conversation: conversation.id, call: conversation.openCallId });
    }
  }

  hangUp(message) {
    const call = this.call;
    if (!call) return;
    if (call.id !== null) {
      this.app.connection.send({ type: "call.hangup", conversation: call.conversation.id, call: call.id });
    }
    this.end(message || gettext("The call has ended."));
  }

  end(message) {
    const call = this.call;
    if (!call) return;
    this.call = null;
    clearInterval(call.timer);
    if (call.pc) call.pc.close();
    stopTracks(call.stream);
    const ui = call.conversation.callUi;
    ui.remote.srcObject = ui.self.srcObject = null;
    ui.remote.hidden = ui.self.hidden = true;
    delete ui.panel.dataset.connection;
    this.show(call.conversation, message, { busy: false });
  }
}
