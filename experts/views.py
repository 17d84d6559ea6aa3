from django.core.paginator import InvalidPage
from django.http import Http404
from django.views.generic import DetailView, ListView

from cms.pagecache import tag_response

from .models import Expert
from .usage import usage


class ExpertListView(ListView):
    """The public index: active experts, alphabetically."""

    queryset = Expert.objects.active().select_related("photo")

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        return tag_response(response, "experts")


class ExpertDetailView(DetailView):
    """An expert's profile, with the published content that quotes them or they reviewed.

    Inactive experts keep their page: published articles still link to it.
    """

    queryset = Expert.objects.select_related("photo")

    def get_context_data(self, **kwargs):
        try:
            self.appearances = usage().appearances(
                self.object, page=self.request.GET.get("page") or 1
            )
        except InvalidPage as exc:
            raise Http404("No such page.") from exc
        return super().get_context_data(
            appearances=self.appearances,
            page_obj=self.appearances.page_obj,
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        pk, shown = self.object.pk, list(self.appearances.content)
        for use in self.appearances.quotes:
            shown += use.content
        return tag_response(
            response,
            f"expert:{pk}",
            f"list:expert:{pk}",
            *(f"article:{article.pk}" for article in shown),
            *(f"quote:{use.quote.pk}" for use in self.appearances.quotes),
        )
