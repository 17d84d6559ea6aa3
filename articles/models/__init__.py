from .article import (
    Article,
    ArticleAuthor,
    ArticleQuerySet,
    ArticleQuote,
    ArticleTransition,
)
from .blocks import ListItem, RelatedLink
from .paths import ArticlePath
from .people import Author, AuthorLink
from .sections import Category, Tag, validate_section_slug

__all__ = [
    "Article",
    "ArticleAuthor",
    "ArticlePath",
    "ArticleQuerySet",
    "ArticleQuote",
    "ArticleTransition",
    "Author",
    "AuthorLink",
    "Category",
    "ListItem",
    "RelatedLink",
    "Tag",
    "validate_section_slug",
]
