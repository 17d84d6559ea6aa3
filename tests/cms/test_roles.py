"""A role is all a login needs: staff status follows it, and every change is kept."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from cms import roles
from cms.models import RoleChange
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def role(name: str) -> Group:
    return Group.objects.get(name=name)


def staff(user) -> bool:
    return User.objects.get(pk=user.pk).is_staff


@pytest.mark.parametrize("name", ["Writer", "Editor", "Site admin"])
def test_a_role_given_in_the_shell_is_all_a_login_needs(client, name):
    user = UserFactory(password="a long passphrase 42")

    user.groups.add(role(name))

    assert staff(user)
    assert client.login(
        request=HttpRequest(), username=user.username, password="a long passphrase 42"
    )
    assert client.get("/admin/").status_code == 200


def test_a_role_given_from_the_group_side_counts_too():
    user = UserFactory()

    role("Writer").user_set.add(user)

    assert staff(user)


def test_taking_away_every_role_takes_away_staff_status():
    user = UserFactory()
    user.groups.add(role("Writer"), role("Editor"))

    user.groups.remove(role("Writer"))
    assert staff(user)
    user.groups.clear()

    assert not staff(user)


def test_a_superuser_without_roles_stays_staff():
    boss = UserFactory(superuser=True)
    boss.groups.add(role("Editor"))

    boss.groups.clear()

    assert staff(boss)


def test_a_login_with_a_role_cannot_be_saved_without_staff_status():
    user = UserFactory()
    user.groups.add(role("Writer"))
    user.is_staff = False

    user.save()

    assert staff(user)


def test_groups_that_are_not_roles_change_nothing():
    user = UserFactory()

    user.groups.add(Group.objects.create(name="Newsletter"))

    assert not staff(user)
    assert not RoleChange.objects.exists()


def test_every_role_change_is_recorded_with_who_made_it():
    admin = UserFactory(superuser=True)
    user = UserFactory()

    with roles.changed_by(admin):
        user.groups.set([role("Writer")])
        user.groups.set([role("Editor")])
    user.groups.clear()

    rows = [
        (row.role, row.granted, row.by)
        for row in RoleChange.objects.filter(user=user).order_by("pk")
    ]
    assert rows == [
        ("Writer", True, admin),
        ("Writer", False, admin),
        ("Editor", True, admin),
        ("Editor", False, None),
    ]


def test_no_one_but_a_superuser_changes_their_own_roles():
    site_admin = UserFactory()
    site_admin.groups.add(role("Site admin"))

    with roles.changed_by(site_admin), pytest.raises(PermissionDenied):
        with transaction.atomic():
            site_admin.groups.add(role("Editor"))

    assert list(site_admin.groups.values_list("name", flat=True)) == ["Site admin"]


def test_site_admin_cannot_change_their_own_roles_in_the_admin(client):
    site_admin = UserFactory()
    site_admin.groups.add(role("Site admin"))
    client.force_login(site_admin)
    url = f"/admin/auth/user/{site_admin.pk}/change/"

    form = client.get(url).context["adminform"].form
    client.post(
        url,
        {
            "username": site_admin.username,
            "email": site_admin.email,
            "groups": [str(role("Editor").pk)],
            "is_active": "on",
            "date_joined_0": "2024-01-01",
            "date_joined_1": "09:00:00",
        },
    )

    assert "groups" not in form.fields and "is_active" not in form.fields
    assert list(site_admin.groups.values_list("name", flat=True)) == ["Site admin"]


def test_role_changes_are_listed_on_the_users_admin_page(admin_client, admin_user):
    user = UserFactory(username="nia")
    url = f"/admin/auth/user/{user.pk}/change/"
    data = {
        "username": "nia",
        "email": user.email,
        "groups": [str(role("Writer").pk)],
        "is_active": "on",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "09:00:00",
    }

    admin_client.post(url, data)

    (row,) = RoleChange.objects.filter(user=user)
    assert (row.role, row.granted, row.by) == ("Writer", True, admin_user)
    page = admin_client.get(url).content.decode()
    assert "Gave Writer" in page and admin_user.username in page
