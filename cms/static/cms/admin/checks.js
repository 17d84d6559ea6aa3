// The checks panel of the article editor (articles/admin/checks.py). It is put beside
// the body's live preview; half a second after the writer stops typing in the body, the
// headline, standfirst, SEO fields, hero or medical review, it sends those values to the
// checks endpoint and shows what it found. When the endpoint cannot answer, the panel says the checks are
// unavailable: the form and its text are never touched.
(() => {
  "use strict";

  const DELAY = 500; // ms after the last keystroke
  const TEXT_FIELDS = ["title", "slug", "standfirst", "seo_title", "seo_description"];
  // The medical review, on the form of those who may record reviews.
  const REVIEW_DATES = ["reviewed_at", "next_review_at"];
  const WATCHED = new Set(
    [...TEXT_FIELDS, ...REVIEW_DATES, "body", "category", "hero_image", "reviewed_by",
      "review_confirmed"].map((name) => `id_${name}`)
  );
  let timer = null;
  let controller = null;
  let latest = 0;

  const field = (name) => document.getElementById(`id_${name}`);

  function values(panel) {
    const data = {
      article: panel.dataset.article ? Number(panel.dataset.article) : null,
      hero_image: field("hero_image") ? field("hero_image").value || null : null,
      category: field("category") ? field("category").value || null : null,
      body: field("body") ? field("body").value : "",
    };
    for (const name of TEXT_FIELDS) {
      const input = field(name);
      data[name] = input ? input.value : "";
    }
    if (field("reviewed_at")) {
      for (const name of REVIEW_DATES) data[name] = field(name) ? field(name).value : "";
      data.reviewed_by = field("reviewed_by") ? field("reviewed_by").value || null : null;
      data.review_confirmed = Boolean(field("review_confirmed") && field("review_confirmed").checked);
    }
    return data;
  }

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function show(panel, summary, html, failed) {
    const live = panel.querySelector(".checks-summary");
    // Only a changed summary is announced (the region is aria-live).
    if (live.textContent !== summary) live.textContent = summary;
    panel.querySelector(".checks-results").innerHTML = html;
    panel.classList.toggle("checks-unavailable", failed);
  }

  async function run(panel) {
    if (controller) controller.abort();
    controller = new AbortController();
    const mine = ++latest;
    panel.setAttribute("aria-busy", "true");
    let answer = null;
    try {
      const response = await fetch(panel.dataset.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(values(panel)),
        signal: controller.signal,
      });
      answer = await response.json().catch(() => null);
      if (!response.ok || !answer || typeof answer.html !== "string") {
        if (response.redirected) throw new Error("you have been signed out");
        throw new Error(answer && answer.error ? answer.error : `the server answered ${response.status}`);
      }
    } catch (error) {
      if (error.name === "AbortError" || mine !== latest) return;
      panel.removeAttribute("aria-busy");
      const why = error instanceof TypeError ? "the server could not be reached" : error.message;
      const reason = why.replace(/\.$/, "");
      show(panel, `Checks unavailable: ${reason}. Your text is safe and saving works.`, "", true);
      return;
    }
    if (mine !== latest) return;
    panel.removeAttribute("aria-busy");
    show(panel, answer.summary, answer.html, false);
  }

  function schedule(panel) {
    clearTimeout(timer);
    timer = setTimeout(() => run(panel), DELAY);
  }

  // Beside the preview, in the editor's grid; the row that held it is left empty.
  function place(panel) {
    const row = panel.closest(".form-row");
    const holder = field("body") && field("body").closest(".markdownx");
    if (row) row.hidden = true;
    if (!holder) return false; // read-only: nothing is typed, nothing to check
    holder.append(panel);
    return true;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const panel = document.querySelector(".editor-checks[data-url]");
    if (!panel || !place(panel)) return;
    const watched = (target) => WATCHED.has(target.id);
    for (const type of ["input", "change"]) {
      document.addEventListener(type, (event) => {
        if (watched(event.target)) schedule(panel);
      });
    }
    // The section, the hero and the reviewer are autocompletes (select2): they fire
    // jQuery's change, not the DOM's.
    if (window.django && window.django.jQuery) {
      const selects = "#id_category, #id_hero_image, #id_reviewed_by";
      window.django.jQuery(document).on("change", selects, () => schedule(panel));
    }
    // The admin's "Today" and calendar links set a date without an event.
    document.addEventListener("click", (event) => {
      if (event.target.closest(".datetimeshortcuts, .calendarbox")) schedule(panel);
    });
    run(panel);
  });
})();
