"""Roles: the groups that give a login its work in the admin.

Apps register their roles' group names in ``AppConfig.ready`` (and keep what each
may do themselves). Having a
role is all a login needs: staff status follows the roles however they are given (the
admin, the shell, an importer), no one but a superuser changes their own, and every
change is recorded with who made it.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models.signals import m2m_changed, pre_save

_roles: set[str] = set()
_actor: ContextVar = ContextVar("cms_roles_actor", default=None)


def register(role_names: Iterable[str]) -> None:
    """Add roles by their group names (the app keeps what each may do)."""
    _roles.update(role_names)


def names() -> list[str]:
    return sorted(_roles)


@contextmanager
def changed_by(user):
    """Role changes made inside are recorded as ``user``'s, and refused when they are
    ``user``'s own (unless a superuser)."""
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


def has_role(user) -> bool:
    return user.pk is not None and user.groups.filter(name__in=_roles).exists()


def _keep_staff_with_roles(sender, instance, raw=False, update_fields=None, **kwargs):
    """A login with a role keeps staff status, whatever else a save changes."""
    if raw or instance.is_staff or instance.pk is None:
        return
    if update_fields is None or "is_staff" in update_fields:
        instance.is_staff = has_role(instance)


def _role_names(group_ids) -> list[str]:
    return list(
        Group.objects.filter(pk__in=group_ids, name__in=_roles)
        .order_by("name")
        .values_list("name", flat=True)
    )


def _on_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Refuse a change of one's own roles, record each change, and set staff status."""
    User = get_user_model()
    actor = _actor.get()
    if action in {"pre_add", "pre_remove"} and (actor is None or actor.is_superuser):
        return  # nothing to refuse, and the post_ step records it
    if action == "post_clear":  # the rows are gone: what pre_clear saw
        changes = instance.__dict__.pop("_cms_roles_cleared", {})
    elif reverse:  # group.user_set.add(...): instance is the group
        if instance.name not in _roles:
            return
        user_ids = (
            set(pk_set)
            if pk_set is not None
            else set(instance.user_set.values_list("pk", flat=True))
        )
        changes = {pk: [instance.name] for pk in user_ids}
    else:
        group_ids = (
            pk_set
            if pk_set is not None
            else instance.groups.values_list("pk", flat=True)
        )
        changes = {instance.pk: _role_names(group_ids)}
    changes = {pk: roles for pk, roles in changes.items() if roles}
    if not changes:
        return
    if action.startswith("pre_"):
        if actor is not None and not actor.is_superuser and actor.pk in changes:
            raise PermissionDenied("You cannot change your own roles.")
        if action == "pre_clear":
            instance.__dict__["_cms_roles_cleared"] = changes
        return
    from .models import RoleChange

    granted = action == "post_add"
    RoleChange.objects.bulk_create(
        RoleChange(user_id=pk, role=role, granted=granted, by=actor)
        for pk, roles in changes.items()
        for role in roles
    )
    for user in User.objects.filter(pk__in=changes, is_superuser=False):
        staff = has_role(user)
        if user.is_staff != staff:
            User.objects.filter(pk=user.pk).update(is_staff=staff)
        if not reverse:
            instance.is_staff = staff


def connect() -> None:
    User = get_user_model()
    pre_save.connect(_keep_staff_with_roles, sender=User, dispatch_uid="cms.roles")
    m2m_changed.connect(
        _on_groups_changed, sender=User.groups.through, dispatch_uid="cms.roles"
    )
