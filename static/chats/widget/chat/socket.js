/* The chat socket (docs/protocol.md): resume after the last seq seen on open, resend the echoes not yet
 * acked, ping to notice a silently dead connection, back off when it drops, park once an ended chat's
 * history is in. Every frame it receives goes to the router. */

var PING_EVERY = 25000, BACKOFF_MAX = 30000;
export var SERVER_RESTARTING = 4012;  // close code: this server drains, reconnect now (docs/protocol.md)

export function installSocket(w) {
  var state = w.state;

  function connect() {
    clearTimeout(state.timers.retry);
    var opened = false;
    // The token travels in a subprotocol header, never in the URL (servers and proxies log URLs).
    var url = w.loader.base.replace(/^http/, "ws") + "/ws/chat/" + state.conv.id + "/";
    var socket = state.ws = new WebSocket(url, ["relevo.v1", "relevo-token." + state.conv.token]);
    socket.onopen = function () {
      opened = true;
      onOpen();
    };
    socket.onmessage = function (event) {
      var frame;
      if (state.ws !== socket) return;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      state.lastHeard = Date.now();
      w.dispatch("chat", frame);
    };
    socket.onclose = function (event) {
      if (state.ws !== socket) return;
      if (!opened) state.refused++;
      if (event.code === 1009) frameTooBig(socket);
      reconnectLater(event.code === SERVER_RESTARTING);
    };
  }

  function onOpen() {
    state.attempt = state.refused = 0;
    w.feature("visits", function (v) { v.chat(); });  // the visit shows as chatting, later sales count for it
    state.lastHeard = Date.now();
    transmit({ type: "resume", after: state.lastSeq });
    state.pending.forEach(function (m) { if (m.state === "pending") transmitMessage(m); });
    if (w.ready.quality) w.ready.quality.flush();
    state.timers.pinger = setInterval(heartbeat, PING_EVERY);
    w.setStatusLine();
  }

  /* 4012: the server is restarting (docs/protocol.md): another one takes the socket now, so
     reconnect within a second (spread, not all at once) and without backing off. */
  function reconnectLater(restarting) {
    state.ws = null;
    clearInterval(state.timers.pinger);
    var delay = restarting ? Math.random() * 1000
      : Math.min(BACKOFF_MAX, 1000 * Math.pow(2, state.attempt)) * (0.8 + Math.random() * 0.4);
    if (!restarting) state.attempt++;
    state.timers.retry = setTimeout(connect, delay);
    w.setStatusLine();
  }

  function heartbeat() {
    if (Date.now() - state.lastHeard > 2.5 * PING_EVERY) {  // a silently dead connection: do not wait for its close
      var socket = state.ws;
      reconnectLater();
      socket.close();
    } else {
      transmit({ type: "ping" });
    }
  }

  /* An ended chat needs no socket once its history is in. */
  function park() {
    var socket = state.ws;
    state.ws = null;
    clearInterval(state.timers.pinger);
    clearTimeout(state.timers.retry);
    if (socket) socket.close();
  }

  function transmit(frame) {
    if (state.ws && state.ws.readyState === 1) state.ws.send(JSON.stringify(frame));
  }

  function transmitMessage(m) {
    m.socket = state.ws;
    transmit({ type: "message", client_id: m.client_id, body: m.body });
  }

  /* The server closed the socket with 1009 (a frame over its --ws-max-size): the biggest message sent on
     it goes back to the composer with the error; the others are resent once the socket resumes. */
  function frameTooBig(socket) {
    var big = null;
    state.pending.forEach(function (m) { if (m.socket === socket && (!big || m.body.length > big.body.length)) big = m; });
    if (!big) return;
    state.pending.delete(big.client_id);
    big.node.remove();
    w.save();
    if (!w.ui.input.value) w.ui.input.value = big.body;
    w.sendError(w.S.too_big);
  }

  Object.assign(w, { connect: connect, park: park, transmit: transmit, transmitMessage: transmitMessage,
    PING_EVERY: PING_EVERY, BACKOFF_MAX: BACKOFF_MAX });
}
