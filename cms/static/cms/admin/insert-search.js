// The search box of an "insert" control under the article body (insert-image.js,
// insert-article-link.js): a labelled field whose results are buttons (class `pick`),
// searched 200 ms after typing stops, showing only the answer to the latest search. Enter
// picks the first result instead of submitting the article form; picking one calls
// `insert(button)` and clears the box. `find(term, page)` answers
// { items: [<li>…], more: true when there is a next page }. With `words.everything` (what
// to say when there is nothing at all), an empty box searches everything.
window.cmsInsertSearch = (options) => {
  const { after, id, className, results, pick, find, insert, words } = options;
  const box = document.createElement("div");
  box.className = className;
  box.innerHTML =
    `<label for="${id}-term"></label> ` +
    `<input type="search" id="${id}-term" autocomplete="off" size="40" ` +
    `aria-describedby="${id}-help"> <div class="help" id="${id}-help"></div>` +
    `<ul class="${results}" role="list" aria-live="polite"></ul>`;
  box.querySelector("label").textContent = words.label;
  box.querySelector(".help").textContent = words.help;
  const input = box.querySelector("input");
  input.placeholder = words.placeholder;
  const list = box.querySelector("ul");
  after.insertAdjacentElement("afterend", box);
  let seq = 0;
  let timer;

  const say = (text) =>
    list.replaceChildren(Object.assign(document.createElement("li"), { textContent: text }));

  function moreButton(term, page) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = `button ${id}-more`;
    button.textContent = words.more;
    button.addEventListener("click", () => {
      li.remove();
      search(term, page);
    });
    li.append(button);
    return li;
  }

  // The first page replaces the list; a later one (the "more" button) is added to it.
  async function search(term = input.value.trim(), page = 1) {
    const mine = ++seq;
    if (!term && !words.everything) {
      list.replaceChildren(); // nothing typed: nothing to look for
      return;
    }
    try {
      const found = await find(term, page);
      if (mine !== seq) return;
      if (!found.items.length && page === 1) {
        say(term ? `${words.none} “${term}”.` : words.everything);
        return;
      }
      const items = found.more ? [...found.items, moreButton(term, page + 1)] : found.items;
      if (page === 1) list.replaceChildren(...items);
      else {
        // Keyboard users go on from the first result just added.
        const shown = list.querySelectorAll(`.${pick}`).length;
        list.append(...items);
        list.querySelectorAll(`.${pick}`)[shown]?.focus();
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
    if (event.key !== "Enter") return;
    event.preventDefault();
    list.querySelector(`.${pick}`)?.click();
  });
  list.addEventListener("click", (event) => {
    const button = event.target.closest(`.${pick}`);
    if (!button) return;
    insert(button);
    input.value = "";
    list.replaceChildren();
  });
};
