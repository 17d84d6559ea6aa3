"""Top-level paths the site itself uses; a section slug may not take one."""

from django.conf import settings

RESERVED_SLUGS = frozenset(
    {
        "admin", "api", "authors", "experts", "favicon.ico", "feed", "feeds", "health",
        "legal",
        "login", "logout",
        "markdownx", "media", "preview", "robots", "robots.txt", "search", "sitemap",
        "sitemap.xml", "sitemaps", "static", "tags",
    }
)  # fmt: skip


def reserved_slugs() -> frozenset[str]:
    """``RESERVED_SLUGS`` and the first segment of the admin's address, wherever
    DJANGO_ADMIN_URL puts it (the admin's route comes before the sections')."""
    return RESERVED_SLUGS | {settings.ADMIN_URL.split("/")[0].lower()}
