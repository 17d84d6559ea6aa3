"""User admin for site admins: logins get roles and a set-password email; no one but a
superuser changes their own roles, every role change is listed, and a login locked out
after wrong passwords can be unlocked. Webhook endpoints, and the log of what was sent
to them."""

import json

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset as axes_reset
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from . import roles, webhooks
from .accounts import send_set_password_email
from .admin_forms import FORMFIELD_OVERRIDES, history_table
from .models import WebhookDelivery, WebhookEndpoint, WebhookEvent

User = get_user_model()

# django.contrib.auth registers the stock UserAdmin first (it comes earlier in
# INSTALLED_APPS); this one replaces it.
admin.site.unregister(User)

ROLES_HELP = (
    "What they may do. A login with a role can sign in to the admin; one with none "
    "cannot. Every change is kept under Role history."
)


class NewLoginForm(forms.ModelForm):
    """A new login: who it is and its roles. No password: they choose their own from
    the emailed link."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "groups"]
        labels = {"groups": "Roles"}
        help_texts = {
            "email": "They are sent a link to choose their password here.",
            "groups": ROLES_HELP,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True

    def save(self, commit=True):
        self.instance.set_unusable_password()
        return super().save(commit)


@admin.register(User)
class NewsroomUserAdmin(UserAdmin):
    """Only a superuser grants superuser status, single permissions or other groups."""

    add_form = NewLoginForm
    add_form_template = None
    add_fieldsets = [
        (None, {"fields": ["username", "first_name", "last_name", "email", "groups"]})
    ]
    list_display = ["username", "email", "first_name", "last_name", "role_names"]
    actions = ["send_set_password_link", "unlock_signing_in"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        fieldsets = [
            [name, {**options, "fields": list(options["fields"])}]
            for name, options in super().get_fieldsets(request, obj)
        ]
        if not request.user.is_superuser:
            # Passwords are chosen by their owners, from an emailed link.
            fields = fieldsets[0][1]["fields"]
            fields[fields.index("password")] = "password_status"
        fieldsets.insert(-1, ["Role history", {"fields": ["role_history"]}])
        return fieldsets

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser and str(request.user.pk) != id:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def get_readonly_fields(self, request, obj=None):
        readonly = [
            *super().get_readonly_fields(request, obj),
            "role_history",
            "password_status",
        ]
        if obj is not None:
            readonly.append("is_staff")
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
            if obj is not None and obj.pk == request.user.pk:
                readonly += ["groups", "is_active"]
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs.setdefault("label", "Roles")
            kwargs.setdefault("help_text", ROLES_HELP)
            if not request.user.is_superuser:
                kwargs["queryset"] = Group.objects.filter(name__in=roles.names())
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        if obj is not None and obj.pk == request.user.pk:
            return False
        return super().has_delete_permission(request, obj)

    def changeform_view(self, request, *args, **kwargs):
        with roles.changed_by(request.user):
            return super().changeform_view(request, *args, **kwargs)

    def save_related(self, request, form, formsets, change):
        """Keep groups a site admin cannot see: the form only offers the roles."""
        hidden = []
        if change and not request.user.is_superuser:
            hidden = list(form.instance.groups.exclude(name__in=roles.names()))
        super().save_related(request, form, formsets, change)
        form.instance.groups.add(*hidden)
        if not change:
            user = form.instance
            transaction.on_commit(lambda: send_set_password_email(user, request))
            self.message_user(
                request,
                f"A link to choose a password is on its way to {user.email}.",
                messages.SUCCESS,
            )

    @admin.action(
        description="Email a link to choose a new password", permissions=["change"]
    )
    def send_set_password_link(self, request, queryset):
        sent = [user for user in queryset if user.email and user.is_active]
        for user in sent:
            send_set_password_email(user, request)
        self.message_user(
            request,
            f"Set-password links sent to {len(sent)} login(s)."
            + (
                " Logins without an email address or inactive were skipped."
                if len(sent) < queryset.count()
                else ""
            ),
            messages.SUCCESS,
        )

    @admin.action(
        description="Unlock signing in (after too many wrong passwords)",
        permissions=["change"],
    )
    def unlock_signing_in(self, request, queryset):
        """Clears django-axes' failed attempts for these logins, from every address."""
        usernames = [user.get_username() for user in queryset]
        cleared = sum(axes_reset(username=username) for username in usernames)
        self.message_user(
            request,
            f"Unlocked {len(usernames)} login(s): they may sign in again now."
            if cleared
            else "None of these logins had failed attempts to clear.",
            messages.SUCCESS,
        )

    @admin.display(description="Roles")
    def role_names(self, obj):
        return (
            ", ".join(g.name for g in obj.groups.all() if g.name in roles.names())
            or "–"
        )

    @admin.display(description="Password")
    def password_status(self, obj):
        chosen = "Chosen" if obj.has_usable_password() else "Not chosen yet"
        return (
            f"{chosen}. Logins choose their own password from an emailed link: use "
            "“Email a link to choose a new password” in the user list."
        )

    @admin.display(description="Role changes")
    def role_history(self, obj):
        rows = obj.role_changes.select_related("by") if obj and obj.pk else []
        if not rows:
            return "No role changes yet."
        return history_table(
            ["When", "Who", "Change"],
            (
                (
                    row.at,
                    row.by.get_username() if row.by else "Outside the admin",
                    f"{'Gave' if row.granted else 'Took away'} {row.role}",
                )
                for row in rows
            ),
        )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")


class SignInRecordAdmin:
    """django-axes' records of sign-in attempts are evidence, never edited: a
    superuser reads them, and deleting a locked-out attempt unlocks that login."""

    def has_change_permission(self, request, obj=None):
        return False

    def response_action(self, request, queryset):
        """django-axes' "Clean up expired attempts" reads the time of a sign-in
        attempt from the request, which only a sign-in has (a 500 otherwise)."""
        request.axes_attempt_time = timezone.now()
        return super().response_action(request, queryset)


# django-axes registers these first (it comes earlier in INSTALLED_APPS).
for _model, _admin in [
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
]:
    admin.site.unregister(_model)
    admin.site.register(_model, type(_admin.__name__, (SignInRecordAdmin, _admin), {}))


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """Site admins register where article events are sent, and copy the secret."""

    list_display = ["name", "url", "event_names", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    fields = ["name", "url", "events", "is_active", "secret"]
    formfield_overrides = FORMFIELD_OVERRIDES

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "events":
            return forms.MultipleChoiceField(
                choices=WebhookEvent.choices,
                widget=forms.CheckboxSelectMultiple,
                help_text="The events this address is sent (docs/api.md, “Webhooks”).",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="Events")
    def event_names(self, endpoint):
        return ", ".join(endpoint.events) or "–"


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The record of what was sent where and how it went; written by the sender
    alone. Whoever may change the endpoints may send a delivery again."""

    list_display = [
        "created_at",
        "event",
        "article",
        "endpoint",
        "status",
        "attempts",
        "response_code",
        "error",
        "next_attempt_at",
    ]
    list_filter = ["status", "event", "endpoint"]
    list_select_related = ["endpoint"]
    actions = ["send_again"]
    readonly_fields = [
        "send_again_button",
        "endpoint",
        "event",
        "article",
        "status",
        "attempts",
        "response_code",
        "last_error",
        "last_attempt_at",
        "next_attempt_at",
        "occurred_at",
        "created_at",
        "delivery_id",
        "payload_json",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request):
        return request.user.has_perm("cms.change_webhookendpoint")

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not self.has_resend_permission(request):
            fields = [name for name in fields if name != "send_again_button"]
        return fields

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id and "_send_again" in request.POST:
            return self.send_again_view(request, object_id)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def send_again_view(self, request, object_id):
        """The change page's "Send again" button."""
        delivery = self.get_object(request, unquote(object_id))
        if delivery is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_resend_permission(request):
            raise PermissionDenied
        if not delivery.endpoint.is_active:
            self.message_user(
                request,
                f"Not sent: {delivery.endpoint} is disabled. Enable it first.",
                messages.ERROR,
            )
            return redirect(request.path)
        sent = webhooks.send_again(delivery)
        self.message_user(request, "Queued to be sent now.", messages.SUCCESS)
        return redirect(reverse("admin:cms_webhookdelivery_change", args=[sent.pk]))

    @admin.action(description="Send again now", permissions=["resend"])
    def send_again(self, request, queryset):
        deliveries = list(queryset.select_related("endpoint"))
        sent = [d for d in deliveries if d.endpoint.is_active]
        for delivery in sent:
            webhooks.send_again(delivery)
        skipped = len(deliveries) - len(sent)
        self.message_user(
            request,
            f"Queued {len(sent)} deliveries to be sent now."
            + (f" {skipped} to disabled endpoints were skipped." if skipped else ""),
            messages.SUCCESS if sent else messages.WARNING,
        )

    @admin.display(description="Send again")
    def send_again_button(self, delivery):
        # Inside the change page's form, which carries the CSRF token.
        return format_html(
            '<button type="submit" name="_send_again" value="1" class="button">'
            "Send again now</button> "
            '<span class="help">The same payload to {}, now.</span>',
            delivery.endpoint,
        )

    @admin.display(description="Article")
    def article(self, delivery):
        title = delivery.payload.get("article", {}).get("title", "")
        return f"{title} (#{delivery.article_id})"

    @admin.display(description="Last error")
    def error(self, delivery):
        return Truncator(delivery.last_error).chars(80)

    @admin.display(description="Delivery id (X-CMS-Delivery)")
    def delivery_id(self, delivery):
        return delivery.pk

    @admin.display(description="Payload")
    def payload_json(self, delivery):
        return format_html(
            "<pre>{}</pre>", json.dumps(delivery.payload, indent=2, ensure_ascii=False)
        )


from . import admin_images  # noqa: E402,F401 (the image library)
