"""Inlines for the parts of an article, editable exactly when the article is."""

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html

from cms.admin_forms import FORMFIELD_OVERRIDES

from ..models import (
    ArticleAuthor,
    ArticleQuote,
    ListItem,
    RelatedLink,
)
from ..rendering import check_quote_refs
from ..services import (
    can_edit,
)


class ArticlePartInline:
    """Parts of an article are editable exactly when the article is."""

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

    def get_formset(self, request, obj=None, **kwargs):
        # InlineModelAdmin does not pass validate_min to the formset by itself.
        kwargs.setdefault("validate_min", self.validate_min)
        formset = super().get_formset(request, obj, **kwargs)
        formset.default_error_messages = {
            **formset.default_error_messages,
            "too_few_forms": "Add at least one author to the byline.",
        }
        return formset


class ArticleQuoteFormSet(BaseInlineFormSet):
    """Every quote placed in the body must be one of this article's quotes."""

    def clean(self):
        super().clean()
        kept = [
            form.cleaned_data["quote"].pk
            for form in self.forms
            if form.cleaned_data.get("quote") and not form.cleaned_data.get("DELETE")
        ]
        check_quote_refs(self.instance.body, kept)


class ArticleQuoteInline(ArticlePartInline, admin.TabularInline):
    model = ArticleQuote
    formset = ArticleQuoteFormSet
    autocomplete_fields = ["quote"]
    readonly_fields = ["reference"]
    extra = 0
    verbose_name_plural = (
        "Quotes (place each in the body with its reference on a line of its own)"
    )

    @admin.display(description="Reference")
    def reference(self, obj):
        return (
            format_html("<code>{}</code>", obj.quote.reference) if obj.quote_id else "–"
        )


class ListItemInline(ArticlePartInline, admin.StackedInline):
    model = ListItem
    extra = 0
    formfield_overrides = FORMFIELD_OVERRIDES
    fields = ["position", "heading", "image", "image_alt", "text"]
    verbose_name_plural = "Numbered list items (after the body)"


class RelatedLinkInline(ArticlePartInline, admin.TabularInline):
    model = RelatedLink
    fk_name = "article"
    autocomplete_fields = ["target_article"]
    extra = 0
    formfield_overrides = FORMFIELD_OVERRIDES
    fields = ["position", "label", "target_article", "url", "title"]
    verbose_name_plural = "Related content"
