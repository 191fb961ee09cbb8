/* Relevo agent console: one socket (/ws/agent/) carrying all of an agent's chats.
 *
 * Wire protocol: docs/protocol.md. Messages are keyed by (conversation, seq) and
 * never shown twice; the agent's own messages are echoed at once under a
 * client_id and re-sent with that same id after a reconnect until acked.
 * Data reaches the DOM only through textContent and attributes.
 */

import { AgentConsole } from "./console/app.js";

const root = document.getElementById("console");
if (root) window.relevoConsole = new AgentConsole(root);
