// Progressive enhancement: an image link opens its picture in a modal dialog.
// Without JavaScript the link simply opens the full-size image. showModal() traps
// focus and closes on Escape; focus goes back to the link that opened it.
(() => {
  if (typeof HTMLDialogElement !== "function") return;
  let dialog;
  let opener;

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "viewer";
    dialog.setAttribute("aria-label", "Image viewer");
    dialog.innerHTML = '<button type="button">Close<span class="visually-hidden"> image viewer</span></button><img alt=""><p></p>';
    dialog.querySelector("button").addEventListener("click", () => dialog.close());
    dialog.addEventListener("click", (event) => { if (event.target === dialog) dialog.close(); });
    dialog.addEventListener("close", () => { if (opener) opener.focus(); });
    document.body.appendChild(dialog);
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-viewer]");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    if (!dialog) build();
    opener = link;
    const thumb = link.querySelector("img");
    const image = dialog.querySelector("img");
    image.src = link.href;
    image.alt = thumb ? thumb.alt : "";
    dialog.querySelector("p").textContent = thumb ? thumb.alt : "";
    dialog.showModal();
    dialog.querySelector("button").focus();
  });

  // Highlight the section being read in the table of contents.
  const tocLinks = [...document.querySelectorAll(".toc a[href^='#']")];
  if (!tocLinks.length || !("IntersectionObserver" in window)) return;
  const byId = new Map(tocLinks.map((a) => [decodeURIComponent(a.hash.slice(1)), a]));
  const observer = new IntersectionObserver((entries) => {
    entries.forEach((entry) => {
      if (!entry.isIntersecting) return;
      tocLinks.forEach((a) => a.removeAttribute("aria-current"));
      const link = byId.get(entry.target.id);
      if (link) link.setAttribute("aria-current", "true");
    });
  }, { rootMargin: "0px 0px -70% 0px" });
  byId.forEach((_, id) => { const el = document.getElementById(id); if (el) observer.observe(el); });
})();
