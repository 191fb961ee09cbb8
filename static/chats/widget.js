/* Relevo visitor chat widget: the loader. The one tag a client pastes, and it stays so:
 *   <script src="https://relevo.host/static/chats/widget.js" data-widget-key="KEY" async></script>
 * It reads the widget's config, draws the launcher at once in a shadow root, and imports the chat, an ES
 * module beside it (widget/chat.js), resolved from this script's own address so it works from the client's
 * site (static files carry Access-Control-Allow-Origin: *, which a cross-origin module needs). A click on
 * the launcher before the chat has loaded opens it once it has. No dependencies, no build step. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-widget-key]");
  if (!script || window.RelevoWidget) return;
  window.RelevoWidget = true;

  var KEY = script.getAttribute("data-widget-key");
  var BASE = script.src.replace(/\/static\/.*$/, "");
  // !important on :host: the page's own rules (even `div{…!important}`) must not reach the host.
  var CSS = ":host{all:initial!important;position:fixed!important;right:20px!important;bottom:20px!important;" +
    "z-index:2147483000!important;display:block!important}:host>*{" +
    "font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2433}" +
    "*{box-sizing:border-box;font:inherit}[hidden]{display:none!important}" +
    "button{cursor:pointer;border:0;background:none;color:inherit;padding:0}" +
    ":focus-visible{outline:2px solid #2453c2;outline-offset:2px}svg{width:20px;height:20px;fill:currentColor}" +
    ".launcher{position:relative;display:flex;align-items:center;gap:8px;padding:12px 20px;border-radius:99px;" +
    "background:#2453c2;color:#fff;font-weight:600;box-shadow:0 6px 20px rgba(16,24,48,.25)}" +
    ".badge{position:absolute;top:-6px;right:-4px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;" +
    "background:#d92d20;color:#fff;font-size:12px;line-height:20px;text-align:center}" +
    "@media (max-width:480px){:host{right:12px!important;bottom:12px!important}}";
  var CHAT_ICON = "M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2z";

  /* What the chat module gets from the loader: where things are, the launcher it drew, and the hooks
     through which a click or a call of the JS API made before the chat ran reaches it. */
  var loader = {
    key: KEY,
    base: BASE,
    api: BASE + "/api/widget/" + encodeURIComponent(KEY) + "/",
    modules: script.src.replace(/[?#].*$/, "").replace(/[^\/]*$/, "") + "widget/",
    load: function (name) { return import(loader.modules + name + ".js"); },
    ui: {},
    wantsOpen: false,
    launch: function () { loader.wantsOpen = true; },  // the chat replaces it
    apiCalled: function () {},                          // the chat replaces it
    addCss: addCss
  };

  /* The JS API (README): calls made before the live-visits module runs wait in Relevo.q, as with the stub. */
  var R = window.Relevo = window.Relevo || { q: [] };
  if (Array.isArray(R)) R = window.Relevo = { q: R };  // a plain array of [method, argument]
  if (R.q) {
    R.push = function (call) { R.q.push(call); loader.apiCalled(); };
    "setCart identify trackConversion".split(" ").forEach(function (m) {
      R[m] = function (a) { R.push([m, a]); };
    });
  }

  /* Styles in the shadow root: adopted sheets are not blocked by a page's style-src CSP. */
  function addCss(css) {
    var root = loader.ui.root, sheet;
    if (root.adoptedStyleSheets && CSSStyleSheet.prototype.replaceSync) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = root.adoptedStyleSheets.concat([sheet]);
    } else {
      var style = document.createElement("style");
      style.textContent = css;
      root.appendChild(style);
    }
  }

  function drawLauncher(config) {
    var ui = loader.ui, ns = "http://www.w3.org/2000/svg";
    ui.host = document.createElement("relevo-chat");
    ui.host.id = "relevo-widget";
    ui.root = ui.host.attachShadow({ mode: "open" });
    addCss(CSS);
    var svg = document.createElementNS(ns, "svg"), path = document.createElementNS(ns, "path");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    path.setAttribute("d", CHAT_ICON);
    svg.appendChild(path);
    var label = document.createElement("span");
    label.textContent = config.strings.launcher;
    ui.badge = document.createElement("span");
    ui.badge.className = "badge";
    ui.badge.hidden = true;
    ui.launcher = document.createElement("button");
    ui.launcher.type = "button";
    ui.launcher.className = "launcher";
    ui.launcher.setAttribute("data-testid", "launcher");
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.launcher.addEventListener("click", function () { loader.launch(); });
    [svg, label, ui.badge].forEach(function (node) { ui.launcher.appendChild(node); });
    ui.root.appendChild(ui.launcher);
    document.body.appendChild(ui.host);
  }

  function bodyReady() {
    return new Promise(function (resolve) {
      if (document.body) resolve();
      else document.addEventListener("DOMContentLoaded", resolve);
    });
  }

  var config = fetch(loader.api).then(function (response) {
    if (!response.ok) throw new Error("HTTP " + response.status);
    return response.json();
  });
  var drawn = Promise.all([config, bodyReady()]).then(function (got) { drawLauncher(got[0]); });
  Promise.all([config, loader.load("chat"), drawn]).then(function (got) {
    got[1].start(loader, got[0]);
  }).catch(function (error) {
    if (loader.ui.host) loader.ui.host.remove();  // a launcher that opens nothing would mislead
    console.warn("Relevo chat is not available on this page:", error.message);
  });
})();
