from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .models import Article, Author, Category, Tag


class PublishedArticlesMixin:
    """Public pages only ever see published articles."""

    paginate_by = 20

    def published_articles(self):
        return Article.objects.published().with_related()


class HomeView(PublishedArticlesMixin, ListView):
    template_name = "articles/article_list.html"

    def get_queryset(self):
        return self.published_articles()


class ArticleDetailView(DetailView):
    def get_object(self, queryset=None):
        return get_object_or_404(
            Article.objects.published().for_page(),
            category__slug=self.kwargs["category_slug"],
            slug=self.kwargs["slug"],
        )


class ArticleListPageMixin(PublishedArticlesMixin):
    """A detail page (section, tag, author) with a paginated list of its published articles."""

    def get_context_data(self, **kwargs):
        paginator = Paginator(self.articles_for(self.object), self.paginate_by)
        try:
            page = paginator.page(self.request.GET.get("page") or 1)
        except InvalidPage as exc:
            raise Http404("No such page.") from exc
        return super().get_context_data(
            page_obj=page, articles=page.object_list, **kwargs
        )


class CategoryDetailView(ArticleListPageMixin, DetailView):
    queryset = Category.objects.select_related("parent")

    def articles_for(self, category):
        return self.published_articles().in_section(category)


class TagDetailView(ArticleListPageMixin, DetailView):
    model = Tag

    def articles_for(self, tag):
        return self.published_articles().tagged(tag)


class AuthorDetailView(ArticleListPageMixin, DetailView):
    queryset = Author.objects.prefetch_related("links")

    def articles_for(self, author):
        return self.published_articles().by_author(author)
