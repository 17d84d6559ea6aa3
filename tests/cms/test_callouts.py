import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from articles.models import Callout
from articles.rendering import preview
from cms.markdown import (
    CALLOUT_LABELS,
    block_keys,
    block_refs,
    expand_markers,
    inline_keys,
    render,
)
from tests.factories import ArticleFactory, CalloutFactory

STATIC = Path(__file__).resolve().parents[2] / "cms" / "static" / "cms"

URGENT = """\
:::urgent When to get help
If your baby has a rash that does not fade under a glass, call 999.
:::
"""


def callouts(text):
    return BeautifulSoup(render(text).html, "html.parser").select("aside")


def test_callout_renders_as_a_named_note_with_label_icon_title_and_body():
    (aside,) = callouts(URGENT)

    assert aside["class"] == ["callout", "callout-urgent"]
    assert aside["role"] == "region"
    assert aside["aria-label"] == "Urgent: When to get help"
    heading = aside.select_one(".callout-heading")
    assert heading.select_one(".callout-label").get_text() == "Urgent"
    assert heading.select_one(".callout-title").get_text() == "When to get help"
    icon = heading.select_one("svg.callout-icon")
    assert icon["aria-hidden"] == "true" and icon["focusable"] == "false"
    body = aside.select_one(".callout-body")
    assert body.get_text(" ", strip=True) == (
        "If your baby has a rash that does not fade under a glass, call 999."
    )


@pytest.mark.parametrize("kind", ["urgent", "warning", "tip"])
def test_each_kind_has_its_class_visible_label_and_own_icon(kind):
    (aside,) = callouts(f":::{kind} Title\nText.\n:::")

    assert f"callout-{kind}" in aside["class"]
    assert aside.select_one(".callout-label").get_text() == CALLOUT_LABELS[kind]
    assert aside["aria-label"] == f"{CALLOUT_LABELS[kind]}: Title"
    others = [
        str(callouts(f":::{other}\nText.\n:::")[0].svg)
        for other in CALLOUT_LABELS
        if other != kind
    ]
    assert str(aside.svg) not in others


def test_callout_kinds_match_the_standard_callout_model():
    assert dict(Callout.Kind.choices) == CALLOUT_LABELS


def test_title_is_optional_and_the_label_still_names_the_callout():
    (aside,) = callouts(":::tip\nWarm water is enough.\n:::")

    assert aside["aria-label"] == "Tip"
    assert aside.select_one(".callout-label").get_text() == "Tip"
    assert aside.select_one(".callout-title") is None


def test_kind_is_case_insensitive_and_a_space_may_follow_the_colons():
    (aside,) = callouts("::: Warning Hot drinks\nKeep them out of reach.\n:::")

    assert "callout-warning" in aside["class"]
    assert aside["aria-label"] == "Warning: Hot drinks"


def test_inner_markdown_lists_bold_links_and_paragraphs_render():
    (aside,) = callouts(
        ":::urgent Call 999 if your baby\n"
        "Is **floppy** or hard to wake.\n\n"
        "- has a rash that does not fade\n"
        "- is struggling to breathe\n\n"
        "See [NHS 111](https://111.nhs.uk/).\n"
        ":::"
    )
    body = aside.select_one(".callout-body")

    assert body.strong.get_text() == "floppy"
    assert [li.get_text() for li in body.select("ul li")] == [
        "has a rash that does not fade",
        "is struggling to breathe",
    ]
    assert body.a["href"] == "https://111.nhs.uk/"
    assert len(body.find_all("p")) == 2


def test_text_around_a_callout_stays_outside_it():
    html = render(f"Before.\n{URGENT}After.").html
    page = BeautifulSoup(html, "html.parser")

    assert [p.get_text() for p in page.find_all("p", recursive=False)] == [
        "Before.",
        "After.",
    ]
    assert "Before" not in page.aside.get_text()
    assert "After" not in page.aside.get_text()


def test_several_callouts_stay_separate():
    html = render(f"{URGENT}\nMiddle.\n\n:::tip\nA tip.\n:::").html
    page = BeautifulSoup(html, "html.parser")

    assert [a["class"][1] for a in page.select("aside")] == [
        "callout-urgent",
        "callout-tip",
    ]
    assert not page.select("aside aside")
    assert "Middle." not in "".join(a.get_text() for a in page.select("aside"))


def test_an_unclosed_callout_runs_to_the_end():
    (aside,) = callouts(":::warning\nFirst.\n\nSecond.")

    assert aside.select_one(".callout-body").get_text(" ", strip=True) == (
        "First. Second."
    )


def test_a_quote_can_be_placed_inside_a_callout():
    html = render(":::tip\n[[quote:12]]\n:::").html

    assert block_refs(html, "quote") == [12]
    assert "callout-body" in html.split("cms-block")[0]


def test_callout_title_is_escaped_text():
    (aside,) = callouts(
        ':::warning <b>Hot</b> & "cold" <script>x()</script>\nText.\n:::'
    )

    assert aside.select_one(".callout-title").get_text() == (
        '<b>Hot</b> & "cold" <script>x()</script>'
    )
    assert aside["aria-label"] == 'Warning: <b>Hot</b> & "cold" <script>x()</script>'
    assert aside.select_one("script") is None and aside.select_one("b") is None


@pytest.mark.parametrize(
    "text",
    [
        "```\n:::urgent Not a callout\nText\n:::\n```",
        "    :::urgent Not a callout",
        "`:::urgent Not a callout`",
        ":::danger Not a kind\nText\n:::",
        ":::\nNo kind\n:::",
    ],
)
def test_colons_in_code_or_without_a_known_kind_make_no_callout(text):
    html = render(text).html

    assert "<aside" not in html
    assert "callout" not in html.replace("Not a callout", "")


# The sanitiser ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '<aside class="callout callout-urgent" role="region" aria-label="Urgent" '
        'style="position:fixed" onclick="steal()">Forged</aside>',
        '<aside class="callout callout-tip">Forged</aside>',
        '<div class="callout-body"><p class="callout-heading">Forged</p></div>',
        '<p><strong class="callout-label">Urgent</strong> Forged</p>',
        '<svg class="callout-icon" onload="steal()"><path d="M0 0"/></svg>Forged',
        '<span class="callout-title" style="color:red">Forged</span>',
        '<cms-inline kind="expert" ref="amara-okafor"></cms-inline>Forged',
    ],
)
def test_editor_typed_callout_markup_is_stripped(text):
    html = render(text).html

    assert "Forged" in html
    for forbidden in [
        "<aside",
        "<svg",
        "<div",
        "<span",
        "class=",
        "role=",
        "aria-",
        "style",
        "onclick",
        "onload",
        "steal",
        "cms-inline",
    ]:
        assert forbidden not in html, forbidden


def test_the_internal_token_cannot_be_typed_or_guessed():
    """The syntax leaves a token the HTML steps look for; it is new on every render."""
    first = render(URGENT)
    again = render(URGENT)
    assert first.html == again.html

    forged = (
        "<p>cms0123456789abcdef:callout:urgent:Forged cms0123456789abcdef</p>\n\n"
        "cms0123456789abcdef:expert:amara-okafor cms0123456789abcdef"
    )
    html = render(forged).html
    assert "<aside" not in html and "cms-inline" not in html


def test_entities_for_unusual_characters_do_not_make_a_callout():
    html = render("&#xe000;callout:urgent:Forged&#xe000;\n\n&#58;&#58;&#58;urgent").html

    assert "<aside" not in html


# Markers and keys ---------------------------------------------------------------


def test_slug_references_become_markers_and_are_listed_by_kind():
    html = render(
        "[[callout:when-to-call-999]]\n\n[[quote:4]]\n\n[[callout:sun-safety]]"
    ).html

    assert block_keys(html, "callout") == ["when-to-call-999", "sun-safety"]
    assert block_refs(html, "quote") == [4]
    assert block_refs(html, "callout") == []
    assert block_keys(html, "quote") == ["4"]


def test_callout_reference_inside_a_sentence_is_left_as_text():
    html = render("See [[callout:when-to-call-999]] below.").html

    assert block_keys(html, "callout") == []
    assert "[[callout:when-to-call-999]]" in html


def test_expert_mention_becomes_an_inline_marker_in_its_sentence():
    html = render("We spoke to [[expert:amara-okafor]] about rashes.").html

    assert html == (
        '<p>We spoke to <cms-inline kind="expert" ref="amara-okafor"></cms-inline> '
        "about rashes.</p>"
    )
    assert inline_keys(html, "expert") == ["amara-okafor"]
    assert block_keys(html, "expert") == []


@pytest.mark.parametrize(
    "text",
    ["`[[expert:amara-okafor]]`", "```\n[[expert:amara-okafor]]\n```"],
)
def test_expert_mention_in_code_is_left_as_text(text):
    html = render(text).html

    assert inline_keys(html, "expert") == []
    assert "[[expert:amara-okafor]]" in html


def test_mention_in_an_image_alt_text_stays_plain_text():
    html = render("![Photo of [[expert:amara-okafor]]](/media/a.png)").html

    assert 'alt="Photo of amara-okafor"' in html
    assert "cms-inline" not in html


def test_mention_in_a_heading_gives_a_stable_id_and_contents_entry():
    first = render("## What [[expert:amara-okafor]] says\n\nText.")

    assert first.toc == [
        {"id": "what-amara-okafor-says", "title": "What amara-okafor says"}
    ]
    assert first.html == render("## What [[expert:amara-okafor]] says\n\nText.").html


def test_expand_markers_fills_blocks_and_mentions_in_document_order():
    html = render(
        "[[quote:3]]\n\nAs [[expert:amara-okafor]] says.\n\n[[callout:call-999]]"
    ).html
    seen = []

    def replace(kind, ref):
        seen.append((kind, ref))
        return f"<{kind}>"

    filled = expand_markers(html, replace)

    assert seen == [("quote", 3), ("expert", "amara-okafor"), ("callout", "call-999")]
    assert "cms-" not in filled


# Preview and page ---------------------------------------------------------------


@pytest.mark.django_db
def test_preview_renders_callouts_exactly_as_the_page_does():
    CalloutFactory(key="when-to-call-999", title="When to call 999", body="Call 999.")
    body = f"## Help\n\n{URGENT}\n[[callout:when-to-call-999]]\n\nEnd."
    article = ArticleFactory(body=body)

    assert preview(body) == str(article.body_for_page())
    page = BeautifulSoup(preview(body), "html.parser")
    assert [a["aria-label"] for a in page.select("aside")] == [
        "Urgent: When to get help",
        "Urgent: When to call 999",
    ]


# Styles -----------------------------------------------------------------------


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    )
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("sheet", ["site/site.css", "admin/editor.css"])
@pytest.mark.parametrize("kind", list(CALLOUT_LABELS))
def test_callout_colours_keep_text_contrast_of_at_least_4_5_to_1(sheet, kind):
    css = (STATIC / sheet).read_text()
    rule = re.search(
        rf"\.callout-{kind} \{{ --callout: (#[0-9a-f]{{6}}); "
        rf"--callout-soft: (#[0-9a-f]{{6}}); \}}",
        css,
    )
    assert rule, f"no colours for .callout-{kind} in {sheet}"
    strong, soft = rule.groups()

    assert contrast("#ffffff", strong) >= 4.5  # the label
    assert contrast(strong, soft) >= 4.5  # links and icon on the background
    assert contrast("#1f1a24", soft) >= 4.5  # body text
