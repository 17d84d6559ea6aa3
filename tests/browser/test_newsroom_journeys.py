"""The newsroom's everyday work on the demo content, on the site as deployed (the `site`
fixture: DEBUG off, gunicorn, collected static files, real logins).

A writer writes an article with everything a body can hold, previews it, saves it twice
and submits it; an editor edits the flagship, sends an article back to its writer, who
fixes and resubmits it, publishes it once its medical review is recorded, restores a
revision, schedules an article and unpublishes one that other articles link to. Each
step asserts what the person sees: messages, the admin's pages and the public site.

The server's data lasts the session and other browser tests read the flagship: these
journeys put back the two small edits they make to it, make their own articles, and
unpublish "Nappy rash", which no other browser test reads.
"""

import re
from datetime import datetime, timedelta
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from articles.demo.content import ARTICLES, AUTHORS, EXPERTS, FLAGSHIP
from cms.management.commands.ensure_demo_editor import WRITER_AUTHOR

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TITLES = {article["slug"]: article["title"] for article in ARTICLES}
EXPERT = {expert["slug"]: expert for expert in EXPERTS}
WRITER_NAME = next(a["display_name"] for a in AUTHORS if a["slug"] == WRITER_AUTHOR)
FLAGSHIP_URL = "/{}/{}/".format(*FLAGSHIP)
LONDON = ZoneInfo("Europe/London")  # the site's TIME_ZONE
# gunicorn's access log: ... "GET /path HTTP/1.1" 500 1234 ...
SERVER_ERROR = re.compile(r'"[A-Z]+ (?P<path>\S+) HTTP/[\d.]+" 5\d\d ')


def full_name(expert: dict) -> str:
    return f"{expert['honorific']} {expert['name']}".strip()


# --- What a person does on an admin page -------------------------------------------


def messages(page) -> list[str]:
    return page.locator(".messagelist li").all_inner_texts()


def errors(page) -> list[str]:
    return page.locator(".errornote, .errorlist li").all_inner_texts()


def save(page, button: str = "_continue") -> None:
    """Press a save button ("_continue": Save and continue editing) and wait for the
    answer."""
    with page.expect_navigation():
        page.click(f"input[name={button}]")


def pick(page, scope, term: str, option: str) -> None:
    """Choose `option` in the admin autocomplete (select2) in `scope` (a selector or a
    locator) by typing `term`."""
    if isinstance(scope, str):
        scope = page.locator(scope)
    scope.locator(".select2-selection").first.click()
    page.locator(".select2-container--open .select2-search__field").fill(term)
    page.locator(".select2-results__option", has_text=option).first.click()


def upload_to_library(page, site, path, *, title: str, alt: str) -> None:
    """Add a picture to the image library, as a writer does before picking it."""
    page.goto(f"{site.url}/admin/cms/image/add/")
    page.fill("#id_title", title)
    page.locator("#id_file").set_input_files(path)
    page.fill("#id_alt", alt)
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/cms/image/")
    page.goto(f"{site.url}/admin/")


def select_text(field, text: str) -> None:
    """Select `text` in a textarea, as a person dragging over the words would."""
    field.evaluate(
        "(el, text) => { el.focus(); const at = el.value.indexOf(text);"
        " if (at < 0) throw new Error(`not in the field: ${text}`);"
        " el.setSelectionRange(at, at + text.length); }",
        text,
    )


def retype(page, field, old: str, new: str) -> None:
    """Select `old` in a textarea and type `new` over it."""
    select_text(field, old)
    page.keyboard.type(new)


def field_text(page, name: str) -> str:
    """A read-only field's value on an admin change page."""
    return page.locator(f".field-{name} .readonly").inner_text().strip()


def start_page_block(page, site, state: str):
    page.goto(f"{site.url}/admin/")
    return page.locator(f"#dashboard-{state}")


def open_in_changelist(page, site, title: str) -> None:
    """Find an article by its title with the admin's search and open it."""
    page.goto(f"{site.url}/admin/articles/article/")
    page.fill("#searchbar", title)
    with page.expect_navigation():
        page.press("#searchbar", "Enter")
    page.locator("#result_list").get_by_role("link", name=title, exact=True).click()
    page.wait_for_url(re.compile(r"/admin/articles/article/\d+/change/"))


def write_article(page, site, *, title: str, standfirst: str, section: str, body: str):
    """From the start page, add an article and submit it for review in one save."""
    page.goto(f"{site.url}/admin/")
    page.locator("tr.model-article a.addlink").click()
    page.fill("#id_title", title)
    page.fill("#id_standfirst", standfirst)
    pick(page, ".field-category", section, section)
    page.locator("#id_body").fill(body)
    page.get_by_label("Submit for review").check()
    save(page)
    assert f"“{title}” is now in review: an editor will look at it." in messages(
        page
    ), errors(page)


def listed_at(page, site, path: str, term: str) -> list[str]:
    """Where readers and search engines find the page at `path`: the sitemap, the
    site's feed, a search for `term`."""
    places = {
        "sitemap": "/sitemaps/articles.xml",
        "feed": "/feeds/rss/",
        "search": f"/search/?q={quote_plus(term)}",
    }
    return [
        name
        for name, address in places.items()
        if path in page.request.get(site.url + address).text()
    ]


def assert_no_server_errors(site, since: int) -> None:
    log = site.log(since)
    failed = [match["path"] for match in SERVER_ERROR.finditer(log)]
    assert not failed and "Traceback" not in log, f"Server errors on {failed}:\n{log}"


@pytest.fixture
def other_page(browser):
    """A second person's browser, beside `page`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture
def list_image(tmp_path):
    """A real PNG, as a writer's camera roll would give."""
    path = tmp_path / "milia-on-nose.png"
    image = Image.new("RGB", (800, 600), (236, 200, 180))
    for x in range(300, 500, 20):
        image.paste((255, 250, 240), (x, 280, x + 6, 286))
    image.save(path)
    return path


# --- The writer --------------------------------------------------------------------

MILIA = "Milia: the tiny white spots on a newborn's nose"
QUOTE_WORDS = "Please resist the urge to squeeze the little bumps."
QUOTE_EXPERT = EXPERT["owen-castellane"]
MENTIONED = EXPERT["helena-marsh"]
LINKED = "cradle-cap"
H2S = ["What milia look like", "Do milia need treatment?", "Other spots to know about"]
QUOTE_EXPERT_FULL_NAME = full_name(QUOTE_EXPERT)
MENTIONED_FULL_NAME = full_name(MENTIONED)
ITEM_ALT = "Tiny white spots across a newborn baby's nose"
ITEM_IMAGE = "Milia on a newborn's nose"


def test_writer_writes_an_article_previews_it_saves_twice_and_submits_it(
    site, page, list_image
):
    since = site.log_size()
    site.login(page, "Writer")
    # The list item's picture goes into the image library first.
    upload_to_library(page, site, list_image, title=ITEM_IMAGE, alt=ITEM_ALT)

    # From the start page: Articles → Add.
    page.locator("tr.model-article a.addlink").click()
    page.wait_for_url("**/admin/articles/article/add/")
    # The byline starts as the writer's own.
    byline = page.locator("#article_authors-group .field-author")
    assert byline.locator("select option:checked").inner_text() == WRITER_NAME
    assert WRITER_NAME in byline.locator(".select2-selection__rendered").inner_text()

    page.locator("#id_title").press_sequentially(MILIA)
    assert (
        page.input_value("#id_slug") == "milia-the-tiny-white-spots-on-a-newborns-nose"
    )
    page.fill(
        "#id_standfirst",
        "Pinhead-sized white spots on your baby's nose are very common and clear "
        "up by themselves.",
    )
    pick(page, ".field-category", "health", "Baby › Health")

    # The body, typed into the editor, with a quote placed by its button.
    body = page.locator("#id_body")
    chin = "Look for pinhead-sized white or yellow bumps on the nose, cheeks and chin."
    body.click()
    body.press_sequentially(
        "Milia are tiny white spots that many babies are born with.\n\n"
        f"## {H2S[0]}\n\n"
        f"{chin}\n\n"
    )
    page.click("#article_quotes-group .add-row a")
    quote_row = page.locator("#article_quotes-group tr.form-row:not(.empty-form)").last
    pick(page, quote_row, "resist the urge", "resist the urge")
    reference = quote_row.locator(".quote-ref").inner_text()
    assert re.fullmatch(r"\[\[quote:\d+\]\]", reference), reference
    quote_row.get_by_role("button", name="Insert in body").click()
    # The button leaves the cursor on a fresh paragraph after the reference.
    body.press_sequentially(
        f"## {H2S[1]}\n\n"
        "No. We asked [[expert:helena-marsh]], who says they clear within weeks.\n\n"
        f"## {H2S[2]}\n\n"
        "Read our guide to cradle cap as well."
    )
    # A link to another article, picked by its title for the selected words.
    select_text(body, "our guide to cradle cap")
    page.get_by_label("Link to an article").fill("cradle")
    result = page.locator(".article-link-results .insert-article-link")
    result.first.wait_for()
    assert result.all_inner_texts() == [TITLES[LINKED]]
    result.first.click()
    typed = body.input_value()
    assert f"{chin}\n\n{reference}\n\n## {H2S[1]}" in typed, typed
    assert re.search(
        r"Read \[\[article:\d+\|our guide to cradle cap\]\] as well\.", typed
    )

    # The live preview beside the editor shows the headings, quote, expert and link.
    preview = page.locator(".field-body .markdownx-preview")
    preview.locator("figure.quote").wait_for()
    preview.locator("a", has_text="our guide to cradle cap").wait_for()
    assert preview.locator("h2").all_inner_texts() == H2S
    assert QUOTE_WORDS in preview.locator("figure.quote").inner_text()
    assert preview.locator("a.expert-mention").inner_text() == MENTIONED_FULL_NAME

    page.fill("#id_list_heading", "Other newborn skin changes")
    page.click("#list_items-group .add-row a")
    item = page.locator("#list_items-group .inline-related:not(.empty-form)").last
    item.get_by_label("Heading:").fill("Milia")
    pick(page, item.locator(".field-image"), "milia", ITEM_IMAGE)
    item.locator("textarea").fill("Tiny white spots that **clear by themselves**.")

    save(page)
    assert messages(page) == [
        f"The article “{MILIA}” was added successfully. You may edit it again below."
    ], errors(page)
    assert field_text(page, "state") == "Draft"
    assert page.locator("#article_quotes-group .field-sign_off").first.inner_text() == (
        "Approved by the expert"
    )

    # Preview opens in a new tab: the page exactly as readers would get it.
    with page.context.expect_page() as opened:
        page.locator("a.preview-link").click()
    preview_page = opened.value
    preview_page.wait_for_load_state()
    assert preview_page.locator("h1").inner_text() == MILIA
    assert preview_page.locator("header .byline").inner_text() == f"By {WRITER_NAME}"
    assert (
        "Preview: this article is a draft"
        in preview_page.locator(".preview-banner").inner_text()
    )
    assert preview_page.locator("nav.toc li").all_inner_texts()[:3] == H2S
    figure = preview_page.locator(".prose figure.quote")
    assert QUOTE_WORDS in figure.locator("blockquote").inner_text()
    caption = figure.locator("figcaption").inner_text()
    assert QUOTE_EXPERT_FULL_NAME in caption and QUOTE_EXPERT["job_title"] in caption
    mention = preview_page.locator(".prose a.expert-mention")
    assert mention.inner_text() == MENTIONED_FULL_NAME
    assert mention.get_attribute("href") == f"/experts/{MENTIONED['slug']}/"
    sentence = preview_page.locator(
        ".prose p", has=preview_page.locator("a.expert-mention")
    ).inner_text()
    assert f"{MENTIONED_FULL_NAME}, {MENTIONED['job_title']} at " in sentence
    link = preview_page.locator(".prose a", has_text="our guide to cradle cap")
    assert link.get_attribute("href") == f"/baby-health/{LINKED}/"
    image = preview_page.locator("#item-1 img")
    assert image.get_attribute("alt") == ITEM_ALT
    preview_page.wait_for_function(
        "() => document.querySelector('#item-1 img').complete"
        " && document.querySelector('#item-1 img').naturalWidth > 0"
    )
    assert "clear by themselves" in preview_page.locator("#item-1").inner_text()
    preview_page.close()

    # Saved again as it is: nothing is lost.
    save(page)
    assert messages(page) == [
        f"The article “{MILIA}” was changed successfully. You may edit it again below."
    ], errors(page)
    assert body.input_value() == typed
    item = page.locator("#list_items-group .inline-related:not(.empty-form)")
    assert item.count() == 1
    assert item.get_by_label("Heading:").input_value() == "Milia"
    # The same library image, still chosen.
    chosen = item.locator(".field-image select option:checked")
    assert chosen.inner_text() == ITEM_IMAGE

    # Submitted: the writer sees it in review, and on the start page.
    page.get_by_label("Submit for review").check()
    save(page)
    assert f"“{MILIA}” is now in review: an editor will look at it." in messages(
        page
    ), errors(page)
    # No longer theirs to edit, it leaves them on the start page, not on its form.
    assert page.url == f"{site.url}/admin/"
    in_review = start_page_block(page, site, "yours_in_review")
    assert MILIA not in page.locator("#dashboard-draft").inner_text()
    # Opened from there, it can be read but no longer changed.
    in_review.get_by_role("link", name=MILIA).click()
    assert field_text(page, "state") == "In review"
    assert page.locator("#id_body").count() == 0
    assert_no_server_errors(site, since)
    shown = page.locator("fieldset", has_text="Workflow").locator(".readonly")
    assert "None" not in shown.all_inner_texts(), (
        "The read-only Workflow fields show Python's None: "
        f"{page.locator('fieldset', has_text='Workflow').first.inner_text()!r}"
    )


def test_a_refused_save_does_not_silently_drop_the_chosen_list_image(
    site, page, list_image
):
    """A browser cannot send a chosen file twice: after a refused save the writer must
    be shown the image is kept, or be told to choose it again."""
    since = site.log_size()
    site.login(page, "Writer")
    upload_to_library(
        page, site, list_image, title="Acne on a cheek", alt="Small red spots"
    )
    page.goto(f"{site.url}/admin/articles/article/add/")
    page.locator("#id_title").press_sequentially("Baby acne: spots in the first weeks")
    page.fill("#id_standfirst", "Small spots on the cheeks are common and harmless.")
    pick(page, ".field-category", "toddler", "Toddler")
    # A slip in the expert's address: the save is refused, naming it.
    page.fill("#id_body", "## Spots\n\nWe asked [[expert:helena-mars]].")
    page.click("#list_items-group .add-row a")
    item = page.locator("#list_items-group .inline-related:not(.empty-form)").last
    item.get_by_label("Heading:").fill("Baby acne")
    pick(page, item.locator(".field-image"), "acne", "Acne on a cheek")
    save(page)
    assert "[[expert:helena-mars]] is not an expert." in " ".join(errors(page))

    item = page.locator("#list_items-group .inline-related:not(.empty-form)").last
    chosen = item.locator(".field-image select option:checked")
    kept = chosen.count() == 1 and chosen.inner_text() == "Acne on a cheek"
    told = item.locator(".field-image .errorlist").count() > 0
    assert kept or told, (
        "After the refused save the image chosen for the list item is gone, and "
        f"nothing says so: {item.locator('.field-image').inner_text()!r}"
    )
    assert_no_server_errors(site, since)


# --- The editor --------------------------------------------------------------------

FLAGSHIP_TITLE = TITLES[FLAGSHIP[1]]
# (typed over, typed): a sentence of the flagship's body and of its "Heat rash" item.
BODY_EDIT = ("Take a breath.", "Take a slow, deep breath.")
ITEM_EDIT = ("take off a layer", "take off a layer or two")
PUT_FLAGSHIP_BACK = """
from articles.models import Article

article = Article.objects.get(slug=SLUG)
if BODY_EDIT[1] in article.body:
    article.body = article.body.replace(BODY_EDIT[1], BODY_EDIT[0])
    article.save()
item = article.list_items.get(heading="Heat rash")
if ITEM_EDIT[1] in item.text:
    item.text = item.text.replace(ITEM_EDIT[1], ITEM_EDIT[0])
    item.save()
print(article.review_is_current)
"""


@pytest.fixture
def flagship_put_back(site):
    """Afterwards the flagship has the demo's words again, so its medical review is
    current for the browser tests that follow."""
    yield
    current = site.shell(
        f"SLUG = {FLAGSHIP[1]!r}\nBODY_EDIT = {BODY_EDIT!r}\nITEM_EDIT = {ITEM_EDIT!r}\n"
        + PUT_FLAGSHIP_BACK
    )
    assert current.strip() == "True"


def test_editor_edits_the_flagship_body_and_a_list_item(site, page, flagship_put_back):
    since = site.log_size()
    site.login(page, "Editor")
    open_in_changelist(page, site, FLAGSHIP_TITLE)

    retype(page, page.locator("#id_body"), *BODY_EDIT)
    heat_rash = page.locator("#list_items-group .inline-related").filter(
        has=page.locator("input[name$='-heading'][value='Heat rash']")
    )
    retype(page, heat_rash.locator("textarea"), *ITEM_EDIT)
    save(page)

    assert messages(page) == [
        f"The body of “{FLAGSHIP_TITLE}” has changed since its medical review, so "
        "readers now see “Last reviewed by …” instead of “Medically reviewed by …”, "
        "and it is listed as review due. Record a new review under Medical review "
        "when the reviewer has checked this version.",
        f"The article “{FLAGSHIP_TITLE}” was changed successfully. You may edit it "
        "again below.",
    ], errors(page)
    assert BODY_EDIT[1] in page.input_value("#id_body")
    # The body changed after its medical review: the admin says so.
    assert field_text(page, "review_status").startswith("Out of date")

    page.goto(site.url + FLAGSHIP_URL)
    assert BODY_EDIT[1] in page.locator(".article-main > .prose").inner_text()
    item = page.locator(
        ".numbered-list > li", has=page.locator("h3", has_text="Heat rash")
    )
    assert ITEM_EDIT[1] in item.inner_text()
    # Nothing else was lost: the hero and the eleven list images are all there.
    assert page.locator("figure.hero img").count() == 1
    assert page.locator(".numbered-list > li").count() == 11
    assert page.locator(".numbered-list > li img").count() == 11
    assert page.locator(".medical-review").inner_text().startswith("Last reviewed by")
    assert_no_server_errors(site, since)


STORK = "Stork marks: the pink patches on a newborn's neck"
STORK_URL = "/baby-health/stork-marks-the-pink-patches-on-a-newborns-neck/"
FIRST_ADVICE = "Ask your health visitor if you are worried."
FIXED_ADVICE = "See your GP if a mark is raised, growing or still there at one year."
SEND_BACK_COMMENT = "Please say when a GP should look at a mark."
STORK_BODY = f"""\
Stork marks are flat pink or red patches that many babies are born with.

## Where stork marks appear

Most appear on the back of the neck, the eyelids or the forehead.

## When to get help

{FIRST_ADVICE}"""


def test_editor_sends_back_writer_resubmits_editor_publishes_and_restores_revision(
    site, page, other_page
):
    since = site.log_size()
    writer, editor = other_page, page
    site.login(writer, "Writer")
    write_article(
        writer,
        site,
        title=STORK,
        standfirst="Flat pink patches on the neck or eyelids are very common.",
        section="Health",
        body=STORK_BODY,
    )

    # The editor finds it waiting and sends it back: first without saying why.
    site.login(editor, "Editor")
    start_page_block(editor, site, "in_review").get_by_role("link", name=STORK).click()
    editor.get_by_label("Send back to the writer").check()
    save(editor)
    assert "Say what needs changing when you send it back." in errors(editor)
    editor.get_by_label("Comment:").fill(SEND_BACK_COMMENT)
    save(editor)
    assert (
        f"“{STORK}” is sent back to its writers with your comment; it is a draft again."
        in messages(editor)
    ), errors(editor)
    assert field_text(editor, "editor_note") == (
        f"editor sent this back: {SEND_BACK_COMMENT}"
    )

    # The writer sees it sent back, with the comment, fixes it and resubmits.
    sent_back = start_page_block(writer, site, "sent_back")
    row = sent_back.locator("tr", has=writer.get_by_role("link", name=STORK))
    assert row.locator(".sent-back-badge").inner_text() == "Sent back"
    assert row.locator(".editor-comment").inner_text() == (
        f"editor: {SEND_BACK_COMMENT}"
    )
    row.get_by_role("link", name=STORK).click()
    assert field_text(writer, "editor_note") == (
        f"editor sent this back: {SEND_BACK_COMMENT}"
    )
    retype(writer, writer.locator("#id_body"), FIRST_ADVICE, FIXED_ADVICE)
    writer.get_by_label("Submit for review").check()
    save(writer)
    assert f"“{STORK}” is now in review: an editor will look at it." in messages(
        writer
    ), errors(writer)
    assert STORK not in start_page_block(writer, site, "sent_back").inner_text()

    # Publishing needs a medical review in this section: refused until one is recorded.
    start_page_block(editor, site, "in_review").get_by_role("link", name=STORK).click()
    assert FIXED_ADVICE in editor.input_value("#id_body")
    editor.get_by_label("Publish (or schedule)").check()
    save(editor)
    assert (
        "Articles in Baby › Health need a medical review before they are published. "
        "Record who reviewed it and when under Medical review, then publish."
    ) in errors(editor)
    assert editor.get_by_label("Publish (or schedule)").is_checked()
    pick(editor, ".field-reviewed_by", "Helena", MENTIONED_FULL_NAME)
    editor.locator(".field-reviewed_at").get_by_role("link", name="Today").click()
    save(editor)
    assert f"“{STORK}” is now published." in messages(editor), errors(editor)
    assert field_text(editor, "state") == "Published"
    today = datetime.now(LONDON)
    assert field_text(editor, "published_at").startswith(f"{today.day} {today:%b %Y}, ")
    change_url = editor.url
    assert field_text(editor, "review_status").startswith(
        f"Current: reviewed by {MENTIONED_FULL_NAME}"
    )

    editor.goto(site.url + STORK_URL)
    assert editor.locator("h1").inner_text() == STORK
    assert listed_at(editor, site, STORK_URL, STORK) == ["sitemap", "feed", "search"]
    assert FIXED_ADVICE in editor.locator(".article-main > .prose").inner_text()
    assert (
        editor.locator(".medical-review")
        .inner_text()
        .startswith(f"Medically reviewed by {MENTIONED_FULL_NAME}")
    )

    # A tidy-up deletes the advice by mistake; comparing finds it, restoring brings
    # it back.
    editor.goto(change_url)
    section = f"## When to get help\n\n{FIXED_ADVICE}"
    select_text(editor.locator("#id_body"), section)
    editor.keyboard.press("Delete")
    save(editor)
    assert FIXED_ADVICE not in editor.input_value("#id_body"), errors(editor)
    editor.locator("summary", has_text="Record").click()
    editor.locator(".field-revisions").get_by_role(
        "link", name="Compare revisions"
    ).click()
    revisions = editor.locator("form.revision-picker tbody tr")
    older, newest = revisions.nth(1), revisions.nth(0)
    older_saved = older.locator("td").nth(2).inner_text()
    older.locator("input[name=from]").check()
    newest.locator("input[name=to]").check()
    with editor.expect_navigation():
        editor.get_by_role("button", name="Compare").click()
    assert editor.locator(".field-changes").get_by_role(
        "rowheader"
    ).all_inner_texts() == ["Body"]
    removed = editor.locator(".body-diff del").all_inner_texts()
    assert any(FIXED_ADVICE in line for line in removed), removed

    restore = editor.locator(".restore-forms input[type=submit]")
    assert restore.get_attribute("value") == f"Restore the revision of {older_saved}"
    with editor.expect_navigation():
        restore.click()
    assert messages(editor) == [
        f"Restored the revision of {older_saved} as a new save. Its state and "
        "publication time are unchanged."
    ], errors(editor)
    assert FIXED_ADVICE in editor.input_value("#id_body")
    assert field_text(editor, "state") == "Published"
    editor.goto(site.url + STORK_URL)
    assert FIXED_ADVICE in editor.locator(".article-main > .prose").inner_text()
    # The body is again the one reviewed.
    assert (
        editor.locator(".medical-review")
        .inner_text()
        .startswith(f"Medically reviewed by {MENTIONED_FULL_NAME}")
    )
    assert_no_server_errors(site, since)


TANTRUMS = "Tantrums in the supermarket: staying calm when they cannot"
TANTRUMS_URL = "/toddler/tantrums-staying-calm/"
IN_REVIEW_BY_WRITER = """
from django.contrib.auth import get_user_model
from articles.models import Article, ArticleAuthor, Category
from articles.services import article_transition

writer = get_user_model().objects.get(username="writer")
article = Article.objects.create(
    title=TITLE,
    slug=SLUG,
    standfirst="Tantrums are a normal part of growing up.",
    category=Category.objects.get(slug=SECTION),
    body="## Why tantrums happen\\n\\nToddlers have big feelings and few words.",
    created_by=writer,
    modified_by=writer,
)
ArticleAuthor.objects.create(article=article, author=writer.author, position=0)
article_transition(article=article, by=writer, to_status="in_review")
"""


def test_editor_schedules_an_article_for_later(site, page):
    since = site.log_size()
    site.shell(
        f"TITLE = {TANTRUMS!r}\nSLUG = 'tantrums-staying-calm'\nSECTION = 'toddler'\n"
        + IN_REVIEW_BY_WRITER
    )
    goes_live = (datetime.now(LONDON) + timedelta(days=3)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    site.login(page, "Editor")
    start_page_block(page, site, "in_review").get_by_role("link", name=TANTRUMS).click()

    page.get_by_label("Publish (or schedule)").check()
    page.fill("#id_publish_at_0", goes_live.strftime("%d/%m/%Y"))
    page.fill("#id_publish_at_1", "09:30")
    save(page)

    assert any(
        m.startswith(f"“{TANTRUMS}” is now scheduled: it goes live on ")
        for m in messages(page)
    ), errors(page)
    assert field_text(page, "state") == "Scheduled"
    assert field_text(page, "published_at").startswith(
        f"{goes_live.day} {goes_live:%b %Y}, 9:30"
    )
    # Not on the public site until then.
    assert page.goto(site.url + TANTRUMS_URL).status == 404
    assert listed_at(page, site, TANTRUMS_URL, TANTRUMS) == []
    page.goto(site.url + "/toddler/")
    assert TANTRUMS not in page.locator("main").inner_text()
    # The start page lists it with the time it goes live.
    scheduled = start_page_block(page, site, "scheduled")
    row = scheduled.locator("tr", has=page.get_by_role("link", name=TANTRUMS))
    assert row.locator("time").inner_text() == (
        f"{goes_live.day} {goes_live:%b %Y}, 09:30"
    )
    assert_no_server_errors(site, since)


UNPUBLISHED = "nappy-rash"
LINKING = ["eczema-in-babies", "oral-thrush-in-babies", FLAGSHIP[1]]


def test_editor_unpublishes_an_article_that_others_link_to(site, page):
    since = site.log_size()
    title = TITLES[UNPUBLISHED]
    url = f"/baby-health/{UNPUBLISHED}/"
    page.goto(site.url + "/baby-health/eczema-in-babies/")
    assert page.locator(".prose a", has_text="nappy rash").get_attribute("href") == url
    assert {"sitemap", "search"} <= set(listed_at(page, site, url, title))

    site.login(page, "Editor")
    open_in_changelist(page, site, title)
    page.locator("summary", has_text="Links").click()
    links_here = page.locator(".field-links_here").inner_text()
    assert all(TITLES[slug] in links_here for slug in LINKING), links_here

    page.get_by_label("Unpublish (archive)").check()
    save(page)
    linking = "; ".join(f"“{TITLES[slug]}”" for slug in sorted(LINKING, key=TITLES.get))
    assert errors(page) == [
        "Please correct the error below.",
        f"Published articles link to this one: {linking}. They will keep the words but "
        "lose the link. Tick “Yes, unpublish although these articles link to it” to "
        "unpublish anyway.",
    ]
    assert field_text(page, "state") == "Published"
    page.get_by_label("Yes, unpublish although these articles link to it").check()
    save(page)
    assert f"“{title}” is now unpublished (archived)." in messages(page), errors(page)
    assert field_text(page, "state") == "Unpublished (archived)"

    assert page.goto(site.url + url).status == 404
    page.goto(site.url + "/baby-health/eczema-in-babies/")
    sentence = page.locator(".prose p", has_text="Check out our guide to nappy rash")
    assert sentence.inner_text() == "Check out our guide to nappy rash too."
    assert sentence.locator("a").count() == 0
    assert page.locator(f"a[href='{url}']").count() == 0
    assert listed_at(page, site, url, title) == []
    assert_no_server_errors(site, since)
