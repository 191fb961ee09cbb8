/* Supervisors' live floor: renders each `floor` snapshot frame from /ws/floor/.
 * Text reaches the DOM only through textContent. Reconnects with a growing delay.
 */
import { Supervision } from "./floor_supervision.js";

const root = document.getElementById("floor");
const supervision = root ? new Supervision(root) : null;
const gettext = window.gettext || ((text) => text);  // the name makemessages looks for
const PRESENCE = { online: gettext("Online"), away: gettext("Away"), offline: gettext("Offline") };

function row(cells, className) {
  const tr = document.createElement("tr");
  if (className) tr.className = className;
  for (const text of cells) {
    const td = document.createElement("td");
    td.textContent = text;
    tr.append(td);
  }
  return tr;
}

function emptyRow(columns) {
  const tr = document.createElement("tr");
  tr.className = "empty";
  const td = document.createElement("td");
  td.colSpan = columns;
  td.textContent = gettext("No chat is in progress.");
  tr.append(td);
  return tr;
}

const seconds = (value) => (value === null || value === undefined ? "—" : `${value} s`);

function render(snapshot) {
  root.querySelector("[data-floor-clients]").replaceChildren(...snapshot.clients.map((client) =>
    row([client.name, String(client.queued), seconds(client.longest_wait_seconds), String(client.active)],
        client.queued ? "waiting" : "")));
  root.querySelector("[data-floor-agents]").replaceChildren(...snapshot.agents.map((agent) => row([
    agent.name,
    (PRESENCE[agent.presence] || agent.presence) +
      (agent.is_stale && agent.presence !== "offline" ? ` (${gettext("no console")})` : ""),
    `${agent.active_chats}/${agent.max_chats}`,
  ], `presence-${agent.presence}`)));
  const active = snapshot.active_chats.map((chat) => {
    const tr = row([chat.client, chat.agent || "—", chat.visitor || "—", seconds(chat.seconds)]);
    tr.append(supervision.actionCell(chat));
    return tr;
  });
  root.querySelector("[data-floor-active]").replaceChildren(...(active.length ? active : [emptyRow(5)]));
  const at = new Date(snapshot.at);
  root.querySelector("[data-floor-status]").textContent =
    `${gettext("Live")} · ${gettext("updated")} ${at.toLocaleTimeString()}`;
}

let delay = 1000;
function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}${root.dataset.socket}`);
  socket.addEventListener("open", () => { delay = 1000; });
  supervision.attach(socket);
  socket.addEventListener("message", (event) => {
    const frame = JSON.parse(event.data);
    if (frame.type === "floor") render(frame);
    else supervision.receive(frame);
  });
  socket.addEventListener("close", (event) => {
    if (event.code === 4401) { window.location.assign("/accounts/login/?next=/floor/"); return; }  // login ended
    root.querySelector("[data-floor-status]").textContent = gettext("Disconnected, reconnecting…");
    setTimeout(connect, delay);
    delay = Math.min(delay * 2, 30000);
  });
}

if (root) connect();
