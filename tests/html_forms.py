"""Submit a page's form as a browser would: every field as rendered, nothing more."""

from bs4 import BeautifulSoup

TEXT_TYPES = {
    "", "text", "hidden", "number", "email", "url", "password", "search", "tel",
    "date", "time", "datetime-local", "month", "week", "color", "range",
}  # fmt: skip


def form_fields(html: str, selector: str = "form[id$=_form]") -> dict[str, list]:
    """The fields of the first form matching ``selector``, as the browser sends them
    when no file is chosen and no button is pressed: name → list of values."""
    form = BeautifulSoup(html, "html.parser").select_one(selector)
    if form is None:
        raise AssertionError(f"No form matches {selector!r}")
    data: dict[str, list] = {}

    def add(name, value):
        data.setdefault(name, []).append(value)

    for field in form.select("input, select, textarea"):
        name = field.get("name")
        if not name or field.has_attr("disabled"):
            continue
        if field.name == "textarea":
            text = field.string or ""
            add(name, text[1:] if text.startswith("\n") else text)
        elif field.name == "select":
            options = field.select("option")
            chosen = [o for o in options if o.has_attr("selected")]
            if not chosen and options and not field.has_attr("multiple"):
                chosen = options[:1]
            for option in chosen:
                add(name, option.get("value", option.get_text()))
            if not chosen:
                data.setdefault(name, [])
        else:
            kind = field.get("type", "").lower()
            if kind in {"checkbox", "radio"}:
                if field.has_attr("checked"):
                    add(name, field.get("value", "on"))
            elif kind in TEXT_TYPES:
                add(name, field.get("value", ""))
            # file inputs with nothing chosen, and buttons, send nothing
    return {name: values for name, values in data.items() if values}


def post_back(client, url: str, *, changes: dict | None = None, button="_save"):
    """GET ``url``, then POST its form back with ``changes`` applied, as a browser does."""
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
