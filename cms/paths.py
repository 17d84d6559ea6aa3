"""Top-level paths the site itself uses; a section slug may not take one."""

RESERVED_SLUGS = frozenset(
    {
        "admin", "api", "authors", "experts", "favicon.ico", "feed", "feeds", "health",
        "login", "logout",
        "markdownx", "media", "preview", "robots", "robots.txt", "search", "sitemap",
        "sitemap.xml", "sitemaps", "static", "tags",
    }
)  # fmt: skip
