"""WordPress post HTML to the Markdown of ``Article.body``, with a list of what could not
be carried over as it was.

Why markdownify: it is maintained, MIT-licensed and built on BeautifulSoup (already a
dependency), and every tag is a method to override, so WordPress's shapes (captions,
galleries, embeds) and this site's own syntax are handled in one subclass. html2text
is GPL and configured through global flags rather than per-tag code; pandoc is a
separate binary to install on every server, and its Markdown is not Python-Markdown's.
BeautifulSoup's html.parser reads broken HTML the same way on every machine, so one
post always gives the same Markdown.

The steps follow WordPress's own order: shortcodes and embeds, then ``wpautop`` for
classic-editor posts (block-editor posts have their paragraphs already), then the tags.
"""

from .convert import Converted, to_markdown
from .job import Attachment
from .wpautop import wpautop

__all__ = ["Attachment", "Converted", "to_markdown", "wpautop"]
