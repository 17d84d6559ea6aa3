"""Demo content for local development: a small, realistic Little Steps site.

Everything is fictional: the people, the hospitals and clinics, the quotes. The health
advice follows current UK guidance but is demo copy, not reviewed medical content.
``load_demo_content()`` creates only what is missing (rows are found by their natural
keys) and never changes what exists; ``reset=True`` restores the demo's own content.
Image files are drawn and written once the loading transaction commits.
"""

from .loader import flagship_url, load_demo_content

__all__ = ["flagship_url", "load_demo_content"]
