import pytest
from bs4 import BeautifulSoup
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import (
    Article,
    ArticleAuthor,
    ArticleQuote,
    Author,
    Callout,
    Category,
    ExternalLink,
    ListItem,
    OldAddress,
    RelatedLink,
    Tag,
)
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    AuthorLinkFactory,
    CalloutFactory,
    CategoryFactory,
    ExternalLinkFactory,
    ImageFactory,
    OldAddressFactory,
    QuoteFactory,
    TagFactory,
    UserFactory,
    image_file,
)

ADD_URL = "/admin/articles/article/add/"
CHANGELIST_URL = "/admin/articles/article/"

FACTORIES = {
    Article: ArticleFactory,
    Author: AuthorFactory,
    Callout: CalloutFactory,
    Category: CategoryFactory,
    ExternalLink: ExternalLinkFactory,
    OldAddress: OldAddressFactory,
    Tag: TagFactory,
}

ARTICLES_MODELS = [
    model for model in admin.site._registry if model._meta.app_label == "articles"
]


def management_form(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def article_post_data(**overrides):
    """The add form as the admin posts it, with no inline rows."""
    data = {
        "title": "Nappy rash",
        "slug": "nappy-rash",
        "standfirst": "What causes it and how to soothe it.",
        "category": str(CategoryFactory().pk),
        "body": "## Causes\n\nWet nappies.",
        "list_heading": "",
        "hero_image": "",
        "action": "",
        "comment": "",
        "publish_at_0": "",
        "publish_at_1": "",
        "expires_at_0": "",
        "expires_at_1": "",
        "seo_title": "",
        "seo_description": "",
        **management_form("article_authors", 0),
        **management_form("article_quotes", 0),
        **management_form("list_items", 0),
        **management_form("related_links", 0),
        **management_form("sources", 0),
    }
    data.update(overrides)
    return data


def bylines(*authors):
    data = management_form("article_authors", len(authors))
    for index, author in enumerate(authors):
        data[f"article_authors-{index}-author"] = str(author.pk)
        data[f"article_authors-{index}-position"] = str(index)
    return data


def quotes(*quotes_):
    data = management_form("article_quotes", len(quotes_))
    for index, quote in enumerate(quotes_):
        data[f"article_quotes-{index}-quote"] = str(quote.pk)
        data[f"article_quotes-{index}-position"] = str(index)
    return data


def form_errors(response):
    """Every error on an admin change form, for assertion messages."""
    context = response.context
    if context is None or "adminform" not in context:
        return f"status {response.status_code}"
    errors = [context["adminform"].form.errors]
    for inline in context["inline_admin_formsets"]:
        errors.append(inline.formset.errors)
        errors.append(inline.formset.non_form_errors())
    return errors


def assert_saved(response):
    assert response.status_code == 302, form_errors(response)


# Every page opens -----------------------------------------------------------


def test_every_articles_model_in_the_admin_has_a_factory():
    assert set(ARTICLES_MODELS) == set(FACTORIES)


@pytest.mark.django_db
@pytest.mark.parametrize("model", ARTICLES_MODELS, ids=lambda m: m.__name__)
def test_admin_changelist_add_and_change_pages_open(admin_client, model):
    obj = FACTORIES[model]()
    if model is Author:
        AuthorLinkFactory(author=obj)
    opts = model._meta
    urls = [
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_add"),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
    ]
    if model is ExternalLink:
        urls.remove(urls[1])  # no add page: the link checker adds them

    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.django_db
def test_article_change_page_with_every_inline_filled_opens(admin_client):
    article = ArticleFactory(published=True, hero_image=image_file(), hero_alt="A cot")
    quote = QuoteFactory()
    ArticleQuote.objects.create(article=article, quote=quote)
    ListItem.objects.create(article=article, heading="Cradle cap", text="Scales.")
    RelatedLink.objects.create(
        article=article, target_article=ArticleFactory(published=True)
    )

    response = admin_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    )

    assert response.status_code == 200
    assert quote.reference in response.content.decode()


@pytest.mark.django_db
def test_admin_pages_refuse_staff_without_permissions(client):
    client.force_login(UserFactory(staff=True))

    response = client.get(CHANGELIST_URL)

    assert response.status_code == 403


def test_admin_pages_send_anonymous_users_to_login(client):
    response = client.get(CHANGELIST_URL)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


# Changelist ---------------------------------------------------------------------


@pytest.mark.django_db
def test_article_changelist_search_finds_by_title(admin_client):
    ArticleFactory(title="Nappy rash explained")
    ArticleFactory(title="Sleep regression")

    response = admin_client.get(CHANGELIST_URL, {"q": "nappy"})

    assert response.status_code == 200
    titles = [a.title for a in response.context["cl"].result_list]
    assert titles == ["Nappy rash explained"]


@pytest.mark.django_db
def test_article_changelist_filters_by_status(admin_client):
    ArticleFactory(title="Live one", published=True)
    ArticleFactory(title="Draft one")

    response = admin_client.get(CHANGELIST_URL, {"status__exact": "draft"})

    assert [a.title for a in response.context["cl"].result_list] == ["Draft one"]


@pytest.mark.django_db
def test_article_changelist_filters_by_category(admin_client):
    baby = CategoryFactory(name="Baby")
    ArticleFactory(title="In baby", category=baby)
    ArticleFactory(title="Elsewhere")

    response = admin_client.get(CHANGELIST_URL, {"category__id__exact": baby.pk})

    assert [a.title for a in response.context["cl"].result_list] == ["In baby"]


@pytest.mark.django_db
def test_article_changelist_filters_by_author(admin_client):
    writer = AuthorFactory()
    ArticleFactory(title="By writer", authors=[writer, AuthorFactory()])
    ArticleFactory(title="By someone else")

    response = admin_client.get(CHANGELIST_URL, {"authors__id__exact": writer.pk})

    assert [a.title for a in response.context["cl"].result_list] == ["By writer"]


@pytest.mark.django_db
def test_article_changelist_counts_filter_choices_only_when_asked(admin_client):
    ArticleFactory(category=CategoryFactory(name="Baby"))
    CategoryFactory(name="Toddler")

    plain = BeautifulSoup(admin_client.get(CHANGELIST_URL).content, "html.parser")
    faceted = BeautifulSoup(
        admin_client.get(CHANGELIST_URL, {"_facets": "True"}).content, "html.parser"
    )

    def choices(page):
        return [a.get_text(strip=True) for a in page.select("#changelist-filter a")]

    assert "Baby" in choices(plain)
    assert "Baby (1)" in choices(faceted)


@pytest.mark.django_db
def test_article_changelist_section_filter_costs_the_same_for_many_sections(
    admin_client,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    baby = CategoryFactory(name="Baby")
    ArticleFactory(category=CategoryFactory(name="Health", parent=baby))
    with CaptureQueriesContext(connection) as few:
        admin_client.get(CHANGELIST_URL)
    for n in range(5):
        CategoryFactory(name=f"Sub {n}", parent=baby)
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(CHANGELIST_URL)

    assert len(many) == len(few)
    assert "Baby › Sub 4" in response.content.decode()


@pytest.mark.django_db
def test_article_changelist_counts_at_most_the_cap(admin_client, monkeypatch):
    monkeypatch.setattr("articles.pagination.ADMIN_COUNT_CAP", 2)
    for _ in range(3):
        ArticleFactory()

    response = admin_client.get(CHANGELIST_URL)

    page = BeautifulSoup(response.content, "html.parser")
    assert "2+ articles" in page.select_one(".paginator").get_text(" ", strip=True)
    assert len(response.context["cl"].result_list) == 3


@pytest.mark.django_db
def test_article_changelist_shows_bylines_in_order(admin_client):
    ArticleFactory(
        authors=[
            AuthorFactory(display_name="Zoe Byline"),
            AuthorFactory(display_name="Ann Byline"),
        ]
    )

    response = admin_client.get(CHANGELIST_URL)

    assert "Zoe Byline, Ann Byline" in response.content.decode()


@pytest.mark.django_db
def test_view_on_site_link_appears_only_for_published_articles(admin_client):
    live = ArticleFactory(published=True)
    draft = ArticleFactory()
    scheduled = ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=live.published_at.replace(year=live.published_at.year + 1),
    )

    html = admin_client.get(CHANGELIST_URL).content.decode()

    assert html.count("View on site") == 1
    assert f'href="{live.get_absolute_url()}"' in html
    assert draft.get_absolute_url() not in html
    assert scheduled.get_absolute_url() not in html


@pytest.mark.django_db
def test_change_page_offers_view_on_site_only_for_published_articles(admin_client):
    live = ArticleFactory(published=True)
    draft = ArticleFactory()

    def change_page(article):
        url = reverse("admin:articles_article_change", args=[article.pk])
        return admin_client.get(url).content.decode()

    assert 'class="viewsitelink"' in change_page(live)
    assert 'class="viewsitelink"' not in change_page(draft)


# Autocomplete ------------------------------------------------------------------------


def autocomplete(client, model_name, field_name, term):
    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": model_name,
            "field_name": field_name,
            "term": term,
        },
    )
    assert response.status_code == 200
    return {row["id"]: row["text"] for row in response.json()["results"]}


@pytest.mark.django_db
def test_author_autocomplete_finds_authors_by_name(admin_client):
    wanted = AuthorFactory(display_name="Priya Shah")
    AuthorFactory(display_name="Tom Green")

    results = autocomplete(admin_client, "articleauthor", "author", "priya")

    assert results == {str(wanted.pk): "Priya Shah"}


@pytest.mark.django_db
def test_tag_autocomplete_finds_tags_by_name(admin_client):
    wanted = TagFactory(name="Skin")
    TagFactory(name="Sleep")

    results = autocomplete(admin_client, "article", "tags", "ski")

    assert results == {str(wanted.pk): "Skin"}


@pytest.mark.django_db
def test_category_autocomplete_finds_sections(admin_client):
    wanted = CategoryFactory(name="Toddler")
    CategoryFactory(name="Pregnancy")

    results = autocomplete(admin_client, "article", "category", "todd")

    assert results == {str(wanted.pk): "Toddler"}


@pytest.mark.django_db
def test_quote_autocomplete_finds_quotes_by_text_and_expert(admin_client):
    wanted = QuoteFactory(text="Try an oatmeal bath.", expert__name="Amara Okafor")
    QuoteFactory(text="Keep nails short.")

    by_text = autocomplete(admin_client, "articlequote", "quote", "oatmeal")
    by_expert = autocomplete(admin_client, "articlequote", "quote", "okafor")

    assert list(by_text) == [str(wanted.pk)]
    assert list(by_expert) == [str(wanted.pk)]
    assert f"#{wanted.pk}" in by_text[str(wanted.pk)]


@pytest.mark.django_db
def test_article_autocomplete_for_related_links_finds_articles(admin_client):
    wanted = ArticleFactory(title="Cradle cap")
    ArticleFactory(title="Teething")

    results = autocomplete(admin_client, "relatedlink", "target_article", "cradle")

    assert results == {str(wanted.pk): "Cradle cap"}


@pytest.mark.django_db
def test_autocomplete_refuses_anonymous_users(client):
    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "tags",
            "term": "",
        },
    )

    assert response.status_code == 302


# Saving through the add view ------------------------------------------------------


@pytest.mark.django_db
def test_new_article_is_saved_with_all_its_inlines_in_order(admin_client):
    first, second = AuthorFactory(), AuthorFactory()
    quote = QuoteFactory()
    target = ArticleFactory(published=True)
    tag = TagFactory()
    scalp = ImageFactory(
        file=image_file("cap.png", size=(50, 40)),
        alt="Yellow scales on a baby's scalp",
    )
    data = article_post_data(
        body=f"## Causes\n\nWet nappies.\n\n{quote.reference}\n\nKeep dry.",
        tags=[str(tag.pk)],
        **bylines(second, first),
        **quotes(quote),
        **management_form("list_items", 2),
        **{
            "list_items-0-position": "1",
            "list_items-0-heading": "Cradle cap",
            "list_items-0-image": str(scalp.pk),
            "list_items-0-text": "Harmless and **common**.",
            "list_items-1-position": "2",
            "list_items-1-heading": "Heat rash",
            "list_items-1-text": "Keep baby cool.",
        },
        **management_form("related_links", 1),
        **{
            "related_links-0-position": "0",
            "related_links-0-label": "Now read",
            "related_links-0-target_article": str(target.pk),
            "related_links-0-url": "",
            "related_links-0-title": "",
        },
    )

    response = admin_client.post(ADD_URL, data)

    assert_saved(response)
    article = Article.objects.get(slug="nappy-rash")
    assert article.byline == [second, first]
    assert list(article.tags.all()) == [tag]
    assert [row.quote for row in article.article_quotes.all()] == [quote]
    items = list(article.list_items.all())
    assert [item.heading for item in items] == ["Cradle cap", "Heat rash"]
    assert items[0].image == scalp
    assert items[0].image_alt == "Yellow scales on a baby's scalp"
    assert "<strong>common</strong>" in items[0].text_html
    assert not items[1].image
    links = list(article.related_links.all())
    assert [(link.label, link.target_article) for link in links] == [
        ("Now read", target)
    ]
    assert "Dr " in str(article.body_for_page())
    assert "<figure" in str(article.body_for_page())


@pytest.mark.django_db
def test_new_article_is_stamped_with_the_saving_user(admin_client, admin_user):
    response = admin_client.post(ADD_URL, article_post_data(**bylines(AuthorFactory())))

    assert_saved(response)
    assert Article.objects.get().modified_by == admin_user


@pytest.mark.django_db
def test_editing_an_article_stamps_the_editor(client):
    article = ArticleFactory()
    editor = UserFactory(superuser=True)
    client.force_login(editor)
    author = article.byline[0]
    row = ArticleAuthor.objects.get(article=article)
    data = article_post_data(
        title="Edited",
        slug=article.slug,
        category=str(article.category_id),
        edit_version=str(article.version),
        **management_form("article_authors", 1, initial=1),
        **{
            "article_authors-0-id": str(row.pk),
            "article_authors-0-article": str(article.pk),
            "article_authors-0-author": str(author.pk),
            "article_authors-0-position": "0",
        },
    )

    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]), data
    )

    assert_saved(response)
    article.refresh_from_db()
    assert article.title == "Edited"
    assert article.modified_by == editor


@pytest.mark.django_db
def test_publishing_through_the_admin_without_a_date_stamps_one(admin_client):
    response = admin_client.post(
        ADD_URL,
        article_post_data(action=Article.Status.PUBLISHED, **bylines(AuthorFactory())),
    )

    assert_saved(response)
    article = Article.objects.get()
    assert article.published_at is not None
    assert article.is_published()


@pytest.mark.django_db
def test_article_with_a_hero_image_and_no_alt_text_is_refused(admin_client):
    response = admin_client.post(
        ADD_URL,
        article_post_data(
            hero_image=str(ImageFactory(title="Cot", alt="").pk),
            **bylines(AuthorFactory()),
        ),
    )

    assert response.status_code == 200
    assert "“Cot” has no alt text" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_article_placing_a_quote_from_its_list_is_saved(admin_client):
    quote = QuoteFactory()
    data = article_post_data(
        body=f"Intro.\n\n{quote.reference}",
        **bylines(AuthorFactory()),
        **quotes(quote),
    )

    response = admin_client.post(ADD_URL, data)

    assert_saved(response)
    assert Article.objects.get().article_quotes.get().quote == quote


@pytest.mark.django_db
def test_article_placing_a_quote_missing_from_its_list_is_refused(admin_client):
    listed, placed = QuoteFactory(), QuoteFactory()
    data = article_post_data(
        body=f"Intro.\n\n{placed.reference}",
        **bylines(AuthorFactory()),
        **quotes(listed),
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert f"[[quote:{placed.pk}]] is placed in the body" in html
    assert f"[[quote:{listed.pk}]] is placed" not in html
    assert not Article.objects.exists()
    assert not ArticleQuote.objects.exists()


@pytest.mark.django_db
def test_article_placing_a_quote_that_does_not_exist_is_refused(admin_client):
    data = article_post_data(
        body="Intro.\n\n[[quote:987654]]", **bylines(AuthorFactory())
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert "[[quote:987654]] does not exist" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_quote_reference_inside_a_sentence_is_refused_naming_its_line(admin_client):
    data = article_post_data(
        body="Intro.\n\nPaste [[quote:987654]] on its own line to place a quote.",
        **bylines(AuthorFactory()),
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert (
        "Line 3: “[[quote:987654]]” must be on a line of its own"
        in response.content.decode()
    )
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_quote_reference_on_its_own_line_inside_a_paragraph_is_placed(admin_client):
    quote = QuoteFactory()
    data = article_post_data(
        body=f"Yawning is normal.\n{quote.reference}\nThen they settle.",
        **bylines(AuthorFactory()),
        **quotes(quote),
    )

    response = admin_client.post(ADD_URL, data)

    assert_saved(response)
    article = Article.objects.get()
    assert "[[" not in article.body_html
    assert article.body_html.count("<p>") == 2


@pytest.mark.django_db
def test_removing_a_placed_quote_from_the_list_is_refused(admin_client):
    quote = QuoteFactory()
    article = ArticleFactory(body=f"Intro.\n\n{quote.reference}")
    row = ArticleQuote.objects.create(article=article, quote=quote)
    byline = ArticleAuthor.objects.get(article=article)
    data = article_post_data(
        title=article.title,
        slug=article.slug,
        category=str(article.category_id),
        body=article.body,
        **management_form("article_authors", 1, initial=1),
        **{
            "article_authors-0-id": str(byline.pk),
            "article_authors-0-article": str(article.pk),
            "article_authors-0-author": str(byline.author_id),
            "article_authors-0-position": "0",
        },
        **management_form("article_quotes", 1, initial=1),
        **{
            "article_quotes-0-id": str(row.pk),
            "article_quotes-0-article": str(article.pk),
            "article_quotes-0-quote": str(quote.pk),
            "article_quotes-0-position": "0",
            "article_quotes-0-DELETE": "on",
        },
    )

    response = admin_client.post(
        reverse("admin:articles_article_change", args=[article.pk]), data
    )

    assert response.status_code == 200
    assert f"[[quote:{quote.pk}]] is placed in the body" in response.content.decode()
    assert ArticleQuote.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_article_with_no_bylines_is_refused(admin_client):
    response = admin_client.post(ADD_URL, article_post_data())

    assert response.status_code == 200
    assert "Add at least one author to the byline." in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_article_with_only_a_blank_byline_row_is_refused(admin_client):
    data = article_post_data(
        **management_form("article_authors", 1),
        **{"article_authors-0-author": "", "article_authors-0-position": "0"},
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert "Add at least one author to the byline." in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_deleting_the_last_byline_is_refused(admin_client):
    article = ArticleFactory()
    byline = ArticleAuthor.objects.get(article=article)
    data = article_post_data(
        title=article.title,
        slug=article.slug,
        category=str(article.category_id),
        **management_form("article_authors", 1, initial=1),
        **{
            "article_authors-0-id": str(byline.pk),
            "article_authors-0-article": str(article.pk),
            "article_authors-0-author": str(byline.author_id),
            "article_authors-0-position": "0",
            "article_authors-0-DELETE": "on",
        },
    )

    response = admin_client.post(
        reverse("admin:articles_article_change", args=[article.pk]), data
    )

    assert response.status_code == 200
    assert ArticleAuthor.objects.filter(pk=byline.pk).exists()


@pytest.mark.django_db
def test_article_with_a_duplicate_slug_in_its_section_is_refused(admin_client):
    existing = ArticleFactory(slug="nappy-rash")
    data = article_post_data(
        category=str(existing.category_id), **bylines(AuthorFactory())
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert "already exists in this section" in response.content.decode()
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_external_related_link_without_title_is_refused(admin_client):
    data = article_post_data(
        **bylines(AuthorFactory()),
        **management_form("related_links", 1),
        **{
            "related_links-0-position": "0",
            "related_links-0-label": "Read more",
            "related_links-0-target_article": "",
            "related_links-0-url": "https://www.nhs.uk/",
            "related_links-0-title": "",
        },
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert "Give external links a title" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_list_item_image_without_alt_text_is_refused(admin_client):
    data = article_post_data(
        **bylines(AuthorFactory()),
        **management_form("list_items", 1),
        **{
            "list_items-0-position": "0",
            "list_items-0-heading": "Cradle cap",
            "list_items-0-image": str(ImageFactory(title="Scalp", alt="").pk),
            "list_items-0-text": "Scales.",
        },
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert "“Scalp” has no alt text" in response.content.decode()
    assert not Article.objects.exists()


# Categories ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_reserved_category_slug_is_refused_in_the_admin(admin_client):
    response = admin_client.post(
        "/admin/articles/category/add/",
        {"name": "Admin tips", "slug": "admin", "description": "", "position": "0"},
    )

    assert response.status_code == 200
    assert "“admin” is used by the site itself" in response.content.decode()
    assert not Category.objects.exists()


@pytest.mark.django_db
def test_ordinary_category_is_saved_in_the_admin(admin_client):
    parent = CategoryFactory(name="Baby")

    response = admin_client.post(
        "/admin/articles/category/add/",
        {
            "name": "Health",
            "slug": "baby-health",
            "parent": str(parent.pk),
            "description": "",
            "position": "0",
            "review_interval_months": "12",
        },
    )

    assert_saved(response)
    assert str(Category.objects.get(slug="baby-health")) == "Baby › Health"


@pytest.mark.django_db
def test_third_level_category_is_refused_in_the_admin(admin_client):
    health = CategoryFactory(name="Health", parent=CategoryFactory(name="Baby"))

    response = admin_client.post(
        "/admin/articles/category/add/",
        {
            "name": "Skin",
            "slug": "skin",
            "parent": str(health.pk),
            "description": "",
            "position": "0",
            "review_interval_months": "12",
        },
    )

    assert response.status_code == 200
    assert "Sections nest one level only" in response.content.decode()
    assert not Category.objects.filter(slug="skin").exists()


@pytest.mark.django_db
def test_author_is_saved_with_a_linked_user(admin_client):
    user = get_user_model().objects.create(username="priya")

    response = admin_client.post(
        "/admin/articles/author/add/",
        {
            "display_name": "Priya Shah",
            "slug": "priya-shah",
            "user": str(user.pk),
            "job_title": "Health Writer",
            "bio": "Writes about *sleep*.",
            "is_active": "on",
            **management_form("links", 1),
            "links-0-label": "Website",
            "links-0-url": "https://priya.example.com/",
            "links-0-position": "0",
        },
    )

    assert_saved(response)
    author = Author.objects.get(slug="priya-shah")
    assert author.user == user
    assert "<em>sleep</em>" in author.bio_html
    assert [link.label for link in author.links.all()] == ["Website"]


@pytest.mark.django_db
def test_a_listed_quote_placed_nowhere_is_saved_with_a_warning(admin_client):
    placed, unplaced = QuoteFactory(), QuoteFactory()
    data = article_post_data(
        body=f"Intro.\n\n{placed.reference}",
        **bylines(AuthorFactory()),
        **quotes(placed, unplaced),
    )

    response = admin_client.post(ADD_URL, data, follow=True)

    assert Article.objects.filter(slug="nappy-rash").exists()
    messages = [str(m) for m in response.context["messages"]]
    assert any(
        f"placed nowhere in the body, so not shown: {unplaced.reference}." in m
        for m in messages
    )
    assert not any(placed.reference in m for m in messages)


@pytest.mark.django_db
def test_a_new_articles_byline_starts_as_the_writers_own(client):
    from django.contrib.auth.models import Group

    from tests.html_forms import form_fields

    writer = UserFactory(username="wren")
    writer.groups.add(Group.objects.get(name="Writer"))
    author = AuthorFactory(user=writer)
    client.force_login(writer)

    data = form_fields(client.get(ADD_URL).content.decode())
    data.update(
        title=["Teething"],
        slug=["teething"],
        standfirst=["What helps."],
        category=[str(CategoryFactory().pk)],
        body=["## Signs\n\nDribbling."],
        _save=["Save"],
    )
    response = client.post(ADD_URL, data)

    assert_saved(response)
    assert Article.objects.get(slug="teething").byline == [author]


@pytest.mark.django_db
def test_a_published_articles_change_page_shows_when_it_was_published(admin_client):
    article = ArticleFactory(published=True)

    page = admin_client.get(f"/admin/articles/article/{article.pk}/change/")

    workflow = BeautifulSoup(page.content, "html.parser").select_one(
        ".field-published_at"
    )
    local = timezone.localtime(article.published_at)
    assert workflow.find_parent("fieldset").select_one("h2").get_text() == "Workflow"
    assert date_format(local, "DATETIME_FORMAT") in workflow.get_text()
