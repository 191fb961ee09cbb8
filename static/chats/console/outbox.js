import { gettext, RATE_LIMITED_RETRY_MS, MAX_FRAME_CHARS, newClientId, drafts } from "./shared.js";
import { markInternal } from "./teamwork.js";

/**
 * The agent's messages on their way: each is shown at once as an echo with a client id, sent once the
 * socket is synced (again after a reconnect), and stays until the server acks it (or its own message
 * frame does, after a reconnect); a refused one can be retried, a rate-limited one is retried once.
 */
export class Outbox {
  constructor(app) {
    this.app = app;
    this.pending = new Map(); // client_id → {conversation, body, node, state, internal}
  }

  send(conversation) {
    const body = conversation.composer.value;
    if (!body.trim() || conversation.isEnded || conversation.isReadOnly) return;
    const clientId = newClientId();
    const entry = { conversation, body, node: conversation.addEcho(body), state: "pending",
      internal: conversation.teamwork.isInternal };
    if (entry.internal) markInternal(entry.node);
    this.pending.set(clientId, entry);
    entry.node.querySelector(".message-retry").addEventListener("click", () => this.retry(clientId));
    conversation.composer.value = "";
    drafts.save(conversation.id, "");
    conversation.fitComposer();
    conversation.lastTypingSentAt = 0;
    conversation.refreshSummary();
    conversation.followNewMessages(true);
    if (this.app.isSynced) this.transmit(clientId, entry);
  }

  transmit(clientId, entry) {
    const frame = { type: "message", conversation: entry.conversation.id, client_id: clientId, body: entry.body };
    if (entry.internal) frame.internal = true;
    // Characters as the server counts them (code points), so a refusal is never a surprise.
    if ([...entry.body].length > this.app.maxBodyChars || JSON.stringify(frame).length > MAX_FRAME_CHARS) {
      entry.state = "failed";
      entry.conversation.failEcho(entry.node, gettext("This message is too long to send. Please shorten it."));
      return;
    }
    this.app.connection.send(frame); // when not open, resendAll() sends it after the reconnect
  }

  /** After a reconnect, once synced: every message still on its way goes again (the server dedupes). */
  resendAll() {
    for (const [clientId, entry] of this.pending) {
      if (entry.state === "pending") this.transmit(clientId, entry);
    }
  }

  retry(clientId) {
    const entry = this.pending.get(clientId);
    if (!entry || entry.state !== "failed") return;
    entry.state = "pending";
    entry.conversation.setState(entry.node, "pending");
    if (this.app.isSynced) this.transmit(clientId, entry);
  }

  acknowledge(frame) {
    const entry = this.pending.get(frame.client_id);
    if (!entry) return;
    this.pending.delete(frame.client_id);
    // A masked card number: the ack carries the text as stored, shown instead of what was typed.
    entry.conversation.confirmEcho(entry.node, frame.seq, null, frame.masked ? frame.body : null);
    entry.conversation.refreshSummary();
  }

  /** A message frame that is one of ours (its ack was lost): the echo becomes it. */
  confirmByMessage(conversation, frame) {
    const entry = frame.client_id ? this.pending.get(frame.client_id) : null;
    if (!entry || entry.conversation !== conversation) return false;
    conversation.confirmEcho(entry.node, frame.seq, frame.at, frame.body);
    this.pending.delete(frame.client_id);
    return true;
  }

  /** An error frame about one of ours marks it failed (and a rate limit retries it once); else false. */
  refused(frame) {
    const entry = frame.client_id ? this.pending.get(frame.client_id) : null;
    if (!entry) return false;
    entry.state = "failed";
    entry.conversation.failEcho(entry.node, frame.detail || frame.code);
    if (frame.code === "rate_limited" && !entry.wasRetriedAutomatically) {
      entry.wasRetriedAutomatically = true;
      setTimeout(() => this.retry(frame.client_id), RATE_LIMITED_RETRY_MS);
    }
    return true;
  }

  hasUnsent(conversation) {
    return [...this.pending.values()].some((entry) => entry.conversation === conversation);
  }

  isSending() {
    return [...this.pending.values()].some((entry) => entry.state === "pending");
  }

  forget(conversation) {
    for (const [clientId, entry] of this.pending) {
      if (entry.conversation === conversation) this.pending.delete(clientId);
    }
  }
}
