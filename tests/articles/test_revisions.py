import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Article
from articles.revisions import article_versions, body_diff, pick_pair, revision_parts
from articles.services import article_publish
from tests.articles.test_admin import article_post_data, bylines, management_form
from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    AuthorFactory,
    ListItemFactory,
    RelatedLinkFactory,
    UserFactory,
)

ADD_URL = reverse("admin:articles_article_add")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def compare_url(article):
    return reverse("admin:articles_article_compare", args=[article.pk])


def restore_url(article, version):
    return reverse("admin:articles_article_restore", args=[article.pk, version.pk])


def rows(prefix, objects, fields, delete=()):
    """An inline formset as the change form posts it, with its saved rows."""
    objects = list(objects)
    data = management_form(prefix, len(objects), initial=len(objects))
    for index, obj in enumerate(objects):
        data[f"{prefix}-{index}-id"] = str(obj.pk)
        data[f"{prefix}-{index}-article"] = str(obj.article_id)
        for field in fields:
            value = obj.serializable_value(field)
            data[f"{prefix}-{index}-{field}"] = "" if value is None else str(value)
        if obj in delete:
            data[f"{prefix}-{index}-DELETE"] = "on"
    return data


def change_data(article, delete=(), **overrides):
    """The change form of the article as it is now, with ``overrides`` typed in."""
    data = article_post_data(
        title=article.title,
        slug=article.slug,
        standfirst=article.standfirst,
        category=str(article.category_id),
        body=article.body,
        edit_version=str(article.version),
        **rows(
            "article_authors", article.article_authors.all(), ["author", "position"]
        ),
        **rows("article_quotes", article.article_quotes.all(), ["quote", "position"]),
        **rows(
            "list_items",
            article.list_items.all(),
            ["position", "heading", "image_alt", "text"],
            delete,
        ),
        **rows(
            "related_links",
            article.related_links.all(),
            ["position", "label", "target_article", "url", "title"],
            delete,
        ),
    )
    data.update(overrides)
    return data


def save(client, article, delete=(), **overrides):
    article.refresh_from_db()
    response = client.post(
        change_url(article), change_data(article, delete, **overrides)
    )
    assert response.status_code == 302, response.context and [
        response.context["adminform"].form.errors,
        *[
            inline.formset.errors
            for inline in response.context["inline_admin_formsets"]
        ],
    ]
    article.refresh_from_db()
    return response


def oldest_and_newest(article):
    versions = list(article_versions(article))
    return versions[-1], versions[0]


def writer():
    user = UserFactory(staff=True)
    user.groups.add(Group.objects.get(name="Writer"))
    return user


# Every save is a revision ------------------------------------------------------------


@pytest.mark.django_db
def test_every_admin_save_creates_a_revision_with_its_user(client, admin_client):
    response = admin_client.post(ADD_URL, article_post_data(**bylines(AuthorFactory())))
    assert response.status_code == 302
    article = Article.objects.get()
    editor = UserFactory(superuser=True)
    client.force_login(editor)

    save(client, article, title="Nappy rash: a new title")

    versions = list(article_versions(article))
    assert len(versions) == 2
    assert versions[1].revision.user.is_superuser
    assert versions[0].revision.user == editor
    assert "Title" in versions[0].revision.get_comment()
    assert versions[0].field_dict["title"] == "Nappy rash: a new title"


@pytest.mark.django_db
def test_revision_holds_the_bylines_quotes_list_items_and_links(admin_client):
    article = ArticleFactory(authors=[AuthorFactory(), AuthorFactory()])
    quote = ArticleQuoteFactory(article=article).quote
    ListItemFactory(article=article, heading="Cradle cap")
    link = RelatedLinkFactory(article=article)

    save(admin_client, article)

    parts = {
        model.__name__: rows
        for model, rows in revision_parts(article_versions(article)[0]).items()
    }
    assert [row.author for row in parts["ArticleAuthor"]] == article.byline
    assert [row.quote_id for row in parts["ArticleQuote"]] == [quote.pk]
    assert [row.heading for row in parts["ListItem"]] == ["Cradle cap"]
    assert [row.target_article_id for row in parts["RelatedLink"]] == [
        link.target_article_id
    ]


@pytest.mark.django_db
def test_revision_leaves_out_workflow_and_bookkeeping(admin_client):
    article = ArticleFactory(published=True)

    save(admin_client, article)

    stored = article_versions(article)[0].field_dict
    for name in ["status", "published_at", "version", "created_by_id", "modified_at"]:
        assert name not in stored
    assert stored["title"] == article.title


@pytest.mark.django_db
def test_publishing_outside_the_admin_is_a_revision_by_the_editor():
    article = ArticleFactory()
    editor = UserFactory(superuser=True)

    article_publish(article=article, by=editor)

    version = article_versions(article).get()
    assert version.revision.user == editor
    assert version.revision.comment == "Draft → Published"


@pytest.mark.django_db
def test_publish_action_on_the_article_list_is_a_revision(admin_client, admin_user):
    article = ArticleFactory()

    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [str(article.pk)]},
    )

    assert response.status_code == 302
    assert article_versions(article).get().revision.user == admin_user


# Comparing ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_compare_shows_changed_title_and_body_lines_escaped(admin_client):
    article = ArticleFactory(
        title="Cradle cap", body="## Causes\n\nOily skin.\n\nIt fades."
    )
    save(admin_client, article)
    save(
        admin_client,
        article,
        title="Cradle cap explained",
        body="## Causes\n\n<script>alert(1)</script>\n\nIt fades.",
    )
    old, new = oldest_and_newest(article)

    response = admin_client.get(compare_url(article), {"from": old.pk, "to": new.pk})

    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["comparison"].fields[0].old == "Cradle cap"
    assert response.context["comparison"].fields[0].new == "Cradle cap explained"
    assert "Cradle cap explained" in html
    assert (
        '<del class="diff-remove"><span class="diff-sign" aria-hidden="true">−</span>Oily skin.</del>'
        in html
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in html
    assert "<script>alert(1)" not in html


@pytest.mark.django_db
def test_compare_summarises_changed_parts(admin_client):
    article = ArticleFactory()
    ListItemFactory(article=article, heading="Cradle cap")
    save(admin_client, article)
    quote = ArticleQuoteFactory(article=article).quote
    ListItemFactory(article=article, heading="Heat rash")
    save(admin_client, article)
    old, new = oldest_and_newest(article)

    response = admin_client.get(compare_url(article), {"from": old.pk, "to": new.pk})

    parts = response.context["comparison"].parts
    assert "List items: 1 → 2" in parts
    assert "List item “Heat rash” added" in parts
    assert f"Quote [[quote:{quote.pk}]] added" in parts


@pytest.mark.django_db
def test_compare_without_choices_shows_the_last_change(admin_client):
    article = ArticleFactory(title="First")
    save(admin_client, article)
    save(admin_client, article, title="Second")
    old, new = oldest_and_newest(article)

    response = admin_client.get(compare_url(article))

    assert response.status_code == 200
    assert (response.context["old"], response.context["new"]) == (old, new)


@pytest.mark.django_db
def test_compare_of_an_article_without_revisions_opens(admin_client):
    response = admin_client.get(compare_url(ArticleFactory()))

    assert response.status_code == 200
    assert "No revisions yet" in response.content.decode()


def test_compare_sends_anonymous_users_to_login(client):
    response = client.get(reverse("admin:articles_article_compare", args=[1]))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.django_db
def test_compare_refuses_staff_without_rights(client):
    article = ArticleFactory(published=True)
    client.force_login(UserFactory(staff=True))
    assert client.get(compare_url(article)).status_code == 403
    client.force_login(writer())  # may not edit a published article
    assert client.get(compare_url(article)).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["abc", "999999", "", "other"])
def test_compare_with_an_unknown_revision_is_404(admin_client, bad):
    article = ArticleFactory()
    save(admin_client, article)
    other = ArticleFactory()
    save(admin_client, other)
    if bad == "other":
        bad = str(article_versions(other)[0].pk)

    response = admin_client.get(compare_url(article), {"from": bad})

    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("object_id", ["999999", "abc"])
def test_compare_of_an_unknown_article_is_404(admin_client, object_id):
    url = reverse("admin:articles_article_compare", args=[object_id])

    assert admin_client.get(url).status_code == 404


@pytest.mark.django_db
def test_history_lists_revisions_and_leads_to_the_comparison(admin_client):
    article = ArticleFactory()
    save(admin_client, article, title="Revised")
    version = article_versions(article)[0]

    history = admin_client.get(
        reverse("admin:articles_article_history", args=[article.pk])
    )
    revision = admin_client.get(
        reverse("admin:articles_article_revision", args=[article.pk, version.pk])
    )

    assert history.status_code == 200
    assert compare_url(article) in history.content.decode()
    assert revision.status_code == 302
    assert revision["Location"] == f"{compare_url(article)}?from={version.pk}"


@pytest.mark.django_db
def test_change_page_links_to_the_comparison(admin_client):
    article = ArticleFactory()

    response = admin_client.get(change_url(article))

    assert compare_url(article) in response.content.decode()


@pytest.mark.django_db
def test_recovering_deleted_articles_is_not_offered(admin_client):
    response = admin_client.get(reverse("admin:articles_article_recoverlist"))

    assert response.status_code == 404


# Restoring ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_restoring_brings_back_content_and_keeps_the_workflow(admin_client, admin_user):
    first, second = AuthorFactory(), AuthorFactory()
    article = ArticleFactory(
        published=True, title="Old title", body="Old line.\n\nShared.", authors=[first]
    )
    quote = ArticleQuoteFactory(article=article).quote
    ListItemFactory(article=article, heading="Kept")
    dropped = ListItemFactory(article=article, heading="Dropped")
    link = RelatedLinkFactory(article=article)
    save(admin_client, article)
    old_version = article_versions(article)[0]
    article.article_authors.update(author=second)
    article.article_quotes.all().delete()
    save(
        admin_client,
        article,
        delete=[dropped, link],
        title="New title",
        body="New line.\n\nShared.",
    )
    assert article.list_items.count() == 1
    published_at, version_before = article.published_at, article.version

    response = admin_client.post(
        restore_url(article, old_version), {"edit_version": str(article.version)}
    )

    assert response.status_code == 302
    assert response["Location"] == change_url(article)
    article.refresh_from_db()
    assert (article.title, article.body) == ("Old title", "Old line.\n\nShared.")
    assert "Old line." in article.body_html
    assert [item.heading for item in article.list_items.all()] == ["Kept", "Dropped"]
    assert article.byline == [first]
    assert [row.quote for row in article.article_quotes.all()] == [quote]
    assert [row.target_article for row in article.related_links.all()] == [
        link.target_article
    ]
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == published_at
    assert article.version > version_before
    versions = list(article_versions(article))
    assert len(versions) == 3
    assert versions[0].revision.user == admin_user
    assert versions[0].revision.comment.startswith("Restored the revision of")
    assert len(revision_parts(versions[0])[type(dropped)]) == 2


@pytest.mark.django_db
def test_restoring_a_draft_does_not_publish_it(admin_client):
    article = ArticleFactory(title="Draft title")
    save(admin_client, article)
    old_version = article_versions(article)[0]
    save(admin_client, article, title="Changed")

    admin_client.post(
        restore_url(article, old_version), {"edit_version": str(article.version)}
    )

    article.refresh_from_db()
    assert article.title == "Draft title"
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None


@pytest.mark.django_db
def test_restoring_over_a_newer_save_is_refused(admin_client):
    article = ArticleFactory(title="First")
    save(admin_client, article)
    old_version = article_versions(article)[0]
    opened_at = article.version
    save(admin_client, article, title="Someone else's")

    response = admin_client.post(
        restore_url(article, old_version), {"edit_version": str(opened_at)}, follow=True
    )

    article.refresh_from_db()
    assert article.title == "Someone else's"
    assert "Nothing was restored" in response.content.decode()


@pytest.mark.django_db
def test_restoring_is_refused_without_the_right_to_change_the_article(
    client, admin_client
):
    article = ArticleFactory(published=True, title="Live")
    save(admin_client, article)
    old_version = article_versions(article)[0]
    save(admin_client, article, title="Live, revised")
    client.force_login(writer())

    response = client.post(
        restore_url(article, old_version), {"edit_version": str(article.version)}
    )

    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Live, revised"
    assert article_versions(article).count() == 2


@pytest.mark.django_db
def test_restore_only_answers_posts(admin_client):
    article = ArticleFactory()
    save(admin_client, article)

    response = admin_client.get(restore_url(article, article_versions(article)[0]))

    assert response.status_code == 405


@pytest.mark.django_db
def test_restoring_a_revision_of_another_article_is_404(admin_client):
    article, other = ArticleFactory(), ArticleFactory()
    save(admin_client, other)

    response = admin_client.post(
        restore_url(article, article_versions(other)[0]),
        {"edit_version": str(article.version)},
    )

    assert response.status_code == 404


# The body's differences ---------------------------------------------------------------


def test_body_diff_marks_added_and_removed_lines_with_context():
    lines = body_diff("one\ntwo\nthree", "one\n2\nthree\nfour")

    assert [(line.kind, line.text) for line in lines] == [
        ("gap", "Around line 1"),
        ("same", "one"),
        ("remove", "two"),
        ("add", "2"),
        ("same", "three"),
        ("add", "four"),
    ]


def test_body_diff_of_the_same_text_is_empty():
    assert body_diff("same\n", "same") == []


@pytest.mark.parametrize(
    ("versions", "chosen", "pair"),
    [
        (["v3", "v2", "v1"], (None, None), ("v2", "v3")),
        (["v3", "v2", "v1"], ("v1", None), ("v1", "v3")),
        (["v3", "v2", "v1"], ("v3", None), ("v2", "v3")),
        (["v3", "v2", "v1"], (None, "v2"), ("v1", "v2")),
        (["v3", "v2", "v1"], ("v3", "v1"), ("v3", "v1")),
        (["v1"], (None, None), (None, "v1")),
        ([], (None, None), (None, None)),
    ],
)
def test_pick_pair_fills_in_the_revisions_not_chosen(versions, chosen, pair):
    assert pick_pair(versions, *chosen) == pair
