from .article import (
    Article,
    ArticleAuthor,
    ArticleQuerySet,
    ArticleQuote,
    ArticleTransition,
)
from .blocks import ListItem, RelatedLink
from .callouts import Callout
from .imports import ImportedItem, OldAddress
from .links import ExternalLink
from .pages import ArticlePage, PageDependency
from .paths import ArticlePath
from .people import Author, AuthorLink
from .references import ArticleReference
from .sections import Category, Tag, validate_section_slug
from .sources import ArticleSource

__all__ = [
    "Article",
    "ArticleAuthor",
    "ArticlePage",
    "ArticlePath",
    "ArticleSource",
    "ArticleQuerySet",
    "ArticleQuote",
    "ArticleReference",
    "ArticleTransition",
    "Author",
    "AuthorLink",
    "Callout",
    "Category",
    "ExternalLink",
    "ImportedItem",
    "ListItem",
    "OldAddress",
    "PageDependency",
    "RelatedLink",
    "Tag",
    "validate_section_slug",
]
