"""Signing in: wrong passwords are throttled per login and address, a site admin can
unlock, and the admin lives at DJANGO_ADMIN_URL."""

import importlib.util
import io
import re
import sys
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # UserFactory's


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        **extra,
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response.url == reverse("admin:index")


def fail(client, username, times, **extra):
    return [sign_in(client, username, "wrong", **extra) for _ in range(times)]


@pytest.fixture
def editor():
    user = UserFactory(username="edna")
    user.groups.add(Group.objects.get(name="Editor"))
    return user


@pytest.fixture
def limit(settings):
    return settings.AXES_FAILURE_LIMIT


def test_the_defaults_are_five_failures_and_fifteen_minutes(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_the_right_password_signs_in(client, editor):
    assert signed_in(sign_in(client, "edna"))


def test_fewer_wrong_passwords_than_the_limit_still_let_the_right_one_in(
    client, editor, limit
):
    responses = fail(client, "edna", limit - 1)

    assert [r.status_code for r in responses] == [200] * (limit - 1)
    assert signed_in(sign_in(client, "edna"))


def test_after_the_limit_the_right_password_is_refused_with_the_lockout_page(
    client, editor, limit
):
    *_, last_failure = fail(client, "edna", limit)
    response = sign_in(client, "edna")

    for locked in (last_failure, response):
        assert locked.status_code == 429
        assert locked["Retry-After"] == str(15 * 60)
        page = BeautifulSoup(locked.content, "html.parser")
        text = " ".join(page.get_text().split())
        assert "signing in as edna from here is paused for 15 minutes" in text
        assert "Ask a site admin to unlock your login" in text
        # The admin's look: its header and stylesheets, no login form.
        assert page.select_one("#site-name").get_text(strip=True) == "Newsroom"
        assert page.select_one('link[href$="admin/css/login.css"]')
        assert not page.select("#login-form")
    assert "_auth_user_id" not in client.session


def test_a_success_starts_the_count_again(client, editor, limit):
    fail(client, "edna", limit - 1)
    assert signed_in(sign_in(client, "edna"))
    client.logout()

    fail(client, "edna", limit - 1)

    assert signed_in(sign_in(client, "edna"))


def test_another_login_from_the_same_address_still_signs_in(client, editor, limit):
    UserFactory(username="wes", staff=True)
    fail(client, "edna", limit)

    assert signed_in(sign_in(client, "wes"))


def test_guessing_usernames_from_one_address_locks_none_of_them_out(
    client, editor, limit
):
    for n in range(3 * limit):
        sign_in(client, f"guess{n}", "wrong")

    assert signed_in(sign_in(client, "edna"))


def test_the_same_login_from_another_address_still_signs_in(client, editor, limit):
    fail(client, "edna", limit, REMOTE_ADDR="203.0.113.9")

    assert sign_in(client, "edna", REMOTE_ADDR="203.0.113.9").status_code == 429
    assert signed_in(sign_in(client, "edna", REMOTE_ADDR="198.51.100.7"))


def test_the_lockout_ends_after_the_cool_off(client, editor, limit):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        fail(client, "edna", limit)
        traveller.shift(timedelta(minutes=14))
        assert sign_in(client, "edna").status_code == 429

        traveller.shift(timedelta(minutes=2))
        assert signed_in(sign_in(client, "edna"))


def test_attempts_while_locked_out_do_not_lengthen_the_wait(client, editor, limit):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        fail(client, "edna", limit)
        traveller.shift(timedelta(minutes=10))
        *_, still_locked = fail(client, "edna", 3)
        assert still_locked["Retry-After"] == str(5 * 60)
        assert "paused for 5 minutes" in " ".join(still_locked.content.decode().split())

        traveller.shift(timedelta(minutes=6))
        assert signed_in(sign_in(client, "edna"))


def test_the_limit_and_cool_off_follow_the_settings(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=3)

    fail(client, "edna", 2)
    response = sign_in(client, "edna")

    assert response.status_code == 429
    assert response["Retry-After"] == "180"
    assert "paused for 3 minutes" in " ".join(response.content.decode().split())


def site_admin():
    user = UserFactory(username="sam")
    user.groups.add(Group.objects.get(name="Site admin"))
    return user


@pytest.mark.parametrize("who", ["site admin", "superuser"])
def test_an_admin_unlocks_a_login_from_the_user_list(client, editor, limit, who):
    fail(client, "edna", limit)
    admin = site_admin() if who == "site admin" else UserFactory(superuser=True)
    client.force_login(admin)

    changelist = reverse("admin:auth_user_changelist")
    actions = BeautifulSoup(client.get(changelist).content, "html.parser")
    assert actions.select_one('select[name="action"] option[value="unlock_signing_in"]')
    response = client.post(
        changelist,
        {"action": "unlock_signing_in", "_selected_action": [editor.pk]},
        follow=True,
    )
    assert "Unlocked 1 login(s)" in response.content.decode()
    client.logout()

    assert signed_in(sign_in(client, "edna"))


def test_a_superuser_sees_and_deletes_access_attempts_in_our_admin(
    client, editor, limit
):
    fail(client, "edna", limit)
    client.force_login(UserFactory(superuser=True))

    index = client.get(reverse("admin:index")).content.decode()
    changelist = reverse("admin:axes_accessattempt_changelist")
    listing = client.get(changelist)
    attempt = AccessAttempt.objects.get(username="edna")
    client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    client.logout()

    assert f'href="{changelist}"' in index
    assert listing.status_code == 200
    assert "edna" in listing.content.decode()
    assert signed_in(sign_in(client, "edna"))


def test_the_reset_command_unlocks_a_login(client, editor, limit):
    fail(client, "edna", limit)

    call_command("axes_reset_username", "edna", stdout=io.StringIO())

    assert signed_in(sign_in(client, "edna"))


def test_choosing_a_new_password_from_the_emailed_link_unlocks(
    client, editor, limit, mailoutbox
):
    editor.email = "edna@example.com"
    editor.save()
    fail(client, "edna", limit)

    client.post(reverse("admin_password_reset"), {"email": "edna@example.com"})
    link = re.search(r"http://testserver(/\S+/reset/\S+)", mailoutbox[-1].body)[1]
    form = client.get(link, follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "a new long passphrase",
            "new_password2": "a new long passphrase",
        },
    )

    assert done.status_code == 302
    assert signed_in(sign_in(client, "edna", "a new long passphrase"))


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(
    client, editor, limit, settings
):
    settings.BEHIND_PROXY = True
    # The client wrote the first address itself; the proxy appended the second.
    forged = {"HTTP_X_FORWARDED_FOR": "192.0.2.1, 203.0.113.9"}

    fail(client, "edna", limit, **forged)

    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"
    assert (
        sign_in(client, "edna", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
    )
    elsewhere = {"HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.7"}
    assert signed_in(sign_in(client, "edna", **elsewhere))


def test_behind_two_proxies_the_address_is_the_one_the_first_saw(
    client, editor, settings
):
    settings.BEHIND_PROXY, settings.PROXY_COUNT = True, 2

    sign_in(
        client, "edna", "wrong", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.9, 10.0.0.5"
    )

    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"


@pytest.mark.parametrize("behind_proxy", [False, True])
def test_without_a_usable_forwarded_address_the_connection_counts(
    client, editor, settings, behind_proxy
):
    settings.BEHIND_PROXY = behind_proxy

    sign_in(client, "edna", "wrong", HTTP_X_FORWARDED_FOR="not an address")

    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


# The admin's address


def test_the_admin_is_at_admin_by_default(client, settings):
    assert settings.ADMIN_URL == "admin/"
    assert reverse("admin:index") == "/admin/"
    assert "Disallow: /admin/" in client.get("/robots.txt").content.decode()


@pytest.fixture
def admin_moved(settings):
    """The site's URLs as cms/urls.py builds them with DJANGO_ADMIN_URL=newsroom-desk/."""
    settings.ADMIN_URL = "newsroom-desk/"
    spec = importlib.util.find_spec("cms.urls")
    urls = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(urls)
    sys.modules["tests_moved_admin_urls"] = urls
    settings.ROOT_URLCONF = "tests_moved_admin_urls"
    yield
    del sys.modules["tests_moved_admin_urls"]


def test_a_moved_admin_answers_at_its_address_only(client, admin_moved):
    UserFactory(username="edna", superuser=True)

    assert reverse("admin:index") == "/newsroom-desk/"
    assert client.get("/newsroom-desk/login/").status_code == 200
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404
    for name in ["admin_password_reset", "password_reset_done"]:
        address = reverse(name)
        assert address.startswith("/newsroom-desk/")
        assert client.get(address).status_code == 200
    assert signed_in(sign_in(client, "edna"))
    assert client.get("/newsroom-desk/articles/article/").status_code == 200


def test_a_moved_admin_is_not_named_in_robots_txt(client, admin_moved):
    robots = client.get("/robots.txt").content.decode()

    assert "newsroom-desk" not in robots
    assert "/admin/" not in robots
    assert "Disallow: /preview/" in robots


def test_a_moved_admin_locks_out_too(client, admin_moved, editor, limit):
    fail(client, "edna", limit)

    assert sign_in(client, "edna").status_code == 429


def test_a_section_cannot_take_the_moved_admins_address(admin_moved):
    from django.core.exceptions import ValidationError

    from tests.factories import CategoryFactory

    section = CategoryFactory.build(name="Desk", slug="newsroom-desk")

    with pytest.raises(ValidationError, match="used by the site itself"):
        section.full_clean()
