// The article body's cursor, shared by the "insert" controls under it (insert-quote.js,
// insert-image.js, insert-article-link.js): where an insertion goes, and writing it
// there so the live preview (and the unsaved-changes keeper) see it.
window.cmsBody = (() => {
  const touched = new WeakSet(); // bodies the writer has put the cursor in

  const textarea = () => document.querySelector("textarea#id_body");

  document.addEventListener("focusin", (event) => {
    if (event.target === textarea()) touched.add(event.target);
  });

  // The selection; a body never clicked into gets additions at its end, not its top.
  function selection(area) {
    const end = area.value.length;
    return touched.has(area)
      ? { start: area.selectionStart, end: area.selectionEnd }
      : { start: end, end };
  }

  // Replace start..end with `text`, put the cursor at `caret` and say the body changed.
  function write(area, start, end, text, caret) {
    area.value = area.value.slice(0, start) + text + area.value.slice(end);
    area.focus();
    area.setSelectionRange(caret, caret);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // A block reference ([[quote:N]], [[image:N]]) on a line of its own at the cursor: a
  // blank line each side makes it a paragraph of its own, which is what places it, and
  // the cursor goes past the blank line after it, so what comes next (typing, an
  // article link) starts a paragraph of its own instead of joining the reference.
  function placeLine(reference) {
    const area = textarea();
    if (!area) return;
    const { start, end } = selection(area);
    const before = area.value.slice(0, start);
    const after = area.value.slice(end);
    const lead = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    const trail = after.startsWith("\n\n") ? "" : after.startsWith("\n") ? "\n" : "\n\n";
    const line = `${lead}${reference}${trail}`;
    const skipped = after.startsWith("\n\n") ? 2 : after.startsWith("\n") ? 1 : 0;
    write(area, start, end, line, start + line.length + skipped);
  }

  return { textarea, selection, write, placeLine };
})();
