/* Relevo visitor chat widget, ratings and transcripts: an ES module the chat (chat.js) imports when a
 * chat an agent took has ended. `w` is the chat (chat.js). */
export function install(w) {
  var h = w.h, ui = w.ui, S = w.S, fill = w.fill, transmit = w.transmit, state = w.state, Q = w.Q;
  var remember = w.remember, remembered = w.remembered;
  var CSS = "";

  /* Ratings and transcripts (issue 13): when a chat an agent took has ended, ask once for a rating
   * (the client's scale) and an optional comment, and offer the transcript by email. Both go as
   * frames on the visitor socket; an ended chat's parked socket is reopened to send them. */
  CSS += ".quality{padding:14px 16px;border-radius:12px;background:#fff;border:1px solid #e4e7ec;margin:8px 0 0}" +
    ".quality p{margin:0 0 8px;font-weight:600}.quality form{margin:0 0 12px}.quality form:last-child{margin:0}" +
    ".scores{display:flex;gap:6px;margin:0 0 8px}.scores button{flex:1;padding:8px 0;border-radius:8px;" +
    "border:1px solid #cfd4dc;background:#fff}.scores button[aria-pressed=true]{background:#2453c2;color:#fff;border-color:#2453c2}" +
    ".quality textarea{resize:vertical;min-height:56px;margin:0 0 8px}.quality input{margin:0 0 8px}" +
    ".quality .go{width:100%;padding:9px 14px;border-radius:10px;background:#2453c2;color:#fff;font-weight:600}" +
    ".quality .go:disabled{opacity:.6;cursor:default}.quality .note{margin:0 0 8px;font-size:13px;color:#05603a}" +
    ".quality .note.bad{color:#b42318}";
  var qualityQueue = [], chosenScore = null;

  function buildQuality() {
    var T = Q.strings, scores = Q.rating_scale === "thumbs" ? [[1, T.good], [0, T.bad]] : [[1], [2], [3], [4], [5]];
    ui.scores = h("div", { class: "scores", role: "group", "aria-label": T.rate_prompt }, scores.map(function (s) {
      return h("button", { type: "button", "data-score": String(s[0]), text: s[1] || String(s[0]), "aria-pressed": "false",
        "aria-label": s[1] || fill(T.score, { score: s[0] }), onclick: function () { chooseScore(s[0]); } });
    }));
    ui.rateForm = h("form", { "data-testid": "rating-form", onsubmit: function (e) { e.preventDefault(); rate(); } }, [
      h("p", { text: T.rate_prompt }), ui.scores,
      ui.comment = h("textarea", { "data-testid": "rating-comment", placeholder: T.comment, "aria-label": T.comment,
        maxlength: state.maxBodyChars }),
      ui.rateNote = h("div", { class: "note", hidden: "" }),
      ui.rateButton = h("button", { type: "submit", class: "go", "data-testid": "rating-submit", text: T.rate_submit, disabled: "" })
    ]);
    ui.transcriptForm = h("form", { "data-testid": "transcript-form", onsubmit: function (e) { e.preventDefault(); askTranscript(); } }, [
      h("p", { text: T.transcript_prompt }),
      ui.transcriptEmail = h("input", { type: "email", placeholder: T.transcript_email, "aria-label": T.transcript_email,
        maxlength: "254", autocomplete: "email" }),
      ui.transcriptNote = h("div", { class: "note", hidden: "" }),
      h("button", { type: "submit", class: "go", "data-testid": "transcript-submit", text: T.transcript_submit })
    ]);
    return ui.quality = h("div", { class: "quality", "data-testid": "quality", hidden: "" }, [ui.rateForm, ui.transcriptForm]);
  }

  function showQuality(ended) {
    var conv = state.conv;
    ui.quality.hidden = !(conv && ended && state.status === "closed" && state.agentName);
    if (!ui.transcriptEmail.value) ui.transcriptEmail.value = remembered("email");
    if (conv && conv.rated) { ui.rateForm.hidden = false; thank(ui.rateNote, Q.strings.rated); lockRating(); }
  }

  function chooseScore(score) {
    chosenScore = score;
    Array.prototype.forEach.call(ui.scores.children, function (b) { b.setAttribute("aria-pressed", String(+b.dataset.score === score)); });
    ui.rateButton.disabled = false;
  }

  function resetQuality() {
    chosenScore = null;
    qualityQueue = [];
    ui.comment.value = "";
    ui.comment.disabled = false;
    ui.rateNote.hidden = ui.transcriptNote.hidden = ui.rateButton.disabled = true;
    ui.rateNote.textContent = ui.transcriptNote.textContent = "";
    Array.prototype.forEach.call(ui.scores.children, function (b) { b.disabled = false; b.setAttribute("aria-pressed", "false"); });
  }

  function lockRating() {
    ui.rateButton.disabled = true;
    ui.comment.disabled = true;
    Array.prototype.forEach.call(ui.scores.children, function (b) { b.disabled = true; });
  }

  function thank(node, text, isError) {
    node.textContent = text;
    node.className = isError ? "note bad" : "note";
    node.hidden = false;
  }

  function rate() {
    if (chosenScore === null || (state.conv && state.conv.rated)) return;
    ui.rateButton.disabled = true;
    sendQuality({ type: "rating", score: chosenScore, comment: ui.comment.value });
  }

  function askTranscript() {
    remember("", ui.transcriptEmail.value.trim());
    sendQuality({ type: "transcript", email: ui.transcriptEmail.value.trim() });
  }

  function sendQuality(frame) {
    qualityQueue.push(frame);
    if (state.ws && state.ws.readyState === 1) flushQuality(); else if (!state.ws) w.connect();
  }

  function flushQuality() {
    while (qualityQueue.length) transmit(qualityQueue.shift());
  }

  function onQualityFrame(frame) {
    if (frame.type === "rated" || (frame.type === "error" && frame.code === "already_rated")) {
      state.conv.rated = true;
      w.save();
      thank(ui.rateNote, Q.strings.rated);
      lockRating();
    } else if (frame.type === "transcript_queued") {
      thank(ui.transcriptNote, fill(Q.strings.transcript_queued, { email: frame.email }));
    } else if (frame.type === "error" && !frame.client_id && !ui.quality.hidden) {
      var note = ui.rateButton.disabled && !(state.conv && state.conv.rated) ? ui.rateNote : ui.transcriptNote;
      thank(note, frame.detail || S.error, true);
      if (note === ui.rateNote) ui.rateButton.disabled = false;
    } else {
      return false;
    }
    if (w.ENDED[state.status] && state.ws && !qualityQueue.length) transmit({ type: "ping" });  // its pong parks the socket again
    return true;
  }

  w.addCss(CSS);
  ui.scroll.insertBefore(buildQuality(), ui.offline);
  w.on("chat", "rated transcript_queued error", onQualityFrame, true);  // before the chat's own error handler
  return { show: showQuality, reset: resetQuality, flush: flushQuality };
}
