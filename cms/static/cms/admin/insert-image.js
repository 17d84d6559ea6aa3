// "Insert image" under an article's body: search the image library and put the picked
// image's reference, [[image:<id>]], on a line of its own at the cursor in the body. Fires
// `input` so the live preview (and the unsaved-changes keeper) see it. Enter picks the
// first result, as in "Link to an article".
(() => {
  let seq = 0; // only the answer to the latest search is shown

  const body = () => window.cmsBody.textarea();

  function searchUrl() {
    // Under the admin's home, which the header links to (DJANGO_ADMIN_URL moves both).
    return new URL("images/search/", document.querySelector("#site-name a").href).pathname;
  }

  function insert(id) {
    if (id) window.cmsBody.placeLine(`[[image:${id}]]`);
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

  function build(textarea) {
    const box = document.createElement("div");
    box.className = "image-search";
    box.innerHTML =
      '<label for="image-search-term">Insert image</label> ' +
      '<input type="search" id="image-search-term" autocomplete="off" size="40" ' +
      'placeholder="Search the image library" aria-describedby="image-search-help"> ' +
      '<div class="help" id="image-search-help">Puts the picture on a line of its own at ' +
      "the cursor, with its alt text, caption and credit from the library. Add " +
      "“|your caption” before the closing ]] for a caption of its own.</div>" +
      '<ul class="image-search-results" role="list" aria-live="polite"></ul>';
    const row = textarea.closest(".form-row") || textarea.parentElement;
    // After "Link to an article" when it is there, so the two controls sit together.
    const after = row.parentElement.querySelector(".article-link-search") || row;
    after.insertAdjacentElement("afterend", box);
    const input = box.querySelector("input");
    const list = box.querySelector("ul");
    let timer;

    function say(words) {
      list.replaceChildren(Object.assign(document.createElement("li"), { textContent: words }));
    }

    function moreButton(term, page) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button image-search-more";
      button.textContent = "More images";
      button.addEventListener("click", () => {
        li.remove();
        search(term, page);
      });
      li.append(button);
      return li;
    }

    // The first page replaces the list; a later one ("More images") is added to it.
    async function search(term = input.value.trim(), page = 1) {
      const mine = ++seq;
      const url = `${searchUrl()}?q=${encodeURIComponent(term)}&page=${page}`;
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (!response.ok) throw new Error(response.statusText);
        const data = await response.json();
        if (mine !== seq) return;
        if (!data.results.length && page === 1) {
          say(term ? `No image matches “${term}”.` : "The image library is empty.");
          return;
        }
        const items = data.results.map(result);
        if (data.more) items.push(moreButton(term, page + 1));
        if (page === 1) list.replaceChildren(...items);
        else {
          // Keyboard users go on from the first image just added.
          const shown = list.querySelectorAll(".insert-image").length;
          list.append(...items);
          list.querySelectorAll(".insert-image")[shown]?.focus();
        }
      } catch (error) {
        if (mine === seq) say("The search did not work; try again.");
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => search(), 200);
    });
    input.addEventListener("keydown", (event) => {
      // Enter picks the first result instead of submitting the article form.
      if (event.key !== "Enter") return;
      event.preventDefault();
      const first = list.querySelector(".insert-image");
      if (first) first.click();
    });
    list.addEventListener("click", (event) => {
      const button = event.target.closest(".insert-image");
      if (!button) return;
      insert(button.dataset.imageId);
      input.value = "";
      list.replaceChildren();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const textarea = body();
    if (textarea) build(textarea); // a read-only article has no body to insert into
  });
})();
