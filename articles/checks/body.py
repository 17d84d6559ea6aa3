"""Checks of the body as readers get it: headings, image descriptions, link text, and
paragraphs and sentences too long to follow."""

import re

from .base import OK, WARNING, Draft, Finding, opening, text_of, word_count

MAX_PARAGRAPH_WORDS = 150
MAX_SENTENCE_WORDS = 35

# A "# Heading" (Python-Markdown needs no space after the "#") or a setext underline
# of "=": the body's H1s, which the page shows as H2s.
ATX_H1 = re.compile(r"^#(?!#)")
SETEXT_H1 = re.compile(r"^ {0,3}=+[ \t]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")

# Alt text that describes nothing: a file or camera name, or "image of …".
FILE_NAME = re.compile(
    r"^[\w .()-]*\.(?:jpe?g|png|gif|webp|avif|heic|svg|bmp|tiff?)$", re.IGNORECASE
)
CAMERA_NAME = re.compile(r"^(?:img|dsc|dscn|dcim|pxl|screenshot)[\s_-]*\d", re.I)
REDUNDANT = re.compile(r"^(?:an? )?(?:image|picture|photo|photograph) of\b", re.I)
PLACEHOLDER = {"image", "picture", "photo", "photograph", "img", "graphic", "alt"}
# [[image:12]] (optionally with more after the id): a picture from the image library.
LIBRARY_IMAGE = re.compile(r"\[\[\s*image\s*:\s*(\d+)")

VAGUE_LINK_TEXT = {
    "click here",
    "click",
    "here",
    "read more",
    "more",
    "this link",
    "link",
    "this",
    "this page",
    "learn more",
    "find out more",
    "more info",
    "more information",
}
BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
# A sentence ends at . ! or ? (and any closing quote or bracket) before a space.
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+")


def body_h1_lines(body: str) -> list[str]:
    """The body's H1 headings (outside fenced code), as typed."""
    found, fence, previous = [], None, ""
    for line in (body or "").replace("\r\n", "\n").split("\n"):
        if fence:
            if line.strip().startswith(fence):
                fence = None
        elif match := FENCE.match(line):
            fence = match[1][:3]
        elif ATX_H1.match(line):
            found.append(line.strip().strip("#").strip())
        elif SETEXT_H1.match(line) and previous.strip():
            found.append(previous.strip())
        previous = "" if fence else line
    return found


def heading_order(draft: Draft) -> list[Finding]:
    """No H1 in the body (the headline is the page's H1), and no level skipped going
    down (H2 then H4): readers of screen readers move by headings."""
    findings = [
        Finding(
            "headings",
            WARNING,
            f"“# {text}” is a top-level heading (H1).",
            "The headline is the page's only H1, so it is shown as an H2: write "
            "“## ” for a section.",
        )
        for text in body_h1_lines(draft.body)
    ]
    level = 1  # the headline
    for heading in draft.soup.find_all(re.compile(r"^h[1-6]$")):
        current = int(heading.name[1])
        if current > level + 1:
            findings.append(
                Finding(
                    "headings",
                    WARNING,
                    f"Heading level skipped: “{text_of(heading)}” is an H{current} "
                    f"after an H{level}.",
                    f"Make it an H{level + 1} (“{'#' * (level + 1)}”), or add the "
                    "missing level above it.",
                )
            )
        level = current
    if not findings:
        findings.append(
            Finding("headings", OK, "Headings go down one level at a time.")
        )
    return findings


def alt_problem(alt: str) -> str | None:
    """Why ``alt`` tells a reader who cannot see the image nothing; None if it may."""
    text = (alt or "").strip()
    if not text:
        return "has no alt text"
    if FILE_NAME.match(text) or CAMERA_NAME.match(text):
        return f"has a file name for alt text (“{text}”)"
    if text.lower().strip(".") in PLACEHOLDER:
        return f"has “{text}” for alt text, which describes nothing"
    if REDUNDANT.match(text):
        return (
            f"has alt text starting “{REDUNDANT.match(text)[0]}”: screen readers "
            "already say it is an image"
        )
    return None


def alt_text(draft: Draft, library: dict | None = None) -> list[Finding]:
    """Images whose alt text does not describe them: the hero, pictures in the body,
    and library images placed by ``[[image:N]]`` (``library`` maps id to image)."""
    findings = []
    describe = "Describe what it shows for people who cannot see it."
    if draft.hero and (why := alt_problem(draft.hero.alt)):
        findings.append(
            Finding("alt_text", WARNING, f"The hero image {why}.", describe)
        )
    for number, image in enumerate(draft.soup.find_all("img"), start=1):
        if why := alt_problem(image.get("alt", "")):
            name = (image.get("src") or "").rsplit("/", 1)[-1]
            findings.append(
                Finding(
                    "alt_text",
                    WARNING,
                    f"Image {number} in the body ({name}) {why}.",
                    f"{describe} Write it between the brackets: ![what it shows](…).",
                )
            )
    library = library or {}
    for ref in dict.fromkeys(int(ref) for ref in LIBRARY_IMAGE.findall(draft.body)):
        image = library.get(ref)
        if image is None:
            findings.append(
                Finding(
                    "alt_text",
                    WARNING,
                    f"[[image:{ref}]]: there is no image {ref} in the image library.",
                )
            )
        elif why := alt_problem(image.alt):
            findings.append(
                Finding(
                    "alt_text",
                    WARNING,
                    f"Library image [[image:{ref}]] (“{image}”) {why}.",
                    f"{describe} Edit it in the image library: every page using it "
                    "gets the new text.",
                )
            )
    if not findings:
        findings.append(Finding("alt_text", OK, "Every image has a description."))
    return findings


def link_problem(text: str, href: str) -> str | None:
    words = " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
    if not words:
        return "has no text"
    if words in VAGUE_LINK_TEXT:
        return "says nothing of where it goes"
    if BARE_URL.match(text) or (href and text.strip() == href):
        return "is a bare web address"
    return None


def link_text(draft: Draft) -> list[Finding]:
    """Links whose text makes no sense alone ("click here", a bare address): readers
    scan links, and screen readers list them out of their sentences."""
    findings = []
    links = draft.soup.find_all(["a", "cms-inline"])
    for link in links:
        if link.name == "cms-inline" and link.get("kind") != "article":
            continue
        text = text_of(link)
        if link.name == "cms-inline" and not text:
            continue  # [[article:N]] alone: the article's title is the text
        if why := link_problem(text, link.get("href", "")):
            findings.append(
                Finding(
                    "link_text",
                    WARNING,
                    f"The link “{text}” {why}.",
                    "Use words that say where it leads, such as “NHS advice on "
                    "fever in babies”.",
                )
            )
    if not findings:
        findings.append(Finding("link_text", OK, "Every link says where it goes."))
    return findings


def _blocks(draft: Draft):
    """The text of each paragraph and list item, as readers see it."""
    for block in draft.soup.find_all(["p", "li"]):
        if block.name == "li" and block.find("p"):
            continue  # its paragraphs are counted themselves
        if text := text_of(block):
            yield text


def long_paragraphs(draft: Draft) -> list[Finding]:
    """Paragraphs over ``MAX_PARAGRAPH_WORDS`` words, named by their start."""
    findings = [
        Finding(
            "paragraphs",
            WARNING,
            f"A paragraph of {count} words starts {opening(text)}",
            f"Over {MAX_PARAGRAPH_WORDS} words is hard to follow on a phone: split "
            "it where the idea changes.",
        )
        for text in _blocks(draft)
        if (count := word_count(text)) > MAX_PARAGRAPH_WORDS
    ]
    return findings or [
        Finding(
            "paragraphs",
            OK,
            f"No paragraph is over {MAX_PARAGRAPH_WORDS} words.",
        )
    ]


def sentences(text: str) -> list[str]:
    return [part for part in SENTENCE_END.split(text) if part.strip()]


def long_sentences(draft: Draft) -> list[Finding]:
    """Sentences over ``MAX_SENTENCE_WORDS`` words, named by their start."""
    findings = [
        Finding(
            "sentences",
            WARNING,
            f"A sentence of {count} words starts {opening(sentence)}",
            f"Over {MAX_SENTENCE_WORDS} words is hard to take in at once: make it "
            "two or three.",
        )
        for text in _blocks(draft)
        for sentence in sentences(text)
        if (count := word_count(sentence)) > MAX_SENTENCE_WORDS
    ]
    return findings or [
        Finding("sentences", OK, f"No sentence is over {MAX_SENTENCE_WORDS} words.")
    ]
