// markdownx initialises editors once, at page load. Inline rows added later ("Add another")
// get their editor and live preview by running its script again: it skips editors it has set up.
document.addEventListener("formset:added", () => {
  const original = document.querySelector('script[src*="markdownx/js/markdownx"]');
  if (!original) return;
  const script = document.createElement("script");
  script.src = original.src;
  document.body.appendChild(script);
});
