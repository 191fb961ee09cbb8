/* The chat's messages: stored ones by seq, the visitor's local echoes by client_id until the server acks
 * them (an ack or, after a reload, the message frame itself), each shown once, in seq order. */
import { h, clock } from "./view.js";

export function installMessages(w) {
  var ui = w.ui, S = w.S, state = w.state;

  function render(m) {
    if (!m.node) {
      m.node = h("div", { class: "m " + m.sender.charAt(0), "data-testid": "message" }, [
        h("div", { class: "who", text: m.sender === "visitor" ? S.you : m.sender === "agent" ? m.author || S.agent : "" }),
        m.text = h("div", { class: "body", text: m.body }),
        m.meta = h("div", { class: "meta" })
      ]);
    }
    m.node.setAttribute("data-state", m.state);
    if (m.seq) m.node.setAttribute("data-seq", m.seq);
    m.meta.textContent = m.state === "pending" ? S.pending : m.state === "failed" ? S.failed + ": " + m.detail : clock(m.at, w.language);
    if (m.state === "failed") {
      m.meta.appendChild(h("button", { type: "button", text: S.retry, onclick: function () { w.retry(m); } }));
    }
    place(m);
  }

  /* Keep the list ordered by seq with pending echoes last; walk back from the end,
     where nearly every message lands, and touch the DOM only when out of place. */
  function place(m) {
    var list = ui.list, scroller = ui.scroll, next = null, node = list.lastChild;
    var atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 60;
    if (m.seq) {
      while (node && (node === m.node || !node.dataset.seq || +node.dataset.seq > m.seq)) {
        if (node !== m.node) next = node;
        node = node.previousSibling;
      }
    } else if (m.node.parentNode === list) {
      return;
    }
    if (m.node.parentNode !== list || m.node.nextSibling !== next) list.insertBefore(m.node, next);
    if (atBottom || m.sender === "visitor") scroller.scrollTop = scroller.scrollHeight;
  }

  /* A visitor's message not yet acked: shown at once, kept (and stored) until the server has it. */
  function echo(clientId, body) {
    var m = { client_id: clientId, sender: "visitor", body: body, state: "pending" };
    state.pending.set(m.client_id, m);
    render(m);
    return m;
  }

  function receive(frame) {
    if (state.bySeq.has(frame.seq) || confirm(frame.client_id, frame.seq, frame.at, frame.body)) return;
    var m = { seq: frame.seq, sender: frame.sender, author: frame.author, body: frame.body, at: frame.at, state: "sent" };
    state.bySeq.set(m.seq, m);
    render(m);
    seen(m.seq);
    if (m.sender === "agent") {
      w.hideTyping();
      if (!state.isOpen && m.seq > (state.conv.seen || 0)) { state.unread++; w.showUnread(); }
    }
  }

  /* A local echo is committed as `seq` (by its ack, or by its message frame after a reload);
     `body` is the text as stored when the server changed it (a masked card number). */
  function confirm(clientId, seq, at, body) {
    var m = state.pending.get(clientId);
    if (!m) return false;
    state.pending.delete(clientId);
    if (state.bySeq.has(seq)) {
      m.node.remove();
    } else {
      m.seq = seq;
      m.state = "sent";
      m.at = at || m.at;
      if (body != null) m.text.textContent = m.body = body;
      state.bySeq.set(seq, m);
      render(m);
    }
    seen(seq);
    return true;
  }

  /* A message already shown was masked afterwards (a card number split over messages). */
  function redact(frame) {
    var m = state.bySeq.get(frame.seq);
    if (m && typeof frame.body === "string") m.text.textContent = m.body = frame.body;
  }

  function seen(seq) {
    if (seq <= state.lastSeq) return;
    state.lastSeq = seq;
    if (state.conv) state.conv.lastSeq = Math.max(state.conv.lastSeq || 0, seq);
    w.markSeen();
    w.save();
  }

  /* An error frame about one of the visitor's messages: sent again after a rate limit's wait, else failed. */
  function rejected(frame) {
    var m = state.pending.get(frame.client_id);
    if (m && frame.code === "rate_limited" && frame.retry_after) {
      setTimeout(function () { if (m.state === "pending") w.transmitMessage(m); }, frame.retry_after * 1000);
    } else {
      fail(m, frame.detail);
    }
  }

  function fail(m, detail) {
    if (!m) return;
    m.state = "failed";
    m.detail = detail || S.error;
    render(m);
    w.save();
  }

  function clearMessages() {
    state.bySeq.clear();
    state.pending.clear();
    ui.list.textContent = "";
  }

  Object.assign(w, { render: render, echo: echo, receive: receive, confirm: confirm, redact: redact,
    rejected: rejected, fail: fail, clearMessages: clearMessages });
}
