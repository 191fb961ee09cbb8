/* Entry of the live visitors list (console and floor): static/chats/console/visitors.js. */
import { LiveVisitors } from "./console/visitors.js";

const root = document.getElementById("live-visitors");
if (root) new LiveVisitors(root, { canInvite: root.dataset.canInvite === "true" });
