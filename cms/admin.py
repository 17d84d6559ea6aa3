"""User admin for site admins: they manage logins and roles, but cannot escalate."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group

from articles.roles import ROLES

User = get_user_model()

# django.contrib.auth registers the stock UserAdmin first (it comes earlier in
# INSTALLED_APPS); this one replaces it.
admin.site.unregister(User)


@admin.register(User)
class NewsroomUserAdmin(UserAdmin):
    """Only a superuser grants superuser status, single permissions or other groups."""

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=ROLES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        """Keep groups a site admin cannot see: the form only offers the roles."""
        hidden = []
        if change and not request.user.is_superuser:
            hidden = list(form.instance.groups.exclude(name__in=ROLES))
        super().save_related(request, form, formsets, change)
        form.instance.groups.add(*hidden)
