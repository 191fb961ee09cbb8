/* The one frame router, and the feature modules it imports. Every frame of both sockets (the chat's,
 * docs/protocol.md "Server → client frames", and the visit's, "Live visits") goes through w.dispatch and
 * reaches the handlers registered for "<socket> <type>", in the order they were registered (a handler
 * registered `first` goes before them); a handler that returns true has consumed the frame.
 * Features are ES modules beside chat.js, imported the first time the visitor needs one; each is given
 * the widget (`w`), registers its own handlers and returns its other entry points. While a feature is
 * being imported, frames wait, so every frame reaches every handler in the order it came. */

/* Frames that need a feature that is not loaded yet: it is imported before they are routed. */
var WAKES = [
  { feature: "calls", socket: "chat", wakes: function (f) { return /^(call|call\.sdp|call\.ice|callback)$/.test(f.type); } },
  { feature: "leads", socket: "chat", wakes: function (f) { return f.type === "status" && f.status === "queued"; } },
  { feature: "invitations", socket: "visit", wakes: function (f) { return f.type === "invitation"; } }
];

export function installRouter(w) {
  var routes = Object.create(null), modules = {}, held = [], importing = 0;
  w.ready = {};  // each installed feature's entry points, by name

  function on(socket, types, handler, first) {
    types.split(" ").forEach(function (type) {
      var list = routes[socket + " " + type] = routes[socket + " " + type] || [];
      if (first) list.unshift(handler); else list.push(handler);
    });
  }

  function dispatch(socket, frame) {
    held.push({ socket: socket, frame: frame });
    drain();
  }

  function drain() {
    while (held.length && !importing) {
      var next = held[0], wake = wakeFor(next.socket, next.frame);
      if (wake) { feature(wake); continue; }  // the frame stays first in line until its feature is in
      held.shift();
      route(next.socket, next.frame);
    }
  }

  function wakeFor(socket, frame) {
    var rule = WAKES.filter(function (r) { return r.socket === socket && !modules[r.feature] && r.wakes(frame); })[0];
    return rule ? rule.feature : null;
  }

  function route(socket, frame) {
    var handlers = (routes[socket + " " + frame.type] || []).slice();
    for (var i = 0; i < handlers.length; i++) if (handlers[i](frame) === true) return;
  }

  /* Import a feature once; `use` gets its entry points when it is installed (in the order asked). */
  function feature(name, use) {
    if (!modules[name]) {
      importing++;
      modules[name] = w.loader.load(name).then(function (module) {
        return w.ready[name] = module.install(w);
      }).catch(function (error) {
        console.warn("Relevo chat could not load " + name + ":", error.message);
        return null;
      });
      modules[name].then(function () { importing--; drain(); });
    }
    if (use) modules[name].then(function (handlers) { if (handlers) use(handlers); });
  }

  /* Reach a feature only if it was asked for already (a reset of a form never shown needs nothing). */
  function loaded(name, use) {
    if (modules[name]) feature(name, use);
  }

  w.on = on;
  w.dispatch = dispatch;
  w.feature = feature;
  w.loaded = loaded;
}
