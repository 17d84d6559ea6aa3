"""What articles tell the experts app about where experts and their quotes are used.

Registered in ``ArticlesConfig.ready()``; see ``experts.usage`` for why it is this way round.
"""

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from experts.models import Expert, Quote
from experts.usage import Appearances, QuoteUse, Usage

from .models import Article, ArticleQuote


class ArticleUsage(Usage):
    def appearances(self, expert: Expert) -> Appearances:
        """Published articles quoting (a quote not withdrawn) or reviewed by the expert.

        Four queries whatever the number of articles: the articles with their
        sections, their bylines, and the expert's quotes in them.
        """
        placed = ArticleQuote.objects.shown().filter(quote__expert=expert)
        articles = list(
            Article.objects.published()
            .filter(Q(pk__in=placed.values("article")) | Q(reviewed_by=expert))
            .with_related()
            .defer("body", "body_html", "toc")
            .prefetch_related(
                Prefetch(
                    "article_quotes",
                    queryset=placed.select_related("quote"),
                    to_attr="expert_quotes",
                )
            )
        )
        uses: dict[int, QuoteUse] = {}
        for article in articles:  # newest first, so each quote's list is too
            article.quotes_expert = bool(article.expert_quotes)
            article.reviewed_by_expert = article.reviewed_by_id == expert.pk
            for row in article.expert_quotes:
                row.quote.expert = expert
                uses.setdefault(row.quote_id, QuoteUse(row.quote, [])).content.append(
                    article
                )
        return Appearances(content=articles, quotes=list(uses.values()))

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
