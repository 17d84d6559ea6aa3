"""The WXR reader on the hand-written exports of tests/data/wxr (see its README) and
on a generated 2,000-post export."""

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from articles.transfer.wxr import Term, WXRError, read
from bench.wxr import write_wxr

DATA = Path(__file__).resolve().parents[1] / "data" / "wxr"
READABLE = [
    "site-1.2.xml",
    "site-1.1.xml",
    "version-1.0.xml",
    "statuses.xml",
    "content-shapes.xml",
    "slugs-and-titles.xml",
    "theme-unit-shapes.xml",
    "broken-item.xml",
]


def items(name: str) -> dict:
    return {item.post_id: item for item in read(DATA / name).items}


def minimal(body: str, *, version: str = "1.2", before: str = "") -> bytes:
    """A tiny export holding ``body`` in its channel."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" ?>{before}\n'
        f'<rss version="2.0" xmlns:wp="http://wordpress.org/export/{version}/" '
        f'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n'
        f"<channel><title>Tiny</title><wp:wxr_version>{version}</wp:wxr_version>"
        f"{body}</channel></rss>\n"
    ).encode()


@pytest.mark.parametrize("name", READABLE)
def test_every_hand_written_export_reads(name):
    export = read(DATA / name)

    assert export.items
    assert all(item.post_id > 0 and item.post_type for item in export.items)


@pytest.mark.parametrize(
    ("name", "version"),
    [("site-1.2.xml", "1.2"), ("site-1.1.xml", "1.1"), ("version-1.0.xml", "1.0")],
)
def test_the_version_is_the_wp_namespaces(name, version):
    assert read(DATA / name).version == version


def test_wxr_1_1_and_1_2_of_the_same_site_read_the_same():
    old, new = read(DATA / "site-1.1.xml"), read(DATA / "site-1.2.xml")

    assert old.authors == new.authors
    assert old.terms == new.terms
    # 1.1 has no post_modified; WordPress 3.3 wrote no comment type.
    for item in old.items + new.items:
        item.modified_gmt = None
        item.comments = [comment.content for comment in item.comments]
    assert old.items == new.items


def test_channel_and_authors():
    export = read(DATA / "site-1.2.xml")

    assert (export.title, export.link) == ("Little Steps", "https://old.example.org")
    assert export.base_site_url == export.base_blog_url == "https://old.example.org"
    maria = export.authors[0]
    assert (maria.login, maria.display_name, maria.email) == (
        "maria",
        "Maria Okafor",
        "maria@old.example.org",
    )
    assert (maria.first_name, maria.last_name, maria.id) == ("Maria", "Okafor", 1)
    assert [author.login for author in export.authors] == ["maria", "tom"]
    assert export.problems == []


def test_terms_of_every_taxonomy_with_parents_by_slug_and_descriptions():
    terms = {
        (term.taxonomy, term.slug): term for term in read(DATA / "site-1.2.xml").terms
    }

    assert terms["category", "naps"] == Term(
        taxonomy="category",
        slug="naps",
        name="Naps",
        parent="sleep",
        description="Daytime sleep, from the first weeks to the last nap.",
        id=4,
    )
    assert terms["category", "sleep"].parent == "baby"
    assert terms["category", "baby"].parent == ""
    assert terms["post_tag", "skin-care"].name == "skin care"
    assert terms["post_tag", "skin-care"].description.startswith("Rashes")
    assert terms["nav_menu", "main-menu"].name == "Main menu"


def test_a_published_post_with_everything():
    post = items("site-1.2.xml")[101]

    assert (post.post_type, post.status) == ("post", "publish")
    assert post.title == "Why newborns wake every few hours"
    assert post.slug == "why-newborns-wake"
    assert post.guid == "https://old.example.org/?p=101"
    assert post.link == "https://old.example.org/2019/05/03/why-newborns-wake/"
    assert post.creator == "maria"
    assert post.content.startswith("<!-- wp:paragraph -->\n<p>A newborn's stomach")
    assert post.content.endswith("<!-- /wp:image -->")
    assert post.excerpt.startswith("Short sleeps are normal")
    assert post.date_gmt == datetime(2019, 5, 3, 9, 15, tzinfo=UTC)
    assert post.date == datetime(2019, 5, 3, 10, 15)  # the site's time, naive
    assert post.modified_gmt == datetime(2020, 1, 14, 8, 0, tzinfo=UTC)
    assert (post.parent, post.menu_order, post.sticky, post.password) == (
        0,
        0,
        False,
        "",
    )
    assert post.meta == {"_edit_last": "1", "_thumbnail_id": "201"}
    assert post.attachment_url == ""


def test_an_items_categories_are_the_exports_terms_with_their_parents():
    post = items("site-1.2.xml")[101]

    assert [
        (term.taxonomy, term.slug, term.parent, term.id) for term in post.categories
    ] == [
        ("category", "health", "", 5),
        ("category", "naps", "sleep", 4),
        ("post_tag", "newborn", "", 6),
        ("post_tag", "routines", "", 7),
    ]


def test_comments_with_their_state_and_thread():
    first, reply = items("site-1.2.xml")[101].comments

    assert (first.id, first.author, first.approved, first.parent) == (
        11,
        "Priya",
        "1",
        0,
    )
    assert first.date_gmt == datetime(2019, 5, 4, 21, 40, tzinfo=UTC)
    assert first.content == "This was exactly what I needed at 3am. Thank you."
    assert (reply.id, reply.approved, reply.parent) == (12, "0", 11)
    assert reply.author_url == "https://sam.example.com"


def test_attachments_carry_their_file_alt_text_and_post():
    read_items = items("site-1.2.xml")
    image = read_items[int(read_items[102].meta["_thumbnail_id"])]

    assert (image.post_type, image.status, image.parent) == (
        "attachment",
        "inherit",
        102,
    )
    assert image.attachment_url == (
        "https://old.example.org/wp-content/uploads/2019/05/cradle-cap.jpg"
    )
    assert image.meta["_wp_attached_file"] == "2019/05/cradle-cap.jpg"
    assert image.meta["_wp_attachment_image_alt"] == (
        "A parent brushing a baby's scalp with a soft brush"
    )
    assert (DATA / "uploads" / image.meta["_wp_attached_file"]).is_file()
    missing = read_items[int(read_items[103].meta["_thumbnail_id"])]
    assert not (DATA / "uploads" / missing.meta["_wp_attached_file"]).exists()


def test_a_drafts_zero_date_is_none_and_its_local_date_kept():
    draft = items("site-1.2.xml")[104]

    assert (draft.status, draft.slug) == ("draft", "")
    assert draft.date_gmt is None
    assert draft.date == datetime(2019, 6, 20, 14, 2, 11)
    assert draft.link == "https://old.example.org/?p=104"


def test_classic_content_keeps_its_line_breaks():
    post = items("site-1.2.xml")[102]

    assert "<p>" not in post.content
    assert post.content.startswith("Cradle cap is the yellowish")
    assert "first months. It looks uncomfortable" in post.content
    assert "rarely bothers the baby.\n\n<img " in post.content


def test_whitespace_inside_cdata_and_every_character_of_a_title_are_kept():
    title = "\u200f  Sleep ‏🌙 & more  "
    body = (
        f"<item><title><![CDATA[{title}]]></title><wp:post_id>1</wp:post_id>"
        "<wp:post_type>post</wp:post_type>"
        "<content:encoded><![CDATA[\n  indented\n\n\ttabbed  \n]]></content:encoded>"
        "</item>"
    )

    post = read(io.BytesIO(minimal(body))).items[0]

    assert post.title == title
    assert post.content == "\n  indented\n\n\ttabbed  \n"


def test_one_item_per_status_and_post_type():
    read_items = items("statuses.xml")

    assert {
        number: (item.post_type, item.status) for number, item in read_items.items()
    } == {
        301: ("post", "publish"),
        302: ("post", "future"),
        303: ("post", "draft"),
        304: ("post", "pending"),
        305: ("post", "private"),
        306: ("post", "trash"),
        307: ("page", "publish"),
        308: ("page", "publish"),
        309: ("recipe", "publish"),
        310: ("nav_menu_item", "publish"),
        311: ("nav_menu_item", "publish"),
    }
    assert read_items[302].date_gmt == datetime(2099, 3, 1, 7, 0, tzinfo=UTC)
    assert read_items[303].slug == ""
    assert read_items[308].parent == 307
    assert read_items[308].menu_order == 2
    assert read_items[309].categories == [
        Term(taxonomy="course", slug="breakfast", name="Breakfast", id=20)
    ]
    assert read_items[310].meta["_menu_item_object_id"] == "307"
    assert len(read_items[301].comments) == 2


def test_content_shapes_arrive_untouched():
    read_items = items("content-shapes.xml")

    assert "<!-- wp:image" in read_items[401].content
    assert "<figcaption" in read_items[401].content
    assert "<!--more-->" in read_items[402].content
    assert '[caption id="attachment_452"' in read_items[403].content
    assert '[gallery ids="453,452,451"' in read_items[404].content
    assert "carrot-sticks-300x200.png" in read_items[405].content
    assert "<iframe" in read_items[406].content
    assert "[recipe_card" in read_items[407].content


def test_unicode_slugs_are_decoded_and_links_kept_as_written():
    export = read(DATA / "slugs-and-titles.xml")
    read_items = {item.post_id: item for item in export.items}

    assert read_items[501].slug == "نوم-الرضيع-في-الأشهر-الأولى"
    assert read_items[502].slug == "離乳食"
    assert read_items[502].title == "赤ちゃんの離乳食、はじめの一歩"
    assert [term.slug for term in read_items[501].categories] == ["أطفال"]
    assert Term("category", "أطفال", "أطفال", id=5) in export.terms
    assert read_items[501].link.startswith("https://old.example.net/%d8%a3%d8%b7")
    # Japan is nine hours ahead.
    assert read_items[502].date_gmt == datetime(2020, 2, 2, 0, 0, tzinfo=UTC)


def test_titles_keep_every_character():
    read_items = items("slugs-and-titles.xml")

    assert read_items[507].title == "Lullabies we love \u200fשיר ערש\u200f 🌙🎶"
    assert len(read_items[506].title) > 300
    assert read_items[505].title == ""
    # As WordPress stored it: the title is HTML there.
    assert read_items[508].title == "Bath &amp; bedtime: a routine that sticks"


def test_two_posts_with_one_slug_in_one_section_are_both_read():
    read_items = items("slugs-and-titles.xml")

    assert read_items[503].slug == read_items[504].slug == "fever-in-babies"
    assert read_items[503].categories == read_items[504].categories


def test_theme_unit_shapes():
    export = read(DATA / "theme-unit-shapes.xml")
    read_items = {item.post_id: item for item in export.items}
    parents = {term.slug: term.parent for term in export.terms}

    assert read_items[601].sticky and not read_items[602].sticky
    assert read_items[602].password == "moonbeam"
    assert read_items[603].title == read_items[604].title == ""
    assert read_items[604].content == ""
    assert "<!--more-->" in read_items[605].content
    chain, slug = [], read_items[605].categories[0].slug
    while slug:
        chain.append(slug)
        slug = parents[slug]
    assert chain == ["in-public", "tantrums", "behaviour", "toddlers", "parenting"]
    assert [(c.type, c.approved, c.parent) for c in read_items[601].comments] == [
        ("comment", "1", 0),
        ("comment", "1", 61),
        ("pingback", "1", 0),
        ("comment", "trash", 0),
        ("comment", "0", 0),
    ]


def test_wxr_1_0_authors_parents_and_repeated_categories():
    export = read(DATA / "version-1.0.xml")
    read_items = {item.post_id: item for item in export.items}

    # No author list: each dc:creator becomes one (1.0 wrote display names there).
    assert [(a.login, a.display_name) for a in export.authors] == [
        ("Daniel Brooks", "Daniel Brooks"),
        ("admin", "admin"),
    ]
    # 1.0 names a category's parent by its name: read as the parent's slug.
    feeding = next(term for term in export.terms if term.slug == "feeding")
    assert feeding.parent == "family-life"
    # Each category and tag is written twice (with and without nicename): once here.
    assert [(t.taxonomy, t.slug) for t in read_items[7].categories] == [
        ("category", "feeding"),
        ("post_tag", "first-year"),
    ]
    assert read_items[4].sticky
    assert read_items[2].post_type == "page"
    assert read_items[7].comments[0].content == "The lamp tip changed our nights."


def test_an_old_category_without_nicename_is_matched_by_name():
    body = (
        "<wp:category><wp:category_nicename>first-teeth</wp:category_nicename>"
        "<wp:cat_name>First teeth</wp:cat_name></wp:category>"
        "<item><title>Old</title><wp:post_id>3</wp:post_id>"
        "<category>First teeth</category><category>Not listed</category>"
        '<category>Bébé</category><category domain="category" nicename="bebe">'
        "Bébé</category></item>"
    )

    post = read(io.BytesIO(minimal(body, version="1.0"))).items[0]

    assert [(term.slug, term.name) for term in post.categories] == [
        ("first-teeth", "First teeth"),
        ("not-listed", "Not listed"),
        ("bebe", "Bébé"),
    ]


def test_a_broken_item_is_reported_and_the_others_read():
    export = read(DATA / "broken-item.xml")

    assert [item.post_id for item in export.items] == [701, 703, 704]
    assert export.items[2].comments == []
    assert len(export.problems) == 4
    bad_date, bad_id, no_id, comment = export.problems
    assert "A post whose date is broken" in bad_date and '"not a date"' in bad_date
    assert "A post whose id is not a number" in bad_id and '"abc"' in bad_id
    assert "A post without an id" in no_id and "no post_id" in no_id
    assert "704" in comment and "comment" in comment


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("not-xml.xml", "not-xml.xml is not well-formed XML (syntax error at line 1"),
        ("php-warning.xml", "text before its XML declaration (<?xml, on line 3)"),
        ("not-wxr.xml", "not a WordPress export: it starts with <urlset>"),
        ("rss-feed.xml", "an RSS feed, not a WordPress export"),
        ("entities.xml", "refused for safety"),
        ("unknown-version.xml", "WXR version 1.3"),
    ],
)
def test_a_file_we_cannot_read_says_why(name, says):
    with pytest.raises(WXRError) as error:
        read(DATA / name)

    assert says in str(error.value)


def test_a_cut_short_export_names_the_line(tmp_path):
    whole = (DATA / "site-1.2.xml").read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(whole[: len(whole) // 2])

    with pytest.raises(
        WXRError, match=r"cut\.xml is not well-formed XML \(.* at line \d+"
    ):
        read(cut)


def test_any_dtd_is_refused_even_without_entities():
    export = minimal("", before='\n<!DOCTYPE rss SYSTEM "http://example.com/rss.dtd">')

    with pytest.raises(WXRError, match="DTD"):
        read(io.BytesIO(export))


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(WXRError, match="Cannot read nothing.xml: No such file"):
        read(tmp_path / "nothing.xml")


def test_an_rss_without_a_channel_is_not_an_export():
    with pytest.raises(WXRError, match="no <channel>"):
        read(io.BytesIO(b'<rss version="2.0"></rss>'))


def test_reads_an_open_binary_file_and_names_it_in_errors():
    with open(DATA / "site-1.1.xml", "rb") as file:
        assert read(file).version == "1.1"
    with (
        open(DATA / "not-wxr.xml", "rb") as file,
        pytest.raises(WXRError, match="^not-wxr"),
    ):
        read(file)


def test_a_byte_order_mark_is_fine():
    assert read(io.BytesIO(b"\xef\xbb\xbf" + minimal(""))).title == "Tiny"


def test_a_generated_export_of_2000_posts_reads(tmp_path):
    export = read(write_wxr(tmp_path / "big.xml", posts=2000, seed=3))
    posts = [item for item in export.items if item.post_type == "post"]
    attachments = {
        item.post_id for item in export.items if item.post_type == "attachment"
    }

    assert export.version == "1.2"
    assert export.problems == []
    assert len(posts) == 2000
    unpublished = sum(post.status != "publish" for post in posts)
    assert 100 < unpublished < 300  # about a tenth
    assert {post.status for post in posts} == {"publish", "draft", "pending", "future"}
    featured = [post for post in posts if "_thumbnail_id" in post.meta]
    assert len(featured) > 1000
    assert all(int(post.meta["_thumbnail_id"]) in attachments for post in featured)
    assert any("<!-- wp:heading -->" in post.content for post in posts)
    assert any("[gallery ids=" in post.content for post in posts)
    assert any("https://bench.example.org/20" in post.content for post in posts)
    parents = {term.slug: term.parent for term in export.terms}
    assert any(parents.get(parents.get(slug, ""), "") for slug in parents)  # 3 deep
    assert len({post.slug for post in posts if post.slug}) == len(
        [post for post in posts if post.slug]
    )


def test_the_generator_is_deterministic_and_writes_the_images(tmp_path):
    first = write_wxr(
        tmp_path / "a.xml", posts=50, seed=7, media_dir=tmp_path / "media"
    )
    again = write_wxr(tmp_path / "b.xml", posts=50, seed=7)
    other = write_wxr(tmp_path / "c.xml", posts=50, seed=8)

    assert first.read_bytes() == again.read_bytes() != other.read_bytes()
    files = [
        item.meta["_wp_attached_file"]
        for item in read(first).items
        if item.post_type == "attachment"
    ]
    assert files
    assert all((tmp_path / "media" / name).stat().st_size > 0 for name in files)
