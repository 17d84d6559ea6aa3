"""What one conversion is given (callbacks) and what it finds, shared by every step."""

from dataclasses import dataclass

from .addresses import _name


@dataclass(frozen=True)
class Attachment:
    """A WordPress attachment, for galleries and captions: its address (shown through
    ``image_url`` like any image's), alt text and caption (HTML)."""

    url: str
    alt: str = ""
    caption: str = ""


class _Job:
    """One conversion's callbacks and findings."""

    def __init__(self, image_url, attachment):
        self.image_url, self.attachment = image_url, attachment
        self.problems: list[str] = []
        self.images: list[str] = []
        self.urls: dict[str, str] = {}

    def note(self, sentence: str) -> None:
        self.problems.append(sentence)

    def image(self, src: str) -> str:
        """The address to show for image ``src``, noting it once."""
        if src not in self.urls:
            self.images.append(src)
            new = self.image_url(src) if self.image_url else src
            if new is None:
                self.note(
                    f"Image {_name(src)} was not imported: it still points to {src}."
                )
            self.urls[src] = new or src
        return self.urls[src]

    def find(self, number: int | None) -> Attachment | None:
        return self.attachment(number) if self.attachment and number else None
