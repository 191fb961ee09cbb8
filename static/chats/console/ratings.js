/* The visitor's rating of a chat (the `rating` frame, docs/protocol.md): shown in the chat's pane
 * and on its list item as soon as the visitor sends it, ended chats included. */
import { gettext, interpolate, element } from "./shared.js";

export function ratingText(frame) {
  const score = frame.scale === "thumbs"
    ? (frame.score ? gettext("Good") : gettext("Bad"))
    : interpolate(gettext("%s out of 5"), [frame.score]);
  return frame.comment
    ? interpolate(gettext("The visitor rated this chat: %s. “%s”"), [score, frame.comment])
    : interpolate(gettext("The visitor rated this chat: %s."), [score]);
}

export function showRating(console, frame) {
  const conversation = console.conversations.get(frame.conversation);
  const note = element("p", "rating-note", ratingText(frame));
  note.dataset.testid = "rating";
  note.dataset.score = String(frame.score);
  if (!conversation) {
    console.notices.append(note);  // a chat this page never showed (opened after it ended)
    return;
  }
  conversation.pane.querySelector(".rating-note")?.remove();
  conversation.history.after(note);
  conversation.item.dataset.rating = String(frame.score);
}
