// "Link to an article" under an article's body: search titles with the admin's autocomplete
// (the one the Related links rows use) and insert a reference at the cursor in the body:
// [[article:<id>|<the text selected in the body>]], or [[article:<id>]] with nothing
// selected, which shows the article's title as it is when the page is read. Fires `input` so
// the live preview (and the unsaved-changes keeper) see it.
(() => {
  const PARAMS = "app_label=articles&model_name=relatedlink&field_name=target_article";

  function autocompleteUrl() {
    // Any admin autocomplete widget on the page knows the endpoint's address; else it is
    // under the admin's home, which the header links to (DJANGO_ADMIN_URL moves both).
    const widget = document.querySelector("[data-ajax--url]");
    if (widget) return widget.getAttribute("data-ajax--url");
    return new URL("autocomplete/", document.querySelector("#site-name a").href).pathname;
  }

  function insert(button) {
    const textarea = window.cmsBody.textarea();
    const id = button.dataset.articleId;
    if (!textarea || !id) return;
    const text = textarea.value;
    const { start, end } = window.cmsBody.selection(textarea);
    const words = text.slice(start, end).replace(/[\]\n]+/g, " ").trim();
    // A title put in with nothing selected is a word of its own: space it from the last.
    const lead = !words && start > 0 && !/\s/.test(text[start - 1]) ? " " : "";
    const reference = words ? `[[article:${id}|${words}]]` : `${lead}[[article:${id}]]`;
    window.cmsBody.write(textarea, start, end, reference, start + reference.length);
  }

  function result(article) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "insert-article-link";
    button.dataset.articleId = article.id;
    button.textContent = article.text;
    button.title = `Insert [[article:${article.id}]]`;
    li.append(button);
    return li;
  }

  async function find(term) {
    const url = `${autocompleteUrl()}?${PARAMS}&term=${encodeURIComponent(term)}`;
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(response.statusText);
    const data = await response.json();
    return { items: (data.results || []).map(result), more: false };
  }

  document.addEventListener("DOMContentLoaded", () => {
    const textarea = window.cmsBody.textarea();
    if (!textarea) return; // a read-only article has no body to insert into
    window.cmsInsertSearch({
      after: textarea.closest(".form-row") || textarea.parentElement,
      id: "article-link",
      className: "article-link-search",
      results: "article-link-results",
      pick: "insert-article-link",
      find,
      insert,
      words: {
        label: "Link to an article",
        placeholder: "Search titles",
        help:
          "Select words in the body first to make them the link; otherwise the link " +
          "shows the article's title.",
        none: "No article matches",
      },
    });
  });
})();
