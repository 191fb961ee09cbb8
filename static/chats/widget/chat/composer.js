/* The composer: what the visitor writes becomes a local echo with a client id at once; the first message
 * starts the chat (POST conversations/, the pre-chat answers with it), the others go on the socket. */

var TYPING_EVERY = 2000;

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();  // only in secure contexts
  return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
    return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
  });
}

export function installComposer(w) {
  var ui = w.ui, S = w.S, state = w.state;

  function send() {
    var body = ui.input.value, leads = w.ready.leads;
    if (!body.trim()) return;
    if (!state.conv && state.wantsLeads && !leads) return w.feature("leads", send);  // the pre-chat form first
    if (leads && !leads.ready()) return;
    if (tooLong(body)) return sendError(S.too_long);  // the text stays in the composer to be shortened
    sendError("");
    ui.input.value = "";
    grow();
    var m = w.echo(uuid(), body);
    w.save();
    if (state.conv) w.transmitMessage(m); else startChat();
  }

  /* The server's rule (CHAT_MAX_BODY_CHARS, from the config), counted in characters as Python does. */
  function tooLong(body) {
    return body.length > +state.maxBodyChars && Array.from(body).length > +state.maxBodyChars;
  }

  function sendError(text) {
    ui.sendError.textContent = text;
    ui.sendError.hidden = !text;
  }

  function retry(m) {
    m.state = "pending";
    w.render(m);
    w.save();
    if (state.conv) w.transmitMessage(m); else startChat();
  }

  function startChat() {
    if (state.isStarting) return;
    state.isStarting = true;
    var answers = Object.assign({ name: ui.name.value.trim() || w.remembered("name"), page_url: location.href },
      w.ready.leads ? w.ready.leads.answers() : {});
    answers.email = answers.email || w.remembered("email");
    w.remember(answers.name, answers.email);
    fetch(w.api + "conversations/", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(answers)
    }).then(function (response) {
      return response.json().then(function (data) {
        if (response.ok && data.status === "offline") return startedOffline(data);
        if (!response.ok || !data.id) throw data;
        started(data);
      });
    }).catch(function (error) {
      state.pending.forEach(function (m) { w.fail(m, error && error.detail); });
    }).then(function () { state.isStarting = false; });
  }

  function started(data) {
    state.conv = { id: data.id, token: data.token, lastSeq: 0, seen: 0, open: state.isOpen };
    state.status = data.status;
    state.position = data.queue_position;
    w.save();
    w.setStatusLine();
    w.connect();
  }

  /* Coverage closed before the first message went out: it becomes the offline message's draft. */
  function startedOffline(data) {
    var drafts = [];
    state.pending.forEach(function (m) { drafts.push(m.body); m.node.remove(); });
    state.pending.clear();
    w.goOffline(data.next_opening, drafts.join("\n"));
  }

  function onKey(e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
  }

  function onInput() {
    grow();
    sendError("");
    var now = Date.now();
    if (ui.input.value.trim() && now - state.typingSentAt > TYPING_EVERY && state.ws) {
      state.typingSentAt = now;
      w.transmit({ type: "typing" });
    }
  }

  function grow() {
    ui.input.style.height = "";
    ui.input.style.height = Math.min(ui.input.scrollHeight + 2, 120) + "px";
  }

  Object.assign(w, { send: send, sendError: sendError, retry: retry, onKey: onKey, onInput: onInput });
}
