"""Two app servers sharing the database and cache (Redis in the PostgreSQL run, the
page cache's files otherwise): an editor's change through one is what readers of the
other see at once, on the page itself and on the pages that show it."""

import urllib.request

import pytest
from bs4 import BeautifulSoup

from articles.demo.content import ARTICLES

from .test_newsroom_journeys import errors, messages, open_in_changelist, save

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SUN = next(a for a in ARTICLES if a["slug"] == "sun-safety-for-babies-and-toddlers")
SUN_URL = f"/{SUN['category']}/{SUN['slug']}/"
# Heat rash's related block shows Sun safety with its standfirst.
SHOWING_IT = ["/", f"/{SUN['category']}/", "/baby-health/heat-rash-in-babies/"]
NEW_STANDFIRST = "Shade, a hat and sun cream: the three habits that protect young skin."


def read(url: str) -> tuple[str, str]:
    """What an anonymous reader gets: the page's text, and whether the page cache answered."""
    with urllib.request.urlopen(url) as response:
        text = BeautifulSoup(response.read(), "html.parser").get_text(" ")
        return text, response.headers.get("X-Page-Cache", "")


@pytest.fixture
def second_server(site):
    with site.another_server() as url:
        yield url


@pytest.fixture
def sun_put_back(site):
    yield
    site.shell(
        "from articles.models import Article\n"
        f"article = Article.objects.get(slug={SUN['slug']!r})\n"
        f"article.standfirst = {SUN['standfirst']!r}\n"
        "article.save()\n"
    )


def test_an_edit_through_one_server_is_read_fresh_through_the_other(
    site, page, second_server, sun_put_back
):
    for path in [SUN_URL, *SHOWING_IT]:
        read(second_server + path)
        html, cache = read(second_server + path)
        assert cache == "hit" and SUN["standfirst"] in html, path

    site.login(page, "Editor")
    open_in_changelist(page, site, SUN["title"])
    page.fill("#id_standfirst", NEW_STANDFIRST)
    save(page)
    assert any("was changed successfully" in m for m in messages(page)), errors(page)

    for path in [SUN_URL, *SHOWING_IT]:
        html, cache = read(second_server + path)
        assert cache == "miss" and NEW_STANDFIRST in html, path
        assert SUN["standfirst"] not in html, path
        html, cache = read(second_server + path)
        assert cache == "hit" and NEW_STANDFIRST in html, path
