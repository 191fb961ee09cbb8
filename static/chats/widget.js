/* Relevo visitor chat widget: the loader. The one tag a client pastes, and it stays so:
 *   <script src="https://relevo.host/static/chats/widget.js" data-widget-key="KEY" async></script>
 * It reads the widget's config and imports the chat, an ES module beside it (widget/chat.js), resolved
 * from this script's own address so it works from the client's site (static files carry
 * Access-Control-Allow-Origin: *, which a cross-origin module needs). No dependencies, no build step. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-widget-key]");
  if (!script || window.RelevoWidget) return;
  window.RelevoWidget = true;

  var KEY = script.getAttribute("data-widget-key");
  var BASE = script.src.replace(/\/static\/.*$/, "");
  var loader = {
    key: KEY,
    base: BASE,
    api: BASE + "/api/widget/" + encodeURIComponent(KEY) + "/",
    modules: script.src.replace(/[?#].*$/, "").replace(/[^\/]*$/, "") + "widget/",
    load: function (name) { return import(loader.modules + name + ".js"); }
  };

  /* The JS API (README): calls made before the chat module runs wait in Relevo.q, as with the stub. */
  var R = window.Relevo = window.Relevo || { q: [] };
  if (R.q) "setCart identify trackConversion".split(" ").forEach(function (m) {
    R[m] = R[m] || function (a) { R.q.push([m, a]); };
  });

  Promise.all([
    fetch(loader.api).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }),
    loader.load("chat")
  ]).then(function (got) {
    got[1].start(loader, got[0]);
  }).catch(function (error) {
    console.warn("Relevo chat is not available on this page:", error.message);
  });
})();
