"""The editorial calendar in the admin, and moving a scheduled article from it."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from cms.admin_site import AdminPage

from ..calendar import calendar_for
from ..models import Article
from ..services import article_reschedule

PERMISSION = "articles.view_article"


class MoveForm(forms.Form):
    """A scheduled article's new time, as the calendar's datetime-local input sends it."""

    article = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    edit_version = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    publish_at = forms.DateTimeField(
        label="New time",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        error_messages={
            "required": "Give the new date and time.",
            "invalid": "Give the new time as a date and a time of day.",
        },
    )
    back = forms.CharField(required=False, max_length=500)


def calendar_view(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    found = calendar_for(request.user, request.GET)
    context = {
        **admin.site.each_context(request),
        "title": f"Editorial calendar: {found.title}",
        "calendar": found,
        "opts": Article._meta,
    }
    return TemplateResponse(request, "admin/articles/calendar.html", context)


def move_view(request):
    """Moves one scheduled article through ``article_reschedule``, then back to the
    same calendar with what happened said at the top; nothing changes on a refusal."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    form = MoveForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    back = redirect(reverse("admin:articles_calendar") + _kept(data.get("back", "")))
    article = (
        Article.objects.visible_to(request.user).filter(pk=data["article"]).first()
        if "article" in data
        else None
    )
    if article is None:
        messages.error(request, "That article was not found: nothing was moved.")
        return back
    refusal = next(iter(form.errors.values()), None)
    if refusal is None:
        try:
            article = article_reschedule(
                article=article,
                by=request.user,
                publish_at=data["publish_at"],
                edit_version=data["edit_version"],
            )
        except (PermissionDenied, ValidationError) as error:
            refusal = getattr(error, "messages", [str(error)])
    if refusal:
        messages.error(request, f"“{article}” was not moved: {' '.join(refusal)}")
        return back
    when = date_format(timezone.localtime(article.published_at), "j F Y, H:i")
    messages.success(request, f"“{article}” moved: it now goes live on {when}.")
    return back


def _kept(query: str) -> str:
    """The calendar's own parameters of ``query`` (the page the move came from)."""
    params = QueryDict(query.removeprefix("?"))
    kept = QueryDict(mutable=True)
    for name in ("view", "date", "section", "author"):
        if params.get(name):
            kept[name] = params[name]
    return f"?{kept.urlencode()}" if kept else ""


admin.site.add_page(
    AdminPage(
        app_label="articles",
        route="calendar/",
        name="calendar",
        title="Editorial calendar",
        view=calendar_view,
        permission=PERMISSION,
        extra=(("calendar/move/", "calendar_move", move_view),),
    )
)
