"""How easy the body is to read: Flesch reading ease, by textstat."""

import textstat

from .base import INFO, OK, WARNING, Draft, Finding, word_count

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


def reading_ease(draft: Draft) -> list[Finding]:
    """The body's Flesch reading ease (0–100, higher is easier) with its band; a
    warning below ``PLAIN_ENGLISH``."""
    text = " ".join(draft.soup.get_text(" ").split())
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
