"""docs/api.md as a reader would try it: every ``sh`` block of the read API's part
(above "Webhooks") run by bash with the real curl against a live server with the demo
content, each curl's status checked against the ``# → 200`` comment that follows it;
and every operation and parameter of the published schema named in the doc."""

import json
import os
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.api.test_contract import API, demo_site

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db,  # sets the test database up; see test_contract.py
    pytest.mark.xdist_group("api-docs"),
]

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
HOST = "http://localhost:8000"  # where `make run` serves the examples
BLOCK = re.compile(r"^```sh\n(.*?)^```", re.DOTALL | re.MULTILINE)
ANNOTATION = re.compile(r"^# → (\d{3})$", re.MULTILINE)
# Each curl also writes its status to stderr, whatever the example prints.
STATUS_TO_STDERR = "curl() { command curl --show-error --write-out '%{stderr}%{http_code}\\n' \"$@\"; }\n"


def read_api_part() -> str:
    return DOC.read_text().split("\n## Webhooks", 1)[0]


def examples() -> list[str]:
    return BLOCK.findall(read_api_part())


@pytest.fixture(scope="module")
def live(django_db_setup, django_db_blocker, tmp_path_factory):
    if not shutil.which("curl"):
        message = "curl not found: install it with `apt-get install curl`."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    media = tmp_path_factory.mktemp("media")
    # The origin the CORS example names is allowed, as the doc says it is set up.
    origins = ["https://app.example.com"]
    with demo_site(django_db_blocker, media, CORS_ALLOWED_ORIGINS=origins) as url:
        yield url


@pytest.mark.parametrize(
    "example", examples(), ids=lambda block: block.split("\n", 1)[0][:60]
)
def test_each_example_answers_as_the_doc_says(live, example):
    expected = ANNOTATION.findall(example)
    assert expected, "each curl is followed by the status it answers: # → 200"
    assert example.count("curl ") == example.count(HOST) == len(expected)

    script = STATUS_TO_STDERR + example.replace(HOST, live)
    run = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert run.returncode == 0, run.stderr
    assert run.stderr.split() == expected


def test_the_doc_names_every_operation_and_article_filter(live):
    with urllib.request.urlopen(f"{live}{API}/openapi.json", timeout=10) as answer:
        schema = json.load(answer)
    doc = read_api_part()

    for path, operations in schema["paths"].items():
        named = path.removeprefix(API).replace("{pk}", "{id}")
        assert f"`GET {named}`" in doc
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] == "query":
                assert f"`{parameter['name']}`" in doc, (path, parameter["name"])
