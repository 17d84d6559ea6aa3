"""Submit a page's form as a browser would: every field as rendered, nothing more."""

import re
from functools import lru_cache

from bs4 import BeautifulSoup

# Inputs that send nothing when no file is chosen and no button is pressed.
SENDS_NOTHING = {"file", "submit", "image", "button", "reset"}
# Text inputs whose value cannot hold a line break (the browser strips them).
SINGLE_LINE = {"", "text", "search", "tel", "url", "email", "password"}
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def form_fields(html: str, selector: str = "form[id$=_form]") -> dict[str, list]:
    """The fields of the first form matching ``selector``, as the browser sends them
    when no file is chosen and no button is pressed: name → list of values.

    As a browser does, it leaves out disabled fields (and those in a disabled
    fieldset), drops a textarea's first newline, and sends every line break as CRLF
    (the HTML standard normalises them when it submits a form)."""
    form = parsed(html).select_one(selector)
    if form is None:
        raise AssertionError(f"No form matches {selector!r}")
    data: dict[str, list] = {}

    def add(name, value):
        data.setdefault(name, []).append(LINE_BREAK.sub("\r\n", value))

    for field in form.select("input, select, textarea"):
        name = field.get("name")
        if not name or _is_disabled(field):
            continue
        if field.name == "textarea":
            text = field.get_text()
            add(name, text[1:] if text.startswith("\n") else text)
        elif field.name == "select":
            options = [
                option
                for option in field.select("option")
                if not option.has_attr("disabled")
                and not option.find_parent("optgroup", disabled=True)
            ]
            chosen = [o for o in options if o.has_attr("selected")]
            drop_down = not field.has_attr("multiple") and field.get("size", "1") == "1"
            if not chosen and options and drop_down:
                chosen = options[:1]  # a drop-down always shows, and sends, one
            for option in chosen:
                add(name, option.get("value", " ".join(option.get_text().split())))
        else:
            kind = field.get("type", "").lower()
            if kind in {"checkbox", "radio"}:
                if field.has_attr("checked"):
                    add(name, field.get("value", "on"))
            elif kind in SINGLE_LINE:
                value = re.sub(r"[\r\n]", "", field.get("value", ""))
                add(name, value.strip() if kind in {"url", "email"} else value)
            elif kind not in SENDS_NOTHING:  # hidden, number, date… and unknown types
                add(name, field.get("value", ""))
    return data


@lru_cache(maxsize=4)
def parsed(html: str) -> BeautifulSoup:
    """The page's document, parsed once however many times a test reads it (treat it
    as read-only)."""
    return BeautifulSoup(html, "html.parser")


def _is_disabled(field) -> bool:
    """Disabled itself, or inside a disabled fieldset (but not in its first legend)."""
    if field.has_attr("disabled"):
        return True
    for fieldset in field.find_parents("fieldset"):
        if fieldset.has_attr("disabled"):
            legend = fieldset.find("legend", recursive=False)
            if legend is None or not any(p is legend for p in field.parents):
                return True
    return False


def post_back(
    client, url: str, *, changes: dict | None = None, button="_save", page=None
):
    """GET ``url`` (unless its ``page`` is given), then POST its form back with
    ``changes`` applied, as a browser does."""
    if page is None:
        page = client.get(url)
    assert page.status_code == 200, f"GET {url} answered {page.status_code}"
    data = form_fields(page.content.decode())
    for name, value in (changes or {}).items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value if isinstance(value, list) else [value]
    if button:
        data[button] = ["Save"]
    return client.post(url, data)
