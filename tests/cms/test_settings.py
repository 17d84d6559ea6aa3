"""Settings are read once at start-up, so each case starts a fresh interpreter."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

# Variables that change what cms/settings.py builds; each test sets its own.
SETTINGS_VARIABLES = {
    "PYTEST_VERSION",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "MEDIA_S3_BUCKET",
    "DJANGO_SERVE_MEDIA",
    "DATABASE_REPLICA_URL",
}

PRINT_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
from django.core.cache import caches
from django.core.files.storage import storages
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "DATABASE": {
        key: settings.DATABASES["default"].get(key)
        for key in ("ENGINE", "NAME", "USER", "HOST", "PORT")
    },
    "CACHE_BACKEND": settings.CACHES["default"]["BACKEND"],
    "CACHE_LOCATION": settings.CACHES["default"].get("LOCATION"),
    "CACHE_CLASS": type(caches["default"]).__name__,
    "DEFAULT_STORAGE": settings.STORAGES["default"],
    "DEFAULT_STORAGE_CLASS": type(storages["default"]).__name__,
}))
"""


def run_python(*args, **env_vars):
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env["DJANGO_SETTINGS_MODULE"] = "cms.settings"
    env.update(env_vars)
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def loaded_settings(**env_vars):
    result = run_python("-c", PRINT_SETTINGS, **env_vars)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize("debug", [None, "0"])
def test_serving_stops_without_secret_key_when_debug_is_off(debug):
    env = {"DJANGO_DEBUG": debug} if debug else {}
    for args in (
        ["-c", "import cms.wsgi"],
        ["-c", "import cms.asgi"],
        ["manage.py", "runserver"],
    ):
        result = run_python(*args, **env)
        assert result.returncode != 0, args
        assert "DJANGO_SECRET_KEY is not set" in result.stderr, args


@pytest.mark.slow
def test_build_steps_run_without_secret_key_and_other_commands_stop():
    result = run_python("manage.py", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr

    result = run_python("manage.py", "showmigrations")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.slow
def test_startup_succeeds_with_secret_key_and_debug_off():
    result = run_python("manage.py", "check", DJANGO_SECRET_KEY="x" * 50)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_startup_succeeds_in_debug_without_secret_key():
    result = run_python("manage.py", "check", DJANGO_DEBUG="1")

    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_debug_is_off_by_default():
    assert loaded_settings(DJANGO_SECRET_KEY="x" * 50)["DEBUG"] is False


@pytest.mark.slow
def test_defaults_are_sqlite_local_memory_cache_and_file_system_storage():
    loaded = loaded_settings(DJANGO_SECRET_KEY="x" * 50)

    assert loaded["DATABASE"]["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["DATABASE"]["NAME"] == str(REPO_ROOT / "db.sqlite3")
    assert loaded["CACHE_BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert loaded["CACHE_CLASS"] == "LocMemCache"
    assert loaded["DEFAULT_STORAGE"]["BACKEND"] == (
        "django.core.files.storage.FileSystemStorage"
    )
    assert loaded["DEFAULT_STORAGE_CLASS"] == "FileSystemStorage"


@pytest.mark.slow
def test_database_url_switches_to_postgresql():
    loaded = loaded_settings(
        DJANGO_SECRET_KEY="x" * 50, DATABASE_URL="postgres://u@h:5432/db"
    )

    assert loaded["DATABASE"] == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "db",
        "USER": "u",
        "HOST": "h",
        "PORT": 5432,
    }


@pytest.mark.slow
def test_redis_url_switches_the_cache_to_redis():
    loaded = loaded_settings(
        DJANGO_SECRET_KEY="x" * 50, REDIS_URL="redis://cache.internal:6379/1"
    )

    assert loaded["CACHE_BACKEND"] == "cms.cache.ForgivingRedisCache"
    assert loaded["CACHE_LOCATION"] == "redis://cache.internal:6379/1"
    assert loaded["CACHE_CLASS"] == "ForgivingRedisCache"


@pytest.mark.slow
def test_media_s3_bucket_switches_uploads_to_s3():
    loaded = loaded_settings(
        DJANGO_SECRET_KEY="x" * 50, MEDIA_S3_BUCKET="little-steps-media"
    )

    assert loaded["DEFAULT_STORAGE"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert loaded["DEFAULT_STORAGE"]["OPTIONS"]["bucket_name"] == "little-steps-media"
    assert loaded["DEFAULT_STORAGE_CLASS"] == "S3Storage"


RESOLVE_MEDIA = """
import django
django.setup()
from django.urls import Resolver404, resolve
from cms.media import media
try:
    print(resolve("/media/articles/hero.jpg").func is media)
except Resolver404:
    print(False)
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("env", "served"),
    [
        ({"DJANGO_DEBUG": "1"}, True),
        ({"DJANGO_SECRET_KEY": "x" * 50}, True),
        ({"DJANGO_SECRET_KEY": "x" * 50, "MEDIA_S3_BUCKET": "media"}, False),
        ({"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_SERVE_MEDIA": "0"}, False),
        (
            {
                "DJANGO_SECRET_KEY": "x" * 50,
                "MEDIA_S3_BUCKET": "media",
                "DJANGO_SERVE_MEDIA": "1",
            },
            True,
        ),
    ],
    ids=["debug", "production", "s3", "production-refused", "s3-asked"],
)
def test_django_serves_uploads_unless_they_are_on_s3(env, served):
    result = run_python("-c", RESOLVE_MEDIA, **env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(served)


def test_every_environment_variable_is_documented():
    """Each variable settings.py reads is in README.md's table and .env.example."""
    source = (REPO_ROOT / "cms" / "settings.py").read_text()
    read = set(
        re.findall(r"(?:environ\.get|env_bool|env_list)\(\s*\"([A-Z_]+)\"", source)
    )
    readme = (REPO_ROOT / "README.md").read_text()
    example = (REPO_ROOT / ".env.example").read_text()

    assert len(read) > 20
    assert sorted(name for name in read if f"`{name}`" not in readme) == []
    assert sorted(name for name in read if f"\n{name}=" not in example) == []


DATABASES_AND_ROUTING = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({
    "ALIASES": sorted(settings.DATABASES),
    "REPLICA": {
        key: settings.DATABASES.get("replica", {}).get(key)
        for key in ("ENGINE", "NAME", "HOST", "CONN_MAX_AGE")
    },
    "REPLICA_MIRRORS": settings.DATABASES.get("replica", {}).get("TEST", {}).get("MIRROR"),
    "CONNECT_TIMEOUTS": {
        alias: database.get("OPTIONS", {}).get("connect_timeout")
        for alias, database in settings.DATABASES.items()
    },
    "ROUTERS": settings.DATABASE_ROUTERS,
    "MIDDLEWARE": settings.MIDDLEWARE,
}))
"""


@pytest.mark.slow
def test_without_a_replica_there_is_one_database_and_no_router():
    result = run_python("-c", DATABASES_AND_ROUTING, DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])

    assert loaded["ALIASES"] == ["default"]
    assert loaded["ROUTERS"] == []
    assert "cms.db_router.ReplicaMiddleware" not in loaded["MIDDLEWARE"]


@pytest.mark.slow
def test_database_replica_url_adds_a_replica_read_by_the_router():
    result = run_python(
        "-c",
        DATABASES_AND_ROUTING,
        DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://u@primary.internal:5432/cms",
        DATABASE_REPLICA_URL="postgres://u@replica.internal:5432/cms",
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    middleware = loaded["MIDDLEWARE"]

    # A server that hangs costs a request seconds, not the system's TCP timeout.
    assert loaded["CONNECT_TIMEOUTS"] == {"default": 5, "replica": 5}

    assert loaded["ALIASES"] == ["default", "replica"]
    assert loaded["REPLICA"] == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "cms",
        "HOST": "replica.internal",
        "CONN_MAX_AGE": 60,
    }
    assert loaded["REPLICA_MIRRORS"] == "default"
    assert loaded["ROUTERS"] == ["cms.db_router.PrimaryReplicaRouter"]
    # Before the session middleware, so that saving a session counts as a write.
    assert middleware.index("cms.db_router.ReplicaMiddleware") < middleware.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )


def test_the_deployment_guide_lists_every_environment_variable():
    source = (REPO_ROOT / "cms" / "settings.py").read_text()
    read = set(
        re.findall(r"(?:environ\.get|env_bool|env_list)\(\s*\"([A-Z0-9_]+)\"", source)
    )
    guide = (REPO_ROOT / "docs" / "deployment.md").read_text()

    assert {"DATABASE_REPLICA_URL", "MEDIA_S3_BUCKET"} <= read
    assert sorted(name for name in read if f"`{name}`" not in guide) == []
