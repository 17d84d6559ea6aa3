"""After a WordPress import: the old site's addresses lead readers to the new pages,
and links between imported posts follow the articles they point to."""

import pytest
from bs4 import BeautifulSoup

from articles.models import Article, OldAddress
from articles.services import save_article

from .wordpress_helpers import (
    DATA,
    UPLOADS,
    article,
    import_wordpress,
    outcomes,
    post,
    write_export,
)

pytestmark = pytest.mark.django_db


def links_on_page(client, found: Article) -> list[str]:
    response = client.get(found.get_absolute_url())
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    return [a["href"] for a in page.select(".article .prose a[href]")]


def test_a_published_posts_old_addresses_redirect_for_good_to_its_page(client):
    import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)
    wake = article("Why newborns wake every few hours")
    assert wake.get_absolute_url() == "/health-section/why-newborns-wake/"

    for path in ("/2019/05/03/why-newborns-wake/", "/?p=101"):
        response = client.get(path)
        assert response.status_code == 301, path
        assert response["Location"] == wake.get_absolute_url(), path
    # Without its final slash, as links in the wild often are.
    response = client.get("/2019/05/03/why-newborns-wake")
    assert response.status_code == 301
    assert response["Location"] == wake.get_absolute_url()
    assert client.get(wake.get_absolute_url()).status_code == 200


def test_category_permalinks_redirect_to_the_article(client):
    import_wordpress(DATA / "slugs-and-titles.xml")

    response = client.get("/health/fevers/fever-in-babies/")

    assert response.status_code == 301
    first = article("Fever in babies: when to call the doctor")
    assert (
        response["Location"] == first.get_absolute_url() == ("/fevers/fever-in-babies/")
    )
    # /health/ is a page of the site, so the section is health-section now.
    untitled = Article.objects.get(body__startswith="Quick reminder")
    response = client.get("/health/505/")
    assert response.status_code == 301
    assert response["Location"] == untitled.get_absolute_url() == "/health-section/505/"


def test_wordpress_plain_addresses_of_posts_and_pages_redirect(client):
    import_wordpress(DATA / "version-1.0.xml", "--post-types", "post,page")
    about = article("About")

    for query, found in (
        ({"p": 7}, article("Night feeds without the fumbling")),
        ({"page_id": 2}, about),
        ({"p": 2}, about),
        (
            {"p": 7, "utm_source": "newsletter"},
            article("Night feeds without the fumbling"),
        ),
    ):
        response = client.get("/", query)
        assert response.status_code == 301, query
        assert response["Location"] == found.get_absolute_url(), query
    # The home page itself is still the home page.
    assert client.get("/").status_code == 200
    assert client.get("/", {"p": 999}).status_code == 200


def test_unicode_addresses_redirect_to_percent_encoded_urls_that_answer(client):
    import_wordpress(DATA / "slugs-and-titles.xml")
    arabic = article("نوم الرضيع في الأشهر الأولى")

    for path, target in (
        ("/?p=501", arabic.get_absolute_url()),
        (
            "/category/%d8%a3%d8%b7%d9%81%d8%a7%d9%84/",
            arabic.category.get_absolute_url(),
        ),
    ):
        response = client.get(path)
        assert response.status_code == 301, path
        assert response["Location"] == target, path
        assert target.startswith("/%D8%A3%D8%B7%D9%81%D8%A7%D9%84/")
        assert client.get(target).status_code == 200, target


def test_category_addresses_redirect_to_the_section_page(client):
    import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)

    for path, section in (
        ("/category/baby/", "/baby/"),
        ("/category/baby/sleep/", "/sleep/"),
        ("/category/baby/sleep/naps/", "/naps/"),
        ("/category/health/", "/health-section/"),
        ("/?cat=4", "/naps/"),  # WordPress's plain address of a category
    ):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (301, section), path
        assert client.get(section).status_code == 200, section


def test_after_a_slug_change_the_old_address_leads_to_the_new_url_in_one_hop(client):
    import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)
    wake = article("Why newborns wake every few hours")
    wake.slug = "newborn-sleep"
    save_article(wake, by=None)

    for path in ("/2019/05/03/why-newborns-wake/", "/?p=101"):
        response = client.get(path)
        assert response.status_code == 301
        assert response["Location"] == "/health-section/newborn-sleep/"
    assert client.get("/health-section/newborn-sleep/").status_code == 200


def test_a_deleted_articles_old_address_is_gone(client):
    import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)
    article("Cradle cap: gentle care for a flaky scalp").delete()

    for path in ("/2019/05/10/cradle-cap/", "/?p=102"):
        assert client.get(path).status_code == 410, path

    # Imported again, the post is an article again, and its addresses lead to it.
    import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)
    again = article("Cradle cap: gentle care for a flaky scalp")
    for path in ("/2019/05/10/cradle-cap/", "/?p=102"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (
            301,
            again.get_absolute_url(),
        ), path


def test_a_drafts_or_scheduled_articles_old_address_is_not_found(client):
    import_wordpress(DATA / "statuses.xml")

    assert OldAddress.objects.filter(path="/2019/07/15/autumn-plan/").exists()
    assert client.get("/2019/07/15/autumn-plan/").status_code == 404  # private
    assert client.get("/2099/03/01/starting-solids-plan/").status_code == 404
    # Its plain address is not the home page either, as on WordPress.
    assert client.get("/?p=305").status_code == 404


def test_an_address_the_old_site_never_had_is_a_plain_404(client):
    import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)

    assert client.get("/2019/05/03/never-written/").status_code == 404
    assert client.get("/category/nothing/").status_code == 404


def test_a_missing_media_file_is_answered_without_a_query(
    client, django_assert_num_queries
):
    import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)

    with django_assert_num_queries(0):
        response = client.get("/media/imported/2019/06/teething-ring.jpg")

    assert response.status_code == 404


# --- Links between posts -------------------------------------------------------------


def test_links_between_posts_of_one_export_become_references(tmp_path, client):
    # The older post links to the newer, the newer back to the older by ?p=: one
    # of them is imported before the other exists, and is linked in a second pass.
    export = write_export(
        tmp_path / "linked.xml",
        post(
            801,
            "Weaning: where to start",
            '<p>Once you begin, see <a href="https://old.example.org/2020/03/09/'
            'finger-foods/">our finger food ideas</a>.</p>',
            slug="weaning-start",
            date="2020-03-02 09:00:00",
        ),
        post(
            802,
            "Finger food ideas",
            '<p>New to solids? Read <a href="https://old.example.org/?p=801">where '
            "to start</a> first.</p>",
            slug="finger-foods",
            date="2020-03-09 09:00:00",
        ),
    )

    run = import_wordpress(export)

    assert run.counts["articles"]["imported"] == 2
    start, ideas = article("Weaning: where to start"), article("Finger food ideas")
    assert f"[[article:{ideas.pk}|our finger food ideas]]" in start.body
    assert f"[[article:{start.pk}|where to start]]" in ideas.body
    assert ideas.get_absolute_url() in links_on_page(client, start)
    assert start.get_absolute_url() in links_on_page(client, ideas)
    # A second run finds nothing to do, the second pass included.
    again = import_wordpress(export)
    assert again.counts["articles"] == outcomes(unchanged=2)


def test_a_link_to_a_post_imported_before_becomes_a_reference(client):
    import_wordpress(DATA / "site-1.2.xml", "--media-dir", UPLOADS)

    import_wordpress(DATA / "content-shapes.xml", "--media-dir", UPLOADS)

    wake = article("Why newborns wake every few hours")
    tummy = article("Tummy time, a few minutes at a time")
    assert f"[[article:{wake.pk}|why newborns wake every few hours]]" in tummy.body
    assert wake.get_absolute_url() in links_on_page(client, tummy)


def test_a_link_to_a_post_not_imported_stays_an_address():
    import_wordpress(DATA / "content-shapes.xml", "--media-dir", UPLOADS)

    assert (
        "[why newborns wake every few hours]"
        "(https://old.example.org/2019/05/03/why-newborns-wake/)"
        in article("Tummy time, a few minutes at a time").body
    )
