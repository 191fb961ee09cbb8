/* Shared pieces of the agent console: translation, formats, DOM helpers, drafts. */

export const gettext = window.gettext || ((text) => text);
export const ngettext = window.ngettext || ((singular, plural, count) => (count === 1 ? singular : plural));
export const interpolate = window.interpolate || ((format, args) => args.reduce((text, arg) => text.replace("%s", arg), format));

export const HEARTBEAT_MS = 25000;
export const PONG_TIMEOUT_MS = 10000;
export const TYPING_SEND_EVERY_MS = 2000;
export const TYPING_SHOW_MS = 4000;
export const BACKOFF_MAX_SECONDS = 30;
export const CLOSE_SERVER_RESTARTING = 4012;  // the server drains: reconnect now, no backoff (docs/protocol.md)
export const CLOSE_ANSWER_TIMEOUT_MS = 10000;
export const RATE_LIMITED_RETRY_MS = 5000;
// CHAT_MAX_FRAME_BYTES' default: the server refuses longer frames without naming the message.
export const MAX_FRAME_CHARS = 16384;
export const LATE_REPLY_SECONDS = 60;
export const VERY_LATE_REPLY_SECONDS = 180;

export const language = document.documentElement.lang || undefined;
// Every time shown says its zone, the agent's browser's ("14:05 CET"); "long" is the full format's with it.
export const clockFormat = new Intl.DateTimeFormat(language, { hour: "numeric", minute: "2-digit", timeZoneName: "short" });
export const dayClockFormat = new Intl.DateTimeFormat(language, {
  day: "numeric", month: "short", hour: "numeric", minute: "2-digit", timeZoneName: "short",
});
export const fullFormat = new Intl.DateTimeFormat(language, { dateStyle: "full", timeStyle: "long" });

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function cloneTemplate(id) {
  return document.getElementById(id).content.firstElementChild.cloneNode(true);
}

export function newClientId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
}

export function httpUrl(value) {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch (error) {
    return null;
  }
}

export function setTime(node, date) {
  const isToday = date.toDateString() === new Date().toDateString();
  node.textContent = (isToday ? clockFormat : dayClockFormat).format(date);
  node.dateTime = date.toISOString();
  node.title = fullFormat.format(date);
}

export function formatDuration(milliseconds) {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours ? hours + ":" + String(minutes).padStart(2, "0") + ":" + seconds : minutes + ":" + seconds;
}

export const drafts = {
  key: (conversationId) => "relevo.console.draft." + conversationId,
  load(conversationId) {
    try { return sessionStorage.getItem(this.key(conversationId)) || ""; } catch (error) { return ""; }
  },
  save(conversationId, text) {
    try {
      if (text) sessionStorage.setItem(this.key(conversationId), text);
      else sessionStorage.removeItem(this.key(conversationId));
    } catch (error) { /* storage full or disabled: the draft still lives in the textarea */ }
  },
};
