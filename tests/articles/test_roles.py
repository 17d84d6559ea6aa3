import importlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from articles.models import Author
from articles.roles import sync_roles
from tests.factories import ArticleFactory, AuthorFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
CRUD = ("add", "change", "delete", "view")


def crud(app, model, actions=CRUD):
    return {f"{app}.{action}_{model}" for action in actions}


WRITER = {
    *crud("articles", "article", ("add", "change", "view")),
    *crud("articles", "articleauthor"),
    *crud("articles", "articlequote"),
    *crud("articles", "listitem"),
    *crud("articles", "relatedlink"),
    *crud("articles", "articlesource"),
    "articles.view_author",
    "articles.view_category",
    "articles.view_tag",
    "articles.add_tag",
    "articles.view_articletransition",
    "articles.view_callout",
    "experts.view_expert",
    *crud("experts", "quote", ("add", "change", "view")),
    *crud("cms", "image", ("add", "change", "view")),
    *crud("cms", "imagetag", ("add", "view")),
}
EDITOR = {
    *WRITER,
    "articles.delete_article",
    "articles.publish_article",
    "articles.edit_any_article",
    *crud("articles", "category"),
    *crud("articles", "tag"),
    *crud("articles", "callout", ("add", "change", "delete")),
    "articles.view_externallink",
    *crud("articles", "oldaddress"),
    "experts.delete_quote",
    "experts.sign_off_quote",
    "cms.delete_image",
    *crud("cms", "imagetag", ("change", "delete")),
}
SITE_ADMIN = {
    *crud("auth", "user"),
    "auth.view_group",
    *crud("articles", "author"),
    *crud("articles", "authorlink"),
    *crud("experts", "expert"),
    *crud("experts", "quote"),
    "articles.view_article",
    *crud("cms", "webhookendpoint"),
    "cms.view_webhookdelivery",
    *crud("cms", "image", ("add", "change", "view")),
    *crud("cms", "imagetag", ("add", "view")),
}
EXPECTED = {"Writer": WRITER, "Editor": EDITOR, "Site admin": SITE_ADMIN}


def permissions_of(name):
    group = Group.objects.get(name=name)
    return {
        f"{perm.content_type.app_label}.{perm.codename}"
        for perm in group.permissions.select_related("content_type")
    }


def snapshot():
    return {group.name: permissions_of(group.name) for group in Group.objects.all()}


def member_of(role, **kwargs):
    user = UserFactory(staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user


# The groups ------------------------------------------------------------------


@pytest.mark.django_db
def test_migrations_create_the_writer_editor_and_site_admin_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= set(EXPECTED)


@pytest.mark.django_db
@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_has_exactly_its_listed_permissions(role):
    assert permissions_of(role) == EXPECTED[role]


@pytest.mark.django_db
def test_only_editors_may_publish_delete_or_edit_others_work():
    for codename in ["publish_article", "delete_article", "edit_any_article"]:
        holders = set(
            Group.objects.filter(permissions__codename=codename).values_list(
                "name", flat=True
            )
        )
        assert holders == {"Editor"}, codename


@pytest.mark.django_db
def test_only_site_admins_manage_users_and_authors():
    for codename in ["change_user", "change_author", "change_expert"]:
        holders = set(
            Group.objects.filter(permissions__codename=codename).values_list(
                "name", flat=True
            )
        )
        assert holders == {"Site admin"}, codename


# sync_roles -----------------------------------------------------------------------


@pytest.mark.django_db
def test_sync_roles_run_again_changes_nothing():
    before = snapshot()
    group_ids = set(Group.objects.values_list("pk", flat=True))

    sync_roles(apps)
    sync_roles(apps)

    assert snapshot() == before
    assert set(Group.objects.values_list("pk", flat=True)) == group_ids


@pytest.mark.django_db
def test_the_roles_migration_run_again_changes_nothing():
    migration = importlib.import_module("articles.migrations.0003_create_roles")
    before = snapshot()

    migration.create_roles(apps, schema_editor=None)

    assert snapshot() == before


@pytest.mark.django_db
def test_sync_roles_puts_back_permissions_changed_by_hand():
    writer = Group.objects.get(name="Writer")
    writer.permissions.add(Permission.objects.get(codename="publish_article"))
    writer.permissions.remove(Permission.objects.get(codename="add_article"))

    sync_roles(apps)

    assert permissions_of("Writer") == WRITER


@pytest.mark.django_db
def test_sync_roles_recreates_a_deleted_group():
    Group.objects.filter(name="Editor").delete()

    sync_roles(apps)

    assert permissions_of("Editor") == EDITOR


@pytest.mark.django_db
def test_sync_roles_leaves_other_groups_alone():
    other = Group.objects.create(name="Freelancers")
    other.permissions.add(Permission.objects.get(codename="view_article"))

    sync_roles(apps)

    assert permissions_of("Freelancers") == {"articles.view_article"}


@pytest.mark.django_db
def test_sync_roles_command_brings_the_groups_up_to_date():
    Group.objects.get(name="Site admin").permissions.clear()
    out = io.StringIO()

    call_command("sync_roles", stdout=out)

    assert permissions_of("Site admin") == SITE_ADMIN
    assert "Roles up to date: Writer, Editor, Site admin." in out.getvalue()


@pytest.mark.django_db
def test_sync_roles_command_leaves_the_app_registry_able_to_migrate():
    call_command("sync_roles", stdout=io.StringIO())

    # post_migrate (content types, permissions) skips apps without a models module.
    assert apps.get_app_config("articles").models_module is not None
    assert apps.get_app_config("auth").models_module is not None


@pytest.mark.slow
def test_manage_py_sync_roles_works_on_a_freshly_migrated_database(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"}

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    migrated = manage("migrate", "--no-input", "-v", "0")
    synced = manage("sync_roles")

    assert migrated.returncode == 0, migrated.stderr
    assert synced.returncode == 0, synced.stderr
    assert "Roles up to date: Writer, Editor, Site admin." in synced.stdout


# What a site admin does -------------------------------------------------------------


@pytest.mark.django_db
def test_site_admin_adds_a_user_to_the_writer_group(client):
    client.force_login(member_of("Site admin"))
    user = UserFactory(staff=True, username="newstarter")
    writer_group = Group.objects.get(name="Writer")
    data = {
        "username": "newstarter",
        "first_name": "New",
        "last_name": "Starter",
        "email": "newstarter@example.com",
        "is_active": "on",
        "is_staff": "on",
        "groups": [str(writer_group.pk)],
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
        "initial-date_joined_0": "2026-01-05",
        "initial-date_joined_1": "09:00:00",
        "last_login_0": "",
        "last_login_1": "",
    }

    response = client.post(reverse("admin:auth_user_change", args=[user.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(user.groups.all()) == [writer_group]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["Writer", "Editor"])
def test_writers_and_editors_cannot_manage_users(client, role):
    client.force_login(member_of(role))

    response = client.get(reverse("admin:auth_user_changelist"))

    assert response.status_code == 403


def deactivate_in_admin(client, author):
    data = {
        "display_name": author.display_name,
        "slug": author.slug,
        "job_title": author.job_title,
        "bio": author.bio,
        "user": str(author.user_id) if author.user_id else "",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
    }  # is_active left out: an unticked box
    return client.post(reverse("admin:articles_author_change", args=[author.pk]), data)


@pytest.mark.django_db
def test_deactivating_an_author_keeps_their_published_article_and_byline(client):
    author = AuthorFactory(display_name="Priya Shah", user=UserFactory())
    article = ArticleFactory(published=True, authors=[author])
    client.force_login(member_of("Site admin"))

    response = deactivate_in_admin(client, author)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not Author.objects.get(pk=author.pk).is_active
    assert article.byline == [author]
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "Priya Shah" in page.content.decode()


@pytest.mark.django_db
def test_deactivating_an_authors_login_keeps_their_published_article(client):
    author = AuthorFactory(display_name="Tom Green", user=UserFactory())
    article = ArticleFactory(published=True, authors=[author])

    author.user.is_active = False
    author.user.save()

    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "Tom Green" in page.content.decode()
