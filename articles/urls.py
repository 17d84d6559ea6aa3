from django.urls import path, register_converter
from django.urls.converters import SlugConverter

from . import feeds, views

app_name = "articles"


class UnicodeSlugConverter(SlugConverter):
    """Sections', tags' and articles' slugs may be in any script (imported WordPress
    slugs such as /نصائح/ are kept as they were)."""

    regex = r"[-\w]+"


register_converter(UnicodeSlugConverter, "uslug")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="author"),
    path("tags/<uslug:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feeds/rss/", feeds.ArticleFeed(), name="feed_rss"),
    path("feeds/atom/", feeds.AtomArticleFeed(), name="feed_atom"),
    path("feeds/authors/<slug:slug>/rss/", feeds.AuthorFeed(), name="author_feed_rss"),
    path(
        "feeds/authors/<slug:slug>/atom/",
        feeds.AtomAuthorFeed(),
        name="author_feed_atom",
    ),
    path("feeds/<uslug:slug>/rss/", feeds.SectionFeed(), name="section_feed_rss"),
    path("feeds/<uslug:slug>/atom/", feeds.AtomSectionFeed(), name="section_feed_atom"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("preview/share/<str:token>/", views.share_preview, name="share_preview"),
    path("<uslug:slug>/", views.CategoryDetailView.as_view(), name="category"),
    path(
        "<uslug:category_slug>/<uslug:slug>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
]
