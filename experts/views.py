from django.views.generic import DetailView, ListView

from .models import Expert
from .usage import usage


class ExpertListView(ListView):
    """The public index: active experts, alphabetically."""

    queryset = Expert.objects.active()


class ExpertDetailView(DetailView):
    """An expert's profile, with the published content that quotes them or they reviewed.

    Inactive experts keep their page: published articles still link to it.
    """

    model = Expert

    def get_context_data(self, **kwargs):
        appearances = usage().appearances(self.object)
        return super().get_context_data(appearances=appearances, **kwargs)
