"""WordPress's ``wpautop``, which classic-editor posts need to have paragraphs."""

import re

TAG_TEXT = re.compile(r"<!--.*?-->|<[^>]*>", re.S)
ALLBLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li"
    r"|pre|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section"
    r"|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
AUTOP = [  # (pattern, replacement) in wpautop()'s order, before and after the split
    (r"<br\s*/?>\s*<br\s*/?>", "\n\n"),
    (rf"(<{ALLBLOCKS}[\s/>])", r"\n\n\1"),
    (rf"(</{ALLBLOCKS}>)", r"\1\n\n"),
    (r"(<hr\s*?/?>)", r"\1\n\n"),
    (r"\s*(<figcaption[^>]*>)", r"\1"),
    (r"</figcaption>\s*", "</figcaption>"),
    (r"\n\n+", "\n\n"),
]
UNAUTOP = [
    (r"<p>\s*</p>", ""),
    (r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>"),
    (rf"<p>\s*(</?{ALLBLOCKS}[^>]*>)\s*</p>", r"\1"),
    (r"<p>(<li.+?)</p>", r"\1"),
    (r"(?i)<p><blockquote([^>]*)>", r"<blockquote\1><p>"),
    (r"</blockquote></p>", "</p></blockquote>"),
    (rf"<p>\s*(</?{ALLBLOCKS}[^>]*>)", r"\1"),
    (rf"(</?{ALLBLOCKS}[^>]*>)\s*</p>", r"\1"),
    (r"<br>|<br/>", "<br />"),
    (r"(?<!<br />)\s*\n", "<br />\n"),
    (rf"(</?{ALLBLOCKS}[^>]*>)\s*<br />", r"\1"),
    (r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1"),
    (r"\n</p>$", "</p>"),
]
AUTOP = [(re.compile(p), r) for p, r in AUTOP]
UNAUTOP = [(re.compile(p), r) for p, r in UNAUTOP]


def wpautop(text: str) -> str:
    """WordPress's ``wpautop`` for classic-editor posts: a blank line starts a
    paragraph, a single newline is a ``<br />``; block tags are not wrapped. ``<pre>``
    must already be set aside (``_prepare`` does)."""
    if not text.strip():
        return ""
    text = TAG_TEXT.sub(lambda m: m[0].replace("\n", "\x01"), text + "\n")
    for pattern, replacement in AUTOP:
        text = pattern.sub(replacement, text)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p]
    text = "".join(f"<p>{p.strip(chr(10))}</p>\n" for p in paragraphs)
    for pattern, replacement in UNAUTOP:
        text = pattern.sub(replacement, text)
    return text.replace("\x01", "\n")
