"""Shapes of Markdown that cost Python-Markdown time or stack out of proportion to their
size, each at any size: for tests/cms/test_hostile_markdown.py and the timings of
bench/hostile_markdown.py.

``SHAPES[name](size)`` is a text of exactly ``size`` bytes of UTF-8 whose last line is
``END``: rendered, the page must still say it.
"""

END = "The end of the text."


def _filled(unit: str, size: int) -> str:
    """``unit`` repeated to ``size`` bytes (ASCII only), then END on a line of its own."""
    room = size - len(END) - 2
    return (unit * (room // len(unit) + 1))[:room] + "\n\n" + END


def _nested(opening: str, closing: str, middle: str = "x"):
    def build(size: int) -> str:
        pairs = (size - len(END) - 2 - len(middle)) // (len(opening) + len(closing))
        text = opening * pairs + middle + closing * pairs
        return text + " " * (size - len(END) - 2 - len(text)) + "\n\n" + END

    return build


def _lines(make_line):
    """One line per number, as many as fit, padded with spaces to the size."""

    def build(size: int) -> str:
        room, lines, used = size - len(END) - 2, [], 0
        while used + len(line := make_line(len(lines))) <= room:
            lines.append(line)
            used += len(line)
        text = "".join(lines)
        return text + " " * (room - len(text)) + "\n\n" + END

    return build


PROSE = (
    "Parents often ask **when** a fever needs a doctor. The [NHS page on fevers]"
    "(https://www.nhs.uk/conditions/fever-in-children/) has the details, and _our "
    "guide_ sums it up: call 111 if you're *unsure*, and 999 if your baby is floppy. "
)

SHAPES = {
    # Raw HTML that never closes, or nests without end.
    "<a repeated": lambda size: _filled("<a ", size),
    "< repeated": lambda size: _filled("<", size),
    "<x repeated": lambda size: _filled("<x", size),
    "</a repeated": lambda size: _filled("</a ", size),
    "<!-- repeated": lambda size: _filled("<!--", size),
    "<? lines": lambda size: _filled("<?x\n", size),
    "<!x lines": lambda size: _filled("<!x\n", size),
    "<b><!----> repeated": lambda size: _filled("<b><!---->", size),
    "<div> nested": lambda size: _filled("<div>", size),
    "<ul><li> nested": lambda size: _filled("<ul><li>", size),
    "&lt; repeated": lambda size: _filled("&lt;", size),
    # Links and images that never close, or nest.
    "[ repeated": lambda size: _filled("[", size),
    "![ repeated": lambda size: _filled("![", size),
    "[a]( repeated": lambda size: _filled("[a](", size),
    "links nested": _nested("[", "](u)"),
    "links": lambda size: _filled("[a](b) ", size),
    "many reference definitions": _lines(lambda n: f"[r{n}]: https://e.com/{n}\n"),
    # Emphasis and code.
    "* run": lambda size: _filled("*", size),
    "_ run": lambda size: _filled("_", size),
    "*a_ repeated": lambda size: _filled("*a_", size),
    "emphasis nested": _nested("*a _a ", " a_ a*"),
    "` run": lambda size: _filled("`", size),
    "` repeated": lambda size: _filled("` ", size),
    "_a_ repeated": lambda size: _filled("_a_ ", size),
    # Blocks nested without end.
    "> on one line": lambda size: _filled("> ", size),
    "> lines, deeper each": _lines(lambda n: ">" * (n % 400 + 1) + " x\n"),
    ":::urgent lines": lambda size: _filled(":::urgent\n", size),
    "1. on one line": lambda size: _filled("1. ", size),
    "> - on one line": lambda size: _filled("> - ", size),
    "lists indented deeper": _lines(lambda n: "    " * (n % 200) + "- x\n"),
    # Blocks by the thousand.
    "# lines in one block": lambda size: _filled("# h\n", size),
    "setext headings in one block": lambda size: _filled("a\n=\n", size),
    "callouts in one block": lambda size: _filled(":::tip\nx\n:::\n", size),
    "paragraphs": lambda size: _filled("a\n\n", size),
    "fences": lambda size: _filled("```\n", size),
    "table rows": lambda size: "|a|b|\n|-|-|\n" + _filled("|x|y|\n", size - 12),
    "table columns": lambda size: "|" + _filled("a|", size - 1),
    # References, each different, that do not work.
    "references mistyped": _lines(lambda n: f"[[kind:{n}]]\n"),
    "references misplaced": _lines(lambda n: f"See [[quote:{n}]] here.\n"),
    "mentions": _lines(lambda n: f"Ask [[expert:e{n}]] and [[article:{n}|this]].\n"),
    # Long text.
    "a line without spaces": lambda size: _filled("a", size),
    "prose": lambda size: _filled(PROSE + "\n\n", size),
    "prose in one paragraph": lambda size: _filled(PROSE, size),
}
