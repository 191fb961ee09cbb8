/* The chat's panel beside the loader's launcher: built once, then shown as the state says. Every text goes
 * in with textContent (message bodies may hold HTML); texts are the strings the server sent (w.S). */

var ICONS = {
  down: "M16.6 8.6 12 13.2 7.4 8.6 6 10l6 6 6-6z",
  send: "M2 21 23 12 2 3v7l15 2-15 2z"
};
var TYPING_SHOWN = 4000, REFUSALS = 3;
var CSS = ".panel{width:370px;height:560px;max-height:calc(100vh - 40px);display:flex;flex-direction:column;" +
  "background:#fff;border-radius:14px;overflow:hidden;box-shadow:0 12px 40px rgba(16,24,48,.28)}" +
  "header{display:flex;align-items:center;gap:12px;padding:14px 12px 14px 18px;background:#2453c2;color:#fff}" +
  "header div{flex:1;min-width:0}header strong{display:block;font-size:16px;font-weight:600}" +
  "header small{font-size:12px;opacity:.85}header button{padding:6px;border-radius:8px;display:flex}" +
  "header button:hover{background:rgba(255,255,255,.16)}" +
  ".scroll{flex:1;overflow-y:auto;padding:16px;background:#f6f7f9}" +
  ".intro{padding:16px;border-radius:12px;background:#fff;border:1px solid #e4e7ec}.intro p{margin:0 0 12px}" +
  "input,textarea{width:100%;border:1px solid #cfd4dc;border-radius:10px;padding:9px 12px;background:#fff;color:inherit}" +
  ".m{margin:0 0 10px;max-width:82%}.v{margin-left:auto;text-align:right}" +
  ".who{font-size:12px;color:#667085;margin:0 4px 2px}.v+.v .who,.a+.a .who{display:none}" +
  ".body{display:inline-block;text-align:left;padding:8px 12px;border-radius:16px;white-space:pre-wrap;" +
  "overflow-wrap:anywhere;background:#fff;border:1px solid #e4e7ec}" +
  ".v .body{background:#2453c2;border-color:#2453c2;color:#fff;border-bottom-right-radius:4px}" +
  ".a .body{border-bottom-left-radius:4px}" +
  ".meta{font-size:11px;color:#98a2b3;margin:2px 4px 0}.meta button{color:#2453c2;text-decoration:underline;margin-left:6px}" +
  "[data-state=pending] .body{opacity:.65}" +
  "[data-state=failed] .body{background:#fef3f2;border-color:#fda29b;color:#b42318}[data-state=failed] .meta{color:#b42318}" +
  ".s{max-width:none;text-align:center;color:#667085;font-size:12px}" +
  ".s .body{background:none;border:0;padding:0 8px;text-align:center}.s .who,.s .meta{display:none}" +
  ".typing{padding:4px 18px;font-size:12px;font-style:italic;color:#667085;background:#f6f7f9}" +
  ".status{display:flex;flex-wrap:wrap;align-items:center;justify-content:center;gap:8px;padding:8px 16px;" +
  "font-size:12.5px;color:#475467;text-align:center;border-top:1px solid #eaecf0}" +
  ".status button{padding:7px 14px;border-radius:99px;background:#2453c2;color:#fff;font-weight:600}" +
  ".composer{display:flex;gap:8px;align-items:flex-end;padding:10px 12px;border-top:1px solid #eaecf0}" +
  ".composer textarea{resize:none;height:40px;max-height:120px}" +
  ".send-error{margin:0;padding:8px 16px;background:#fef3f2;color:#b42318;font-size:13px}" +
  ".composer button{flex:none;width:40px;height:40px;border-radius:50%;background:#2453c2;color:#fff;display:grid;place-items:center}" +
  "@media (max-width:480px){.panel{position:fixed;inset:0;width:auto;height:auto;max-height:none;border-radius:0}}";

export function fill(text, values) {
  return text.replace(/%\((\w+)\)s/g, function (all, key) { return key in values ? values[key] : all; });
}

/* A time as the visitor reads it: the browser's zone, named ("Monday, December 7 at 9:00 AM EST"). */
export function zoned(at, language) {
  return new Date(at).toLocaleString(language, { weekday: "long", day: "numeric", month: "long",
    hour: "numeric", minute: "2-digit", timeZoneName: "short" });
}

/* A message's time, with the zone it is in ("2:05 PM EST"): every time shown says its zone. */
export function clock(at, language) {
  return (at ? new Date(at) : new Date()).toLocaleTimeString(language, { hour: "numeric", minute: "2-digit",
    timeZoneName: "short" });
}

export function h(tag, props, children) {
  var node = document.createElement(tag);
  Object.keys(props || {}).forEach(function (key) {
    var value = props[key];
    if (key === "text") node.textContent = value;
    else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  });
  (children || []).forEach(function (child) { node.appendChild(child); });
  return node;
}

function icon(name) {
  var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg"), path = document.createElementNS(ns, "path");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  path.setAttribute("d", ICONS[name]);
  svg.appendChild(path);
  return svg;
}

export function installView(w) {
  var ui = w.ui, S = w.S, state = w.state;

  function buildPanel() {
    ui.panel = h("section", { class: "panel", "data-testid": "panel", "aria-label": w.clientName, hidden: "",
      onkeydown: function (e) { if (e.key === "Escape") setOpen(false, true); } }, [
      h("header", {}, [
        h("div", {}, [h("strong", { text: w.clientName }), h("small", { text: S.title })]),
        h("button", { type: "button", "aria-label": S.close, title: S.close,
          onclick: function () { setOpen(false, true); } }, [icon("down")])
      ]),
      buildScroll(),
      ui.typing = h("div", { class: "typing", "data-testid": "typing", "aria-hidden": "true", hidden: "" }),
      ui.status = h("div", { class: "status", "data-testid": "status", role: "status" }, [
        ui.statusText = h("span"),
        ui.newChat = h("button", { type: "button", "data-testid": "new-chat", text: S.new_chat, hidden: "",
          onclick: function () { w.newChat(); } })
      ]),
      ui.sendError = h("p", { class: "send-error", "data-testid": "send-error", role: "alert", hidden: "" }),
      buildComposer()
    ]);
    w.addCss(CSS);
    ui.root.appendChild(ui.panel);
  }

  function buildScroll() {
    return ui.scroll = h("div", { class: "scroll", tabindex: "0" }, [
      ui.intro = h("div", { class: "intro" }, [
        h("p", { text: S.intro }),
        ui.name = h("input", { placeholder: S.name_placeholder, "aria-label": S.name_placeholder, maxlength: "120",
          autocomplete: "name" })
      ]),
      ui.list = h("div", { "data-testid": "messages", role: "log", "aria-live": "polite" }),
      ui.offline = h("div", { class: "offline", "data-testid": "offline", hidden: "" })
    ]);
  }

  function buildComposer() {
    return ui.form = h("form", { class: "composer", onsubmit: function (e) { e.preventDefault(); w.send(); } }, [
      ui.input = h("textarea", { "data-testid": "input", rows: "1", maxlength: state.maxBodyChars, placeholder: S.placeholder,
        "aria-label": S.placeholder, oninput: function () { w.onInput(); }, onkeydown: function (e) { w.onKey(e); } }),
      h("button", { type: "submit", "data-testid": "send", "aria-label": S.send, title: S.send }, [icon("send")])
    ]);
  }

  function setOpen(open, byUser) {
    state.isOpen = open;
    ui.panel.hidden = !open;
    ui.launcher.hidden = open;
    ui.launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      w.feature("visits", function (v) { v.want(); });
      state.unread = 0;
      showUnread();
      markSeen();
      if (ui.offline.hidden) ui.scroll.scrollTop = ui.scroll.scrollHeight;
      else scrollToOffline();
      if (byUser) (ui.offline.hidden ? ui.input : ui.offlineName || ui.offline).focus({ preventScroll: true });
    } else if (byUser) {
      ui.launcher.focus();
    }
    if (state.conv) { state.conv.open = open; w.save(); }
  }

  function showUnread() {
    ui.badge.textContent = state.unread;
    ui.badge.hidden = !state.unread;
  }

  function markSeen() {
    if (state.conv && state.isOpen && state.lastSeq > (state.conv.seen || 0)) { state.conv.seen = state.lastSeq; w.save(); }
  }

  function scrollToOffline() {
    var top = ui.offline.getBoundingClientRect().top - ui.scroll.getBoundingClientRect().top;
    ui.scroll.scrollTop += top - 16;
  }

  function statusText(offline, ended) {
    if (offline) return "";
    if (ended) return S[state.status];
    if (state.refused >= REFUSALS) return S.unavailable;
    if (state.attempt) return S.reconnecting;
    if (state.status === "queued" && state.nobodyServes) {
      return !ui.offer || ui.offer.hidden ? fill(S.queued_nobody, { position: state.position }) : "";
    }
    if (state.status === "queued") return fill(S.queued, { position: state.position });
    if (state.status === "active") return fill(S.active, { name: state.agentName || S.agent });
    return "";
  }

  /* The line under the messages, and which of the chat's parts show, for the chat's status. */
  function setStatusLine() {
    var offline = state.status === "offline" || (!state.conv && state.isOffline), ended = !!w.ENDED[state.status] || offline;
    var text = statusText(offline, ended);
    ui.statusText.textContent = text;
    ui.newChat.hidden = offline || !(ended || state.refused >= REFUSALS);
    ui.status.hidden = !text;
    ui.form.hidden = ended;
    ui.intro.hidden = !!state.conv || offline;
    ui.offline.hidden = !offline;
    ended = ended && !offline;
    if (w.ready.quality) w.ready.quality.show(ended);
    else if (ended && state.conv && state.status === "closed" && state.agentName) w.feature("quality", function (f) { f.show(true); });
  }

  function showTyping() {
    ui.typing.textContent = fill(S.typing, { name: state.agentName || S.agent });
    ui.typing.hidden = false;
    clearTimeout(state.timers.typing);
    state.timers.typing = setTimeout(hideTyping, TYPING_SHOWN);
  }

  function hideTyping() {
    ui.typing.hidden = true;
  }

  Object.assign(w, { buildPanel: buildPanel, setOpen: setOpen, showUnread: showUnread, markSeen: markSeen,
    scrollToOffline: scrollToOffline, setStatusLine: setStatusLine, showTyping: showTyping, hideTyping: hideTyping });
}
