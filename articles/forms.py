"""The article form in the admin: workflow choices and the check that no edit is lost."""

import copy

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from .models import Article
from .services import Step, allowed_transitions, step_refusals

Status = Article.Status

ACTION_LABELS = {
    Status.IN_REVIEW: "Submit for review",
    Status.DRAFT: "Send back to the writer",
    Status.PUBLISHED: "Publish (or schedule)",
    Status.UNPUBLISHED: "Unpublish (archive)",
}
REOPEN_LABEL = "Reopen as a draft"
RESCHEDULE_LABEL = "Change the publication time or expiry"
# Changing either records a new review of the body as it is being saved.
REVIEW_FIELDS = {"reviewed_by", "reviewed_at"}


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
    override_quote_approval = forms.BooleanField(
        label="Publish even though some quotes are not approved",
        required=False,
        help_text="Only when you have the expert's go-ahead another way. The quotes are "
        "named in the article's history.",
    )
    confirm_unpublish = forms.BooleanField(
        label="Yes, unpublish although these articles link to it",
        required=False,
        help_text="Needed only when published articles link to this one: they keep "
        "the words of their links but lose the links.",
    )
    review_confirmed = forms.BooleanField(
        label="The reviewer has checked this version",
        required=False,
        help_text="Tick to record the review above as a review of the body as it is "
        "now (for example after a re-check on the same day). Changing the reviewer or "
        "the date does this by itself.",
    )

    user = None  # set by ArticleAdmin.get_form
    step = None  # the workflow step chosen, once the form is valid

    class Meta:
        model = Article
        fields = [
            "title", "slug", "standfirst", "category", "tags", "hero_image", "body", "list_heading", "expires_at", "seo_title",
            "seo_description", "reviewed_by", "reviewed_at", "next_review_at",
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
        as_saved = self._as_saved(cleaned)
        action = cleaned.get("action")
        # Read by the Quotes inline, which validates after this form on the same
        # instance and so checks the approval of the quotes this save leaves.
        self.instance.workflow_step = self.step = (
            Step(
                to_status=action,
                comment=cleaned.get("comment") or "",
                publish_at=cleaned.get("publish_at"),
                override_quote_approval=bool(cleaned.get("override_quote_approval")),
            )
            if action
            else None
        )
        if action == Status.UNPUBLISHED and not cleaned.get("confirm_unpublish"):
            self._check_linking()
        if self.step is not None:
            # The rules the save enforces, said here so the typed form stays on screen.
            for refusal in step_refusals(as_saved, self.step):
                field = refusal.field if refusal.field in self.fields else None
                self.add_error(field, refusal.on_form)
        return cleaned

    def save(self, commit=True):
        self._stamp_review(self.instance, self.cleaned_data)
        return super().save(commit)

    def _get_validation_exclusions(self):
        """A slug kept in the section it was saved in is still unique there: not
        asked of the database again (the unique constraint backs it up)."""
        exclude = super()._get_validation_exclusions()
        if self.instance.pk and not {"slug", "category"} & set(self.changed_data):
            exclude.add("slug")
        return exclude

    def _save_m2m(self):
        """Many-to-many values (tags) posted back as they were are left alone: a
        query each fewer."""
        for field in self.instance._meta.many_to_many:
            if field.name in self.fields and field.name in self.changed_data:
                field.save_form_data(self.instance, self.cleaned_data[field.name])

    def _as_saved(self, cleaned) -> Article:
        """The article as saving this form would leave it, as far as the workflow's
        rules go (section, body, review, expiry).

        Also puts the next review date the save will store into ``cleaned``.
        """
        article = copy.copy(self.instance)
        for name in ("category", "body", "reviewed_by", "reviewed_at"):
            if name in self.fields and name in cleaned:
                setattr(article, name, cleaned[name])
        if "expires_at" in self.fields:
            article.expires_at = cleaned.get("expires_at")
        if "next_review_at" in self.fields and "next_review_at" in cleaned:
            article.next_review_at = cleaned["next_review_at"]
            self._stamp_review(article, cleaned)
            cleaned["next_review_at"] = article.next_review_at
        return article

    def _stamp_review(self, article: Article, cleaned) -> None:
        """A changed (or confirmed) review is of the body being saved; none, no dates."""
        if not {"reviewed_by", "reviewed_at", "next_review_at"} <= set(self.fields):
            return  # someone who may not record reviews
        by, on = cleaned.get("reviewed_by"), cleaned.get("reviewed_at")
        recorded = REVIEW_FIELDS & set(self.changed_data) or cleaned.get(
            "review_confirmed"
        )
        typed_next = "next_review_at" in self.changed_data
        article.apply_review(
            by=by,
            on=on,
            recorded=bool(recorded),
            next_review_at=cleaned.get("next_review_at") if typed_next else None,
        )

    def _check_linking(self) -> None:
        """Refuse, once, to unpublish an article that published articles link to."""
        linking = Article.objects.published().linking_to([self.instance.pk])
        titles = list(linking.order_by("title").values_list("title", flat=True))
        if titles:
            self.add_error(
                "confirm_unpublish" if "confirm_unpublish" in self.fields else None,
                "Published articles link to this one: "
                + "; ".join(f"“{title}”" for title in titles)
                + ". They will keep the words but lose the link. Tick “Yes, unpublish "
                "although these articles link to it” to unpublish anyway.",
            )

    def _check_version(self, version):
        """Refuse a save started from an older version; the typed form stays as it is."""
        if not self.instance.pk:
            return
        # No join here: on PostgreSQL a row read after waiting for another save's
        # lock is the new one, but a joined row would still be the old one.
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .only("version", "modified_at", "modified_by")
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
