"""Links between articles by reference: [[article:<id>]] and [[article:<id>|words]]."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ArticleReference, RelatedLink
from articles.models.references import broken_internal_links, links_from, links_to
from articles.rendering import preview
from articles.services import article_unpublish
from tests.articles.test_admin import CHANGELIST_URL, article_post_data, bylines
from tests.articles.test_workflow import change_data
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    RelatedLinkFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# The article page's query budget (as in tests/articles/test_views.py).
# The first view after a change renders and stores the page (articles/pages.py).
PAGE_QUERIES = 16


def prose(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser").select_one(".prose")


def first_paragraph(client, article):
    return prose(client, article).select_one("p")


@pytest.fixture
def target():
    return ArticleFactory(published=True, title="Cradle cap", slug="cradle-cap")


def linking(target, words="", **kwargs):
    ref = f"[[article:{target.pk}|{words}]]" if words else f"[[article:{target.pk}]]"
    return ArticleFactory(published=True, body=f"Read more: {ref}.", **kwargs)


# --- Rendering ------------------------------------------------------------------------


def test_reference_renders_the_writers_words_linked_to_the_target(client, target):
    article = linking(target, "our guide to cradle cap")

    p = first_paragraph(client, article)

    assert p.get_text() == "Read more: our guide to cradle cap."
    assert p.a["href"] == target.get_absolute_url()


def test_reference_without_words_shows_the_targets_current_title(client, target):
    article = linking(target)
    target.title = "Cradle cap in babies"
    target.save()

    p = first_paragraph(client, article)

    assert p.a.get_text() == "Cradle cap in babies"


def test_writers_words_are_escaped(client, target):
    article = linking(target, "<b>bold</b> & more")

    p = first_paragraph(client, article)

    assert p.a.get_text() == "<b>bold</b> & more"
    assert p.a.b is None


def test_saving_records_the_link_with_the_targets_title(target):
    article = linking(target, "words")

    (ref,) = article.body_references.all()

    assert (ref.kind, ref.key, ref.target_article, ref.title) == (
        "article",
        str(target.pk),
        target,
        "Cradle cap",
    )


def test_a_typed_marker_is_stripped_not_trusted(client, target):
    article = ArticleFactory(
        published=True,
        body=f'<cms-inline kind="article" ref="{target.pk}">x</cms-inline> Text',
    )

    assert "cms-inline" not in article.body_html
    assert prose(client, article).a is None


@pytest.mark.parametrize(
    "change",
    [
        {"slug": "cradle-cap-in-babies"},
        {"title": "Cradle cap, explained", "slug": "cradle-cap-explained"},
        {"category": "move"},
    ],
    ids=["re-slug", "rename", "move"],
)
def test_linking_pages_follow_the_target_with_no_redirect_hop(client, target, change):
    article = linking(target, "our guide")
    if change.get("category") == "move":
        change = {"category": CategoryFactory(slug="toddler")}
    for name, value in change.items():
        setattr(target, name, value)
    target.save()

    href = first_paragraph(client, article).a["href"]

    assert href == Article.objects.get(pk=target.pk).get_absolute_url()
    assert client.get(href).status_code == 200  # not a redirect


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.UNPUBLISHED},
        {"status": Article.Status.DRAFT, "published_at": None},
        {"published_at_offset": timedelta(days=1)},  # scheduled
        {"expires_at_offset": timedelta(minutes=-1)},  # expired
    ],
    ids=["unpublished", "draft", "scheduled", "expired"],
)
def test_a_target_readers_cannot_see_keeps_the_words_and_drops_the_link(
    client, target, state
):
    article = linking(target, "our guide to cradle cap")
    now = timezone.now()
    if "published_at_offset" in state:
        state = {"published_at": now + state["published_at_offset"]}
    if "expires_at_offset" in state:
        state = {"expires_at": now + state["expires_at_offset"]}
    Article.objects.filter(pk=target.pk).update(**state)

    p = first_paragraph(client, article)

    assert p.get_text() == "Read more: our guide to cradle cap."
    assert p.a is None


def test_unpublishing_the_target_through_the_service_drops_the_link(
    client, target, admin_user
):
    article = linking(target)

    article_unpublish(article=target, by=admin_user)

    p = first_paragraph(client, article)
    assert p.get_text() == "Read more: Cradle cap."
    assert p.a is None


def test_a_deleted_target_leaves_the_title_captured_at_save(client, target):
    with_title = linking(target)
    with_words = linking(target, "our guide")

    target.delete()

    assert first_paragraph(client, with_title).get_text() == "Read more: Cradle cap."
    assert first_paragraph(client, with_words).get_text() == "Read more: our guide."
    assert first_paragraph(client, with_words).a is None


def test_a_linking_article_can_still_be_saved_after_its_target_is_deleted(target):
    article = linking(target)
    target.delete()

    article.full_clean()  # the link report shows it; the save is not blocked
    article.save()

    assert article.body_references.get().title == "Cradle cap"


# --- Validation and preview ---------------------------------------------------------


def test_a_reference_to_an_article_that_does_not_exist_is_refused():
    article = ArticleFactory.build(
        category=CategoryFactory(), body="See [[article:999]] and [[article:998|x]]."
    )

    with pytest.raises(ValidationError) as error:
        article.full_clean()

    messages = error.value.message_dict["body"]
    assert any("[[article:999]] does not exist" in m for m in messages)
    assert any("[[article:998]] does not exist" in m for m in messages)


def test_the_admin_refuses_an_unknown_reference_naming_it(admin_client):
    data = article_post_data(
        body="See [[article:999|this]].", **bylines(AuthorFactory())
    )

    response = admin_client.post("/admin/articles/article/add/", data)

    assert "[[article:999]] does not exist" in error_text(response)
    assert not Article.objects.exists()


def test_a_link_in_a_heading_is_refused(target):
    article = ArticleFactory.build(
        category=CategoryFactory(), body=f"## See [[article:{target.pk}|this]]"
    )

    with pytest.raises(ValidationError, match="Headings cannot link to an article"):
        article.full_clean()


def test_preview_links_known_articles_and_warns_of_unknown_ones(target):
    html = preview(f"See [[article:{target.pk}|the guide]] and [[article:999|that]].")
    soup = BeautifulSoup(html, "html.parser")

    assert soup.a["href"] == target.get_absolute_url()
    assert soup.a.get_text() == "the guide"
    assert "Unknown article [[article:999]]" in soup.select_one("mark").get_text()


# --- What links here, and the report's query ----------------------------------------


def test_what_links_here_lists_body_and_curated_links_in_any_state(target):
    published = linking(target, title="A published one")
    draft = ArticleFactory(title="A draft", body=f"[[article:{target.pk}]]")
    curated = RelatedLinkFactory(target_article=target).article

    incoming = {(link.article, link.via) for link in links_to(target)}

    assert incoming == {(published, "body"), (draft, "body"), (curated, "related")}
    assert [(link.target, link.via) for link in links_from(published)] == [
        (target, "body")
    ]


def test_admin_change_page_shows_what_links_here_and_what_it_links_to(
    admin_client, target
):
    draft = ArticleFactory(
        title="Drafted guide", body=f"See [[article:{target.pk}|this]]."
    )

    target_page = admin_client.get(f"/admin/articles/article/{target.pk}/change/")
    draft_page = admin_client.get(f"/admin/articles/article/{draft.pk}/change/")

    here = BeautifulSoup(target_page.content, "html.parser").select_one(
        ".field-links_here"
    )
    out = BeautifulSoup(draft_page.content, "html.parser").select_one(
        ".field-links_out"
    )
    assert "Drafted guide" in here.get_text() and "Draft" in here.get_text()
    assert "Cradle cap" in out.get_text() and "Published" in out.get_text()


def test_broken_internal_links_lists_published_articles_linking_to_hidden_ones():
    gone = ArticleFactory(published=True, title="Gone")
    hidden = ArticleFactory(title="Still a draft")
    fine = ArticleFactory(published=True)
    body = f"[[article:{gone.pk}]] [[article:{hidden.pk}]] [[article:{fine.pk}]]"
    source = ArticleFactory(published=True, title="Source", body=body)
    ArticleFactory(title="Draft source", body=body)  # not public: not listed
    RelatedLinkFactory(article=source, target_article=hidden)
    gone.delete()

    found = {
        (link.article, link.text, link.via, link.target_state)
        for link in broken_internal_links()
    }

    assert found == {
        (source, "Gone", "body", "Deleted"),
        (source, "Still a draft", "body", "Draft"),
        (source, "Still a draft", "related", "Draft"),
    }
    assert set(ArticleReference.objects.broken().values_list("article", flat=True)) == {
        source.pk
    }
    assert list(RelatedLink.objects.broken().values_list("article", flat=True)) == [
        source.pk
    ]


# --- Confirmations -------------------------------------------------------------------


def test_delete_confirmation_lists_published_articles_linking_here(
    admin_client, target
):
    linking(target, title="Linking and live")
    ArticleFactory(title="Linking draft", body=f"[[article:{target.pk}]]")

    response = admin_client.get(f"/admin/articles/article/{target.pk}/delete/")

    box = BeautifulSoup(response.content, "html.parser").select_one(".linking-articles")
    assert "Linking and live" in box.get_text()
    assert "Linking draft" not in box.get_text()


def test_delete_confirmation_of_an_unlinked_article_says_nothing_of_links(
    admin_client, target
):
    response = admin_client.get(f"/admin/articles/article/{target.pk}/delete/")

    assert b"linking-articles" not in response.content


def test_bulk_delete_confirmation_lists_linking_articles_outside_the_selection(
    admin_client, target
):
    linking(target, title="Linking and live")
    also_deleted = linking(target, title="Deleted with it")

    response = admin_client.post(
        CHANGELIST_URL,
        {"action": "delete_selected", "_selected_action": [target.pk, also_deleted.pk]},
    )

    box = BeautifulSoup(response.content, "html.parser").select_one(".linking-articles")
    assert "Linking and live" in box.get_text()
    assert "Deleted with it" not in box.get_text()


def error_text(response) -> str:
    """Every error on an admin change form, as one string."""
    assert response.status_code == 200
    return str(response.context["adminform"].form.errors)


def test_unpublishing_a_linked_article_asks_once_then_unpublishes(admin_client, target):
    linking(target, title="Linking and live")
    url = f"/admin/articles/article/{target.pk}/change/"

    refused = admin_client.post(url, change_data(target, action="unpublished"))

    assert "“Linking and live”" in error_text(refused)
    assert 'name="confirm_unpublish"' in refused.content.decode()
    target.refresh_from_db()
    assert target.status == Article.Status.PUBLISHED

    done = admin_client.post(
        url, change_data(target, action="unpublished", confirm_unpublish="on")
    )

    assert done.status_code == 302
    target.refresh_from_db()
    assert target.status == Article.Status.UNPUBLISHED


def test_unpublishing_an_unlinked_article_needs_no_confirmation(admin_client, target):
    ArticleFactory(title="Linking draft", body=f"[[article:{target.pk}]]")

    response = admin_client.post(
        f"/admin/articles/article/{target.pk}/change/",
        change_data(target, action="unpublished"),
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == Article.Status.UNPUBLISHED


def test_unpublish_action_shows_a_confirmation_page_then_unpublishes(
    admin_client, target
):
    linking(target, title="Linking and live")
    selected = {"action": "unpublish_selected", "_selected_action": [target.pk]}

    asked = admin_client.post(CHANGELIST_URL, selected)

    assert asked.status_code == 200
    page = BeautifulSoup(asked.content, "html.parser")
    assert "Linking and live" in page.select_one(".linking-articles").get_text()
    target.refresh_from_db()
    assert target.status == Article.Status.PUBLISHED

    confirmed = admin_client.post(CHANGELIST_URL, {**selected, "post": "yes"})

    assert confirmed.status_code == 302
    target.refresh_from_db()
    assert target.status == Article.Status.UNPUBLISHED


def test_unpublish_action_without_linking_articles_acts_at_once(admin_client, target):
    response = admin_client.post(
        CHANGELIST_URL,
        {"action": "unpublish_selected", "_selected_action": [target.pk]},
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == Article.Status.UNPUBLISHED


def test_writers_cannot_reach_the_unpublish_confirmation(client, target):
    writer = UserFactory(staff=True)
    client.force_login(writer)

    response = client.post(
        CHANGELIST_URL,
        {"action": "unpublish_selected", "_selected_action": [target.pk]},
    )

    assert response.status_code in (302, 403)
    target.refresh_from_db()
    assert target.status == Article.Status.PUBLISHED


# --- Query count ------------------------------------------------------------------------


def page_with_links(count: int) -> Article:
    targets = [ArticleFactory(published=True) for _ in range(count)]
    body = "\n\n".join(
        f"See [[article:{t.pk}|guide {n}]]." for n, t in enumerate(targets)
    )
    return ArticleFactory(published=True, body=body)


def test_article_page_query_count_is_the_same_for_1_and_30_links(
    client, django_assert_max_num_queries
):
    one, thirty = page_with_links(1), page_with_links(30)
    with CaptureQueriesContext(connection) as queries:
        client.get(one.get_absolute_url())

    with django_assert_max_num_queries(min(len(queries), PAGE_QUERIES)):
        response = client.get(thirty.get_absolute_url())

    links = BeautifulSoup(response.content, "html.parser").select(".prose p a")
    assert len(links) == 30
    with django_assert_max_num_queries(1):
        assert client.get(thirty.get_absolute_url()).content == response.content
