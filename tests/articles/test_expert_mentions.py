import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext

from articles.demo.content import FLAGSHIP
from articles.models import Article
from articles.rendering import preview
from tests.articles.test_admin import (
    ADD_URL,
    article_post_data,
    bylines,
    form_errors,
)
from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    AuthorFactory,
    ExpertFactory,
    ListItemFactory,
    QuoteFactory,
)

pytestmark = pytest.mark.django_db

FULL = "Dr Amara Okafor, Consultant Paediatrician at Harbour Children's Hospital"


def prose(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser").select_one(".prose")


def appearances(prose_el):
    """Each mention's or quote caption's visible text, in page order."""
    return [
        el.get_text()
        for el in prose_el.select("p, figcaption")
        if el.name == "figcaption" or el.select("a.expert-mention")
    ]


@pytest.fixture
def amara():
    return ExpertFactory(
        honorific="Dr",
        name="Amara Okafor",
        slug="amara-okafor",
        short_name="Dr Amara",
        job_title="Consultant Paediatrician",
        organisation="Harbour Children's Hospital",
    )


def test_first_mention_is_full_and_later_ones_short(client, amara):
    article = ArticleFactory(
        published=True,
        body="We spoke to [[expert:amara-okafor]].\n\n"
        "Rashes are common, says [[expert:amara-okafor]].\n\n"
        "And [[expert:amara-okafor]] again.",
    )

    texts = [p.get_text() for p in prose(client, article).select("p")]

    assert texts == [
        f"We spoke to {FULL}.",
        "Rashes are common, says Dr Amara.",
        "And Dr Amara again.",
    ]


def test_every_mention_links_to_the_expert_page(client, amara):
    article = ArticleFactory(
        published=True,
        body="Ask [[expert:amara-okafor]]. Later, [[expert:amara-okafor]] adds more.",
    )

    links = prose(client, article).select("a.expert-mention")

    assert [a.get_text() for a in links] == ["Dr Amara Okafor", "Dr Amara"]
    assert {a["href"] for a in links} == {amara.get_absolute_url()}


def test_a_quote_before_the_first_mention_carries_the_full_attribution(client, amara):
    quote = QuoteFactory(expert=amara, text="Most rashes fade.")
    second = QuoteFactory(expert=amara, text="Keep the skin cool.")
    article = ArticleFactory(
        published=True,
        body=f"{quote.reference}\n\nAs [[expert:amara-okafor]] says.\n\n"
        f"{second.reference}",
    )
    ArticleQuoteFactory(article=article, quote=quote)
    ArticleQuoteFactory(article=article, quote=second)

    body = prose(client, article)
    first_caption, second_caption = body.select("figcaption")

    assert first_caption.get_text() == FULL
    assert first_caption.a["href"] == amara.get_absolute_url()
    assert "As Dr Amara says." in body.get_text()
    assert second_caption.get_text() == "Dr Amara"
    assert second_caption.a["href"] == amara.get_absolute_url()


def test_a_mention_before_a_quote_makes_its_caption_short(client, amara):
    quote = QuoteFactory(expert=amara, text="Most rashes fade.")
    article = ArticleFactory(
        published=True, body=f"We asked [[expert:amara-okafor]].\n\n{quote.reference}"
    )
    ArticleQuoteFactory(article=article, quote=quote)

    body = prose(client, article)

    assert appearances(body) == [f"We asked {FULL}.", "Dr Amara"]


def test_each_expert_has_their_own_first_mention(client, amara):
    owen = ExpertFactory(
        honorific="Dr",
        name="Owen Castellane",
        slug="owen-castellane",
        short_name="Dr Owen",
        job_title="Dermatologist",
        organisation="Quillfield Skin Clinic",
    )
    quote = QuoteFactory(expert=owen, text="Leave the bumps alone.")
    article = ArticleFactory(
        published=True,
        body="We spoke to [[expert:amara-okafor]].\n\n"
        f"{quote.reference}\n\n"
        "Both [[expert:owen-castellane]] and [[expert:amara-okafor]] agree.",
    )
    ArticleQuoteFactory(article=article, quote=quote)

    assert appearances(prose(client, article)) == [
        f"We spoke to {FULL}.",
        "Dr Owen Castellane, Dermatologist at Quillfield Skin Clinic",
        "Both Dr Owen and Dr Amara agree.",
    ]


def test_expert_without_role_is_named_in_full_alone(client):
    ExpertFactory(
        honorific="", name="Priya Ramsden", slug="priya", job_title="", organisation=""
    )
    article = ArticleFactory(published=True, body="Ask [[expert:priya]].")

    assert prose(client, article).p.get_text() == "Ask Priya Ramsden."


def test_renaming_the_expert_changes_every_mention_at_once(client, amara):
    article = ArticleFactory(
        published=True,
        body="We spoke to [[expert:amara-okafor]]. Later, [[expert:amara-okafor]].",
    )

    amara.name = "Amara Okafor-Lewis"
    amara.short_name = "Dr Okafor-Lewis"
    amara.job_title = "Lead Paediatrician"
    amara.save()

    assert prose(client, article).p.get_text() == (
        "We spoke to Dr Amara Okafor-Lewis, Lead Paediatrician at Harbour Children's "
        "Hospital. Later, Dr Okafor-Lewis."
    )


def test_a_new_slug_does_not_break_pages_already_mentioning_the_expert(client, amara):
    article = ArticleFactory(published=True, body="Ask [[expert:amara-okafor]].")

    amara.slug = "dr-amara-okafor"
    amara.save()

    link = prose(client, article).select_one("a.expert-mention")
    assert link["href"] == "/experts/dr-amara-okafor/"


def test_body_stores_a_marker_not_the_name(amara):
    article = ArticleFactory(body="Ask [[expert:amara-okafor]].")

    assert "Okafor" not in article.body_html
    assert [ref.expert for ref in article.body_references.all()] == [amara]


def test_unknown_expert_slug_is_refused_with_its_name(amara):
    article = ArticleFactory.build(
        body="Ask [[expert:amara-okafor]] or [[expert:nobody-here]]."
    )

    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()

    (message,) = excinfo.value.message_dict["body"]
    assert "[[expert:nobody-here]]" in message


def test_admin_refuses_an_unknown_expert_on_save_and_names_it(admin_client):
    data = article_post_data(
        body="## Advice\n\nWe spoke to [[expert:nobody-here]].",
        **bylines(AuthorFactory()),
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200, form_errors(response)
    errors = response.context["adminform"].form.errors["body"]
    assert any("[[expert:nobody-here]]" in error for error in errors)
    assert not Article.objects.exists()


def test_admin_saves_an_article_mentioning_a_known_expert(admin_client, amara):
    data = article_post_data(
        body="## Advice\n\nWe spoke to [[expert:amara-okafor]].",
        **bylines(AuthorFactory()),
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302, form_errors(response)
    assert [ref.expert for ref in Article.objects.get().body_references.all()] == [
        amara
    ]


def test_a_mention_in_a_heading_is_refused(amara):
    article = ArticleFactory.build(body="## What [[expert:amara-okafor]] says\n\nText.")

    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()

    assert any("Headings" in error for error in excinfo.value.message_dict["body"])


def test_preview_fills_mentions_and_warns_about_unknown_ones(amara):
    html = BeautifulSoup(
        preview("Ask [[expert:amara-okafor]], then [[expert:nobody-here]]."),
        "html.parser",
    )

    assert html.select_one("a.expert-mention").get_text() == "Dr Amara Okafor"
    warning = html.select_one(".preview-error")
    assert warning["role"] == "alert"
    assert "[[expert:nobody-here]]" in warning.get_text()
    assert warning.find_parent("p") is not None  # stays inside its sentence


def test_preview_matches_the_page(amara):
    quote = QuoteFactory(expert=amara)
    body = f"We asked [[expert:amara-okafor]].\n\n{quote.reference}\n\nThanks, [[expert:amara-okafor]]."
    article = ArticleFactory(body=body)
    ArticleQuoteFactory(article=article, quote=quote)

    assert preview(body) == str(article.body_for_page())


def test_a_mentioned_expert_cannot_be_deleted(amara):
    ArticleFactory(body="Ask [[expert:amara-okafor]].")

    with pytest.raises(ProtectedError):
        amara.delete()


def page_queries(client, article) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(article.get_absolute_url())
    return len(captured)


@pytest.mark.parametrize("count", [1, 10])
def test_article_page_query_count_does_not_grow_with_mentions(
    client, django_assert_num_queries, count
):
    experts = [ExpertFactory() for _ in range(count)]
    mentions = " ".join(
        f"[[expert:{e.slug}]] and [[expert:{e.slug}]]." for e in experts
    )
    article = ArticleFactory(published=True, body=mentions)
    plain = ArticleFactory(published=True, body="No mentions.")

    with django_assert_num_queries(page_queries(client, plain)):
        response = client.get(article.get_absolute_url())

    links = BeautifulSoup(response.content.decode(), "html.parser").select(
        "a.expert-mention"
    )
    assert len(links) == 2 * count


def test_demo_flagship_names_its_experts_in_full_first_then_short(client, demo):
    category_slug, slug = FLAGSHIP
    flagship = Article.objects.get(category__slug=category_slug, slug=slug)

    body = prose(client, flagship)
    mentions = [a.get_text() for a in body.select("a.expert-mention")]
    captions = [
        caption.a.get_text() for caption in body.select("figure.quote figcaption")
    ]

    intro = next(p for p in body.select("p") if "we spoke to" in p.get_text())
    assert intro.get_text().endswith(
        "we spoke to Dr Helena Marsh, Consultant Paediatrician at St Aldric's "
        "Children's Hospital, part of Westmere Health Partners; Dr Owen Castellane, "
        "Consultant Paediatric Dermatologist at Quillfield Skin Clinic, part of "
        "Westmere Health Partners; and Priya Ramsden, Health Visitor at Tollmere "
        "Community Health Service."
    )
    assert mentions == [
        "Dr Helena Marsh",
        "Dr Owen Castellane",
        "Priya Ramsden",
        "Dr Helena",
    ]
    # Every quote comes after the introduction, so every caption is short.
    assert set(captions) == {"Dr Helena", "Dr Owen", "Priya"}


def test_a_list_item_names_an_expert_the_body_introduced_by_short_name(client, amara):
    article = ArticleFactory(
        published=True, body="We spoke to [[expert:amara-okafor]].", list_heading="More"
    )
    item = ListItemFactory.build(
        article=article, text="It fades in days, says [[expert:amara-okafor]]."
    )
    item.full_clean()
    item.save()

    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")

    assert page.select_one(".article-main > .prose p").get_text() == (
        f"We spoke to {FULL}."
    )
    assert page.select_one(".numbered-list .prose").get_text().strip() == (
        "It fades in days, says Dr Amara."
    )
