"""The site admin's journey and two editors saving the flagship at once, on the site as
deployed (the `site` fixture: DEBUG off, gunicorn, whitenoise, the demo content).

Each step asserts what the person sees. `site.emails()` reads the mail the server sent;
`site.shell()` only double-checks stored data or puts the flagship back.
"""

import json
import re
import secrets
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from articles.demo.content import ARTICLES, AUTHORS, CATEGORIES, FLAGSHIP

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FLAGSHIP_TITLE = next(a["title"] for a in ARTICLES if a["slug"] == FLAGSHIP[1])
FLAGSHIP_PAGE = "/{}/{}/".format(*FLAGSHIP)
# Esme's page is read by no other browser test; her job title is put back at the end.
AUTHOR = next(a for a in AUTHORS if a["slug"] == "esme-dalgleish")
SECTION = next(c for c in CATEGORIES if c["slug"] == FLAGSHIP[0])
SITE_TIME_ZONE = ZoneInfo("Europe/London")  # DJANGO_TIME_ZONE's default

SAVE_AND_CONTINUE = "input[name=_continue]"
SUCCESS = ".messagelist .success"
FORM_ERROR = ".errorlist.nonfield"
BANNER = ".unsaved-changes"
STORED_COPIES = (
    "Object.keys(localStorage).filter(k => k.startsWith('unsaved-changes:/')).length"
)
# "<who> saved this article at 5 December 2026, 06:56, after you opened it. …"
STALE = re.compile(
    r"^(?P<who>.+) saved this article at (?P<when>\d{1,2} \w+ \d{4}, \d\d:\d\d), "
    r"after you opened it\. Your changes have not been saved and are still in this "
    r"form"
)
SERVER_ERROR = re.compile(r'HTTP/1\.[01]" 5\d\d |Traceback|Internal Server Error')


def accept_dialogs(page):
    """Leaving a form with edits asks first (beforeunload): this person says yes."""
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def email_to(site, address, *, after=0, timeout=10.0):
    """The newest message to `address` beyond the first `after` sent; waits a little."""
    deadline = time.monotonic() + timeout
    while True:
        sent = [m for m in site.emails()[after:] if m["To"] == address]
        if sent:
            return sent[-1]
        assert time.monotonic() < deadline, f"no email to {address}"
        time.sleep(0.2)


def link_in(site, message, path_start):
    text = message.get_content()
    found = re.search(rf"{re.escape(site.url)}{re.escape(path_start)}\S+", text)
    assert found, f"no {path_start} link in:\n{text}"
    return found.group(0)


def pick(page, container, query, choice):
    """Choose in an autocomplete (select2) box, as a person does: open, type, click."""
    container.locator(".select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(query)
    page.locator(".select2-results__option", has_text=choice).first.click()


def server_errors(site, since):
    return [line for line in site.log(since).splitlines() if SERVER_ERROR.search(line)]


# --- Site admin ------------------------------------------------------------------------


def test_site_admin_adds_a_writer_who_sets_a_password_and_writes(site, person):
    # Steps that fail without stopping the journey are collected and reported at the end.
    problems = []
    log_start = site.log_size()
    username = f"nadia-{secrets.token_hex(3)}"
    address = f"{username}@example.com"
    password = "Kettle-lantern-47-orchard"
    emails_before = len(site.emails())

    # The site admin adds a login: Authentication and Authorization → Users → Add.
    admin = person()
    site.login(admin, "Site admin")
    admin.locator("tr.model-user").get_by_role("link", name="Add").click()
    expect(admin.locator("h1")).to_have_text("Add user")
    assert admin.locator("input[type=password]").count() == 0
    expect(admin.locator(".field-email .help")).to_contain_text(
        "They are sent a link to choose their password here."
    )
    admin.fill("#id_username", username)
    admin.fill("#id_first_name", "Nadia")
    admin.fill("#id_last_name", "Quill")
    admin.fill("#id_email", address)
    admin.select_option("#id_groups_from", label="Writer")
    admin.get_by_role("button", name="Choose selected groups").click()
    expect(admin.locator("#id_groups_to option")).to_have_text(["Writer"])
    admin.click("input[name=_save]")
    expect(admin.locator(SUCCESS).first).to_have_text(
        f"A link to choose a password is on its way to {address}."
    )
    user_url = admin.url
    assert re.search(r"/admin/auth/user/\d+/change/$", user_url), user_url
    role_ids = dict(
        admin.locator("#id_groups_from option, #id_groups_to option").evaluate_all(
            "options => options.map(o => [o.textContent, o.value])"
        )
    )

    # The email gives the username and a link to choose a password.
    invitation = email_to(site, address, after=emails_before)
    assert invitation["Subject"] == "Your login for Little Steps"
    assert f"Your username is {username}." in invitation.get_content()
    set_password_link = link_in(site, invitation, "/admin/reset/")

    # The new writer, in a browser of their own, follows the link and chooses a password.
    writer = person()
    response = writer.goto(set_password_link)
    assert response.status == 200
    expect(writer.locator("h1")).to_have_text("Enter new password")
    brand = writer.locator("#site-name").inner_text().strip()
    if brand != "Newsroom":
        problems.append(
            f"The set-password page {writer.url} is headed {brand!r} (title "
            f"{writer.title()!r}), not the admin's 'Newsroom'."
        )
    writer.fill("#id_new_password1", password)
    writer.fill("#id_new_password2", password)
    writer.get_by_role("button", name="Save my password").click()
    expect(writer.locator("#content")).to_contain_text("Your password has been set.")
    done_url = writer.url

    # "Log in" on that page leads to the sign-in form.
    log_in = writer.locator("#content").get_by_role("link", name="Log in")
    href = log_in.get_attribute("href")
    with writer.expect_navigation() as navigation:
        log_in.click()
    if navigation.value.status != 200 or writer.locator("#login-form").count() == 0:
        problems.append(
            f"'Log in' on {done_url} (href {href!r}) answers "
            f"{navigation.value.status} at {writer.url}, not the sign-in form."
        )
        # The email's "Then sign in at …" address still leads there.
        sign_in = re.search(r"sign in at (\S+)", invitation.get_content())
        writer.goto(sign_in.group(1))
    expect(writer.locator("#login-form")).to_be_visible()
    writer.fill("#id_username", username)
    writer.fill("#id_password", password)
    with writer.expect_navigation():
        writer.click("#login-form [type=submit]")
    assert writer.url == f"{site.url}/admin/"
    expect(writer.locator("#user-tools")).to_contain_text("Nadia")
    expect(writer.locator("#content")).to_contain_text("Your drafts")

    # They write a draft: title, standfirst, section, a body with an H2, a byline.
    title = f"Teething gels: what parents should know ({username})"
    writer.locator("tr.model-article").get_by_role("link", name="Add").click()
    expect(writer.locator("h1")).to_have_text("Add article")
    writer.fill("#id_title", title)
    writer.fill("#id_standfirst", "Which gels are safe for babies, and what helps.")
    pick(writer, writer.locator(".field-category"), SECTION["name"], SECTION["name"])
    writer.fill(
        "#id_body",
        "## Do teething gels work?\n\nSome help a little. Ask a pharmacist first.\n",
    )
    writer.locator(".field-body .markdownx-preview h2").wait_for()
    byline = AUTHORS[1]["display_name"]
    pick(writer, writer.locator("#article_authors-0"), byline.split()[0], byline)
    writer.click(SAVE_AND_CONTINUE)
    expect(writer.locator(SUCCESS)).to_have_text(
        f"The article “{title}” was added successfully. You may edit it again below."
    )
    expect(writer.locator(".field-state .readonly")).to_have_text("Draft")
    assert writer.input_value("#id_body").startswith("## Do teething gels work?")
    writer.goto(f"{site.url}/admin/")
    expect(writer.locator("#content")).to_contain_text(title)

    # Back as the site admin: the new login's page lists the role given, and by whom.
    admin.goto(user_url)
    history = admin.locator(".field-role_history tbody tr")
    expect(history).to_have_count(1)
    expect(history.locator("td")).to_have_text(
        [re.compile(r"\d"), "siteadmin", "Gave Writer"]
    )
    role_history = admin.locator("fieldset", has=admin.locator(".field-role_history"))
    expect(role_history.locator("h2")).to_have_text("Role history")

    # An author with a photo: a new job title, and the photo stays.
    admin.goto(f"{site.url}/admin/")
    admin.locator("tr.model-author").get_by_role("link", name="Authors").click()
    admin.locator("#result_list").get_by_role(
        "link", name=AUTHOR["display_name"]
    ).click()
    # The photo is the library image picked for the author.
    photo = admin.locator(".field-photo select option:checked")
    expect(photo).to_have_text(f"Portrait: {AUTHOR['display_name']}")
    new_title = f"Senior Writer, Pregnancy and Toddlers ({username})"
    admin.fill("#id_job_title", new_title)
    admin.click(SAVE_AND_CONTINUE)
    expect(admin.locator(SUCCESS)).to_have_text(
        f"The author “{AUTHOR['display_name']}” was changed successfully. You may "
        "edit it again below."
    )
    expect(photo).to_have_text(f"Portrait: {AUTHOR['display_name']}")
    assert admin.input_value("#id_job_title") == new_title
    author_admin_url = admin.url

    # Its public page ("View on site") shows the new job title and the portrait.
    admin.get_by_role("link", name="View on site").click()
    admin.wait_for_url(f"{site.url}/authors/{AUTHOR['slug']}/")
    expect(admin.locator("main h1")).to_have_text(AUTHOR["display_name"])
    expect(admin.locator("header.profile .role")).to_have_text(new_title)
    portrait = admin.locator("header.profile img.portrait")
    expect(portrait).to_be_visible()
    admin.wait_for_function(
        "() => document.querySelector('header.profile img.portrait').complete"
    )
    assert portrait.evaluate("img => img.naturalWidth") > 0

    # Their own login: roles shown, not offered; nor superuser status or permissions.
    admin.goto(f"{site.url}/admin/auth/user/")
    admin.locator("#result_list").get_by_role("link", name="siteadmin").click()
    expect(admin.locator("h1")).to_have_text("Change user")
    expect(admin.locator(".field-groups .readonly")).to_have_text("Site admin")
    for name in ("groups", "is_superuser", "user_permissions", "is_active"):
        expect(admin.locator(f"#user_form [name={name}]")).to_have_count(0)
    own_history = admin.locator(".field-role_history").inner_text()

    # A post that tries anyway (fields added to the form by hand) changes nothing.
    admin.evaluate(
        """(fields) => {
          const form = document.querySelector('#user_form');
          for (const [name, value] of fields) {
            const input = document.createElement('input');
            input.type = 'hidden';
            input.name = name;
            input.value = value;
            form.append(input);
          }
        }""",
        [
            ["groups", role_ids["Editor"]],
            ["groups", role_ids["Site admin"]],
            ["is_superuser", "on"],
        ],
    )
    admin.click(SAVE_AND_CONTINUE)
    expect(admin.locator(".field-groups .readonly")).to_have_text("Site admin")
    assert admin.locator(".field-role_history").inner_text() == own_history
    stored = json.loads(
        site.shell(
            "import json\n"
            "from django.contrib.auth import get_user_model\n"
            "user = get_user_model().objects.get(username='siteadmin')\n"
            "print(json.dumps([sorted(user.groups.values_list('name', flat=True)),"
            " user.is_superuser, user.user_permissions.count()]))"
        )
    )
    assert stored == [["Site admin"], False, 0]

    # "Forgotten your …?" on the sign-in page sends the new writer a working link.
    stranger = person()
    stranger.goto(f"{site.url}/admin/login/?next=/admin/")
    forgotten = stranger.locator("#login-form a[href$='/admin/password_reset/']")
    expect(forgotten).to_have_text(re.compile(r"^Forgotten your"))
    forgotten.click()
    expect(stranger.locator("h1")).to_have_text("Password reset")
    emails_before = len(site.emails())
    stranger.fill("#id_email", address)
    stranger.get_by_role("button", name="Reset my password").click()
    expect(stranger.locator("#content")).to_contain_text(
        "We’ve emailed you instructions"
    )
    reset = email_to(site, address, after=emails_before)
    stranger.goto(link_in(site, reset, "/admin/reset/"))
    expect(stranger.locator("h1")).to_have_text("Enter new password")
    expect(stranger.locator("#id_new_password1")).to_be_visible()

    # The author's job title goes back to the demo's.
    admin.goto(author_admin_url)
    admin.fill("#id_job_title", AUTHOR["job_title"])
    admin.click(SAVE_AND_CONTINUE)
    expect(admin.locator(SUCCESS)).to_contain_text("was changed successfully")

    assert not server_errors(site, log_start), site.log(log_start)
    assert not problems, "\n".join(problems)


# --- Two editors save the flagship at once ------------------------------------------


@pytest.fixture
def two_editors(site, person):
    """Editor A ("editor") and editor B (a second Editor login), each in a browser of
    their own, both signed in; the flagship's body is put back afterwards."""
    b_login = site.add_login("flagship-editor-b", "Editor")
    a = accept_dialogs(person())
    b = accept_dialogs(person())
    site.login(a, "Editor")
    site.login(b, b_login)

    # A finds the flagship through the admin search; B has its address bookmarked.
    a.goto(f"{site.url}/admin/articles/article/")
    a.fill("#searchbar", FLAGSHIP_TITLE)
    with a.expect_navigation():
        a.press("#searchbar", "Enter")
    a.locator("#result_list").get_by_role("link", name=FLAGSHIP_TITLE).click()
    a.wait_for_url(re.compile(r"/admin/articles/article/\d+/change/"))
    change_url = a.url.split("?")[0]
    original_body = a.input_value("#id_body")

    yield a, b, change_url, original_body

    # The body as the demo has it, so its medical review is current again.
    current = site.shell(
        "from articles.models import Article\n"
        f"article = Article.objects.get(slug={FLAGSHIP[1]!r})\n"
        f"body = {original_body!r}\n"
        "if article.body != body:\n"
        "    article.body = body\n"
        "    article.save()\n"
        "print(article.review_is_current)\n"
    )
    assert current.strip() == "True"


def type_at_end(page, words):
    """Add a paragraph at the end of the body and wait until the browser has kept it."""
    body = page.locator("#id_body")
    body.fill(body.input_value().rstrip("\n") + f"\n\n{words}\n")
    page.wait_for_function(f"() => {STORED_COPIES} > 0")


def assert_refused_as_stale(page, words, saved_by):
    """The save was refused naming who saved and when, and the typing is on screen."""
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(SUCCESS)).to_have_count(0)
    message = page.locator(FORM_ERROR).inner_text()
    found = STALE.match(message)
    assert found, message
    assert found["who"] == saved_by
    when = datetime.strptime(found["when"], "%d %B %Y, %H:%M")
    now = datetime.now(SITE_TIME_ZONE).replace(tzinfo=None)
    assert abs(now - when) < timedelta(minutes=3), (when, now)
    assert words in page.input_value("#id_body")


def public_article_text(page, site):
    response = page.goto(site.url + FLAGSHIP_PAGE)
    assert response.status == 200
    return page.locator("main").inner_text()


def test_second_editor_saving_after_the_first_is_refused_with_typing_kept(
    site, person, two_editors
):
    a, b, change_url, _ = two_editors
    log_start = site.log_size()
    b.goto(change_url)
    expect(b.locator("#id_title")).to_have_value(FLAGSHIP_TITLE)
    words_a = f"Editor A adds this line ({secrets.token_hex(3)})."
    words_b = f"Editor B adds this other line ({secrets.token_hex(3)})."
    type_at_end(a, words_a)
    type_at_end(b, words_b)

    a.click(SAVE_AND_CONTINUE)
    expect(a.locator(SUCCESS)).to_have_text(
        f"The article “{FLAGSHIP_TITLE}” was changed successfully. You may edit it "
        "again below."
    )
    b.click(SAVE_AND_CONTINUE)
    assert_refused_as_stale(b, words_b, saved_by="editor")
    assert words_a not in b.input_value("#id_body")
    expect(b.locator(FORM_ERROR)).to_contain_text(
        "copy what you need, open the article again in a new tab"
    )

    # Readers see A's line, not B's.
    reader = person()
    text = public_article_text(reader, site)
    assert words_a in text
    assert words_b not in text

    # B opens the article again in a new tab, as told: A's version, and the browser
    # offers B's typing back, warning that someone saved since.
    tab = accept_dialogs(b.context.new_page())
    tab.goto(change_url)
    assert words_a in tab.input_value("#id_body")
    assert words_b not in tab.input_value("#id_body")
    banner = tab.locator(BANNER)
    expect(banner).to_contain_text("You have unsaved changes from")
    expect(banner).to_contain_text(
        "They were made before this article was last saved by someone else"
    )
    banner.get_by_role("button", name="Restore them").click()
    expect(banner).to_have_count(0)
    # A changed the body too: A's text stays, B's is shown beside it to copy from.
    body = tab.input_value("#id_body")
    assert words_a in body and words_b not in body
    conflicts = tab.locator(".unsaved-conflicts")
    expect(conflicts).to_contain_text("Someone else changed these fields")
    assert words_b in conflicts.locator("textarea").first.input_value()
    # B thinks better of it: the copy is offered once more, and discarded.
    tab.reload()
    banner.get_by_role("button", name="Discard").click()
    assert words_b not in tab.input_value("#id_body")
    assert tab.evaluate(STORED_COPIES) == 0

    # Reloading the refused page posts the form again: refused again, typing kept.
    b.reload()
    assert_refused_as_stale(b, words_b, saved_by="editor")

    assert not server_errors(site, log_start), site.log(log_start)


def test_two_editors_clicking_save_at_the_same_moment_one_wins(
    site, person, two_editors
):
    a, b, change_url, _ = two_editors
    log_start = site.log_size()
    names = {id(a): "editor", id(b): "flagship-editor-b"}
    for round in range(3):
        a.goto(change_url)
        b.goto(change_url)
        words = {
            id(page): f"Round {round}: {names[id(page)]} ({secrets.token_hex(3)})."
            for page in (a, b)
        }
        type_at_end(a, words[id(a)])
        type_at_end(b, words[id(b)])

        with a.expect_navigation() as saved_a, b.expect_navigation() as saved_b:
            a.click(SAVE_AND_CONTINUE, no_wait_after=True)
            b.click(SAVE_AND_CONTINUE, no_wait_after=True)

        assert saved_a.value.status == 200, saved_a.value
        assert saved_b.value.status == 200, saved_b.value
        won = [page for page in (a, b) if page.locator(SUCCESS).count()]
        lost = [page for page in (a, b) if page.locator(FORM_ERROR).count()]
        assert len(won) == 1 and len(lost) == 1, (round, len(won), len(lost))
        (winner,), (loser,) = won, lost
        expect(winner.locator(SUCCESS)).to_contain_text("was changed successfully")
        assert words[id(winner)] in winner.input_value("#id_body")
        assert_refused_as_stale(loser, words[id(loser)], saved_by=names[id(winner)])

        reader = person()
        text = public_article_text(reader, site)
        assert words[id(winner)] in text
        assert words[id(loser)] not in text

    assert not server_errors(site, log_start), site.log(log_start)
