// A backstop for unsaved work in the article form. While a writer types, what they changed
// is kept in this browser (localStorage), keyed by the page's path and the article version
// the form was opened at. If the tab closes or the connection drops, the next visit offers
// it back in a banner. A save the server confirms clears it; a save that comes back with
// errors (a stale version included) keeps it. Leaving with unsaved edits asks first.
// Restoring typing made on an older version puts back only the fields no one has changed
// since: where someone else changed the same field, theirs stays in the form and the
// typing is shown beside it to copy from, so nothing is ever silently overwritten.
(() => {
  "use strict";

  const PREFIX = "unsaved-changes:";
  const SUBMITTED = PREFIX + "submitted"; // sessionStorage: the path just submitted
  const MAX_AGE = 30 * 24 * 60 * 60 * 1000;
  const SKIP_NAMES = new Set(["csrfmiddlewaretoken", "edit_version"]);
  const SKIP_TYPES = new Set([
    "hidden", "file", "password", "radio", "submit", "button", "reset", "image",
  ]);

  const store = (area) => ({
    get(key) {
      try {
        return JSON.parse(area.getItem(key));
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        area.setItem(key, JSON.stringify(value));
      } catch {
        // Full or disabled storage: the backstop is best effort.
      }
    },
    remove(key) {
      try {
        area.removeItem(key);
      } catch {}
    },
    keys(prefix) {
      try {
        return Object.keys(area).filter((key) => key.startsWith(prefix));
      } catch {
        return [];
      }
    },
  });
  const local = store(window.localStorage);
  const session = store(window.sessionStorage);

  const fieldsOf = (form) =>
    Array.from(form.elements).filter(
      (el) =>
        el.name &&
        !SKIP_NAMES.has(el.name) &&
        !SKIP_TYPES.has(el.type) &&
        !el.name.includes("__prefix__") && // the template row for new inline rows
        !el.disabled
    );
  const idOf = (el) => (el.type === "checkbox" ? `${el.name}=${el.value}` : el.name);

  function read(el) {
    if (el.type === "checkbox") return el.checked;
    if (el.tagName === "SELECT") {
      return Array.from(el.selectedOptions, (option) => [option.value, option.text]);
    }
    return el.value;
  }

  // What the server sent, even if the browser has put back typed values on a reload.
  function readDefault(el) {
    if (el.type === "checkbox") return el.defaultChecked;
    if (el.tagName === "SELECT") {
      let chosen = Array.from(el.options).filter((option) => option.defaultSelected);
      // A single select with no option marked selected (an empty autocomplete) shows
      // its first one.
      if (!chosen.length && !el.multiple && el.options.length) chosen = [el.options[0]];
      return chosen.map((option) => [option.value, option.text]);
    }
    return el.defaultValue;
  }

  function write(el, value) {
    if (el.type === "checkbox") {
      el.checked = Boolean(value);
    } else if (el.tagName === "SELECT") {
      // Autocomplete selects only hold the chosen options: add any that are missing.
      const wanted = new Map(value);
      for (const [optionValue, text] of wanted) {
        if (!Array.from(el.options).some((option) => option.value === optionValue)) {
          el.add(new Option(text, optionValue));
        }
      }
      for (const option of el.options) option.selected = wanted.has(option.value);
    } else {
      el.value = value;
    }
    // Listeners (markdownx's preview, select2, the slug filler) catch up.
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }

  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  function snapshot(form, reader = read) {
    const values = {};
    for (const el of fieldsOf(form)) values[idOf(el)] = reader(el);
    return values;
  }

  function clearPath(pathPrefix) {
    for (const key of local.keys(pathPrefix)) local.remove(key);
  }

  function forgetOld() {
    const now = Date.now();
    for (const key of local.keys(PREFIX)) {
      const copy = local.get(key);
      if (!copy || !(now - copy.savedAt < MAX_AGE)) local.remove(key);
    }
  }

  function formatTime(ms) {
    try {
      return new Date(ms).toLocaleString(document.documentElement.lang || undefined, {
        dateStyle: "medium",
        timeStyle: "short",
      });
    } catch {
      return new Date(ms).toLocaleString();
    }
  }

  // A warning in the admin's own message style; returns the box and its message.
  function warningBox(className) {
    const box = document.createElement("div");
    box.className = className;
    box.setAttribute("role", "alert");
    const list = document.createElement("ul");
    list.className = "messagelist";
    const item = document.createElement("li");
    item.className = "warning";
    list.append(item);
    box.append(list);
    return [box, item];
  }

  function banner(copy, current, onRestore, onDiscard) {
    const [box, item] = warningBox("unsaved-changes");
    let text = `You have unsaved changes from ${formatTime(copy.savedAt)}.`;
    if (copy.version !== current) {
      text +=
        " They were made before this article was last saved by someone else:" +
        " restoring puts back the fields they did not change, and shows your" +
        " typing beside any they did.";
    }
    const message = document.createElement("span");
    message.textContent = text + " ";
    const restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button";
    restore.textContent = "Restore them";
    restore.style.marginInlineStart = "0.5em";
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button";
    discard.textContent = "Discard";
    restore.addEventListener("click", () => {
      box.remove();
      onRestore();
    });
    discard.addEventListener("click", () => {
      box.remove();
      onDiscard();
    });
    item.append(message, restore, " ", discard);
    return box;
  }

  const labelOf = (el) => {
    const label = el.id && document.querySelector(`label[for="${el.id}"]`);
    return label ? label.textContent.replace(/:\s*$/, "").trim() : el.name;
  };
  const shown = (value) =>
    Array.isArray(value) ? value.map(([, text]) => text).join(", ") : String(value);

  // Fields someone else changed too: theirs stays, the typing is kept here to copy.
  function conflictsBox(conflicts) {
    const [box, item] = warningBox("unsaved-conflicts");
    item.textContent =
      "Someone else changed these fields after you typed in them, so the form shows" +
      " their version. Yours is below each: copy what you need into the field.";
    for (const [el, value] of conflicts) {
      const details = document.createElement("details");
      details.open = true;
      const summary = document.createElement("summary");
      summary.textContent = `Your ${labelOf(el)}`;
      const text = document.createElement("textarea");
      text.readOnly = true;
      text.rows = Math.min(12, shown(value).split("\n").length + 1);
      text.value = shown(value);
      text.setAttribute("aria-label", `Your ${labelOf(el)} (not restored)`);
      details.append(summary, text);
      box.append(details);
    }
    return box;
  }

  function start() {
    forgetOld();
    const hasErrors = Boolean(document.querySelector(".errornote, .errorlist"));

    // The last page submitted an article form. The admin's success message means the
    // save landed; anything else (errors, a lost connection) keeps the copy.
    const submitted = session.get(SUBMITTED);
    session.remove(SUBMITTED);
    if (submitted && document.querySelector(".messagelist .success")) {
      clearPath(submitted);
    }

    const versionInput = document.querySelector('form input[name="edit_version"]');
    if (!versionInput) return;
    const form = versionInput.form;
    const version = versionInput.value;
    const pathPrefix = `${PREFIX}${location.pathname}@`;
    const key = pathPrefix + version;

    const baseline = snapshot(form, readDefault);
    let carried = {}; // unsaved values that must survive the next save
    let carriedBase = {}; // what each carried field held when the typing began
    let carriedFrom = null; // the key they came from, if another version's
    let submitting = false;
    let timer = null;

    // The typed values, and what each field held when its typing began.
    function changed() {
      const values = { ...carried };
      const base = { ...carriedBase };
      const now = snapshot(form);
      for (const [id, value] of Object.entries(now)) {
        // A carried value stays until its field is typed in.
        if (!same(value, baseline[id])) {
          values[id] = value;
          if (!(id in base)) base[id] = baseline[id];
        }
      }
      return { values, base };
    }

    function save() {
      clearTimeout(timer);
      timer = null;
      const { values, base } = changed();
      if (carriedFrom && carriedFrom !== key) local.remove(carriedFrom);
      carriedFrom = null;
      if (Object.keys(values).length) {
        local.set(key, { savedAt: Date.now(), version, values, base });
      } else {
        local.remove(key);
      }
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(save, 400);
    }

    // A copy for this exact version first, else the newest for another version.
    const found = local.get(key)
      ? [key, local.get(key)]
      : local
          .keys(pathPrefix)
          .map((other) => [other, local.get(other)])
          .filter(([, copy]) => copy && copy.values)
          .sort(([, a], [, b]) => b.savedAt - a.savedAt)[0];
    if (found) {
      const [foundKey, copy] = found;
      const byId = new Map(fieldsOf(form).map((el) => [idOf(el), el]));
      const differsFrom = (reader) =>
        Object.entries(copy.values).some(
          ([id, value]) => byId.has(id) && !same(reader(byId.get(id)), value)
        );
      const differs = differsFrom(read);
      if (differs || hasErrors || differsFrom(readDefault)) {
        // Still unsaved work: typing from now on must not overwrite it.
        carried = { ...copy.values };
        carriedBase = { ...(copy.base || {}) };
        carriedFrom = foundKey;
      } else {
        local.remove(foundKey); // it holds what the server has now
      }
      if (differs) {
        form.prepend(
          banner(
            copy,
            version,
            () => {
              // A field goes back only if the server still has what the typing began
              // from; a copy from before bases were kept trusts its version alone.
              const conflicts = [];
              for (const [id, value] of Object.entries(copy.values)) {
                const el = byId.get(id);
                if (!el) continue;
                const theirs = readDefault(el);
                const untouched =
                  copy.base && id in copy.base
                    ? same(theirs, copy.base[id])
                    : copy.version === version;
                if (untouched) write(el, value);
                else if (!same(theirs, value)) conflicts.push([id, el, value]);
              }
              // Kept until saved or discarded: a reload shows them again.
              carried = Object.fromEntries(conflicts.map(([id, , value]) => [id, value]));
              carriedBase = Object.fromEntries(
                conflicts.map(([id]) => [id, (copy.base && copy.base[id]) ?? null])
              );
              if (conflicts.length) {
                form.prepend(conflictsBox(conflicts.map(([, el, value]) => [el, value])));
              }
              save();
            },
            () => {
              local.remove(foundKey);
              carried = {};
              carriedBase = {};
              carriedFrom = null;
              save();
            }
          )
        );
      }
    }

    form.addEventListener("input", later);
    // Autocomplete (select2) announces a choice through jQuery only, not to the DOM.
    const jQuery = window.django && window.django.jQuery;
    if (jQuery) jQuery(form).on("change", later);
    else form.addEventListener("change", later);

    form.addEventListener("submit", () => {
      save();
      session.set(SUBMITTED, pathPrefix);
      submitting = true;
    });

    // Closing the tab or switching away: write now, not after the debounce.
    window.addEventListener("pagehide", () => timer && save());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden" && timer) save();
    });
    // Ask before leaving a form that differs from what the server has.
    const unsaved = () =>
      !submitting &&
      (hasErrors ||
        Object.entries(snapshot(form)).some(([id, value]) => !same(value, baseline[id])));
    window.addEventListener("beforeunload", (event) => {
      if (timer) save();
      if (!unsaved()) return;
      event.preventDefault();
      event.returnValue = ""; // older browsers need it to ask
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
