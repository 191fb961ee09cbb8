// Submit the language form as soon as a language is chosen. A file, not an inline
// handler: the Content-Security-Policy (script-src 'self') refuses inline scripts.
for (const select of document.querySelectorAll("select[data-submit-on-change]")) {
  select.addEventListener("change", () => select.form.submit());
}
