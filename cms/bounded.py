"""Python-Markdown with bounds: time linear in the text, and nesting that cannot recurse
without end, whatever an editor (or a stolen account) types.

Python-Markdown is quadratic on some shapes of text (``<a `` or ``[`` repeated, many
inline matches in one paragraph, many headings in one block) and recurses once per
level of nesting. Each class here is the library's own, changed only where it scanned,
copied or recursed without bound; ``tests/cms/test_markdown.py`` holds the output of
ordinary text to the byte, and ``bench/hostile_markdown.py`` times the shapes.
Text past a bound still renders, as escaped text: never an error.
"""

import re
import xml.etree.ElementTree as etree
from bisect import bisect_left
from collections import deque
from functools import cached_property

from markdown.blockprocessors import BlockProcessor, SetextHeaderProcessor
from markdown.extensions import Extension
from markdown.extensions.tables import TableProcessor
from markdown.htmlparser import HTMLExtractor, htmlparser, inner_blank_line_re
from markdown.preprocessors import HtmlBlockPreprocessor, Preprocessor
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markdown.util import STX, AtomicString, nearing_recursion_limit

# Nested parses (a quote, a list item, a callout each open one) before the rest of a
# block is shown as text: far above what the validator lets writers save (limits.py).
PARSE_DEPTH = 32
# Inline Markdown is applied to at most this much text at a time: a longer paragraph
# is cut at a line break (else a space) into pieces handled one after another.
INLINE_PIECE = 8_000
# Characters the link patterns may scan looking for a link's "]" or ")", per
# character of text: ordinary text needs about one; past it, "[" is plain text.
SCAN_PER_CHAR = 4
SCAN_BASE = 50_000
# Characters of blocks that the block processors may put back for another pass, per
# character of text: a processor that takes a line off a long block puts back a copy
# of the rest. Past it, the rest of the block is text.
COPY_BASE = 500_000_000
COPY_PER_CHAR = 2_000
# Blocks parsed, and inline matches made (a link, an emphasis, a quote mark made
# curly), per render: ordinary text makes one of each per few hundred characters,
# and each costs some tens of microseconds. Past either, the rest is text.
ELEMENTS_BASE = 5_000
CHARS_PER_ELEMENT = 20
# Cells a table may have; a larger one is text.
TABLE_CELLS = 10_000
# Raw inline tags open at once that a comment looks for the end of.
INLINE_TAGS = 64
# Elements within elements: deeper ones are text.
TREE_DEPTH = 100
# Headings a text may have; the rest are paragraphs.
HEADINGS = 1_000
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BRACKET = re.compile(r"[\[\]]")


class Bounded(Extension):
    """Swap Python-Markdown's unbounded parts for the bounded ones below."""

    def extendMarkdown(self, md):
        md.cms_scanning = set()
        md.preprocessors.register(_Budgets(md), "cms_budgets", 40)
        md.parser.blockprocessors.register(_SpentText(md.parser), "cms_spent", 200)
        md.preprocessors.register(_HtmlBlocks(md), "html_block", 20)
        md.parser.parseBlocks = _DepthGuard(md.parser)
        # The inline pass, and the smarty extension's pass of its own.
        for name, priority in (("inline", 20), ("smarty", 6)):
            if name in md.treeprocessors:
                inline = _Inline(md)
                inline.inlinePatterns = md.treeprocessors[name].inlinePatterns
                md.treeprocessors.register(inline, name, priority)
        for name in (
            "reference",
            "link",
            "image_link",
            "image_reference",
            "short_reference",
            "short_image_ref",
        ):
            _bound_scans(md, md.inlinePatterns[name])
        md.treeprocessors.register(_Flatten(md), "cms_flatten", 5.6)
        md.treeprocessors.register(_Headings(md), "cms_headings", 5.5)
        _index_tests(md.parser.blockprocessors)
        md.parser.blockprocessors.register(_Setext(md.parser), "setextheader", 60)
        if "table" in md.parser.blockprocessors:
            tables = md.parser.blockprocessors["table"]
            md.parser.blockprocessors.register(
                _Tables(md.parser, tables.config), "table", 75
            )


class _Budgets(Preprocessor):
    def run(self, lines):
        size = sum(map(len, lines))
        self.md.cms_scan_budget = SCAN_BASE + SCAN_PER_CHAR * size
        self.md.cms_spent_scans = set()
        self.md.cms_copy_budget = COPY_BASE + COPY_PER_CHAR * size
        self.md.cms_block_budget = ELEMENTS_BASE + size // CHARS_PER_ELEMENT
        self.md.cms_inline_budget = ELEMENTS_BASE + size // CHARS_PER_ELEMENT
        return lines


class _DepthGuard:
    """``parseBlocks`` that, nested past ``PARSE_DEPTH``, adds the blocks as text, and
    hands the processors blocks they can take from and put back in constant time."""

    def __init__(self, parser):
        self.parser = parser
        self.depth = 0

    @cached_property
    def processors(self):
        return list(self.parser.blockprocessors)

    def __call__(self, parent, blocks):
        if self.depth >= PARSE_DEPTH:
            paragraph = etree.SubElement(parent, "p")
            paragraph.text = AtomicString("\n\n".join(blocks))
            return
        self.depth += 1
        try:
            self.parse(parent, _Blocks(blocks, self.parser.md))
        finally:
            self.depth -= 1

    def parse(self, parent, blocks):
        # The library's loop, with its processors listed once rather than per block.
        processors, md = self.processors, self.parser.md
        while blocks:
            md.cms_block_budget -= 1
            if md.cms_block_budget < 0:  # the rest is text
                etree.SubElement(parent, "p").text = AtomicString("\n\n".join(blocks))
                return
            block = blocks[0]
            for processor in processors:
                if processor.test(parent, block):
                    if processor.run(parent, blocks) is not False:
                        break
                    block = blocks[0]


class _Blocks:
    """The blocks left to parse, kept last first: processors take the first block and
    put back what they leave of it (``pop(0)``, ``insert(0, rest)``), each a shift of
    the whole list in a list."""

    def __init__(self, blocks, md):
        self._reversed = list(reversed(blocks))
        self.md = md

    def __len__(self):
        return len(self._reversed)

    def __iter__(self):
        return reversed(self._reversed)

    def __getitem__(self, index):
        return self._reversed[len(self._reversed) - 1 - index]

    def pop(self, index=-1):
        index = index + len(self._reversed) if index < 0 else index
        return self._reversed.pop(len(self._reversed) - 1 - index)

    def insert(self, index, block):
        # What is put back was copied from a block: past the budget, it is text.
        self.md.cms_copy_budget -= len(block)
        if self.md.cms_copy_budget < 0 and not isinstance(block, _Spent):
            block = _Spent(block)
        self._reversed.insert(len(self._reversed) - index, block)


class _Spent(str):
    """A block put back once the copy budget was spent: shown as text."""


class _SpentText(BlockProcessor):
    def test(self, parent, block):
        return isinstance(block, _Spent)

    def run(self, parent, blocks):
        etree.SubElement(parent, "p").text = AtomicString(blocks.pop(0))


class Lines:
    """Where the first line of a block that ``pattern`` matches (at the line's start)
    is, remembered for the block and its tails.

    A processor that takes a line or two off a long block puts the rest back, and
    every processor then tests the rest again: searched each time, a block of many
    short lines costs the square of its length.
    """

    KEEP = 4

    def __init__(self, pattern: re.Pattern, verify: re.Pattern | None = None):
        self.pattern = pattern  # MULTILINE, finds candidate lines
        self.verify = verify  # if given, must match at the candidate too
        self.known: list[tuple[str, list[int]]] = []

    def first(self, block: str) -> int:
        """Where the first matching line of ``block`` starts, or -1."""
        if len(block) < 2_000:
            if self.verify is None:
                found = self.pattern.search(block)
                return found.start() if found else -1
            for found in self.pattern.finditer(block):
                if self.verify.match(block, found.start()):
                    return found.start()
            return -1
        for text, starts in self.known:
            offset = len(text) - len(block)
            if (
                offset == 0
                and text is block
                or (offset > 0 and text[offset - 1] == "\n" and text.endswith(block))
            ):
                at = bisect_left(starts, offset)
                return starts[at] - offset if at < len(starts) else -1
        starts = [
            m.start()
            for m in self.pattern.finditer(block)
            if self.verify is None or self.verify.match(block, m.start())
        ]
        self.known = [(block, starts), *self.known[: self.KEEP - 1]]
        return starts[0] if starts else -1


def _index_tests(processors) -> None:
    """Tests that search a whole block for a line, answered from ``Lines``."""
    headings = processors["hashheader"]
    prefix = "(?:^|\\n)"
    if headings.RE.pattern.startswith(prefix):
        lines = Lines(
            re.compile("^#", re.MULTILINE),
            re.compile(headings.RE.pattern.removeprefix(prefix), headings.RE.flags),
        )
        headings.test = lambda parent, block: lines.first(block) >= 0
    quotes = processors["quote"]
    quote_lines = Lines(re.compile(r"^[ ]{0,3}>", re.MULTILINE))
    quotes.test = lambda parent, block: (
        quote_lines.first(block) >= 0 and not nearing_recursion_limit()
    )
    rules = processors["hr"]
    rule_lines = Lines(rules.SEARCH_RE)

    def test_rule(parent, block):
        at = rule_lines.first(block)
        if at >= 0:
            rules.match = rules.SEARCH_RE.search(block, at)
        return at >= 0

    rules.test = test_rule


class _Flatten(Treeprocessor):
    """Elements nested past ``TREE_DEPTH`` (emphasis in emphasis, say) are text:
    the contents list and the serializer recurse once per level."""

    def run(self, root):
        stack = [(root, 0)]
        while stack:
            element, depth = stack.pop()
            if depth < TREE_DEPTH:
                stack.extend((child, depth + 1) for child in element)
                continue
            text, tail = "".join(element.itertext()), element.tail
            for child in list(element):
                element.remove(child)
            element.text, element.tail = text, tail


class _Headings(Treeprocessor):
    """Headings past the ``HEADINGS``th are paragraphs: the contents list spends
    about a tenth of a millisecond on each."""

    def run(self, root):
        headings = [el for el in root.iter() if el.tag in HEADING_TAGS]
        for heading in headings[HEADINGS:]:
            heading.tag = "p"


class _Setext(SetextHeaderProcessor):
    def run(self, parent, blocks):
        # The library's, reading the first two lines rather than splitting the block
        # into lines and joining all but two again.
        block = blocks.pop(0)
        first = block.find("\n")
        second = block.find("\n", first + 1)
        underline = block[first + 1 : second if second != -1 else len(block)]
        heading = etree.SubElement(parent, "h1" if underline.startswith("=") else "h2")
        heading.text = block[:first].strip()
        if second != -1:
            blocks.insert(0, block[second + 1 :])


class _Tables(TableProcessor):
    def test(self, parent, block):
        # The library splits the whole block, once per line a heading or callout
        # takes off it: only the first two lines decide.
        return super().test(parent, "\n".join(block.split("\n", 2)[:2]))

    def run(self, parent, blocks):
        rows = blocks[0].count("\n") + 1
        if rows * len(self.separator) > TABLE_CELLS:
            etree.SubElement(parent, "p").text = AtomicString(blocks.pop(0))
            return
        super().run(parent, blocks)


def _bound_scans(md, processor) -> None:
    """Link patterns scan for the closing "]" and ")" from every "[": they share one
    budget per render, and once it is spent a "[" is text as typed."""
    get_link = processor.getLink

    def spend(count: int) -> None:
        md.cms_scan_budget -= count
        if md.cms_scan_budget < 0:  # every link pattern is spent
            md.cms_spent_scans.update(md.cms_scanning)

    def getText(data, index):
        depth, limit = 1, min(len(data), index + max(md.cms_scan_budget, 0))
        for match in BRACKET.finditer(data, index, limit):
            depth += 1 if match[0] == "[" else -1
            if not depth:
                spend(match.end() - index)
                return data[index : match.start()], match.end(), True
        spend(limit - index + 1)
        return "", index, False

    def getLink(data, index):
        piece = data[index : index + min(INLINE_PIECE, max(md.cms_scan_budget, 0))]
        href, title, end, handled = get_link(piece, 0)
        spend(end if handled else len(piece) + 1)
        return href, title, index + end, handled

    processor.getText = getText
    processor.getLink = getLink
    md.cms_scanning.add(processor)


class _Extractor(HTMLExtractor):
    """Raw HTML found in one pass: a "<" that starts no tag is not looked at again."""

    def reset(self):
        # Where the last start tag that ran out of text stopped, and where the last ">"
        # is: no "<" before the one, nor end tag after the other, is a tag.
        self._unended = (None, 0)
        self._last_close = (None, -1)
        self._found = {}
        super().reset()

    def check_for_whole_start_tag(self, i):
        searched, stop = self._unended
        if searched is self.rawdata and i < stop:
            return -1
        end = super().check_for_whole_start_tag(i)
        if end == -1:
            match = htmlparser.locatestarttagend_tolerant.match(self.rawdata, i)
            self._unended = (self.rawdata, match.end() if match else i)
        return end

    def _closed_after(self, i: int) -> bool:
        """Whether a ">" follows position ``i``: each construct needs one."""
        searched, last = self._last_close
        if searched is not self.rawdata:
            last = self.rawdata.rfind(">")
            self._last_close = (self.rawdata, last)
        return last > i

    def parse_endtag(self, i):
        if not self._closed_after(i):  # text, as the library would find
            self.handle_data(self.rawdata[i : i + 2])
            return i + 2
        return super().parse_endtag(i)

    def parse_pi(self, i):
        if not self._closed_after(i) and (self.at_line_start() or self.intail):
            return -1  # what the search for "?>" would find
        return super().parse_pi(i)

    def parse_html_declaration(self, i):
        if not self._closed_after(i) and (self.at_line_start() or self.intail):
            # What the library's searches for ">", "]>" or "]]>" would find.
            if self.rawdata.startswith("<![", i) and not self.rawdata.startswith(
                "<![CDATA[", i
            ):
                self.handle_data("<")
                return i + 1
            return -1
        return super().parse_html_declaration(i)

    def open_inline_tag(self, tag):
        super().open_inline_tag(tag)
        # A comment asks, for each raw inline tag open, if it closes later in the
        # paragraph: the most recent ones are asked.
        del self.inline_stack[:-INLINE_TAGS]

    def inline_close_follows(self, text):
        # The library's, searching the paragraph for each tag's end tag once rather
        # than once per comment, and not copying the rest of the text for each.
        if not self.inline_stack:
            return False
        start = self.line_offset + self.offset + len(text)
        blank = self._next(inner_blank_line_re, start, "blank")
        end = blank.start() if blank else len(self.rawdata)
        for tag in dict.fromkeys(self.inline_stack):
            pattern = re.compile(rf"</\s*{re.escape(tag)}\s*>", re.I)
            close = self._next(pattern, start, tag)
            if close and close.end() <= end:
                return True
        return False

    def _next(self, pattern: re.Pattern, start: int, key: str):
        """``pattern.search(rawdata, start)``, remembered until ``start`` passes it."""
        searched, at, found = self._found.get(key, (None, 0, None))
        if (
            searched is not self.rawdata
            or start < at
            or (found and start > found.start())
        ):
            found = pattern.search(self.rawdata, start)
            self._found[key] = (self.rawdata, start, found)
        return found


class _HtmlBlocks(HtmlBlockPreprocessor):
    def run(self, lines):
        parser = _Extractor(self.md)
        parser.feed("\n".join(lines))
        parser.close()
        return "".join(parser.cleandoc).split("\n")


class _Inline(InlineProcessor):
    """The inline pass, linear in the text: long text is handled in pieces, and no
    step searches or rebuilds the whole of a paragraph once per match."""

    def _InlineProcessor__handleInline(self, data, patternIndex=0):
        # The library's loop, which also skips a pattern not found in the text
        # without calling it.
        if isinstance(data, AtomicString):
            return data
        if len(data) > INLINE_PIECE:
            return "".join(self._handle(piece, patternIndex) for piece in _pieces(data))
        return self._handle(data, patternIndex)

    def _handle(self, data, patternIndex):
        if self.triggers and not self.triggers.search(data):
            return data  # nothing any pattern could match
        if self.md.cms_inline_budget < 0:
            return data
        patterns = self.patterns
        apply = self._InlineProcessor__applyPattern
        start = 0
        while patternIndex < len(patterns):
            pattern = patterns[patternIndex]
            if not start and (
                not pattern.compiled_re.search(data)
                or pattern in self.md.cms_spent_scans
            ):
                patternIndex += 1
                continue
            data, matched, start = apply(pattern, data, patternIndex, start)
            if not matched:
                patternIndex += 1
            else:
                self.md.cms_inline_budget -= 1
                if self.md.cms_inline_budget < 0:
                    break
        return data

    def _InlineProcessor__processPlaceholders(self, data, parent, isText=True):
        # The library's, with text gathered in a list and joined once rather than
        # appended to the same string once per placeholder.
        result = []
        pending: list[str] = []

        def flush():
            if not pending:
                return
            if result:
                node, attribute = result[-1][0], "tail"
            else:
                node, attribute = parent, "text" if isText else "tail"
            existing = getattr(node, attribute)
            if existing or len(pending) > 1:
                setattr(node, attribute, (existing or "") + "".join(pending))
            else:
                setattr(node, attribute, pending[0])
            pending.clear()

        prefix = self._InlineProcessor__placeholder_prefix
        start = 0
        while data:
            index = data.find(prefix, start)
            if index == -1:
                text = data[start:]
                if isinstance(data, AtomicString):
                    text = AtomicString(text)
                if text:
                    pending.append(text)
                break
            id, end = self._InlineProcessor__findPlaceholder(data, index)
            if id not in self.stashed_nodes:  # wrong placeholder
                after = index + len(prefix)
                if data[start:after]:
                    pending.append(data[start:after])
                start = after
                continue
            node = self.stashed_nodes.get(id)
            if index > 0 and data[start:index]:
                pending.append(data[start:index])
            if isinstance(node, str):
                if node:
                    pending.append(node)
                start = end
                continue
            for child in [node, *node]:
                if child.tail and child.tail.strip():
                    self._InlineProcessor__processElementText(node, child, False)
                if child.text and child.text.strip():
                    self._InlineProcessor__processElementText(child, child)
            start = end
            flush()
            result.append((node, self.ancestors[:]))
        flush()
        return result

    def run(self, tree, ancestors=None):
        # The library's, with a queue for its stack and each child's position counted
        # rather than searched for.
        self.stashed_nodes = {}
        self.patterns = list(self.inlinePatterns)
        self.triggers = _triggers(self.inlinePatterns)
        tree_parents = [] if ancestors is None else ancestors[:]
        self.parent_map = {c: p for p in tree.iter() for c in p}
        stack = deque([(tree, tree_parents)])
        self._InlineProcessor__build_ancestors(tree, tree_parents)
        handle = self._InlineProcessor__handleInline
        place = self._InlineProcessor__processPlaceholders
        while stack:
            current, parents = stack.popleft()
            self.ancestors = parents
            if current is not tree:
                self.ancestors.append(current.tag.lower())
            insert_queue = []
            position = -1
            for child in current:
                position += 1
                if child.text and not isinstance(child.text, AtomicString):
                    self.ancestors.append(child.tag.lower())
                    text = child.text
                    child.text = None
                    found = place(handle(text), child)
                    for item in found:
                        self.parent_map[item[0]] = child
                    stack.extend(found)
                    insert_queue.append((child, found))
                    self.ancestors.pop()
                if child.tail:
                    tail = handle(child.tail)
                    dummy = etree.Element("d")
                    child.tail = None
                    found = place(tail, dummy, False)
                    if dummy.tail:
                        child.tail = dummy.tail
                    for new in reversed(found):
                        self.parent_map[new[0]] = current
                        current.insert(position + 1, new[0])
                if len(child):
                    self.parent_map[child] = current
                    stack.append((child, self.ancestors[:]))
            for element, found in insert_queue:
                for i, item in enumerate(found):
                    element.insert(i, item[0])
        return tree


# Characters one of which each match of a pattern (by its name) holds: a text with
# none of any pattern's is left as it is.
TRIGGERS = {
    "backtick": "`",
    "escape": "\\",
    "cms_mention": "[",
    "cms_article_link": "[",
    "reference": "[",
    "link": "[",
    "image_link": "!",
    "image_reference": "!",
    "short_reference": "[",
    "short_image_ref": "!",
    "autolink": "<",
    "automail": "<",
    "linebreak": "\n",
    "html": "<",
    "entity": "&",
    "em_strong": "*_",
    "smarty-ellipses": ".",
    "smarty-en-dashes": "-",
    "smarty-em-dashes": "-",
    **{f"smarty-quotes-{n}": "'\"" for n in range(15)},
}


def _triggers(patterns) -> re.Pattern | None:
    """A search for any character some pattern's match holds, if every pattern is
    named in ``TRIGGERS``; else None."""
    names = [name for name in TRIGGERS if name in patterns]
    if len(names) < len(patterns):
        return None
    chars = "".join(sorted({char for name in names for char in TRIGGERS[name]}))
    return re.compile(f"[{re.escape(chars)}]")


def _pieces(data: str):
    """``data`` in pieces of at most about ``INLINE_PIECE`` characters, cut after a
    line break, else after a space, and never inside a placeholder."""
    start = 0
    while len(data) - start > INLINE_PIECE:
        limit = start + INLINE_PIECE
        cut = data.rfind("\n", start + INLINE_PIECE // 2, limit)
        if cut == -1:
            cut = data.rfind(" ", start + INLINE_PIECE // 2, limit)
        cut = limit if cut == -1 else cut + 1
        if data.rfind(STX, start, cut) > data.rfind("\x03", start, cut):
            cut = data.find("\x03", cut) + 1 or len(data)
        yield data[start:cut]
        start = cut
    yield data[start:]


# Open elements deep in HTML that are more than sanitising can take in linear time:
# the sanitiser's parser walks its stack of open elements for many tags.
HTML_DEPTH = 256
VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link",
    "meta", "param", "source", "track", "wbr",
}  # fmt: skip
# Elements whose content the parser reads as text up to their end tag.
TEXT_TAGS = {
    "iframe", "noembed", "noframes", "noscript", "script", "style", "textarea",
    "title", "xmp",
}  # fmt: skip
HTML_TOKEN = re.compile(
    r"""<!--.*?(?:--!?>|\Z)
      | <[!?][^>]*+>?
      | <(?P<end>/?)(?P<name>[A-Za-z][^\s/>]*+)
        (?:[\s/]++
          | [^\s/>][^\s/>=]*+(?:\s*+=\s*+(?:"[^"]*+"?|'[^']*+'?|[^\s>]++)?)?
        )*+
        >?""",
    re.S | re.X,
)


def shallow(raw_html: str) -> str:
    """``raw_html`` with each start tag that would open an element more than
    ``HTML_DEPTH`` deep shown as text (its "<" escaped).

    Depth is estimated as the parser would see it or deeper: an end tag closes only
    the innermost open element of its name, and only if it is innermost.
    """
    open_tags: list[str] = []
    escaped: list[int] = []
    position = 0
    while match := HTML_TOKEN.search(raw_html, position):
        position = match.end()
        name = (match["name"] or "").lower()
        if not name:
            continue
        if match["end"]:
            if open_tags and open_tags[-1] == name:
                open_tags.pop()
            continue
        if name == "plaintext":
            break
        if name in TEXT_TAGS:
            close = re.compile(rf"</{name}", re.I).search(raw_html, position)
            position = close.start() if close else len(raw_html)
        if name in VOID_TAGS or name in TEXT_TAGS:
            continue
        if len(open_tags) >= HTML_DEPTH:
            escaped.append(match.start())
        else:
            open_tags.append(name)
    if not escaped:
        return raw_html
    pieces, start = [], 0
    for at in escaped:
        pieces += [raw_html[start:at], "&lt;"]
        start = at + 1
    return "".join(pieces) + raw_html[start:]
