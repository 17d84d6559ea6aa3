// Why an image dropped or pasted into a Markdown editor was refused. On an answer without
// an image, markdownx types "Invalid response" into the writer's text at the caret and
// fires an event with the answer. This puts the text (and caret) back as it was, fires
// `input` so the live preview and the unsaved-changes keeper see it, and shows the
// server's reason above the editor and its preview, in the admin's error style. The
// message goes when the writer next edits the text or starts another upload.
(() => {
  "use strict";

  const INSERTED = "Invalid response"; // markdownx's own text, from its script
  const UPLOAD_URL = "data-markdownx-upload-urls-path";
  const EDITOR = ".markdownx-editor";
  let seq = 0;
  let restoring = false; // the `input` fired when putting the text back is no edit

  const NETWORK =
    "The image did not reach the server: the connection dropped or the file was too " +
    "large. Check the connection and try again.";
  const SIGNED_OUT =
    "The image was not uploaded: you have been signed out. Sign in again in another " +
    "tab (this page keeps your text), then upload it again.";
  const TOO_LARGE = "The image is too large for the server to accept.";
  const REFUSED = "The image was not accepted.";

  // An answer that is not the endpoint's JSON (a proxy's 413 or 502 page, the login page
  // after a session ended) would make markdownx's script throw and leave the editor
  // faded. It is turned into the endpoint's own shape, so markdownx takes its error path.
  function explainOddAnswer(xhr, address) {
    try {
      const answer = JSON.parse(xhr.responseText);
      if (answer && typeof answer === "object") return null;
    } catch {
      // not JSON: explained below
    }
    const redirected = xhr.responseURL && new URL(xhr.responseURL).pathname !== address;
    if (redirected || xhr.status === 401 || xhr.status === 403) return SIGNED_OUT;
    if (xhr.status === 413) return TOO_LARGE;
    if (xhr.status >= 500) {
      return (
        `The server could not take the image just now (error ${xhr.status}). ` +
        "Try again in a moment."
      );
    }
    return `The server's answer to the upload was not understood (HTTP ${xhr.status}).`;
  }

  const isUploadAddress = (address) =>
    Array.from(document.querySelectorAll(`${EDITOR}[${UPLOAD_URL}]`)).some(
      (editor) =>
        new URL(editor.getAttribute(UPLOAD_URL), location.href).pathname === address
    );

  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    const address = new URL(url, location.href).pathname;
    if (isUploadAddress(address)) {
      // Added before markdownx sets its `onload`, so this runs first.
      this.addEventListener("load", () => {
        const message = explainOddAnswer(this, address);
        if (message) {
          Object.defineProperty(this, "responseText", {
            value: JSON.stringify({ __all__: [message] }),
          });
        }
      });
    }
    return open.call(this, method, url, ...rest);
  };

  function messagesOf(answer) {
    // markdownx's network-error path passes the (empty) response text, not an object.
    if (!answer || typeof answer !== "object") return [NETWORK];
    const found = Object.values(answer)
      .flat()
      .filter((text) => typeof text === "string" && text);
    return found.length ? found : [REFUSED];
  }

  function errorList(editor, create) {
    const holder = editor.closest(".markdownx");
    let list = holder.querySelector(":scope > .upload-errors");
    if (list) return list;
    if (!create) return null;
    list = document.createElement("ul");
    list.className = "errorlist upload-errors";
    list.id = `upload-errors-${++seq}`;
    list.setAttribute("role", "alert");
    holder.prepend(list);
    return list;
  }

  function describedBy(editor, id, on) {
    const ids = (editor.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    const rest = ids.filter((other) => other !== id);
    const next = on ? [...rest, id] : rest;
    if (next.length) editor.setAttribute("aria-describedby", next.join(" "));
    else editor.removeAttribute("aria-describedby");
  }

  function show(editor, messages) {
    const list = errorList(editor, true);
    const shown = new Set(Array.from(list.children, (item) => item.textContent));
    for (const text of messages) {
      if (shown.has(text)) continue;
      const item = document.createElement("li");
      item.textContent = text;
      list.append(item);
      shown.add(text);
    }
    describedBy(editor, list.id, true);
  }

  function clear(editor) {
    const list = errorList(editor, false);
    if (!list) return;
    describedBy(editor, list.id, false);
    list.remove();
  }

  function refused(event) {
    const editor = event.target.querySelector && event.target.querySelector(EDITOR);
    if (!editor) return;
    const before = editor.value;
    const start = editor.selectionStart;
    const end = editor.selectionEnd;
    const scroll = editor.scrollTop;
    const answer = Array.isArray(event.detail) ? event.detail[0] : event.detail;
    // markdownx inserts its text right after this event, in the same task.
    queueMicrotask(() => {
      if (editor.value === before.slice(0, start) + INSERTED + before.slice(end)) {
        editor.value = before;
        editor.setSelectionRange(start, end);
        editor.scrollTop = scroll;
        restoring = true;
        try {
          editor.dispatchEvent(new Event("input", { bubbles: true }));
        } finally {
          restoring = false;
        }
      }
      show(editor, messagesOf(answer));
    });
  }

  function uploadStarts(event) {
    const files = (event.dataTransfer || event.clipboardData || {}).files;
    if (files && files.length && event.target.matches && event.target.matches(EDITOR)) {
      clear(event.target);
    }
  }

  // markdownx's events neither bubble nor come from the textarea (they are dispatched
  // on the editor's wrapper), so they are caught on the way down, for every editor,
  // inline rows added later included. The network-error one lacks the prefix.
  document.addEventListener("markdownx.fileUploadError", refused, true);
  document.addEventListener("fileUploadError", refused, true);
  document.addEventListener("drop", uploadStarts, true);
  document.addEventListener("paste", uploadStarts, true);
  document.addEventListener(
    "input",
    (event) => {
      if (!restoring && event.target.matches && event.target.matches(EDITOR)) {
        clear(event.target);
      }
    },
    true
  );
})();
