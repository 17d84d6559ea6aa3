import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext

from articles.demo.content import FLAGSHIP
from articles.models import Article, ArticleReference, Callout
from articles.rendering import preview
from tests.articles.test_admin import (
    ADD_URL,
    article_post_data,
    bylines,
    form_errors,
)
from tests.factories import ArticleFactory, AuthorFactory, CalloutFactory

pytestmark = pytest.mark.django_db


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def page_queries(client, article) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(article.get_absolute_url())
    return len(captured)


@pytest.fixture
def call_999():
    return CalloutFactory(
        key="when-to-call-999",
        title="When to call 999",
        kind=Callout.Kind.URGENT,
        body="Call 999 if your baby:\n\n- is floppy\n- is struggling to breathe",
    )


def test_central_callout_placed_by_reference_shows_on_the_page(client, call_999):
    article = ArticleFactory(
        published=True,
        body="## Help\n\nIntro.\n\n[[callout:when-to-call-999]]\n\nAfter.",
    )

    aside = page(client, article).select_one(".prose aside.callout")

    assert aside["class"] == ["callout", "callout-urgent"]
    assert aside["role"] == "region"
    assert aside["aria-label"] == "Urgent: When to call 999"
    assert aside.select_one(".callout-label").get_text() == "Urgent"
    assert aside.select_one(".callout-title").get_text() == "When to call 999"
    assert aside.select_one("svg")["aria-hidden"] == "true"
    assert [li.get_text() for li in aside.select(".callout-body li")] == [
        "is floppy",
        "is struggling to breathe",
    ]
    assert "[[callout" not in str(page(client, article))


def test_article_stores_only_the_reference_not_a_copy(call_999):
    article = ArticleFactory(body="[[callout:when-to-call-999]]")

    assert "floppy" not in article.body_html
    assert article.body_html == (
        '<cms-block kind="callout" ref="when-to-call-999"></cms-block>'
    )
    (reference,) = article.body_references.all()
    assert reference.callout == call_999 and reference.key == "when-to-call-999"


def test_editing_the_central_callout_changes_every_article_at_once(client, call_999):
    first = ArticleFactory(published=True, body="[[callout:when-to-call-999]]")
    second = ArticleFactory(
        published=True, body="Text.\n\n[[callout:when-to-call-999]]"
    )

    call_999.title = "Call 999 now"
    call_999.kind = Callout.Kind.WARNING
    call_999.body = "Dial **999** straight away."
    call_999.save()

    for article in (first, second):
        aside = page(client, article).select_one("aside.callout")
        assert aside["aria-label"] == "Warning: Call 999 now"
        assert "callout-warning" in aside["class"]
        assert aside.select_one(".callout-body strong").get_text() == "999"
        assert "floppy" not in aside.get_text()


def test_the_same_callout_can_be_placed_twice(client, call_999):
    article = ArticleFactory(
        published=True,
        body="[[callout:when-to-call-999]]\n\nMiddle.\n\n[[callout:when-to-call-999]]",
    )

    assert len(page(client, article).select("aside.callout")) == 2
    assert article.body_references.count() == 1


def test_references_follow_the_body_when_it_changes(call_999):
    other = CalloutFactory(key="sun-safety")
    article = ArticleFactory(body="[[callout:when-to-call-999]]")

    article.body = "[[callout:sun-safety]]"
    article.save()

    assert [ref.callout for ref in article.body_references.all()] == [other]
    article.body = "No callouts now."
    article.save()
    assert not ArticleReference.objects.filter(article=article).exists()


def test_unknown_callout_key_is_refused_with_its_name(call_999):
    article = ArticleFactory.build(
        body="[[callout:when-to-call-999]]\n\n[[callout:when-to-call-112]]"
    )

    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()

    (message,) = excinfo.value.message_dict["body"]
    assert "[[callout:when-to-call-112]]" in message
    assert "when-to-call-999" not in message


def test_admin_refuses_an_unknown_callout_on_save_and_names_it(admin_client):
    data = article_post_data(
        body="## Help\n\n[[callout:no-such-callout]]", **bylines(AuthorFactory())
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200, form_errors(response)
    errors = response.context["adminform"].form.errors["body"]
    assert any("[[callout:no-such-callout]]" in error for error in errors)
    assert not Article.objects.exists()


def test_admin_saves_an_article_placing_a_known_callout(admin_client, call_999):
    data = article_post_data(
        body="## Help\n\n[[callout:when-to-call-999]]", **bylines(AuthorFactory())
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302, form_errors(response)
    article = Article.objects.get()
    assert [ref.callout for ref in article.body_references.all()] == [call_999]


@pytest.mark.parametrize(
    "text, message",
    [
        (":::danger\nText\n:::", "“:::danger” is not a kind of callout"),
        ("Text.\n\n:::", "A “:::” line closes no callout"),
    ],
)
def test_callout_syntax_mistakes_are_refused(text, message):
    with pytest.raises(ValidationError) as excinfo:
        ArticleFactory.build(body=text).full_clean()

    assert any(message in error for error in excinfo.value.message_dict["body"])


def test_preview_shows_an_unknown_callout_as_a_warning(call_999):
    html = BeautifulSoup(
        preview("[[callout:when-to-call-999]]\n\n[[callout:no-such-callout]]"),
        "html.parser",
    )

    assert html.select_one("aside.callout")["aria-label"] == "Urgent: When to call 999"
    warning = html.select_one(".preview-error")
    assert warning["role"] == "alert"
    assert "[[callout:no-such-callout]]" in warning.get_text()


def test_a_callout_in_use_cannot_be_deleted(call_999):
    ArticleFactory(body="[[callout:when-to-call-999]]")

    with pytest.raises(ProtectedError):
        call_999.delete()


def test_admin_delete_page_names_the_articles_using_a_callout(admin_client, call_999):
    ArticleFactory(title="Newborn rash", body="[[callout:when-to-call-999]]")

    response = admin_client.get(
        f"/admin/articles/callout/{call_999.pk}/delete/", follow=True
    )

    content = response.content.decode()
    assert "Newborn rash" in content
    assert Callout.objects.filter(pk=call_999.pk).exists()


def test_standard_callout_body_cannot_hold_references_or_callouts():
    for body in ["[[quote:3]]", ":::tip\nNested\n:::", "Ask [[expert:amara-okafor]]."]:
        callout = CalloutFactory.build(key="x", body=body)
        with pytest.raises(ValidationError) as excinfo:
            callout.full_clean()
        assert "body" in excinfo.value.message_dict


def test_callout_key_must_be_a_simple_slug():
    callout = CalloutFactory.build(key="When_To_Call")

    with pytest.raises(ValidationError) as excinfo:
        callout.full_clean()

    assert "key" in excinfo.value.message_dict


def test_admin_lists_searches_and_shows_where_a_callout_is_used(admin_client, call_999):
    ArticleFactory(title="Newborn rash", body="[[callout:when-to-call-999]]")
    CalloutFactory(key="sun-safety", title="Stay in the shade", kind="tip")

    listing = admin_client.get("/admin/articles/callout/", {"q": "when-to-call"})
    change = admin_client.get(f"/admin/articles/callout/{call_999.pk}/change/")

    assert "When to call 999" in listing.content.decode()
    assert "Stay in the shade" not in listing.content.decode()
    content = change.content.decode()
    assert "[[callout:when-to-call-999]]" in content
    assert "Newborn rash" in content
    # The key is fixed once saved: bodies place the callout by it.
    assert 'name="key"' not in content


@pytest.mark.parametrize("count", [1, 10])
def test_article_page_query_count_does_not_grow_with_callouts(
    client, django_assert_num_queries, count
):
    keys = [CalloutFactory().key for _ in range(count)]
    article = ArticleFactory(
        published=True, body="\n\n".join(f"[[callout:{key}]]" for key in keys)
    )
    plain = ArticleFactory(published=True, body="No callouts.")

    # The same fixed number of queries as an article without any.
    with django_assert_num_queries(page_queries(client, plain)):
        response = client.get(article.get_absolute_url())

    html = BeautifulSoup(response.content.decode(), "html.parser")
    assert len(html.select("aside.callout")) == count


def test_demo_flagship_shows_a_central_and_an_inline_callout(client, demo):
    category_slug, slug = FLAGSHIP
    flagship = Article.objects.get(category__slug=category_slug, slug=slug)

    asides = page(client, flagship).select(".prose aside.callout")

    assert [aside["aria-label"] for aside in asides] == [
        "Urgent: When to call 999",
        "Warning: When to call NHS 111",
    ]
    central = Callout.objects.get(key="when-to-call-999")
    assert [
        ref.callout for ref in flagship.body_references.filter(callout__isnull=False)
    ] == [central]
