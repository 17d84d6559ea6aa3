"""Inlines for the parts of an article, editable exactly when the article is."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from cms.admin_forms import FORMFIELD_OVERRIDES

from ..models import (
    Article,
    ArticleAuthor,
    ArticleQuote,
    ArticleSource,
    ListItem,
    RelatedLink,
)
from ..rendering import check_quote_refs
from ..services import can_edit, quote_refusal


class ArticlePartFormSet(BaseInlineFormSet):
    """A row posted back as it was is not checked again: it is not saved either, and
    checking it costs a few queries a row (its key, its links, its constraints)."""

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if self.is_bound and index is not None and index < self.initial_form_count():
            kwargs["empty_permitted"] = True  # checked only when changed
        return kwargs


class ArticlePartInline:
    """Parts of an article are editable exactly when the article is."""

    formset = ArticlePartFormSet

    def has_add_permission(self, request, obj):
        allowed = super().has_add_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))


class ArticleAuthorInline(ArticlePartInline, admin.TabularInline):
    model = ArticleAuthor
    autocomplete_fields = ["author"]
    extra = 0
    min_num = 1
    validate_min = True
    verbose_name = "byline"
    verbose_name_plural = "Bylines (at least one; lower positions come first)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def get_formset(self, request, obj=None, **kwargs):
        # InlineModelAdmin does not pass validate_min to the formset by itself.
        kwargs.setdefault("validate_min", self.validate_min)
        formset = super().get_formset(request, obj, **kwargs)
        formset.default_error_messages = {
            **formset.default_error_messages,
            "too_few_forms": "Add at least one author to the byline.",
        }
        return formset


class ArticleQuoteFormSet(ArticlePartFormSet):
    """Every quote placed in the body must be one of this article's quotes, and
    publishing needs every quote approved (or the editor's override).

    The approval check is here, not on the article form, because only the formset
    knows the quote list this save leaves; the form says which step is taken.
    """

    def clean(self):
        super().clean()
        kept = [
            quote
            for form in self.forms
            if not self._should_delete_form(form) and (quote := _kept_quote(form))
        ]
        check_quote_refs(self.instance.body, [quote.pk for quote in kept])
        step = getattr(self.instance, "workflow_step", None)
        if step is None or step.to_status != Article.Status.PUBLISHED:
            return
        if refusal := quote_refusal(kept, override=step.override_quote_approval):
            raise ValidationError(refusal.on_form, code=refusal.code)


def _kept_quote(form):
    """The quote a row of the Quotes list holds after this save, or None."""
    if form.has_changed():
        return form.cleaned_data.get("quote")
    # Posted back as it was (so not cleaned): the quote fetched with the row.
    return form.instance.quote if form.instance.quote_id else None


class ArticleQuoteInline(ArticlePartInline, admin.TabularInline):
    model = ArticleQuote
    formset = ArticleQuoteFormSet
    autocomplete_fields = ["quote"]
    readonly_fields = ["reference", "sign_off"]
    extra = 0
    verbose_name_plural = (
        "Quotes (place each in the body with its reference on a line of its own)"
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("quote__expert")

    @admin.display(description="Reference")
    def reference(self, obj):
        """The reference, and a button that puts it in the body (insert-quote.js)."""
        quote_id = obj.quote_id if obj else None
        return format_html(
            '<code class="quote-ref">{}</code> <button type="button" '
            'class="button insert-quote" data-quote-id="{}"{}>Insert in body</button>',
            obj.quote.reference if quote_id else "–",
            quote_id or "",
            "" if quote_id else mark_safe(" disabled"),
        )

    @admin.display(description="Sign-off")
    def sign_off(self, obj):
        if not (obj and obj.quote_id):
            return "–"
        label = obj.quote.get_status_display()
        return (
            label
            if obj.quote.is_approved
            else format_html("<strong>{}</strong>", label)
        )


class ListItemInline(ArticlePartInline, admin.StackedInline):
    model = ListItem
    extra = 0
    formfield_overrides = FORMFIELD_OVERRIDES
    fields = ["position", "heading", "image", "text"]
    autocomplete_fields = ["image"]
    verbose_name_plural = "Numbered list items (after the body)"


class RelatedLinkInline(ArticlePartInline, admin.TabularInline):
    model = RelatedLink
    fk_name = "article"
    autocomplete_fields = ["target_article"]
    extra = 0
    formfield_overrides = FORMFIELD_OVERRIDES
    fields = ["position", "label", "target_article", "url", "title"]
    verbose_name_plural = "Related content"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("target_article")


class ArticleSourceInline(ArticlePartInline, admin.TabularInline):
    model = ArticleSource
    extra = 0
    formfield_overrides = FORMFIELD_OVERRIDES
    fields = [
        "position",
        "title",
        "publisher",
        "url",
        "published_on",
        "accessed_on",
        "freshness",
    ]
    readonly_fields = ["freshness"]
    verbose_name_plural = "Sources (numbered at the foot of the article)"

    @admin.display(description="Age")
    def freshness(self, obj):
        if obj.pk is None or not obj.is_stale():
            return "–"
        return format_html(
            '<strong class="stale-source">Older than {} years</strong>: check it is '
            "still current, or replace it.",
            settings.CMS_SOURCE_MAX_AGE_YEARS,
        )
