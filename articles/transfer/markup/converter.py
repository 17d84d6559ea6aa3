"""The tags: markdownify, taught WordPress's shapes and this site's Markdown."""

import html
import re

from bs4 import NavigableString, Tag
from markdownify import ATX, MarkdownConverter, abstract_inline_conversion, chomp

from cms.markdown import URL_SCHEMES, sanitise

from .addresses import _host, _name, _split
from .escaping import _alt, _escape, _title, _url
from .job import _Job

LANGUAGE = re.compile(r"[\w+#.-]+")
IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|bmp|tiff?|svg)$", re.I)
WP_IMAGE = re.compile(r"^wp-image-(\d+)$")
CELL_BLOCKS = ["ul", "ol", "pre", "blockquote", "table", "hr", "dl", "figure", "div"]
CELL_BLOCKS += ["h1", "h2", "h3", "h4", "h5", "h6", "iframe", "video", "audio", "br"]
FIELDS = {"input", "select", "option", "datalist", "output", "meter"}
FALLBACK_LINKS = {"iframe": "src", "embed": "src", "object": "data"}
DROPPED = {"script": "a script", "style": "a style sheet", "svg": "an SVG drawing"}
DROPPED |= {"math": "a MathML formula", "canvas": "a canvas"}


def _attribute(el: Tag, name: str) -> str:
    value = el.get(name) or ""
    return " ".join(value) if isinstance(value, list) else value.strip()


def _inline(convert, *, across: str = "\n\n"):
    """``convert`` for an inline tag, which marks nothing when it holds whole blocks:
    no Markdown mark spans paragraphs (nor a code span lines)."""

    def inline(self, el, text, parent_tags):
        if across in text.strip():
            return text
        return convert(self, el, text, parent_tags)

    return inline


class _Converter(MarkdownConverter):
    """markdownify, writing the Markdown this site's renderer reads (Python-Markdown
    with tables and fenced code), and noting what it could not carry over."""

    class Options(MarkdownConverter.DefaultOptions):
        heading_style = ATX
        bullets = "-"
        strong_em_symbol = "*"
        wrap = True  # newlines in HTML text are spaces; wrap_width None: no wrapping
        wrap_width = None

    def __init__(self, job: _Job):
        super().__init__()
        self.job = job

    def process_tag(self, node, parent_tags=None):
        parent_tags = parent_tags or set()
        name = node.name
        if name in DROPPED:
            self.job.note(f"Removed: {DROPPED[name]}.")
            return ""
        if name in FALLBACK_LINKS:
            return self._fallback_link(node, FALLBACK_LINKS[name])
        if name in FIELDS or name == "textarea":
            self.job.note("A form's fields were removed (forms do not work here).")
            return ""
        if name == "table" and not (node.get_text(strip=True) or node.find("img")):
            return ""  # an empty grid, often left behind by an editor
        if name == "table" and self._complex(node):
            return self._keep(
                node, "a table with merged cells or several lines in a cell"
            )
        if name == "table":
            return self._table(node, parent_tags)
        if name in ("ul", "ol") and "li" not in parent_tags and self._awkward(node):
            return self._keep(
                node, "a list with an item that starts with code or a quote"
            )
        if name == "dl":
            return self._keep(node, "a definition list")
        if name == "tt":  # teletype: code, to markdownify too (no escapes inside)
            node.name = "code"
        if name == "figure" and "_inline" not in parent_tags:
            return self._figure(node, parent_tags)
        return super().process_tag(node, parent_tags)

    def process_text(self, el, parent_tags=None):
        text = super().process_text(el, parent_tags)
        previous = el.previous_sibling
        return (
            text.lstrip()
            if isinstance(previous, Tag) and previous.name == "br"
            else text
        )

    def escape(self, text, parent_tags):
        return _escape(text, cell=bool(parent_tags & {"td", "th"})) if text else ""

    @_inline
    def convert_a(self, el, text, parent_tags):
        href = _attribute(el, "href")
        prefix, suffix, text = chomp(text)
        if "_noformat" in parent_tags or "a" in parent_tags or not href or not text:
            return prefix + text + suffix
        scheme = _split(href).scheme.lower()
        if scheme and scheme not in URL_SCHEMES:
            self.job.note(
                f"A link to a {scheme}: address was removed; its text is kept."
            )
            return prefix + text + suffix
        images = el.find_all("img")
        if images and not el.get_text(strip=True) and self._to_media(href):
            return prefix + text + suffix  # "link to media file": the image is here
        shown = el.get_text()
        if shown == href and scheme in ("http", "https") and _url(href) == href:
            return f"{prefix}<{href}>{suffix}"
        return f"{prefix}[{text}]({_url(href)}{_title(el)}){suffix}"

    def _to_media(self, href: str) -> bool:
        path = _split(href).path
        return (
            bool(IMAGE_FILE.search(path))
            or "attachment_id=" in href
            or "/attachment/" in path
        )

    @_inline
    def convert_b(self, el, text, parent_tags):
        if parent_tags & {"b", "strong"}:
            return text
        return super().convert_b(el, text, parent_tags)

    convert_strong = convert_b

    @_inline
    def convert_em(self, el, text, parent_tags):
        if parent_tags & {"em", "i", "cite", "figcaption"}:
            return text
        return super().convert_em(el, text, parent_tags)

    convert_i = convert_cite = convert_em

    # Python-Markdown has no "~~": struck text stays HTML, which the sanitiser allows.
    convert_del = convert_s = convert_strike = _inline(
        abstract_inline_conversion(lambda self: "<del>")
    )
    convert_sub = _inline(abstract_inline_conversion(lambda self: "<sub>"))
    convert_sup = _inline(abstract_inline_conversion(lambda self: "<sup>"))
    convert_code = convert_kbd = convert_samp = _inline(
        MarkdownConverter.convert_code, across="\n"
    )
    convert_q = _inline(MarkdownConverter.convert_q)

    @_inline
    def convert_abbr(self, el, text, parent_tags):
        title = " ".join(_attribute(el, "title").split())
        if not title or not text.strip() or "_noformat" in parent_tags:
            return text
        return f'<abbr title="{html.escape(title)}">{text}</abbr>'

    convert_acronym = convert_abbr

    def convert_br(self, el, text, parent_tags):
        if "pre" in parent_tags:
            return "\n"
        return " " if parent_tags & {"_inline", "_noformat"} else "<br>\n"

    def convert_div(self, el, text, parent_tags):
        if "_inline" in parent_tags:
            return " " + text.strip() + " "
        return f"\n\n{text.strip()}\n\n" if text.strip() else ""

    def convert_p(self, el, text, parent_tags):
        return super().convert_p(el, text, parent_tags) if text.strip() else ""

    # Blocks that markdownify would run into the text around them.
    convert_address = convert_aside = convert_center = convert_details = convert_div
    convert_fieldset = convert_footer = convert_form = convert_header = convert_div
    convert_hgroup = convert_legend = convert_main = convert_nav = convert_div
    convert_noscript = convert_summary = convert_template = convert_div

    def convert_hN(self, n, el, text, parent_tags):
        if "_inline" in parent_tags:
            return text
        text = " ".join(text.split())
        text = re.sub(r"(?<!\\)#+$", lambda m: "\\#" * len(m[0]), text)
        return f"\n\n{'#' * min(n, 6)} {text}\n\n" if text else ""

    def convert_img(self, el, text, parent_tags):
        src = _attribute(el, "src") or _attribute(el, "data-src")
        if not src:
            self.job.note("An image with no address was removed.")
            return ""
        if src.lower().startswith("data:"):
            self.job.note(
                "An image stored inside the page (a data: address) was removed."
            )
            return ""
        alt = " ".join((el.get("alt") or "").split())
        if not alt and (found := self.job.find(self._attachment_of(el))):
            alt = " ".join(found.alt.split())
        if not alt:
            self.job.note(f"Image {_name(src)} has no alt text.")
        url = self.job.image(src)
        return f"![{_alt(alt)}]({_url(url)}{_title(el)})"

    def _attachment_of(self, el: Tag) -> int | None:
        for name in el.get("class") or []:
            if m := WP_IMAGE.match(name):
                return int(m[1])
        figure = el.find_parent("figure")
        number = figure.get("data-attachment", "") if figure else ""
        return int(number) if str(number).isdigit() else None

    def _figure(self, el: Tag, parent_tags: set) -> str:
        """An image then its caption, emphasised, on the next line of one paragraph."""
        caption = el.find("figcaption")
        inner = parent_tags | {"figure"}
        parts = []
        for child in el.children:
            if child is caption or (
                isinstance(child, NavigableString) and not child.strip()
            ):
                continue
            parts.append(self.process_element(child, inner))
        body = "".join(parts).strip()
        said = " ".join(self.process_tag(caption, inner).split()) if caption else ""
        if said:
            image = "\n" not in body and body.startswith(("![", "[!["))
            body = f"{body}{chr(10) if image else chr(10) * 2}*{said}*".strip()
        return f"\n\n{body}\n\n" if body else ""

    def convert_figcaption(self, el, text, parent_tags):
        if "figure" in parent_tags:
            return text
        return self.convert_div(el, text, parent_tags)

    def convert_li(self, el, text, parent_tags):
        text = (text or "").strip()
        if not text:
            return ""
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = str(parent.get("start") or "1")
            number = int(start) if start.isdigit() else 1
            bullet = f"{number + len(el.find_previous_siblings('li'))}."
        else:
            bullet = "-"
        first, *rest = text.split("\n")
        lines = [f"{bullet} {first}"] + [f"    {line}" if line else "" for line in rest]
        item = "\n".join(lines)
        # An item of several blocks stands apart, or Python-Markdown reads the next
        # item into its last paragraph.
        if "\n\n" in item or parent is None or parent.name not in ("ul", "ol"):
            return f"\n\n{item}\n\n"
        return item + "\n"

    def convert_pre(self, el, text, parent_tags):
        text = re.sub(r"^\n", "", text).rstrip()
        if not text.strip():
            return ""
        if parent_tags & {"li", "blockquote"}:  # a fence works only at the margin
            code = "\n".join(
                f"    {line}" if line.strip() else "" for line in text.split("\n")
            )
            return f"\n\n{code}\n\n"
        fence = "`" * max([3] + [len(run) + 1 for run in re.findall(r"`+", text)])
        classes = [
            *(el.get("class") or []),
            *((el.find("code") or {}).get("class") or []),
        ]
        languages = [name[9:] for name in classes if name.startswith("language-")]
        language = (
            languages[0] if languages and LANGUAGE.fullmatch(languages[0]) else ""
        )
        return f"\n\n{fence}{language}\n{text}\n{fence}\n\n"

    def convert_video(self, el, text, parent_tags):
        source = el.find("source", src=True)
        src = _attribute(el, "src") or (_attribute(source, "src") if source else "")
        if not src:
            self.job.note(f"A {el.name} player with no file was removed.")
            return text
        self.job.note(
            f"The {el.name} player for {_name(src)} is shown as a link to the file."
        )
        return f"[{_escape(_name(src))}]({_url(src)})"

    convert_audio = convert_video

    def _table(self, table: Tag, parent_tags: set) -> str:
        """A pipe table, its first row the header (as a browser shows a table with
        no <th>, the first row on top)."""
        inner = parent_tags | {"table", "tr"}
        rows = [
            [self.process_tag(cell, inner) for cell in tr.find_all(["td", "th"])]
            for tr in table.find_all("tr")
        ]
        rows = [row for row in rows if row]
        caption = table.find("caption")
        said = self.process_tag(caption, inner).strip() if caption else ""
        if not rows:
            return f"\n\n{said}\n\n"
        width = max(map(len, rows))
        rows.insert(1, ["---"] * width)
        lines = [
            "| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in rows
        ]
        return "\n\n" + (f"{said}\n\n" if said else "") + "\n".join(lines) + "\n\n"

    def convert_td(self, el, text, parent_tags):
        return " ".join(text.split())

    convert_th = convert_td

    def convert_caption(self, el, text, parent_tags):
        return " ".join(text.split())

    def _complex(self, table: Tag) -> bool:
        cells = table.find_all(["td", "th"])
        spans = any(
            _attribute(cell, span) not in ("", "1")
            for cell in cells
            for span in ("colspan", "rowspan")
        )
        blocks = any(
            cell.find(CELL_BLOCKS) or len(cell.find_all("p")) > 1 for cell in cells
        )
        heads = sum(len(head.find_all("tr")) for head in table.find_all("thead")) > 1
        return spans or blocks or heads

    def _awkward(self, node: Tag) -> bool:
        """Whether an item starts with a block Python-Markdown cannot start one with."""
        for item in node.find_all("li"):
            first = next(
                (c for c in item.children if isinstance(c, Tag) or c.strip()), None
            )
            if isinstance(first, Tag) and first.name in ("pre", "blockquote", "hr"):
                return True
        return False

    def _keep(self, el: Tag, what: str) -> str:
        for img in el.find_all("img"):
            if src := _attribute(img, "src"):
                if not _attribute(img, "alt"):
                    self.job.note(f"Image {_name(src)} has no alt text.")
                img["src"] = self.job.image(src)
        clean = sanitise(str(el)).strip()
        if "<pre" not in clean:  # a list item indents each line: do not add up
            clean = re.sub(r"\n\s+", "\n", clean)
        clean = re.sub(r"\n\s*\n", "\n", clean)
        self.job.note(f"Kept as HTML: {what}.")
        return f"\n\n{clean}\n\n"

    def _fallback_link(self, el: Tag, attribute: str) -> str:
        src = _attribute(el, attribute)
        if src.startswith("//"):
            src = "https:" + src
        what = f"an {el.name}" if el.name[0] in "aeiou" else f"a {el.name}"
        if not src or _split(src).scheme.lower() not in ("http", "https"):
            self.job.note(f"Removed: {what} (it cannot be shown here).")
            return ""
        self.job.note(
            f"Kept as a link: {what} from {_host(src)}, which cannot be shown here."
        )
        words = _attribute(el, "title") or f"Embedded content from {_host(src)}"
        return f"\n\n[{_escape(words)}]({_url(src)})\n\n"
