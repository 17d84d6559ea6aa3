import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.http import HttpRequest

from cms.roles import names as role_names
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
CHANGELIST_URL = "/admin/auth/user/"


def change_url(user) -> str:
    return f"/admin/auth/user/{user.pk}/change/"


def role(name: str) -> Group:
    return Group.objects.get(name=name)


def change_data(user, **overrides):
    """The user change form as the admin posts it."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "groups": [str(group.pk) for group in user.groups.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "09:00:00",
    }
    data.update(overrides)
    return data


@pytest.fixture
def site_admin(client):
    user = UserFactory(staff=True)
    user.groups.add(role("Site admin"))
    client.force_login(user)
    return user


@pytest.fixture
def colleague():
    return UserFactory(staff=True)


def test_site_admin_adds_a_user_to_the_editor_group(client, site_admin, colleague):
    editor = role("Editor")

    response = client.post(
        change_url(colleague), change_data(colleague, groups=[str(editor.pk)])
    )

    assert response.status_code == 302
    assert list(colleague.groups.all()) == [editor]


def test_site_admin_creates_a_login_who_chooses_a_password_by_email(
    client, site_admin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/auth/user/add/",
            {
                "username": "newwriter",
                "first_name": "Nia",
                "email": "nia@example.com",
                "groups": [str(role("Writer").pk)],
            },
            follow=True,
        )

    user = User.objects.get(username="newwriter")
    assert response.status_code == 200
    assert "A link to choose a password is on its way to nia@example.com" in (
        response.content.decode()
    )
    assert user.is_staff and not user.has_usable_password()
    (email,) = mailoutbox
    assert email.to == ["nia@example.com"]
    link = re.search(r"http://testserver(/admin/reset/\S+)", email.body)[1]

    client.logout()
    form_page = client.get(link, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "a long enough passphrase 42",
            "new_password2": "a long enough passphrase 42",
        },
    )

    assert done.status_code == 302
    assert client.login(
        request=HttpRequest(),
        username="newwriter",
        password="a long enough passphrase 42",
    )
    assert client.get("/admin/").status_code == 200


def test_a_new_login_needs_an_email_address(client, site_admin, mailoutbox):
    response = client.post(
        "/admin/auth/user/add/",
        {"username": "nomail", "groups": [str(role("Writer").pk)]},
    )

    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="nomail").exists()
    assert mailoutbox == []


def test_a_login_that_never_chose_a_password_can_ask_for_a_new_link(client, mailoutbox):
    user = UserFactory(email="late@example.com")
    user.set_unusable_password()
    user.save()

    response = client.post(
        "/admin/password_reset/", {"email": "late@example.com"}, follow=True
    )

    assert response.status_code == 200
    assert [email.to for email in mailoutbox] == [["late@example.com"]]


def test_the_sign_in_page_offers_forgotten_passwords(client):
    page = client.get("/admin/login/").content.decode()

    assert 'href="/admin/password_reset/"' in page


def test_site_admin_emails_a_new_set_password_link(
    client, site_admin, colleague, mailoutbox
):
    response = client.post(
        CHANGELIST_URL,
        {"action": "send_set_password_link", "_selected_action": [colleague.pk]},
    )

    assert response.status_code == 302
    assert [email.to for email in mailoutbox] == [[colleague.email]]


def test_site_admin_cannot_make_anyone_superuser(client, site_admin, colleague):
    perm = Permission.objects.get(codename="publish_article")

    response = client.post(
        change_url(colleague),
        change_data(colleague, is_superuser="on", user_permissions=[str(perm.pk)]),
    )

    assert response.status_code == 302
    colleague.refresh_from_db()
    assert not colleague.is_superuser
    assert not colleague.user_permissions.exists()


def test_site_admin_cannot_make_themselves_superuser(client, site_admin):
    client.post(
        change_url(site_admin),
        change_data(site_admin, is_superuser="on"),
    )

    site_admin.refresh_from_db()
    assert not site_admin.is_superuser


def test_superuser_and_permissions_show_read_only_to_site_admins(
    client, site_admin, colleague
):
    form = client.get(change_url(colleague)).context["adminform"].form

    assert "is_superuser" not in form.fields
    assert "user_permissions" not in form.fields
    assert sorted(form.fields["groups"].queryset.values_list("name", flat=True)) == (
        sorted(role_names())
    )


def test_site_admin_cannot_grant_a_group_outside_the_roles(
    client, site_admin, colleague
):
    powerful = Group.objects.create(name="Everything")

    response = client.post(
        change_url(colleague), change_data(colleague, groups=[str(powerful.pk)])
    )

    assert response.status_code == 200
    assert "groups" in response.context["adminform"].form.errors
    assert not colleague.groups.exists()


def test_site_admin_keeps_groups_they_cannot_see(client, site_admin, colleague):
    other = Group.objects.create(name="Legacy")
    colleague.groups.add(other)

    client.post(
        change_url(colleague), change_data(colleague, groups=[str(role("Writer").pk)])
    )

    assert set(colleague.groups.values_list("name", flat=True)) == {"Legacy", "Writer"}


def test_site_admin_cannot_edit_a_superuser(client, site_admin):
    boss = UserFactory(superuser=True, first_name="Boss")

    response = client.post(change_url(boss), change_data(boss, first_name="Pwned"))
    password = client.post(
        f"/admin/auth/user/{boss.pk}/password/",
        {"password1": "hijacked passphrase 42", "password2": "hijacked passphrase 42"},
    )

    assert response.status_code == 403
    assert password.status_code == 403
    boss.refresh_from_db()
    assert boss.first_name == "Boss"
    assert boss.check_password("correct horse battery staple")


def test_site_admin_cannot_delete_a_superuser(client, site_admin):
    boss = UserFactory(superuser=True)

    single = client.post(f"/admin/auth/user/{boss.pk}/delete/", {"post": "yes"})
    bulk = client.post(
        CHANGELIST_URL,
        {"action": "delete_selected", "_selected_action": [boss.pk], "post": "yes"},
    )

    assert single.status_code == 403
    assert bulk.status_code == 403
    assert User.objects.filter(pk=boss.pk).exists()


def test_superuser_can_still_grant_superuser(admin_client, colleague):
    response = admin_client.post(
        change_url(colleague), change_data(colleague, is_superuser="on")
    )

    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.is_superuser


def test_password_pages_are_the_newsrooms_and_lead_to_its_sign_in(client):
    done = client.get("/admin/reset/done/").content.decode()
    asked = client.get("/admin/password_reset/").content.decode()

    assert 'href="/admin/login/"' in done
    for page in (done, asked):
        assert "Newsroom" in page and "Django administration" not in page


def test_site_admins_do_not_type_other_peoples_passwords(client, site_admin, colleague):
    page = client.get(change_url(colleague)).content.decode()
    typed = client.post(
        f"/admin/auth/user/{colleague.pk}/password/",
        {"password1": "typed for them 42", "password2": "typed for them 42"},
    )

    assert "choose their own password from an emailed link" in page
    assert typed.status_code == 403
    colleague.refresh_from_db()
    assert not colleague.check_password("typed for them 42")
