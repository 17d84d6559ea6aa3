import re

import pytest
from django.core.exceptions import ValidationError

from cms.markdown import (
    References,
    block_refs,
    expand_blocks,
    reference_problems,
    render,
    stray_references,
)

MARKER = '<cms-block kind="quote" ref="12"></cms-block>'


def test_plain_markdown_renders_to_html():
    html = render("Some **bold** and a [link](https://example.com/page).").html

    assert "<strong>bold</strong>" in html
    assert 'href="https://example.com/page"' in html


def test_script_tags_and_their_content_are_removed():
    html = render("Before\n\n<script>alert('stolen')</script>\n\nAfter").html

    assert "<script" not in html
    assert "alert" not in html
    assert "Before" in html and "After" in html


@pytest.mark.parametrize(
    "text",
    [
        '<p onclick="steal()">Tap here</p>',
        '<img src="/media/a.png" alt="A rash" onerror="steal()">',
        '<a href="https://example.com" onmouseover="steal()">Link</a>',
    ],
)
def test_event_handler_attributes_are_removed(text):
    html = render(text).html

    assert "steal" not in html
    assert not re.search(r"\son[a-z]+\s*=", html)


def test_image_keeps_its_source_and_alt_text_when_cleaned():
    html = render('<img src="/media/a.png" alt="A rash" onerror="steal()">').html

    assert 'src="/media/a.png"' in html
    assert 'alt="A rash"' in html


@pytest.mark.parametrize(
    "text",
    [
        "[Click me](javascript:alert(1))",
        '<a href="javascript:alert(1)">Click me</a>',
        '<a href="JaVaScRiPt:alert(1)">Click me</a>',
        "[Click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" alt="x">',
    ],
)
def test_javascript_and_data_urls_are_removed(text):
    html = render(text).html.lower()

    assert "javascript:" not in html
    assert "data:" not in html


def test_link_text_survives_when_a_dangerous_url_is_removed():
    html = render("[Click me](javascript:alert(1))").html

    assert "Click me" in html


def test_mailto_and_tel_links_are_kept():
    html = render("[Email](mailto:desk@example.com) or [call](tel:+441234567)").html

    assert 'href="mailto:desk@example.com"' in html
    assert 'href="tel:+441234567"' in html


def test_iframes_are_removed():
    html = render('Watch:\n\n<iframe src="https://evil.example/"></iframe>').html

    assert "<iframe" not in html
    assert "evil.example" not in html


def test_style_tags_and_their_content_are_removed():
    html = render("<style>body { display: none }</style>\n\nVisible text").html

    assert "<style" not in html
    assert "display" not in html
    assert "Visible text" in html


def test_style_attributes_are_removed():
    html = render('<p style="position:fixed;top:0">Overlay</p>').html

    assert "style=" not in html
    assert "Overlay" in html


@pytest.mark.parametrize(
    "text",
    [
        MARKER,
        f"Intro\n\n{MARKER}\n\nOutro",
        f"<div>{MARKER}</div>",
        f"Inline {MARKER} in a sentence.",
        f"<p>{MARKER}</p>",
        '<CMS-BLOCK kind="quote" ref="12"></CMS-BLOCK>',
    ],
)
def test_editor_typed_block_marker_does_not_survive(text):
    html = render(text).html

    assert block_refs(html, "quote") == []
    assert "cms-block" not in html.lower()


def test_marker_typed_in_code_is_shown_escaped_not_placed():
    html = render(f"`{MARKER}`").html

    assert block_refs(html, "quote") == []
    assert "&lt;cms-block" in html


def test_headings_get_ids_and_h2s_make_the_table_of_contents():
    rendered = render(
        "## Why babies get rashes\n\nText.\n\n### A detail\n\nMore.\n\n"
        "## When to see a GP\n\nText."
    )

    assert '<h2 id="why-babies-get-rashes">' in rendered.html
    assert '<h3 id="a-detail">' in rendered.html
    assert rendered.toc == [
        {"id": "why-babies-get-rashes", "title": "Why babies get rashes"},
        {"id": "when-to-see-a-gp", "title": "When to see a GP"},
    ]


def test_table_of_contents_titles_are_plain_text():
    rendered = render("## Rashes *and* spots & bumps\n\nText.")

    assert rendered.toc == [
        {"id": rendered.toc[0]["id"], "title": "Rashes and spots & bumps"}
    ]
    assert f'id="{rendered.toc[0]["id"]}"' in rendered.html


def test_h1_in_the_body_becomes_an_h2_so_the_page_keeps_one_h1():
    rendered = render("# Overview\n\nText.\n\n## Details\n\nMore.")

    assert "<h1" not in rendered.html
    assert '<h2 id="overview">Overview</h2>' in rendered.html
    assert [entry["title"] for entry in rendered.toc] == ["Overview", "Details"]


def test_raw_html_h1_is_not_allowed_either():
    html = render("<h1>Second headline</h1>").html

    assert "<h1" not in html
    assert "Second headline" in html


def test_duplicate_headings_get_distinct_ids():
    rendered = render("## Symptoms\n\nA.\n\n## Symptoms\n\nB.\n\n## Symptoms\n\nC.")

    ids = re.findall(r'<h2 id="([^"]+)"', rendered.html)
    assert len(ids) == 3
    assert len(set(ids)) == 3
    assert [entry["id"] for entry in rendered.toc] == ids


def test_quote_reference_on_its_own_line_becomes_a_marker():
    html = render("Intro paragraph.\n\n[[quote:12]]\n\nClosing paragraph.").html

    assert MARKER in html
    assert "[[quote:12]]" not in html
    assert block_refs(html, "quote") == [12]


def test_block_refs_lists_every_placed_quote_in_order():
    html = render("[[quote:7]]\n\nText.\n\n[[quote:3]]\n\n[[quote:7]]").html

    assert block_refs(html, "quote") == [7, 3, 7]


def test_block_refs_only_returns_the_requested_kind():
    html = render("[[quote:12]]\n\n[[review:4]]").html

    assert block_refs(html, "quote") == [12]
    assert block_refs(html, "review") == [4]


def test_quote_reference_inside_a_sentence_is_left_as_text():
    html = render("As the doctor said [[quote:12]] in clinic.").html

    assert block_refs(html, "quote") == []
    assert "[[quote:12]]" in html


@pytest.mark.parametrize(
    "text",
    [
        "```\n[[quote:12]]\n```",
        "    [[quote:12]]",
        "`[[quote:12]]`",
    ],
)
def test_quote_reference_inside_code_is_left_as_text(text):
    html = render(text).html

    assert block_refs(html, "quote") == []
    assert "[[quote:12]]" in html


def test_word_count_counts_visible_words_not_markup():
    rendered = render(
        "## Two words\n\nOne *two* [three](https://example.com/four-five) four."
    )

    assert rendered.word_count == 6


def test_empty_body_renders_to_nothing():
    rendered = render("")

    assert rendered.html == ""
    assert rendered.toc == []
    assert rendered.word_count == 0


def test_expand_blocks_replaces_each_marker_with_the_given_html():
    html = render("Before.\n\n[[quote:12]]\n\n[[quote:5]]\n\nAfter.").html

    expanded = expand_blocks(html, lambda kind, ref: f"<aside>{kind} {ref}</aside>")

    assert "cms-block" not in expanded
    assert expanded.index("<aside>quote 12</aside>") < expanded.index(
        "<aside>quote 5</aside>"
    )
    assert "Before." in expanded and "After." in expanded


def test_expand_blocks_can_drop_a_marker():
    html = render("Before.\n\n[[quote:12]]\n\nAfter.").html

    expanded = expand_blocks(html, lambda kind, ref: "")

    assert "cms-block" not in expanded
    assert "quote" not in expanded
    assert "Before." in expanded and "After." in expanded


# --- References that would reach a reader as typed ---------------------------------

ALL_KINDS = ("quote", "callout", "expert", "article")


@pytest.mark.parametrize(
    "text",
    [
        "Yawning.\n[[quote:12]]\nThen they settle.",
        "- Feeds often\n[[quote:12]]\n- Sleeps a lot",
        "Yawning.\n   [[quote:12]]   \nThen they settle.",
    ],
    ids=["in-a-paragraph", "after-a-list", "indented-a-little"],
)
def test_a_reference_on_its_own_line_is_placed_without_blank_lines(text):
    html = render(text).html

    assert MARKER in html
    assert "[[" not in html
    assert reference_problems(text, allowed=ALL_KINDS) == []


def test_a_reference_indented_as_code_stays_code():
    assert "<pre><code>[[quote:12]]" in render("Intro.\n\n    [[quote:12]]").html


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "Intro.\n\nAs she says [[quote:12]] every time.",
            "Line 3: “[[quote:12]]” must be on a line of its own, with nothing else "
            "on the line.",
        ),
        (
            "## Rashes [[callout:when-to-call-999]]",
            "Line 1: “[[callout:when-to-call-999]]” must be on a line of its own, with "
            "nothing else on the line.",
        ),
        (
            "Read [[article:cradle-cap]].",
            "Line 1: “[[article:cradle-cap]]” is not written as a reference: use "
            "[[article:123]] or [[article:123|your words]].",
        ),
        (
            "Ask [[qoute:12]].",
            "Line 1: “[[qoute:12]]” is not a kind of reference: use [[quote:…]], "
            "[[callout:…]], [[expert:…]] or [[article:…]].",
        ),
        (
            "Intro.\n\n`[[quote:12]]`",
            "Line 3: “[[quote:12]]” is inside code, where readers would see it as "
            "typed: take it out of the code.",
        ),
    ],
    ids=["in-a-sentence", "in-a-heading", "article-by-slug", "misspelt", "in-code"],
)
def test_a_reference_a_reader_would_see_as_typed_is_named_with_its_line(text, problem):
    assert reference_problems(text, allowed=ALL_KINDS) == [problem]


def test_a_field_that_takes_no_references_refuses_each_kind():
    problems = reference_problems(
        "We spoke to [[expert:amara]].\n\n[[quote:3]]", allowed=()
    )

    assert problems == [
        "Line 1: “[[expert:…]]” does not work here: references work only in an "
        "article's body.",
        "Line 3: “[[quote:…]]” does not work here: references work only in an "
        "article's body.",
    ]


def test_references_validator_raises_each_problem():
    validator = References("expert", "article")

    validator("See [[article:12|our guide]] and [[expert:amara]].")
    with pytest.raises(ValidationError) as refused:
        validator("Intro.\n\n[[quote:12]]")

    assert refused.value.messages == [
        "Line 3: “[[quote:…]]” does not work here: this text takes only "
        "[[expert:…]] or [[article:…]]."
    ]


def test_stray_references_ignores_markers_and_attributes():
    html = render("![Rash [[quote:4]]](/a.png)\n\n[[quote:5]]\n\nSee [[x:1]].").html

    assert stray_references(html) == ["[[x:1]]"]
