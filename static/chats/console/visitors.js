/* Live visitors: who is on the clients' sites now (page, time on page, cart, chatting / invited /
 * browsing), refreshed every few seconds while the page is visible. The console (agents: the clients
 * they serve, with an Invite button) and the floor (supervisors: every client) both use it. */
import { requestJson } from "./api.js";
import { gettext, interpolate, element } from "./shared.js";

const REFRESH_MS = 3000;
const URL = "/console/api/visitors/";
const STATES = {
  chatting: gettext("chatting"),
  invited: gettext("invited"),
  browsing: gettext("browsing"),
};

function duration(seconds) {
  if (seconds == null) return "";
  const minutes = Math.floor(seconds / 60);
  return minutes ? interpolate(gettext("%s min"), [minutes]) : interpolate(gettext("%s s"), [seconds]);
}

function money(cart) {
  if (!cart) return "";
  try {
    return new Intl.NumberFormat(document.documentElement.lang || undefined,
      { style: "currency", currency: cart.currency || "EUR" }).format(Number(cart.value));
  } catch (error) {
    return `${cart.value} ${cart.currency}`;
  }
}

export class LiveVisitors {
  constructor(root, { canInvite }) {
    this.root = root;
    this.canInvite = canInvite;
    this.list = root.querySelector(".visitor-list");
    this.count = root.querySelector(".visitor-count");
    this.empty = root.querySelector(".visitor-list-empty");
    this.notice = root.querySelector(".visitor-notice");
    this.invited = new Set();
    this.refresh();
    setInterval(() => { if (!document.hidden) this.refresh(); }, REFRESH_MS);
  }

  async refresh() {
    try {
      const data = await requestJson(URL);
      this.render(data.visitors);
    } catch (error) {
      this.notice.textContent = error.detail;
    }
  }

  render(visitors) {
    this.count.textContent = visitors.length;
    this.empty.hidden = visitors.length > 0;
    this.list.replaceChildren(...visitors.map((visitor) => this.item(visitor)));
  }

  item(visitor) {
    const state = this.invited.has(visitor.visit) && visitor.state === "browsing" ? "invited" : visitor.state;
    const li = element("li", "visitor-item");
    li.dataset.testid = "visitor";
    li.dataset.visit = visitor.visit;
    li.dataset.state = state;
    const who = element("span", "visitor-who", visitor.name || visitor.email || gettext("Visitor"));
    const badge = element("span", `visitor-state state-${state}`, STATES[state]);
    const top = element("div", "visitor-row");
    top.append(who, badge);
    const page = element("div", "visitor-page", visitor.page_title || visitor.page_url);
    page.title = visitor.page_url;
    const facts = [visitor.client.name, interpolate(gettext("on page %s"), [duration(visitor.seconds_on_page)])];
    if (visitor.cart) facts.push(interpolate(gettext("cart %s"), [money(visitor.cart)]));
    if (visitor.is_returning) facts.push(gettext("returning"));
    const meta = element("div", "visitor-meta muted", facts.join(" · "));
    li.append(top, page, meta);
    if (this.canInvite && state === "browsing") {
      const button = element("button", "link visitor-invite", gettext("Invite to chat"));
      button.type = "button";
      button.dataset.testid = "invite";
      button.addEventListener("click", () => this.invite(visitor, button));
      li.append(button);
    }
    return li;
  }

  async invite(visitor, button) {
    button.disabled = true;
    this.notice.textContent = "";
    try {
      await requestJson(`${URL}${visitor.visit}/invite/`, {});
      this.invited.add(visitor.visit);
      this.refresh();
    } catch (error) {
      this.notice.textContent = error.detail;
      button.disabled = false;
    }
  }
}
