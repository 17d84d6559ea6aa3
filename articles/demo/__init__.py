"""Demo content for local development: a small, realistic Little Steps site.

Everything is fictional: the people, the hospitals and clinics, the quotes. The health
advice follows current UK guidance but is demo copy, not reviewed medical content.
``load_demo_content()`` is idempotent: rows are found by their natural keys, and an image
is only drawn when a row has none (or its alt text no longer matches the drawing).
"""

from .loader import flagship_url, load_demo_content

__all__ = ["flagship_url", "load_demo_content"]
