from functools import wraps

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView

from cms.pagecache import tag_response

from .models import Article, ArticlePath, Author, Category, Tag
from .models.search import MAX_RANKED, clean_query
from .pages import page_for, public_article
from .pagination import CappedPaginator
from .previews import PreviewLinkRefused, read_share_token


def page_or_404(request, queryset, per_page, cap=None):
    """The ``?page=`` asked for; a page that is out of range or not a number is a 404.

    Counts at most ``cap`` (``COUNT_CAP``) rows: no full-table ``COUNT(*)`` per request.
    """
    paginator = CappedPaginator(queryset, per_page, cap=cap)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404("No such page.") from exc


def card_tags(articles) -> set[str]:
    """Page-cache tags for a list of article cards: each article and its byline."""
    tags = set()
    for article in articles:
        tags.add(f"article:{article.pk}")
        # Only where the card shows the byline (fetched with the list).
        if "article_authors" in getattr(article, "_prefetched_objects_cache", {}):
            tags.update(f"author:{author.pk}" for author in article.byline)
    return tags


class CachedPageMixin:
    """A public page the page cache may keep, tagged with what it shows."""

    def cache_tags(self, context) -> set[str]:
        return card_tags(context.get("object_list") or context.get("articles") or ())

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        return tag_response(response, *self.cache_tags(context))


class PublishedArticlesMixin(CachedPageMixin):
    """Public pages only ever see published articles."""

    paginate_by = 20
    count_cap = None  # pagination's COUNT_CAP

    def published_articles(self):
        return Article.objects.published().with_related()

    def paginate_queryset(self, queryset, page_size):
        page = page_or_404(self.request, queryset, page_size, self.count_cap)
        return page.paginator, page, page.object_list, page.has_other_pages()


class HomeView(PublishedArticlesMixin, ListView):
    """The featured article, the latest (paginated), and a block per section."""

    template_name = "articles/article_list.html"

    def get_queryset(self):
        self.featured = self.published_articles().featured()
        articles = self.published_articles()
        return articles.exclude(pk=self.featured.pk) if self.featured else articles

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["page_obj"].number == 1:
            context["featured"] = self.featured
            context["sections"] = Article.objects.published().latest_per_section()
        return context

    def cache_tags(self, context):
        shown = [*context["object_list"], *filter(None, [context.get("featured")])]
        for _, articles in context.get("sections", ()):
            shown += articles
        return {"articles", *card_tags(shown)}


class SearchView(PublishedArticlesMixin, ListView):
    """Published articles matching ``?q=``, best first, with highlighted snippets."""

    template_name = "articles/search.html"
    # Counted as far as PostgreSQL ranks: every counted result has a page.
    count_cap = MAX_RANKED

    def get_queryset(self):
        self.query = clean_query(self.request.GET.get("q"))
        return self.published_articles().search(self.query)

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)

    def cache_tags(self, context):
        # Results depend on every published article's words.
        return {"content", *super().cache_tags(context)}


class ArticleDetailView(DetailView):
    """A published article: its stored page in the site's frame (``articles.pages``)."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # Only after a miss: an old address redirects, a deleted article's is gone.
            path = ArticlePath.objects.resolve(kwargs["category_slug"], kwargs["slug"])
            if path is None:
                raise
            if path.is_gone:
                return render(request, "410.html", status=410)
            return HttpResponsePermanentRedirect(path.article.get_absolute_url())

    def get_object(self, queryset=None):
        article = public_article(self.kwargs["category_slug"], self.kwargs["slug"])
        if article is None:
            raise Http404("No such article.")
        return article

    def get_context_data(self, **kwargs):
        self.page = page_for(self.object, self.request)
        return super().get_context_data(page=self.page, **kwargs)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        return tag_response(response, *self.page.tags)


def private_page(view):
    """Previews are never cached or indexed: a cache could leak a draft."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response

    return never_cache(wrapped)


def render_preview(request, article):
    context = {"article": article, "object": article, "preview": True}
    return render(request, "articles/article_detail.html", context)


@private_page
@staff_member_required
def preview(request, pk):
    """Any article, in any state, as its page will look; for staff who may view it."""
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied
    articles = Article.objects.visible_to(request.user).for_page()
    return render_preview(request, get_object_or_404(articles, pk=pk))


@private_page
def share_preview(request, token):
    """The article a signed share link names, for anyone holding the link."""
    try:
        article = read_share_token(token)
    except PreviewLinkRefused as refused:
        context = {"reason": str(refused)}
        return render(request, "articles/preview_refused.html", context, status=403)
    return render_preview(request, article)


class ArticleListPageMixin(PublishedArticlesMixin):
    """A detail page (section, tag, author) with a paginated list of its published articles."""

    def get_context_data(self, **kwargs):
        page = page_or_404(
            self.request, self.articles_for(self.object), self.paginate_by
        )
        return super().get_context_data(
            page_obj=page, articles=page.object_list, **kwargs
        )

    def cache_tags(self, context):
        pk = self.object.pk
        return {
            f"{self.kind}:{pk}",
            f"list:{self.kind}:{pk}",
            *super().cache_tags(context),
        }


class CategoryDetailView(ArticleListPageMixin, DetailView):
    queryset = Category.objects.select_related("parent").prefetch_related("children")
    kind = "section"

    def articles_for(self, category):
        return self.published_articles().in_section(category)


class TagDetailView(ArticleListPageMixin, DetailView):
    model = Tag
    kind = "tag"

    def articles_for(self, tag):
        return self.published_articles().tagged(tag)


class AuthorDetailView(ArticleListPageMixin, DetailView):
    queryset = Author.objects.select_related("photo").prefetch_related("links")
    kind = "author"

    def articles_for(self, author):
        return self.published_articles().by_author(author)
