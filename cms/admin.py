"""User admin for site admins: logins get roles and a set-password email; no one but a
superuser changes their own roles, every role change is listed, and a login locked out
after wrong passwords can be unlocked."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset as axes_reset
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction

from . import roles
from .accounts import send_set_password_email
from .admin_forms import history_table

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


# django-axes registers these first (it comes earlier in INSTALLED_APPS).
for _model, _admin in [
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
]:
    admin.site.unregister(_model)
    admin.site.register(_model, type(_admin.__name__, (SignInRecordAdmin, _admin), {}))
