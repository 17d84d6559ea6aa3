"""The publisher's legal pages (privacy, terms, cookies, accessibility): plain templates
in templates/legal/, linked from every page's footer and listed in the sitemap. Their
text is a placeholder for the publisher to replace before launch."""

from django.contrib.sitemaps import Sitemap
from django.urls import path, reverse
from django.views.generic import TemplateView

app_name = "legal"

# slug: (title, description)
PAGES = {
    "privacy": (
        "Privacy notice",
        "What personal information we collect when you read the site, and why.",
    ),
    "terms": ("Terms of use", "The terms on which you may use this website."),
    "cookies": ("Cookies", "The cookies this website sets, and what each is for."),
    "accessibility": (
        "Accessibility statement",
        "How accessible this website is, and how to tell us about a problem.",
    ),
}

urlpatterns = [
    path(
        f"{slug}/",
        TemplateView.as_view(
            template_name=f"legal/{slug}.html",
            extra_context={"page_title": title, "page_description": description},
        ),
        name=slug,
    )
    for slug, (title, description) in PAGES.items()
]


class LegalSitemap(Sitemap):
    """The legal pages: they change rarely, so no lastmod and a low priority."""

    changefreq = "yearly"
    priority = 0.1

    def items(self):
        return list(PAGES)

    def location(self, item):
        return reverse(f"legal:{item}")
