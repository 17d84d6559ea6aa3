from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as delete_selected_action
from django.contrib.admin.utils import unquote
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from cms.admin_forms import EDITOR_CSS, FORMFIELD_OVERRIDES, history_table

from .models import Expert, Quote
from .services import quote_record_sign_off, quote_reopen_sign_off
from .usage import usage

SIGN_OFF_FIELDS = ["status", "sent_at", "approved_at", "withdrawn_at"]


def admin_links(admin_site, objects) -> SafeString:
    """Each object's title, linked to its admin change page (whatever its app)."""
    return format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        (
            (
                reverse(
                    f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change",
                    args=[obj.pk],
                    current_app=admin_site.name,
                ),
                str(obj),
            )
            for obj in objects
        ),
    )


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["full_name", "job_title", "organisation", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "short_name", "job_title", "organisation"]
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["photo"]
    readonly_fields = ["created_at", "modified_at"]
    formfield_overrides = FORMFIELD_OVERRIDES
    actions = ["delete_selected"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "honorific",
                    "name",
                    "slug",
                    "short_name",
                    "job_title",
                    "organisation",
                    "credentials",
                ]
            },
        ),
        ("Profile", {"fields": ["bio", "photo", "website", "is_active"]}),
        ("Record", {"classes": ["collapse"], "fields": ["created_at", "modified_at"]}),
    ]

    class Media:
        css = EDITOR_CSS

    def delete_view(self, request, object_id, extra_context=None):
        """Refused with a message, before any confirmation page, for an expert in use."""
        expert = self.get_object(request, unquote(object_id))
        if expert is not None and self.has_delete_permission(request, expert):
            refusal = self.deletion_refusal(request, expert)
            if refusal:
                self.message_user(request, refusal, messages.ERROR)
                return redirect(
                    reverse(
                        "admin:experts_expert_change",
                        args=[expert.pk],
                        current_app=self.admin_site.name,
                    )
                )
        return super().delete_view(request, object_id, extra_context)

    @admin.action(permissions=["delete"], description="Delete selected experts")
    def delete_selected(self, request, queryset):
        """Django's delete action, for the selected experts that nothing needs."""
        refused = []
        for expert in queryset:
            if refusal := self.deletion_refusal(request, expert):
                self.message_user(request, refusal, messages.ERROR)
                refused.append(expert.pk)
        deletable = queryset.exclude(pk__in=refused)
        if not deletable.exists():
            return None
        return delete_selected_action(self, request, deletable)

    def deletion_refusal(self, request, expert) -> SafeString | None:
        """Why the expert cannot be deleted, naming what needs them; None if nothing does."""
        content = usage().appearances(expert).content
        if content:
            return format_html(
                "“{}” cannot be deleted: they are quoted in, or reviewed, these "
                "published articles: {}. Mark them inactive instead: they stay on "
                "these articles but cannot be chosen for new quotes.",
                expert,
                admin_links(self.admin_site, content),
            )
        *_, protected = self.get_deleted_objects([expert], request)
        if protected:
            return format_html(
                "“{}” cannot be deleted while these are kept: {}. Mark them inactive "
                "instead.",
                expert,
                format_html_join(", ", "{}", ((item,) for item in protected)),
            )
        return None


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = [
        "excerpt",
        "expert",
        "reference",
        "status",
        "sent_at",
        "approved_at",
        "used_in",
        "modified_at",
    ]
    list_filter = ["status", "expert"]
    show_facets = admin.ShowFacets.ALWAYS
    list_select_related = ["expert"]
    search_fields = ["text", "expert__name", "expert__short_name", "context"]
    autocomplete_fields = ["expert"]
    readonly_fields = [
        "reference",
        "approved_recorded_by",
        "sign_off_history",
        "created_at",
        "modified_at",
    ]
    fieldsets = [
        (None, {"fields": ["expert", "text", "context", "reference"]}),
        (
            "Sign-off by the expert",
            {
                "fields": [
                    "status",
                    "sent_at",
                    "approved_at",
                    "approved_recorded_by",
                    "withdrawn_at",
                    "sign_off_history",
                ]
            },
        ),
        ("Record", {"classes": ["collapse"], "fields": ["created_at", "modified_at"]}),
    ]
    actions = ["reopen_sign_off"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("expert")
        return usage().with_use_counts(queryset)

    def get_readonly_fields(self, request, obj=None):
        """Only editors record sign-off; words sent or approved change for no one."""
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_sign_off_permission(request):
            readonly += SIGN_OFF_FIELDS
        if obj is not None and not obj.words_are_open:
            readonly.append("text")
        return readonly

    def has_sign_off_permission(self, request):
        return request.user.has_perm("experts.sign_off_quote")

    def save_model(self, request, obj, form, change):
        stored = Quote.objects.filter(pk=obj.pk).values_list("status", flat=True)
        from_status = stored.first() if change else ""
        if obj.is_approved and {"status", "approved_at"} & set(form.changed_data):
            obj.approved_recorded_by = request.user
        super().save_model(request, obj, form, change)
        quote_record_sign_off(quote=obj, from_status=from_status, by=request.user)
        if obj.is_withdrawn and "status" in form.changed_data:
            self.report_withdrawal(request, obj)

    @admin.action(
        description="Reopen sign-off (withdraws the approval so the words can change)",
        permissions=["sign_off"],
    )
    def reopen_sign_off(self, request, queryset):
        reopened = [
            quote_reopen_sign_off(quote=quote, by=request.user).reference
            for quote in queryset.exclude(status=Quote.Status.NOT_SENT)
        ]
        if reopened:
            self.message_user(
                request,
                f"Sign-off reopened for {', '.join(reopened)}: the words can be "
                "changed, then sent to the expert again. Articles placing them keep "
                "showing them.",
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request, "Those quotes' words are open already.", messages.INFO
            )

    @admin.display(description="Sign-off record")
    def sign_off_history(self, obj):
        rows = obj.sign_offs.select_related("by") if obj and obj.pk else []
        if not rows:
            return "No sign-off recorded yet."
        return history_table(
            ["When", "Who", "Change"],
            (
                (
                    row.at,
                    row.by.get_username() if row.by else "–",
                    f"{row.get_from_status_display() or 'New'} → "
                    f"{row.get_to_status_display()}"
                    + (f" ({row.note})" if row.note else ""),
                )
                for row in rows
            ),
        )

    def report_withdrawal(self, request, quote):
        """Tell the editor which published pages just lost the quote."""
        content = usage().published_content_for_quote(quote)
        if not content:
            self.message_user(
                request,
                f"{quote.reference} is withdrawn. No published article uses it.",
                messages.INFO,
            )
            return
        self.message_user(
            request,
            format_html(
                "{} is withdrawn and no longer shows in these published articles: {}. "
                "Check that each still reads well without it.",
                quote.reference,
                admin_links(self.admin_site, content),
            ),
            messages.WARNING,
        )

    @admin.display(description="Quote")
    def excerpt(self, obj):
        return obj.text if len(obj.text) <= 90 else f"{obj.text[:88]}…"

    @admin.display(description="Reference to paste in a body")
    def reference(self, obj):
        return (
            format_html("<code>{}</code>", obj.reference)
            if obj.pk
            else "Saved quotes get a reference."
        )

    @admin.display(description="Used in", ordering="use_count")
    def used_in(self, obj):
        return obj.use_count
