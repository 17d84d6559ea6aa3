// markdownx initialises editors once, at page load. An inline row added later ("Add another")
// is a copy of the already-initialised empty form, so its editor is marked as done: clear the
// mark and run markdownx's script again, which sets up every editor not yet marked.
document.addEventListener("formset:added", (event) => {
  const original = document.querySelector('script[src*="markdownx/js/markdownx"]');
  const editors = event.target.querySelectorAll(".markdownx-editor[data-markdownx-init]");
  if (!original || !editors.length) return;
  editors.forEach((editor) => editor.removeAttribute("data-markdownx-init"));
  const script = document.createElement("script");
  script.src = original.src;
  document.body.appendChild(script);
});
