/* The console's history search (GET /console/api/search/?q=): messages of the clients you serve,
 * newest first, under a search box at the foot of the chat list; each opens /console/chats/<id>/. */
import { gettext, element, dayClockFormat } from "./shared.js";
import { requestJson } from "./api.js";

export class HistorySearch {
  constructor(sidebar) {
    this.form = element("form", "history-search");
    this.form.setAttribute("role", "search");
    this.input = element("input");
    this.input.type = "search";
    this.input.maxLength = 200;
    this.input.placeholder = gettext("Search past chats");
    this.input.setAttribute("aria-label", gettext("Search past chats"));
    this.input.dataset.testid = "history-search";
    this.results = element("ol", "history-results");
    this.results.dataset.testid = "history-results";
    this.form.append(this.input, this.results);
    this.form.addEventListener("submit", (event) => { event.preventDefault(); this.search(); });
    sidebar.append(this.form);
  }

  async search() {
    const query = this.input.value.trim();
    this.results.textContent = "";
    if (!query) return;
    try {
      const data = await requestJson(`/console/api/search/?q=${encodeURIComponent(query)}`);
      if (!data.results.length) this.results.append(element("li", "muted", gettext("No message matches.")));
      for (const found of data.results) {
        const item = element("li", "history-result");
        const when = found.at ? dayClockFormat.format(new Date(found.at)) : "";
        const link = element("a", "history-link");  // the chat's whole history, in a tab of its own
        Object.assign(link, { href: found.url, target: "_blank", rel: "noopener" });
        link.dataset.testid = "history-result-link";
        link.append(element("span", "muted", `#${found.conversation} · ${found.client} · ${when}`),
          element("span", "history-body", found.body));
        item.append(link);
        this.results.append(item);
      }
    } catch (error) {
      this.results.append(element("li", "error", error.detail));
    }
  }
}
