// "Link to an article" under an article's body: search titles with the admin's autocomplete
// (the one the Related links rows use) and insert a reference at the cursor in the body:
// [[article:<id>|<the text selected in the body>]], or [[article:<id>]] with nothing
// selected, which shows the article's title as it is when the page is read. Fires `input` so
// the live preview (and the unsaved-changes keeper) see it.
(() => {
  const PARAMS = "app_label=articles&model_name=relatedlink&field_name=target_article";
  let seq = 0; // only the answer to the latest search is shown

  const body = () => window.cmsBody.textarea();

  function autocompleteUrl() {
    // Any admin autocomplete widget on the page knows the endpoint's address; else it is
    // under the admin's home, which the header links to (DJANGO_ADMIN_URL moves both).
    const widget = document.querySelector("[data-ajax--url]");
    if (widget) return widget.getAttribute("data-ajax--url");
    return new URL("autocomplete/", document.querySelector("#site-name a").href).pathname;
  }

  function insert(id) {
    const textarea = body();
    if (!textarea || !id) return;
    const text = textarea.value;
    const { start, end } = window.cmsBody.selection(textarea);
    const words = text.slice(start, end).replace(/[\]\n]+/g, " ").trim();
    // A title put in with nothing selected is a word of its own: space it from the last.
    const lead = !words && start > 0 && !/\s/.test(text[start - 1]) ? " " : "";
    const reference = words ? `[[article:${id}|${words}]]` : `${lead}[[article:${id}]]`;
    window.cmsBody.write(textarea, start, end, reference, start + reference.length);
  }

  function build(textarea) {
    const box = document.createElement("div");
    box.className = "article-link-search";
    box.innerHTML =
      '<label for="article-link-term">Link to an article</label> ' +
      '<input type="search" id="article-link-term" autocomplete="off" size="40" ' +
      'placeholder="Search titles" aria-describedby="article-link-help"> ' +
      '<div class="help" id="article-link-help">Select words in the body first to ' +
      "make them the link; otherwise the link shows the article's title.</div>" +
      '<ul class="article-link-results" role="list" aria-live="polite"></ul>';
    const row = textarea.closest(".form-row") || textarea.parentElement;
    row.insertAdjacentElement("afterend", box);
    const input = box.querySelector("input");
    const list = box.querySelector("ul");
    let timer;

    function show(results, term) {
      list.replaceChildren();
      if (!results.length) {
        const li = document.createElement("li");
        li.textContent = `No article matches “${term}”.`;
        list.append(li);
        return;
      }
      for (const result of results) {
        const li = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "insert-article-link";
        button.dataset.articleId = result.id;
        button.textContent = result.text;
        button.title = `Insert [[article:${result.id}]]`;
        li.append(button);
        list.append(li);
      }
    }

    async function search() {
      const term = input.value.trim();
      const mine = ++seq;
      if (!term) {
        list.replaceChildren();
        return;
      }
      const url = `${autocompleteUrl()}?${PARAMS}&term=${encodeURIComponent(term)}`;
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (!response.ok) throw new Error(response.statusText);
        const data = await response.json();
        if (mine === seq) show(data.results || [], term);
      } catch (error) {
        if (mine === seq) list.replaceChildren(Object.assign(document.createElement("li"), {
          textContent: "The search did not work; try again.",
        }));
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", (event) => {
      // Enter picks the first result instead of submitting the article form.
      if (event.key !== "Enter") return;
      event.preventDefault();
      const first = list.querySelector(".insert-article-link");
      if (first) first.click();
    });
    list.addEventListener("click", (event) => {
      const button = event.target.closest(".insert-article-link");
      if (!button) return;
      insert(button.dataset.articleId);
      input.value = "";
      list.replaceChildren();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const textarea = body();
    if (textarea) build(textarea); // a read-only article has no body to insert into
  });
})();
