"""The article form in the admin: workflow choices and the check that no edit is lost."""

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from .models import Article
from .services import allowed_transitions, publication_time

Status = Article.Status

ACTION_LABELS = {
    Status.IN_REVIEW: "Submit for review",
    Status.DRAFT: "Send back to the writer",
    Status.PUBLISHED: "Publish (or schedule)",
    Status.UNPUBLISHED: "Unpublish (archive)",
}
REOPEN_LABEL = "Reopen as a draft"
RESCHEDULE_LABEL = "Change the publication time or expiry"


class ArticleAdminForm(forms.ModelForm):
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    action = forms.ChoiceField(
        label="Workflow",
        required=False,
        widget=forms.RadioSelect,
        help_text="What should happen when you save.",
        error_messages={
            "invalid_choice": "That step is not open to you for this article in its "
            "current state. Choose one of the steps listed."
        },
    )
    publish_at = forms.SplitDateTimeField(
        label="Publication time",
        required=False,
        widget=AdminSplitDateTime,
        help_text="Leave empty to publish now. A future time schedules the article.",
    )
    comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Required when sending back: the writer sees it. Kept in the history.",
    )
    substantive_update = forms.BooleanField(
        label="This is a substantive update",
        required=False,
        help_text="Readers see “Updated” with today's date. Leave unticked for small fixes.",
    )

    user = None  # set by ArticleAdmin.get_form

    class Meta:
        model = Article
        fields = [
            "title", "slug", "standfirst", "category", "tags", "hero_image", "hero_alt",
            "hero_caption", "body", "list_heading", "expires_at", "seo_title",
            "seo_description",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        article = self.instance
        self.fields["edit_version"].initial = article.version
        choices = [("", "Save only")]
        for to in allowed_transitions(self.user, article):
            label = ACTION_LABELS[to]
            if to == Status.DRAFT and article.status == Status.UNPUBLISHED:
                label = REOPEN_LABEL
            if to == article.status == Status.PUBLISHED:
                label = RESCHEDULE_LABEL
            choices.append((to, label))
        self.fields["action"].choices = choices
        if article.published_at and article.published_at > timezone.now():
            self.fields["publish_at"].initial = article.published_at

    def clean(self):
        cleaned = super().clean()
        self._check_version(cleaned.get("edit_version"))
        action = cleaned.get("action")
        if action == Status.DRAFT and self.instance.status == Status.IN_REVIEW:
            if not (cleaned.get("comment") or "").strip():
                self.add_error(
                    "comment", "Say what needs changing when you send it back."
                )
        if action == Status.PUBLISHED:
            # The same times the service will use, so it never refuses after saving.
            now = timezone.now()
            publish_at = publication_time(self.instance, cleaned.get("publish_at"), now)
            expires_at = cleaned.get("expires_at")
            if expires_at and expires_at <= now:
                self.add_error(
                    "expires_at",
                    "The expiry time has passed: clear it or choose a later one.",
                )
            elif expires_at and expires_at <= publish_at:
                self.add_error(
                    "expires_at", "The expiry time must be after publication."
                )
        return cleaned

    def _check_version(self, version):
        """Refuse a save started from an older version; the typed form stays as it is."""
        if not self.instance.pk:
            return
        current = (
            Article.objects.select_for_update(of=("self",))
            .filter(pk=self.instance.pk)
            .select_related("modified_by")
            .first()
        )
        if current is None or version == current.version:
            return
        editor = current.modified_by
        who = (editor.get_full_name() or editor.get_username()) if editor else "Someone"
        when = date_format(timezone.localtime(current.modified_at), "j F Y, H:i")
        raise ValidationError(
            f"{who} saved this article at {when}, after you opened it. Your changes have "
            "not been saved and are still in this form: copy what you need, open the "
            "article again in a new tab to see their version, and make your changes there.",
            code="stale",
        )
