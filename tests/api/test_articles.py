"""/articles/<id> and /articles/<section>/<slug>: everything the article's page shows,
filled exactly as the page fills it, read from the page itself."""

import json
from datetime import date, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from articles.models import Article, Callout
from experts.models import Expert
from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    ArticleSourceFactory,
    AuthorFactory,
    CalloutFactory,
    CategoryFactory,
    ExpertFactory,
    ListItemFactory,
    QuoteFactory,
    RelatedLinkFactory,
    TagFactory,
    image_file,
)

from .support import API, error, inner_html, same_html, soup

pytestmark = pytest.mark.django_db


def moment(value: str) -> datetime:
    return datetime.fromisoformat(value)


@pytest.fixture
def rich(django_capture_on_commit_callbacks):
    """An article with a quote, expert mentions, callouts, a link to another article,
    a numbered list with an image, related links, a review and sources."""
    expert = ExpertFactory(slug="helena-marsh", name="Helena Marsh")
    reviewer = ExpertFactory()
    CalloutFactory(key="when-to-call-999", title="When to call 999")
    tag = TagFactory()
    target = ArticleFactory(published=True, title="Heat rash in babies")
    hidden_target = ArticleFactory(title="A draft nobody may see")
    article = ArticleFactory(
        published=True,
        title="Newborn rash",
        authors=[AuthorFactory(display_name="Ana"), AuthorFactory(display_name="Ben")],
        reviewed=True,
        reviewed_by=reviewer,
        list_heading="Other rashes",
        seo_title="Newborn rash: what to know",
        body="Draft.",
    )
    article.tags.add(tag)
    placed = ArticleQuoteFactory(
        article=article, quote=QuoteFactory(expert=expert, text="It *settles* alone.")
    )
    article.body = (
        "## What it is\n\nAs [[expert:helena-marsh]] says, it is common.\n\n"
        f"[[quote:{placed.quote_id}]]\n\n[[callout:when-to-call-999]]\n\n"
        f"## What else\n\nSee [[article:{target.pk}|heat rash]], not "
        f"[[article:{hidden_target.pk}|this]].\n\n:::tip Keep cool\nLayers help.\n:::\n\n"
        "Ask [[expert:helena-marsh]] again."
    )
    article.updated_at = timezone.now()
    article.save()
    with django_capture_on_commit_callbacks(execute=True):
        ListItemFactory(
            article=article,
            heading="Milia",
            text="Tiny spots; [[expert:helena-marsh]] says wait.",
            image=image_file("milia.png", size=(600, 400)),
            image_alt="Tiny white spots on a nose",
        )
    ListItemFactory(article=article, heading="Acne", text="Also *common*.")
    RelatedLinkFactory(article=article, target_article=target, label="Also read")
    RelatedLinkFactory(article=article, target_article=hidden_target)
    RelatedLinkFactory(
        article=article,
        target_article=None,
        url="https://www.nhs.uk/conditions/baby/",
        title="NHS: your baby",
        label="Elsewhere",
    )
    suggested = ArticleFactory(published=True, title="Suggested by its tag")
    suggested.tags.add(tag)
    for _ in range(2):
        ArticleSourceFactory(article=article, published_on=date(2023, 5, 1))
    article.refresh_from_db()
    return article


@pytest.fixture
def shown(client, rich):
    """The API's detail of ``rich`` and its public page."""
    response = client.get(f"{API}/articles/{rich.pk}")
    assert response.status_code == 200
    return response.json(), soup(client.get(rich.get_absolute_url()))


def test_the_body_is_the_html_inside_the_pages_article_body(shown):
    data, page = shown

    assert same_html(data["body_html"]) == inner_html(
        page.select_one(".article-main > .prose")
    )


def test_the_body_is_filled_as_the_page_fills_it(shown):
    body = BeautifulSoup(shown[0]["body_html"], "html.parser")

    figure = body.select_one("figure.quote")
    assert figure.blockquote.decode_contents() == "<p>It <em>settles</em> alone.</p>"
    # The first mention gives the full name, later ones (the quote's caption too)
    # the short name.
    mentions = [a.get_text() for a in body.select("a.expert-mention")]
    assert mentions == ["Dr Helena Marsh", "Dr Helena"]
    assert figure.figcaption.get_text() == "Dr Helena"
    assert body.select_one("aside.callout-urgent .callout-title").get_text() == (
        "When to call 999"
    )
    assert body.select_one("aside.callout-tip .callout-title").get_text() == "Keep cool"
    links = {
        a.get_text(): a.get("href") for a in body.select("p a:not(.expert-mention)")
    }
    target = Article.objects.get(title="Heat rash in babies")
    assert links["heat rash"] == target.get_absolute_url()
    # A link to an article that is not public is its words alone.
    assert "this" not in links and "not this." in body.get_text()


def test_the_markdown_source_is_the_body_as_written(shown, rich):
    assert shown[0]["body_markdown"] == rich.body


def toc_of(page) -> list[tuple[str, str]]:
    return [(a.get_text(), a["href"]) for a in page.select("nav.toc a")]


def test_the_contents_are_the_pages_in_this_article_list(client):
    article = ArticleFactory(
        published=True, body="## One\n\nText.\n\n## Two & three\n\nText."
    )

    data = client.get(f"{API}/articles/{article.pk}").json()
    page = soup(client.get(article.get_absolute_url()))

    assert [(e["title"], f"#{e['anchor']}") for e in data["toc"]] == toc_of(page)
    assert [e["title"] for e in data["toc"]] == ["One", "Two & three"]
    for entry in data["toc"]:
        assert page.find(id=entry["anchor"]) is not None


def test_the_contents_include_the_numbered_lists_heading_as_the_page_does(shown):
    data, page = shown

    assert [(e["title"], f"#{e['anchor']}") for e in data["toc"]] == toc_of(page)


def test_placed_quotes_come_with_their_experts(shown, rich):
    (quote,) = shown[0]["quotes"]
    placed = rich.article_quotes.get().quote

    assert (quote["id"], quote["text"]) == (placed.pk, "It *settles* alone.")
    assert quote["text_html"] == "<p>It <em>settles</em> alone.</p>"
    assert quote["expert"]["slug"] == "helena-marsh"
    assert quote["expert"]["name"] == "Dr Helena Marsh"
    assert quote["expert"]["url"] == "http://testserver/experts/helena-marsh/"
    assert quote["expert"]["api_url"] == f"http://testserver{API}/experts/helena-marsh"


def test_a_withdrawn_quote_is_in_neither_the_quotes_nor_the_body(client, rich):
    quote = rich.article_quotes.get().quote
    quote.status = quote.Status.WITHDRAWN
    quote.withdrawn_at = timezone.localdate()
    quote.save()

    data = client.get(f"{API}/articles/{rich.pk}").json()

    assert data["quotes"] == []
    assert "settles" not in data["body_html"]


def test_the_numbered_list_is_the_pages_with_its_image_renditions(shown):
    data, page = shown
    items = page.select(".numbered-list > li")

    assert [i["position"] for i in data["list_items"]] == [1, 2]
    assert [i["heading"] for i in data["list_items"]] == ["Milia", "Acne"]
    for entry, item in zip(data["list_items"], items, strict=True):
        assert same_html(entry["text_html"]) == inner_html(item.select_one(".prose"))
    # Named in the body first: the short name in the list.
    assert "Dr Helena</a> says wait" in data["list_items"][0]["text_html"]
    assert data["list_items"][0]["text_markdown"].startswith("Tiny spots;")
    assert data["list_items"][1]["image"] is None

    image = data["list_items"][0]["image"]
    picture = items[0].select_one("picture")
    img, webp = picture.img, picture.source
    assert image["alt"] == img["alt"] == "Tiny white spots on a nose"
    assert (image["width"], image["height"]) == (600, 400)
    assert (
        image["url"]
        == f"http://testserver{items[0].select_one('a.expandable')['href']}"
    )
    assert srcset(image, "webp") == srcset_of(webp["srcset"])
    assert srcset(image, "png") == srcset_of(img["srcset"])
    widths = [(r["format"], r["width"], r["height"]) for r in image["renditions"]]
    assert widths == [
        ("webp", 480, 320),
        ("webp", 600, 400),
        ("png", 480, 320),
        ("png", 600, 400),
    ]


def srcset(image: dict, fmt: str) -> list[tuple[str, int]]:
    return [
        (r["url"].removeprefix("http://testserver"), r["width"])
        for r in image["renditions"]
        if r["format"] == fmt
    ]


def srcset_of(value: str) -> list[tuple[str, int]]:
    return [
        (url, int(width.rstrip("w")))
        for url, width in (part.split() for part in value.split(", "))
    ]


def test_an_image_before_the_worker_ran_is_the_original_with_no_renditions(client):
    article = ArticleFactory(published=True)
    ListItemFactory(
        article=article, image=image_file("late.png", size=(300, 200)), image_alt="Late"
    )  # not committed: no renditions queued yet

    (item,) = client.get(f"{API}/articles/{article.pk}").json()["list_items"]

    assert item["image"]["renditions"] == []
    assert item["image"]["url"].endswith(".png")
    assert "/renditions/" not in item["image"]["url"]
    assert (item["image"]["width"], item["image"]["height"]) == (300, 200)


def test_the_hero_is_the_pages_picture(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(
            published=True,
            hero_image=image_file("hero.jpg", size=(1000, 500), fmt="JPEG"),
            hero_alt="A cot by a window",
            hero_caption="Safe sleep",
        )

    data = client.get(f"{API}/articles/{article.pk}").json()
    page = soup(client.get(article.get_absolute_url()))
    picture = page.select_one("figure.hero picture")

    assert data["hero"]["alt"] == picture.img["alt"] == "A cot by a window"
    assert data["hero"]["caption"] == "Safe sleep"
    assert srcset(data["hero"], "webp") == srcset_of(picture.source["srcset"])
    assert srcset(data["hero"], "jpeg") == srcset_of(picture.img["srcset"])
    listed = client.get(f"{API}/articles").json()["items"][0]
    assert listed["hero"] == data["hero"]


def test_related_content_is_the_pages_block_resolved_and_public_only(shown):
    data, page = shown
    on_page = [
        (a.get_text(), a["href"]) for a in page.select("aside.related li a[href]")
    ]

    assert [(r["title"], r["url"]) for r in data["related"]] == [
        (title, href if href.startswith("http") else f"http://testserver{href}")
        for title, href in on_page
    ]
    titles = [r["title"] for r in data["related"]]
    assert titles == ["Heat rash in babies", "NHS: your baby", "Suggested by its tag"]
    curated, external, automatic = data["related"]
    assert curated["label"] == "Also read" and not curated["is_automatic"]
    assert (
        curated["api_url"] == f"http://testserver{API}/articles/{curated['article_id']}"
    )
    assert external == {
        "title": "NHS: your baby",
        "url": "https://www.nhs.uk/conditions/baby/",
        "label": "Elsewhere",
        "is_external": True,
        "is_automatic": False,
        "article_id": None,
        "api_url": None,
    }
    assert automatic["is_automatic"] and automatic["article_id"] is not None


def test_authors_are_the_byline_in_order(shown):
    data, page = shown

    assert [a["name"] for a in data["authors"]] == ["Ana", "Ben"]
    assert [a["url"].removeprefix("http://testserver") for a in data["authors"]] == [
        a["href"] for a in page.select(".byline a")
    ]


def test_the_medical_review_names_the_expert_and_its_dates(shown, rich):
    review = shown[0]["review"]

    assert review["expert"]["slug"] == rich.reviewed_by.slug
    assert review["reviewed_at"] == rich.reviewed_at.isoformat()
    assert review["next_review_at"] == rich.next_review_at.isoformat()


def test_an_article_without_a_review_says_so(client):
    article = ArticleFactory(published=True)

    assert client.get(f"{API}/articles/{article.pk}").json()["review"] is None


def test_sources_are_listed_in_order(shown, rich):
    data, page = shown

    assert [s["url"] for s in data["sources"]] == [
        a["href"] for a in page.select(".source-list a")
    ]
    first = rich.sources.first()
    assert data["sources"][0] == {
        "title": first.title,
        "publisher": "NHS",
        "url": first.url,
        "published_on": "2023-05-01",
        "accessed_on": first.accessed_on.isoformat(),
    }


def test_dates_are_publication_substantive_update_and_last_change(shown, rich):
    data, _ = shown

    # To the microsecond, as stored: a time given can be passed back as a filter.
    assert moment(data["published_at"]) == rich.published_at
    assert moment(data["updated_at"]) == rich.updated_at
    assert moment(data["modified_at"]) == rich.modified_at


def test_addresses_are_absolute_and_canonical_is_the_pages(shown, rich):
    data, page = shown

    assert data["url"] == data["canonical_url"]
    assert data["canonical_url"] == page.select_one('link[rel="canonical"]')["href"]
    assert data["api_url"] == f"http://testserver{API}/articles/{rich.pk}"
    assert data["section"]["url"] == f"http://testserver/{rich.category.slug}/"


def test_seo_title_and_description_are_the_pages(shown):
    data, page = shown

    assert page.title.get_text().startswith(data["seo_title"])
    assert data["seo_title"] == "Newborn rash: what to know"
    assert (
        data["seo_description"]
        == page.select_one('meta[name="description"]')["content"]
    )


def json_ld_of(page) -> list[dict]:
    return [
        json.loads(script.string)
        for script in page.select('head script[type="application/ld+json"]')
    ]


def test_the_json_ld_is_the_pages(shown):
    data, page = shown

    assert json_ld_of(page) == [data["json_ld"]]
    assert data["json_ld"]["@graph"][0]["@type"] == "MedicalWebPage"


def test_addresses_follow_the_host_and_scheme_asked(client, rich):
    url = f"{API}/articles/{rich.pk}"
    client.get(url)  # stored for the first host that asked

    data = client.get(url, headers={"host": "localhost"}, secure=True).json()

    assert data["canonical_url"].startswith("https://localhost/")
    assert data["json_ld"]["@graph"][0]["url"] == data["canonical_url"]
    assert "testserver" not in json.dumps(data)
    assert "http://" not in json.dumps(data)


def test_every_demo_article_is_its_page(client, demo):
    """Body, JSON-LD and address of every published demo article, as its page."""
    for article in Article.objects.published():
        data = client.get(f"{API}/articles/{article.pk}").json()
        page = soup(client.get(article.get_absolute_url()))
        body = page.select_one(".article-main > .prose")

        assert same_html(data["body_html"]) == inner_html(body), article.slug
        assert json_ld_of(page) == [data["json_ld"]], article.slug
        assert data["canonical_url"] == page.select_one('link[rel="canonical"]')["href"]
        assert [e["anchor"] for e in data["toc"]] == [
            a["href"][1:] for a in page.select("nav.toc a")
        ]


# Kept answers stay current ------------------------------------------------------------


def rename(find, field: str):
    """A change: ``field`` of ``find(article)`` given a new value, and saved."""

    def change(article):
        thing = find(article)
        setattr(thing, field, "Zebracorn changed")
        thing.save()

    return change


# What the answer shows of each kind of thing, and a change to it.
CHANGES = {
    "quoted expert": rename(lambda a: Expert.objects.get(slug="helena-marsh"), "name"),
    "reviewer": rename(lambda a: a.reviewed_by, "job_title"),
    "callout": rename(lambda a: Callout.objects.get(key="when-to-call-999"), "title"),
    "linked article": rename(
        lambda a: Article.objects.get(title="Heat rash in babies"), "title"
    ),
    "tag": rename(lambda a: a.tags.get(), "name"),
    "author": rename(lambda a: a.authors.first(), "display_name"),
    "section": rename(lambda a: a.category, "name"),
    "list item": rename(lambda a: a.list_items.first(), "heading"),
    "source": rename(lambda a: a.sources.first(), "title"),
    "related link": rename(lambda a: a.related_links.get(label="Also read"), "label"),
    "article": rename(lambda a: a, "standfirst"),
}


@pytest.mark.parametrize("kind", CHANGES)
def test_a_change_to_anything_an_article_shows_is_in_its_next_answer(
    client, rich, kind
):
    url = f"{API}/articles/{rich.pk}"
    assert "Zebracorn" not in client.get(url).content.decode()

    CHANGES[kind](rich)

    assert "Zebracorn changed" in client.get(url).content.decode()


# By address ----------------------------------------------------------------------------


def test_an_article_by_its_address_is_the_same_as_by_its_id(client, rich):
    by_id = client.get(f"{API}/articles/{rich.pk}").json()

    response = client.get(f"{API}/articles/{rich.category.slug}/{rich.slug}")

    assert response.status_code == 200
    assert response.json() == by_id


def test_an_old_address_moves_permanently_to_the_new_one(client):
    article = ArticleFactory(published=True, slug="old-name")
    section = article.category.slug
    article.slug = "new-name"
    article.save()

    response = client.get(f"{API}/articles/{section}/old-name")

    assert response.status_code == 301
    assert response["Location"] == f"http://testserver{API}/articles/{section}/new-name"


def test_an_old_address_of_an_article_no_longer_public_is_a_404(client):
    article = ArticleFactory(published=True, slug="old-name")
    article.slug = "new-name"
    article.save()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.UNPUBLISHED)

    error(client.get(f"{API}/articles/{article.category.slug}/old-name"), 404)


def test_the_same_slug_in_another_section_is_another_article(client):
    one = ArticleFactory(published=True, slug="colic")
    two = ArticleFactory(published=True, slug="colic")

    for article in (one, two):
        data = client.get(f"{API}/articles/{article.category.slug}/colic").json()
        assert data["id"] == article.pk


def test_a_sub_sections_article_names_its_parent(client):
    parent = CategoryFactory(slug="family")
    article = ArticleFactory(
        published=True, category=CategoryFactory(slug="skin-care", parent=parent)
    )

    section = client.get(f"{API}/articles/{article.pk}").json()["section"]

    assert (section["slug"], section["parent"]) == ("skin-care", "family")


def test_a_scheduled_article_appears_at_its_time(client, time_machine):
    at = timezone.now() + timedelta(hours=2)
    article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=at)
    error(client.get(f"{API}/articles/{article.pk}"), 404)

    time_machine.move_to(at + timedelta(seconds=1), tick=False)

    assert client.get(f"{API}/articles/{article.pk}").status_code == 200
