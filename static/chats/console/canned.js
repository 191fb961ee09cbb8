/* Canned replies: "/" at the start of the composer lists the chat's client's replies, filtered as
   the agent types; ↑/↓ choose, Enter or Tab (or a click) inserts, Escape closes. */
import { requestJson, urls } from "./api.js";
import { element, gettext } from "./shared.js";

const SEARCH_DELAY_MS = 120;
const SHORTCUT_TYPED = /^\/(\S*)$/;

export class CannedPicker {
  constructor(conversation) {
    this.conversation = conversation;
    this.composer = conversation.composer;
    this.replies = [];
    this.active = 0;
    this.requestNumber = 0;
    this.list = element("ul", "canned-list");
    this.list.setAttribute("data-testid", "canned-list");
    this.list.setAttribute("role", "listbox");
    this.list.setAttribute("aria-label", gettext("Canned replies"));
    this.list.hidden = true;
    this.composer.closest("form").append(this.list);
    this.composer.addEventListener("blur", () => setTimeout(() => this.close(), 150));
  }

  get isOpen() {
    return !this.list.hidden;
  }

  get clientId() {
    return (this.conversation.payload.client || {}).id;
  }

  /** Called on every input: open, refilter or close the list. */
  onInput() {
    const typed = SHORTCUT_TYPED.exec(this.composer.value);
    if (!typed || this.conversation.isEnded) {
      this.close();
      return;
    }
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.search(typed[1]), this.isOpen ? SEARCH_DELAY_MS : 0);
  }

  async search(query) {
    const number = ++this.requestNumber;
    let replies;
    try {
      replies = (await requestJson(urls.cannedReplies(this.clientId, query))).canned_replies;
    } catch (error) {
      replies = [];
    }
    if (number !== this.requestNumber || !SHORTCUT_TYPED.test(this.composer.value)) return;
    this.replies = replies;
    this.active = 0;
    this.render();
  }

  render() {
    const items = this.replies.map((reply, index) => {
      const item = element("li", "canned-item");
      item.setAttribute("data-testid", "canned-item");
      item.setAttribute("role", "option");
      item.append(element("span", "canned-shortcut", reply.shortcut), element("span", "canned-title", reply.title),
        element("span", "canned-body", reply.body));
      item.addEventListener("mousedown", (event) => event.preventDefault()); // keep the composer's focus
      item.addEventListener("click", () => this.insert(index));
      return item;
    });
    if (!items.length) items.push(element("li", "canned-empty muted", gettext("No canned reply matches.")));
    this.list.replaceChildren(...items);
    this.list.hidden = false;
    this.highlight();
  }

  highlight() {
    [...this.list.querySelectorAll(".canned-item")].forEach((item, index) => {
      item.classList.toggle("is-active", index === this.active);
      item.setAttribute("aria-selected", String(index === this.active));
      if (index === this.active) item.scrollIntoView({ block: "nearest" });
    });
  }

  /** Keys the list takes before the composer; true when it handled the key. */
  handleKey(event) {
    if (!this.isOpen) return false;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (this.replies.length) {
        this.active = (this.active + (event.key === "ArrowDown" ? 1 : -1) + this.replies.length) % this.replies.length;
        this.highlight();
      }
    } else if ((event.key === "Enter" || event.key === "Tab") && !event.shiftKey && this.replies.length) {
      this.insert(this.active);
    } else if (event.key === "Escape") {
      this.close();
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  }

  insert(index) {
    const reply = this.replies[index];
    if (!reply) return;
    this.composer.value = reply.body;
    this.close();
    this.composer.focus();
    this.composer.setSelectionRange(reply.body.length, reply.body.length);
    this.composer.dispatchEvent(new Event("input"));
  }

  close() {
    clearTimeout(this.searchTimer);
    this.requestNumber++;
    this.list.hidden = true;
  }
}
