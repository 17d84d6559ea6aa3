// "Insert in body" next to each row of an article's Quotes list: puts the quote's reference
// on a line of its own at the cursor in the body, then fires `input` so the live preview
// (and the unsaved-changes keeper) see it. A quote just picked in the autocomplete, not yet
// saved, is inserted by the id picked.
(() => {
  const QUOTE_SELECT = 'select[name^="article_quotes-"][name$="-quote"]';
  const touched = new WeakSet(); // bodies the writer has put the cursor in

  const body = () => document.querySelector("textarea#id_body");

  function insert(id) {
    const textarea = body();
    if (!textarea || !id) return;
    const text = textarea.value;
    // Never clicked into: add at the end rather than at the very top.
    const start = touched.has(textarea) ? textarea.selectionStart : text.length;
    const end = touched.has(textarea) ? textarea.selectionEnd : text.length;
    const before = text.slice(0, start);
    const after = text.slice(end);
    // A blank line each side makes it a paragraph of its own, which is what places a quote.
    const lead = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    const trail = after.startsWith("\n\n") ? "" : after.startsWith("\n") ? "\n" : "\n\n";
    const line = `${lead}[[quote:${id}]]${trail}`;
    textarea.value = before + line + after;
    // The cursor goes past the blank line after it, so what comes next (typing, an
    // article link) starts a paragraph of its own instead of joining the reference.
    const skipped = after.startsWith("\n\n") ? 2 : after.startsWith("\n") ? 1 : 0;
    const caret = before.length + line.length + skipped;
    textarea.focus();
    textarea.setSelectionRange(caret, caret);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function follow(select) {
    const row = select.closest("tr");
    const button = row && row.querySelector(".insert-quote");
    if (!button) return;
    const id = select.value;
    button.dataset.quoteId = id;
    button.disabled = !id;
    const code = row.querySelector(".quote-ref");
    if (code) code.textContent = id ? `[[quote:${id}]]` : "–";
  }

  document.addEventListener("focusin", (event) => {
    if (event.target === body()) touched.add(event.target);
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest(".insert-quote");
    if (button) insert(button.dataset.quoteId);
  });
  // A plain select fires a DOM change; select2 (the admin's autocomplete) a jQuery one.
  document.addEventListener("change", (event) => {
    if (event.target.matches(QUOTE_SELECT)) follow(event.target);
  });
  document.addEventListener("DOMContentLoaded", () => {
    if (window.django && window.django.jQuery) {
      window.django.jQuery(document).on("change", QUOTE_SELECT, (event) => follow(event.target));
    }
    if (!body()) {
      // A read-only article has no body to insert into.
      document.querySelectorAll(".insert-quote").forEach((button) => { button.hidden = true; });
    }
  });
})();
