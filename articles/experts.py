"""What articles tell the experts app about where experts and their quotes are used.

Registered in ``ArticlesConfig.ready()``; see ``experts.usage`` for why it is this way round.
"""

from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber

from experts.models import Expert, Quote
from experts.usage import Appearances, QuoteUse, Usage

from .models import Article, ArticleQuote
from .models.listing import pks_of_any
from .pagination import CappedPaginator

# Articles per page of an expert's page, and named under each of their quotes.
EXPERT_PAGE_SIZE = 20
QUOTE_ARTICLES = 10


class ArticleUsage(Usage):
    def appearances(self, expert: Expert, *, page=1) -> Appearances:
        """One page of the published articles quoting (a quote not withdrawn) or
        reviewed by the expert, and the expert's quotes with the newest articles
        placing each.

        Three queries whatever the number of articles: the page's articles with
        their sections, their bylines, and the quotes with their newest articles.
        The page is not counted (a busy expert is quoted in thousands).
        """
        placed = ArticleQuote.objects.shown().filter(quote__expert=expert)
        published = Article.objects.published()
        # Each part is published already: the outer query only fetches their rows.
        content = (
            Article.objects.filter(
                pk__in=pks_of_any(
                    [
                        published.filter(pk__in=placed.values("article")).order_by(),
                        published.filter(reviewed_by=expert).order_by(),
                    ]
                )
            )
            .annotate(quotes_expert=Exists(placed.filter(article=OuterRef("pk"))))
            .with_related()
            .defer("body", "body_html", "toc", "body_text", "search_vector")
            .order_by("-published_at", "-pk")
        )
        page_obj = CappedPaginator(content, EXPERT_PAGE_SIZE, cap=0).page(page or 1)
        for article in page_obj:
            article.reviewed_by_expert = article.reviewed_by_id == expert.pk
        return Appearances(
            content=list(page_obj), quotes=self._quote_uses(expert, placed),
            page_obj=page_obj,
        )  # fmt: skip

    def _quote_uses(self, expert: Expert, placed) -> list[QuoteUse]:
        """Each quote once, with the newest ``QUOTE_ARTICLES`` published articles
        placing it (newest first), quotes in the order of their newest article."""
        newest = [F("article__published_at").desc(), F("article_id").desc()]
        rows = (
            placed.filter(article__in=Article.objects.published())
            .select_related("quote", "article__category")
            .only(
                "quote__text_html", "quote__expert_id", "article__title",
                "article__slug", "article__category__slug",
            )
            .annotate(
                nth=Window(RowNumber(), partition_by=[F("quote_id")], order_by=newest),
                uses=Window(Count("pk"), partition_by=[F("quote_id")]),
            )
            .filter(nth__lte=QUOTE_ARTICLES)
            .order_by(*newest)
        )  # fmt: skip
        uses: dict[int, QuoteUse] = {}
        for row in rows:
            row.quote.expert = expert
            use = uses.setdefault(
                row.quote_id,
                QuoteUse(row.quote, [], more=max(0, row.uses - QUOTE_ARTICLES)),
            )
            use.content.append(row.article)
        return list(uses.values())

    def published_content_for_quote(self, quote: Quote) -> list[Article]:
        return list(
            Article.objects.published()
            .filter(article_quotes__quote=quote)
            .only("pk", "title")
        )

    def with_use_counts(self, quotes: QuerySet) -> QuerySet:
        # A subquery, not a join: GROUP BY would drop the quotes' default ordering.
        uses = (
            ArticleQuote.objects.filter(quote=OuterRef("pk"))
            .order_by()
            .values("quote")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return quotes.annotate(use_count=Coalesce(Subquery(uses), 0))
