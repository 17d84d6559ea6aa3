"""The article editor's checks panel: a readonly field that holds it, and the staff-only
endpoint that checks the form's values as they are typed (``cms/admin/checks.js``)."""

import json

from django import forms
from django.conf import settings
from django.contrib import admin
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html

from cms.limits import size_problem
from cms.models import Image
from experts.models import Expert

from ..checks import WARNING, Draft, TypedReview, grouped, run_checks
from ..models import Article, Category

PANEL_TEMPLATE = "admin/articles/article/checks.html"


def most_bytes() -> int:
    """The largest request the endpoint reads: a body at the Markdown limit with room
    for its quotes, backslashes and line breaks escaped as JSON, and the short
    fields around it."""
    return 2 * settings.CMS_MAX_MARKDOWN_BYTES + 16 * 1024


class TextField(forms.CharField):
    """Text from JSON: a string or nothing; a number or a list is refused, not
    turned into its string."""

    def to_python(self, value):
        if value is not None and not isinstance(value, str):
            raise forms.ValidationError("Expected text.", code="invalid")
        return super().to_python(value)


def _text(name: str, **kwargs) -> TextField:
    """A field as long as the article's field ``name`` may be."""
    field = Article._meta.get_field(name)
    return TextField(required=False, max_length=field.max_length, **kwargs)


class TypedDate(forms.DateField):
    """A date as typed so far: one not yet readable counts as none (saving the form
    says what is wrong with it)."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None


class ChecksForm(forms.Form):
    """The form's values the checks read, as checks.js sends them."""

    article = forms.IntegerField(required=False, min_value=1)
    title = _text("title")
    slug = _text("slug")
    standfirst = _text("standfirst")
    seo_title = _text("seo_title")
    seo_description = _text("seo_description")
    hero_image = forms.ModelChoiceField(Image.objects.all(), required=False)
    # With its parent: whether it needs medical review depends on both.
    category = forms.ModelChoiceField(
        Category.objects.select_related("parent"), required=False
    )
    body = TextField(required=False, strip=False)
    # The medical review, sent only by a form that has its fields.
    reviewed_by = forms.ModelChoiceField(Expert.objects.all(), required=False)
    reviewed_at = TypedDate(required=False)
    next_review_at = TypedDate(required=False)
    review_confirmed = forms.BooleanField(required=False)

    def clean_body(self):
        body = self.cleaned_data["body"]
        if problem := size_problem(body):
            raise forms.ValidationError(problem, code="too_long")
        return body

    def draft(self, article: Article | None) -> Draft:
        data = self.cleaned_data
        return Draft(
            title=data["title"],
            slug=data["slug"],
            standfirst=data["standfirst"],
            seo_title=data["seo_title"],
            seo_description=data["seo_description"],
            body=data["body"],
            hero=data["hero_image"],
            category=data["category"],
            article=article,
            review=TypedReview(
                by=data["reviewed_by"],
                on=data["reviewed_at"],
                next_review_at=data["next_review_at"],
                confirmed=data["review_confirmed"],
            )
            if "reviewed_at" in self.data
            else None,
        )


class Refused(Exception):
    """Input the endpoint will not check: answered with a JSON ``error`` saying why."""

    def __init__(self, message: str, status: int = 400, **extra):
        super().__init__(message)
        self.status, self.extra = status, extra

    def response(self) -> JsonResponse:
        return JsonResponse({"error": str(self), **self.extra}, status=self.status)


def posted_form(request) -> ChecksForm:
    """The valid form of the JSON object posted, read no further than
    ``most_bytes()``; raises Refused."""
    if request.content_type != "application/json":
        raise Refused("Send the article's values as JSON.")
    limit = most_bytes()
    raw = request.read(limit + 1)
    if len(raw) > limit:
        raise Refused(f"Too much to check: at most {limit:,} bytes. Shorten the body.")
    try:
        data = json.loads(raw)
    except ValueError:  # also UnicodeDecodeError
        raise Refused("The values sent are not valid JSON.") from None
    if not isinstance(data, dict):
        raise Refused("Send the article's values as a JSON object.")
    form = ChecksForm(data)
    if not form.is_valid():
        fields = {name: list(errors) for name, errors in form.errors.items()}
        first = next(iter(fields.values()))[0]
        raise Refused(f"These values cannot be checked: {first}", fields=fields)
    return form


def summary(findings) -> str:
    warnings = sum(1 for finding in findings if finding.level == WARNING)
    if not warnings:
        return "No warnings."
    return f"{warnings} warning{'s' if warnings != 1 else ''}."


class ArticleChecksMixin:
    """For ArticleAdmin: the checks panel (the readonly field ``checks``, which its
    fieldsets put after the body for those who can edit it) and its endpoint."""

    def get_urls(self):
        return [
            path(
                "checks/",
                self.admin_site.admin_view(self.checks_view),
                name="articles_article_checks",
            ),
            *super().get_urls(),
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "checks"]

    @admin.display(description="Checks")
    def checks(self, obj):
        return format_html(
            '<section class="editor-checks" aria-labelledby="editor-checks-title" '
            'data-url="{}" data-article="{}">'
            '<h3 id="editor-checks-title">Checks</h3>'
            '<p class="checks-note">Advice as you type: none of it stops you saving '
            "or publishing.</p>"
            '<p class="checks-summary" aria-live="polite" aria-atomic="true">'
            "The checks run as you type, in a browser with JavaScript.</p>"
            '<div class="checks-results"></div></section>',
            reverse("admin:articles_article_checks"),
            obj.pk if obj and obj.pk else "",
        )

    def checks_view(self, request):
        """The findings for the values posted as JSON, with the panel's HTML; a
        clear JSON error for input that is not the form's values or is too long."""
        try:
            if request.method != "POST":
                raise Refused("Send the article's values with POST.", status=405)
            if not self.has_change_permission(request):
                raise Refused("You cannot edit articles.", status=403)
            form = posted_form(request)
            article = self._checked_article(request, form.cleaned_data["article"])
        except Refused as refusal:
            return refusal.response()
        origin = settings.CMS_SITE_URL or f"{request.scheme}://{request.get_host()}"
        result = run_checks(form.draft(article), origin=origin)
        return JsonResponse(
            {
                "summary": summary(result["findings"]),
                "findings": [finding.as_dict() for finding in result["findings"]],
                "previews": result["previews"],
                "html": render_to_string(
                    PANEL_TEMPLATE,
                    {"checks": grouped(result["findings"]), **result},
                ),
            }
        )

    def _checked_article(self, request, pk: int | None) -> Article | None:
        """The article being edited (None for a new one), if this person may edit
        it; raises Refused."""
        if pk is None:
            return None
        article = self.get_object(request, str(pk))
        if article is None:
            raise Refused("No such article.", status=404)
        if not self.has_change_permission(request, article):
            raise Refused("You cannot edit this article.", status=403)
        return article
