// "Insert image" under an article's body: search the image library and put the picked
// image's reference, [[image:<id>]], on a line of its own at the cursor in the body. Fires
// `input` so the live preview (and the unsaved-changes keeper) see it. Enter picks the
// first result, as in "Link to an article".
(() => {
  function searchUrl() {
    // Under the admin's home, which the header links to (DJANGO_ADMIN_URL moves both).
    return new URL("images/search/", document.querySelector("#site-name a").href).pathname;
  }

  function result(image) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "insert-image";
    button.dataset.imageId = image.id;
    button.title = `Insert ${image.reference}`;
    const thumb = document.createElement("img");
    thumb.src = image.thumbnail;
    thumb.alt = ""; // the title and alt text beside it say what it is
    thumb.width = 64;
    thumb.height = 64;
    thumb.loading = "lazy";
    const words = document.createElement("span");
    words.className = "insert-image-words";
    const title = document.createElement("strong");
    title.textContent = image.title;
    const alt = document.createElement("span");
    alt.textContent = image.alt || "No alt text";
    const size = document.createElement("span");
    size.className = "insert-image-size";
    size.textContent = image.width && image.height ? `${image.width} × ${image.height}` : "";
    words.append(title, alt, size);
    button.append(thumb, words);
    li.append(button);
    return li;
  }

  async function find(term, page) {
    const url = `${searchUrl()}?q=${encodeURIComponent(term)}&page=${page}`;
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(response.statusText);
    const data = await response.json();
    return { items: data.results.map(result), more: data.more };
  }

  document.addEventListener("DOMContentLoaded", () => {
    const textarea = window.cmsBody.textarea();
    if (!textarea) return; // a read-only article has no body to insert into
    const row = textarea.closest(".form-row") || textarea.parentElement;
    window.cmsInsertSearch({
      // After "Link to an article" when it is there, so the two controls sit together.
      after: row.parentElement.querySelector(".article-link-search") || row,
      id: "image-search",
      className: "image-search",
      results: "image-search-results",
      pick: "insert-image",
      find,
      insert: (button) => window.cmsBody.placeLine(`[[image:${button.dataset.imageId}]]`),
      words: {
        label: "Insert image",
        placeholder: "Search the image library",
        help:
          "Puts the picture on a line of its own at the cursor, with its alt text, " +
          "caption and credit from the library. Add “|your caption” before the closing ]] " +
          "for a caption of its own.",
        none: "No image matches",
        everything: "The image library is empty.",
        more: "More images",
      },
    });
  });
})();
