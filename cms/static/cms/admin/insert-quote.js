// "Insert in body" next to each row of an article's Quotes list: puts the quote's reference
// on a line of its own at the cursor in the body, then fires `input` so the live preview
// (and the unsaved-changes keeper) see it. A quote just picked in the autocomplete, not yet
// saved, is inserted by the id picked.
(() => {
  const QUOTE_SELECT = 'select[name^="article_quotes-"][name$="-quote"]';
  const body = () => window.cmsBody.textarea();

  function insert(id) {
    if (id) window.cmsBody.placeLine(`[[quote:${id}]]`);
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
