/* The console's JSON endpoints (session cookie; writes carry the CSRF token). Errors are {code, detail}. */
import { gettext } from "./shared.js";

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

/** GET (no body) or POST (body as JSON; or `method`, e.g. PUT); resolves with the JSON answer, rejects with {code, detail}. */
export async function requestJson(url, body, method = "POST") {
  const options = { credentials: "same-origin", headers: { Accept: "application/json" } };
  if (body !== undefined) {
    options.method = method;
    options.headers["Content-Type"] = "application/json";
    options.headers["X-CSRFToken"] = csrfToken();
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, options);
  } catch (error) {
    throw { code: "network", detail: gettext("The server could not be reached. Check your connection and try again.") };
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw { code: data.code || "error", detail: data.detail || gettext("The server refused the request.") };
  }
  return data;
}

export const urls = {
  briefing: (clientId) => `/console/api/clients/${clientId}/briefing/`,
  cannedReplies: (clientId, query) => `/console/api/clients/${clientId}/canned-replies/?q=${encodeURIComponent(query)}`,
  escalations: (conversationId) => `/console/api/conversations/${conversationId}/escalations/`,
  categories: (conversationId) => `/console/api/conversations/${conversationId}/escalation-categories/`,
  feedback: (conversationId) => `/console/api/conversations/${conversationId}/feedback/`,
  visitorHistory: (conversationId) => `/console/api/conversations/${conversationId}/visitor-history/`,
  tags: (conversationId) => `/console/api/conversations/${conversationId}/tags/`,
  transferTargets: (conversationId) => `/console/api/conversations/${conversationId}/transfer-targets/`,
  preferences: () => "/console/api/preferences/",
  recentChats: () => "/console/api/recent-chats/",
  recentChat: (conversationId) => `/console/api/recent-chats/${conversationId}/`,
};
