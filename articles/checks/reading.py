"""How easy the body is to read: Flesch reading ease, by textstat."""

import re

import textstat

from .base import INFO, OK, WARNING, Draft, Finding, text_of, word_count

BLOCKS = re.compile(r"^(?:h[2-6]|p|li|td|th|figcaption)$")
ENDED = re.compile(r"[.!?:;…]$")

# Parents reading health advice are often tired, worried or reading on a phone; plain
# English (60 and above) is the usual aim for health information for the public.
PLAIN_ENGLISH = 60
MIN_WORDS = 50  # fewer, and the score says little
BANDS = [
    (90, "very easy"),
    (80, "easy"),
    (70, "fairly easy"),
    (60, "plain English"),
    (50, "fairly difficult"),
    (30, "difficult"),
]


def band(score: float) -> str:
    """Flesch's own name for a score's band."""
    return next((name for low, name in BANDS if score >= low), "very difficult")


def prose(draft: Draft) -> str:
    """The body's words, each heading, item and paragraph ended as a sentence (a
    heading run into the next sentence would read as one long one)."""
    parts = []
    for block in draft.soup.find_all(BLOCKS):
        if block.find(BLOCKS):
            continue  # its inner blocks are taken one by one
        if text := text_of(block):
            parts.append(text if ENDED.search(text) else f"{text}.")
    return " ".join(parts)


def reading_ease(draft: Draft) -> list[Finding]:
    """The body's Flesch reading ease (0–100, higher is easier) with its band; a
    warning below ``PLAIN_ENGLISH``."""
    text = prose(draft)
    words = word_count(text)
    if words < MIN_WORDS:
        return [
            Finding(
                "reading_ease",
                INFO,
                f"Reading ease is scored from {MIN_WORDS} words on ({words} so far).",
            )
        ]
    score = round(textstat.flesch_reading_ease(text))
    message = f"Reading ease {score}: {band(score)}."
    if score >= PLAIN_ENGLISH:
        return [
            Finding(
                "reading_ease",
                OK,
                message,
                f"Aim for {PLAIN_ENGLISH} or more (plain English) for parents.",
            )
        ]
    return [
        Finding(
            "reading_ease",
            WARNING,
            message,
            f"Aim for {PLAIN_ENGLISH} or more (plain English): shorter sentences and "
            "everyday words (“tummy” rather than “abdomen”) raise it.",
        )
    ]
