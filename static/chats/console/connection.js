import {
  HEARTBEAT_MS, PONG_TIMEOUT_MS, BACKOFF_MAX_SECONDS, CLOSE_SERVER_RESTARTING,
} from "./shared.js";

/** The socket: reconnects with backoff, pings every 25 s, drops a socket that stops answering. */
export class Connection {
  constructor({ url, onFrame, onOpen, onStateChange }) {
    Object.assign(this, { url, onFrame, onOpen, onStateChange });
    this.socket = null;
    this.state = "connecting";
    this.failures = 0;
    this.retryAt = 0;
  }

  open() {
    clearTimeout(this.retryTimer);
    const socket = new WebSocket(this.url);
    this.socket = socket;
    this.setState("connecting");
    socket.addEventListener("open", () => {
      if (socket !== this.socket) return;
      this.failures = 0;
      this.setState("open");
      this.onOpen();
      this.ping();
      this.heartbeat = setInterval(() => this.ping(), HEARTBEAT_MS);
    });
    socket.addEventListener("message", (event) => {
      if (socket !== this.socket) return;
      let frame;
      try { frame = JSON.parse(event.data); } catch (error) { return; }
      if (frame && frame.type === "pong") clearTimeout(this.pongTimer);
      if (frame && typeof frame === "object") this.onFrame(frame);
    });
    socket.addEventListener("close", (event) => {
      if (socket !== this.socket) return;
      // 4401: this login ended (logout, deactivation): no reconnecting, back to the login page.
      if (event.code === 4401) { window.location.assign("/accounts/login/?next=/console/"); return; }
      // 4012: this server is restarting; another one takes the socket now (within a second, spread).
      this.lost(event.code === CLOSE_SERVER_RESTARTING);
    });
  }

  lost(restarting = false) {
    clearInterval(this.heartbeat);
    clearTimeout(this.pongTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState !== WebSocket.CLOSED) socket.close();
    const base = Math.min(BACKOFF_MAX_SECONDS, 2 ** this.failures);
    if (!restarting) this.failures += 1;
    const delay = restarting ? Math.random() * 1000 : base * 1000 + Math.random() * 500 * Math.min(base, 4);
    this.retryAt = Date.now() + delay;
    this.retryTimer = setTimeout(() => this.open(), delay);
    this.setState("waiting");
  }

  reconnectNow() {
    if (this.state === "waiting") this.open();
  }

  ping() {
    if (!this.send({ type: "ping" })) return;
    clearTimeout(this.pongTimer);
    this.pongTimer = setTimeout(() => this.lost(), PONG_TIMEOUT_MS);
  }

  get isOpen() {
    return Boolean(this.socket) && this.socket.readyState === WebSocket.OPEN;
  }

  send(frame) {
    if (!this.isOpen) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  setState(state) {
    this.state = state;
    this.onStateChange(state);
  }
}
