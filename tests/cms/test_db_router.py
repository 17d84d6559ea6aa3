"""Where reads go when a replica is configured (cms/db_router.py)."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from articles.models import Article
from cms.db_router import (
    PIN_COOKIE,
    PrimaryReplicaRouter,
    ReplicaMiddleware,
    primary,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
router = PrimaryReplicaRouter()


def answer(request, *, write=False, reads=1):
    """Run ``request`` through the middleware; return the response and where each read
    made by the view went (a write in the middle if asked)."""
    seen = []

    def view(request):
        seen.append(router.db_for_read(Article))
        if write:
            router.db_for_write(Article)
        for _ in range(reads - 1):
            seen.append(router.db_for_read(Article))
        return HttpResponse("ok")

    return ReplicaMiddleware(view)(request), seen


@pytest.fixture
def rf():
    return RequestFactory()


def test_outside_a_request_reads_use_the_primary():
    assert router.db_for_read(Article) == "default"


def test_an_anonymous_reader_reads_from_the_replica_and_gets_no_cookie(rf):
    response, seen = answer(rf.get("/baby-health/heat-rash/"), reads=3)

    assert seen == ["replica", "replica", "replica"]
    assert PIN_COOKIE not in response.cookies


def test_head_reads_from_the_replica(rf):
    assert answer(rf.head("/"))[1] == ["replica"]


def test_writes_always_go_to_the_primary(rf):
    assert router.db_for_write(Article) == "default"
    seen = []

    def view(request):
        seen.append(router.db_for_write(Article))
        return HttpResponse()

    ReplicaMiddleware(view)(rf.get("/"))
    assert seen == ["default"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_request_that_may_write_reads_the_primary_and_pins_the_browser(
    rf, settings, method
):
    settings.CMS_REPLICA_PIN_SECONDS = 7
    settings.SESSION_COOKIE_SECURE = True

    response, seen = answer(getattr(rf, method)("/search/"))

    assert seen == ["default"]
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == 7
    assert cookie["httponly"] is True
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"


def test_after_a_write_the_rest_of_the_request_reads_the_primary(rf):
    response, seen = answer(rf.get("/"), write=True, reads=3)

    assert seen == ["replica", "default", "default"]
    assert PIN_COOKIE in response.cookies


def test_a_pinned_browser_reads_the_primary(rf):
    request = rf.get("/")
    request.COOKIES[PIN_COOKIE] = "1"

    response, seen = answer(request)

    assert seen == ["default"]
    # The pin runs out from the write, not from each later read.
    assert PIN_COOKIE not in response.cookies


def test_signed_in_staff_read_the_primary_on_public_pages(rf, settings):
    request = rf.get("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"

    assert answer(request)[1] == ["default"]


@pytest.mark.parametrize("path", ["/admin/", "/admin/login/", "/admin/articles/"])
def test_the_admin_reads_the_primary(rf, path):
    assert answer(rf.get(path))[1] == ["default"]


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_use_the_primary(rf):
    seen = []

    def view(request):
        with transaction.atomic():
            seen.append(router.db_for_read(Article))
        seen.append(router.db_for_read(Article))
        return HttpResponse()

    ReplicaMiddleware(view)(rf.get("/"))

    assert seen == ["default", "replica"]


def test_primary_block_reads_the_primary_in_a_replica_request(rf):
    seen = []

    def view(request):
        with primary():
            seen.append(router.db_for_read(Article))
        seen.append(router.db_for_read(Article))
        return HttpResponse()

    ReplicaMiddleware(view)(rf.get("/"))

    assert seen == ["default", "replica"]


def test_a_request_that_fails_leaves_no_routing_behind(rf):
    def view(request):
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        ReplicaMiddleware(view)(rf.get("/"))

    assert router.db_for_read(Article) == "default"


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "articles") is True
    assert router.allow_migrate("replica", "articles") is False


def test_rows_from_primary_and_replica_may_be_related():
    on_primary, on_replica = Article(), get_user_model()()
    on_primary._state.db, on_replica._state.db = "default", "replica"

    assert router.allow_relation(on_primary, on_replica) is True
    on_replica._state.db = "other"
    assert router.allow_relation(on_primary, on_replica) is None


REPLICA_JOURNEY = """
import shutil, sys
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from articles.models import Category
from django.db import connection

primary_file, replica_file = sys.argv[1], sys.argv[2]
call_command("migrate", verbosity=0)
with connection.cursor() as cursor:  # write-ahead log into the file, so it is whole
    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
shutil.copy(primary_file, replica_file)  # the replica, as of now
Category.objects.create(name="Sleep", slug="sleep")  # not replicated yet

reader = Client()
print("reader", reader.get("/sleep/").status_code)
pinned = Client()
pinned.cookies["cms_primary"] = "1"
print("pinned", pinned.get("/sleep/").status_code)
posted = reader.post("/search/")
print("post sets pin", "cms_primary" in posted.cookies)
print("reader after post", reader.get("/sleep/").status_code)
print("admin login", reader.get("/admin/login/").status_code)
"""


@pytest.mark.slow
def test_two_sqlite_files_a_reader_sees_the_replica_until_it_writes(tmp_path):
    """End to end: settings, middleware and router with a replica that lags."""
    primary_file, replica_file = tmp_path / "primary.db", tmp_path / "replica.db"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "MEDIA_S3_BUCKET"}
    }
    # PYTEST_VERSION stays: the test settings, static files without collectstatic.
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings",
        DJANGO_ALLOWED_HOSTS="testserver",
        CMS_PAGE_CACHE="off",
        DATABASE_URL=f"sqlite:///{primary_file}",
        DATABASE_REPLICA_URL=f"sqlite:///{replica_file}",
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(REPLICA_JOURNEY),
            str(primary_file),
            str(replica_file),
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "reader 404",
        "pinned 200",
        "post sets pin True",
        "reader after post 200",
        "admin login 200",
    ]
