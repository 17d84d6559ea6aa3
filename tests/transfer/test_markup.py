"""The WordPress HTML to Markdown converter: what a reader of the imported article sees,
and what the editor is told was changed."""

import html
import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from articles.transfer.markup import Attachment, to_markdown
from cms.limits import MarkdownLimits
from cms.markdown import reference_problems, render

KINDS = ("quote", "callout", "expert", "article")
UPLOADS = "https://old.example/wp-content/uploads/2020/01/"


def page(markdown: str) -> str:
    return render(markdown).html


def visible(markdown: str) -> str:
    """The text a reader sees, tags dropped and entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page(markdown)))


def words(markdown: str) -> str:
    return " ".join(visible(markdown).split())


def stored(src: str) -> str:
    return src.replace(UPLOADS, "/media/imported/")


def test_block_editor_comments_are_removed_and_their_html_converted():
    post = (
        "<!-- wp:heading -->\n<h2>Sleep</h2>\n<!-- /wp:heading -->\n\n"
        '<!-- wp:paragraph {"fontSize":"large"} -->\n<p>Babies <strong>sleep'
        "</strong> a lot.</p>\n<!-- /wp:paragraph -->\n<!-- a note to self -->"
    )

    result = to_markdown(post)

    assert result.markdown == "## Sleep\n\nBabies **sleep** a lot.\n"
    assert result.problems == []


def test_classic_paragraphs_and_line_breaks_follow_wpautop():
    post = "First line\nsecond line\n\nA new paragraph.<br><br>And another."

    result = to_markdown(post)

    assert result.markdown == (
        "First line<br>\nsecond line\n\nA new paragraph.\n\nAnd another.\n"
    )
    assert page(result.markdown) == (
        "<p>First line<br>\nsecond line</p>\n<p>A new paragraph.</p>\n"
        "<p>And another.</p>"
    )


def test_more_tag_on_its_own_line_ends_a_paragraph():
    post = "The teaser.\n<!--more-->\nThe rest."

    assert to_markdown(post).markdown == "The teaser.\n\nThe rest.\n"


def test_classic_block_elements_are_not_wrapped_in_paragraphs():
    post = "Intro\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\nOutro"

    assert to_markdown(post).markdown == "Intro\n\n- one\n- two\n\nOutro\n"


def test_pre_blocks_are_left_as_they_are():
    code = "def f(x):\n\n\n    return x * 2  # <b>not bold</b> [[quote:1]]"
    post = f"Before\n\n<pre>{code.replace('<', '&lt;')}</pre>\n\nAfter"

    result = to_markdown(post)

    assert "<br>" not in result.markdown
    assert page(result.markdown).count("<pre>") == 1
    assert "    return x * 2  # <b>not bold</b> [" in visible(result.markdown)
    assert "def f(x):\n\n\n    return" in result.markdown


def test_caption_shortcode_gives_the_image_with_its_caption_beneath():
    post = (
        '[caption id="attachment_7" align="alignnone" width="300"]'
        f'<a href="{UPLOADS}cot-big.jpg"><img src="{UPLOADS}cot.jpg" alt="A cot" '
        'width="300" /></a> A safe cot: <em>nothing</em> else in it[/caption]'
    )

    result = to_markdown(post, image_url=stored)

    assert result.markdown == (
        "![A cot](/media/imported/cot.jpg)\n*A safe cot: nothing else in it*\n"
    )
    assert page(result.markdown) == (
        '<p><img alt="A cot" src="/media/imported/cot.jpg">\n'
        "<em>A safe cot: nothing else in it</em></p>"
    )
    assert result.images == [f"{UPLOADS}cot.jpg"]


def test_caption_image_without_alt_takes_the_attachments_alt():
    post = f'[caption id="attachment_7"]<img src="{UPLOADS}cot.jpg" /> Cot[/caption]'
    found = {7: Attachment(url=f"{UPLOADS}cot.jpg", alt="An empty cot")}

    result = to_markdown(post, attachment=found.get)

    assert result.markdown.startswith("![An empty cot](")
    assert result.problems == []


def test_gallery_shows_each_attachment_as_an_image():
    found = {
        1: Attachment(url=f"{UPLOADS}a.jpg", alt="Bath time", caption="In the bath"),
        2: Attachment(url=f"{UPLOADS}b.jpg", alt="Bed time"),
    }

    result = to_markdown(
        '<p>Photos:</p>[gallery ids="1,2,3"]', image_url=stored, attachment=found.get
    )

    assert result.markdown == (
        "Photos:\n\n![Bath time](/media/imported/a.jpg)\n*In the bath*\n\n"
        "![Bed time](/media/imported/b.jpg)\n"
    )
    assert result.images == [f"{UPLOADS}a.jpg", f"{UPLOADS}b.jpg"]
    assert result.problems == ["Gallery image 3 was not found: it is left out."]


def test_gallery_without_attachments_is_reported_not_guessed():
    result = to_markdown('Before [gallery ids="4,5"] after')

    assert words(result.markdown) == "Before after"
    assert result.problems == [
        "A gallery (images 4, 5) was left out: its images are not known."
    ]


def test_gallery_that_names_no_images_is_reported():
    result = to_markdown("[gallery]", attachment=lambda number: None)

    assert result.markdown == ""
    assert "it names no images" in result.problems[0]


def test_embed_shortcode_and_bare_address_become_links():
    post = (
        "[embed]https://vimeo.com/123[/embed]\n\n"
        "Watch this:\n\nhttps://www.youtube.com/watch?v=abc&t=5\n\nThe end."
    )

    result = to_markdown(post)

    shown = page(result.markdown)
    assert '<a href="https://vimeo.com/123"' in shown
    assert '<a href="https://www.youtube.com/watch?v=abc&amp;t=5"' in shown
    assert result.problems == [
        "The embed of https://vimeo.com/123 is shown as a link.",
        "The embed of https://www.youtube.com/watch?v=abc&t=5 is shown as a link.",
    ]


def test_block_editor_embed_keeps_its_caption():
    post = (
        '<!-- wp:embed {"url":"https://youtu.be/x"} -->\n<figure class="wp-block-embed">'
        '<div class="wp-block-embed__wrapper">\nhttps://youtu.be/x\n</div>'
        "<figcaption>How to swaddle</figcaption></figure>\n<!-- /wp:embed -->"
    )

    result = to_markdown(post)

    assert result.markdown == "<https://youtu.be/x>\n\n*How to swaddle*\n"


def test_audio_and_video_become_links_to_their_files():
    post = (
        '[audio src="https://old.example/lullaby.mp3"]\n\n'
        '<video controls><source src="https://old.example/burp.mp4"></video>'
    )

    result = to_markdown(post)

    assert result.markdown == (
        "[lullaby.mp3](https://old.example/lullaby.mp3)\n\n"
        "[burp.mp4](https://old.example/burp.mp4)\n"
    )
    assert len(result.problems) == 2


def test_unknown_shortcode_is_kept_as_text_and_reported():
    result = to_markdown('<p>Write to us: [contact-form-7 id="1" title="Contact"]</p>')

    assert "[contact-form-7 id=" in visible(result.markdown)
    assert result.problems == [
        "The [contact-form-7] shortcode does not work here: it is kept as text."
    ]


def test_escaped_shortcode_shows_as_wordpress_shows_it():
    result = to_markdown("Type [[gallery]] to add a gallery.")

    assert words(result.markdown) == "Type [gallery] to add a gallery."
    assert result.problems == []


def test_image_keeps_its_alt_text_and_title():
    result = to_markdown(
        f'<img src="{UPLOADS}nap.jpg" alt="A [short] nap" title="Zzz">'
    )

    assert result.markdown == f'![A \\[short\\] nap]({UPLOADS}nap.jpg "Zzz")\n'
    assert 'alt="A [short] nap"' in page(result.markdown)
    assert result.problems == []


def test_image_without_alt_gets_empty_alt_and_a_problem_naming_the_file():
    result = to_markdown(f'<p><img src="{UPLOADS}bottle%20warm.jpg"></p>')

    assert result.markdown == f"![]({UPLOADS}bottle%20warm.jpg)\n"
    assert result.problems == ["Image bottle warm.jpg has no alt text."]


def test_image_addresses_go_through_image_url():
    post = f'<img src="{UPLOADS}a.jpg" alt="A"><img src="{UPLOADS}a.jpg" alt="A again">'

    result = to_markdown(post, image_url=stored)

    assert page(result.markdown).count('src="/media/imported/a.jpg"') == 2
    assert result.images == [f"{UPLOADS}a.jpg"]


def test_image_that_was_not_imported_keeps_its_address_and_is_reported():
    result = to_markdown(
        f'<img src="{UPLOADS}gone.jpg" alt="Gone">', image_url=lambda s: None
    )

    assert f"({UPLOADS}gone.jpg)" in result.markdown
    assert result.problems == [
        f"Image gone.jpg was not imported: it still points to {UPLOADS}gone.jpg."
    ]


def test_image_inside_the_page_is_removed_and_reported():
    result = to_markdown('<p>Dot: <img src="data:image/png;base64,AAAA" alt="dot"></p>')

    assert result.markdown == "Dot:\n"
    assert "data: address" in result.problems[0]


def test_iframe_becomes_a_link_to_its_address():
    post = '<iframe src="//www.youtube.com/embed/xyz" width="560"></iframe>'

    result = to_markdown(post)

    shown = page(result.markdown)
    assert '<a href="https://www.youtube.com/embed/xyz"' in shown
    assert "Embedded content from www.youtube.com" in shown
    assert result.problems == [
        "Kept as a link: an iframe from www.youtube.com, which cannot be shown here."
    ]


def test_table_with_merged_cells_is_kept_as_sanitised_html():
    post = (
        '<table onclick="x()"><tr><th colspan="2">Feeds [[quote:3]]</th></tr>'
        f'<tr><td>Night</td><td><img src="{UPLOADS}moon.jpg" alt="Moon"></td></tr>'
        "</table><p>After</p>"
    )

    result = to_markdown(post, image_url=stored)

    shown = page(result.markdown)
    assert "<table>" in shown
    assert "onclick" not in shown
    assert '<img alt="Moon" src="/media/imported/moon.jpg">' in shown
    assert "Feeds [\u2060[quote:3]]" in words(result.markdown)
    assert shown.endswith("<p>After</p>")
    assert result.problems == [
        "Kept as HTML: a table with merged cells or several lines in a cell."
    ]


def test_simple_table_becomes_a_markdown_table():
    post = (
        "<table><thead><tr><th>Age</th><th>Feeds | day</th></tr></thead>"
        "<tbody><tr><td>0–3 months</td><td><strong>8</strong></td></tr></tbody></table>"
    )

    result = to_markdown(post)

    assert result.markdown == (
        "| Age | Feeds \\| day |\n| --- | --- |\n| 0–3 months | **8** |\n"
    )
    shown = page(result.markdown)
    assert "<th>Feeds | day</th>" in shown
    assert "<td><strong>8</strong></td>" in shown
    assert result.problems == []


def test_definition_list_is_kept_as_html():
    result = to_markdown("<dl><dt>Colic</dt><dd>Long crying</dd></dl>")

    assert "<dt>Colic</dt>" in page(result.markdown)
    assert result.problems == ["Kept as HTML: a definition list."]


def test_script_and_style_are_removed_and_reported():
    result = to_markdown("<p>Hi</p><script>alert(1)</script><style>p{}</style>")

    assert result.markdown == "Hi\n"
    assert result.problems == ["Removed: a script.", "Removed: a style sheet."]


def test_form_fields_are_removed_but_their_words_kept():
    post = "<form><p><label>Email</label> <input name=e> <button>Sign up</button></p></form>"

    result = to_markdown(post)

    assert words(result.markdown) == "Email Sign up"
    assert result.problems == ["A form's fields were removed (forms do not work here)."]


def test_nested_lists_nest_on_the_page():
    post = (
        "<ul><li>Feeding<ul><li>Breast<ol start='3'><li>Latch</li><li>Position</li>"
        "</ol></li></ul></li><li>Sleep</li></ul>"
    )

    result = to_markdown(post)

    assert result.markdown == (
        "- Feeding\n    - Breast\n        3. Latch\n        4. Position\n- Sleep\n"
    )
    shown = page(result.markdown)
    assert re.sub(r"\s", "", shown) == (
        '<ul><li>Feeding<ul><li>Breast<olstart="3"><li>Latch</li><li>Position</li>'
        "</ol></li></ul></li><li>Sleep</li></ul>"
    )


def test_headings_are_atx_and_keep_their_text():
    result = to_markdown("<h2>Why C#</h2><h3>#1 <em>tip</em></h3><h4></h4>")

    assert result.markdown == "## Why C\\#\n\n### \\#1 *tip*\n"
    assert page(result.markdown) == (
        '<h2 id="why-c">Why C#</h2>\n<h3 id="1-tip">#1 <em>tip</em></h3>'
    )


def test_links_keep_their_titles_and_unsafe_links_lose_only_the_address():
    post = (
        '<p><a href="https://nhs.uk/a_(b)" title="The &quot;NHS&quot;">NHS page</a>, '
        '<a href="https://nhs.uk">https://nhs.uk</a> and '
        '<a href="javascript:alert(1)">click</a>.</p>'
    )

    result = to_markdown(post)

    shown = page(result.markdown)
    assert (
        '<a href="https://nhs.uk/a_%28b%29" title="The &quot;NHS&quot;" '
        'rel="noopener noreferrer">NHS page</a>'
    ) in shown
    assert (
        '<a href="https://nhs.uk" rel="noopener noreferrer">https://nhs.uk</a>' in shown
    )
    assert words(result.markdown) == "NHS page, https://nhs.uk and click."
    assert result.problems == [
        "A link to a javascript: address was removed; its text is kept."
    ]


@pytest.mark.parametrize(
    "text",
    [
        "[[quote:12]]",
        "[[callout:when-to-call]]",
        "See [[expert:amara]] and [[article:4|this]]",
        ":::tip Not a callout",
        ":::",
        "# not a heading",
        "1. not a list",
        "- not a list",
        "> not a quote",
        "=====",
        "~~~",
        "*not emphasis* and _nor this_ and `nor code`",
        "[not a link](https://example.com) <div> &amp;copy;",
        "back\\slash \\*",
    ],
)
def test_text_that_looks_like_syntax_shows_as_typed(text):
    post = f"<p>Before<br>{text.replace('&', '&amp;').replace('<', '&lt;')}</p>"

    markdown = to_markdown(post).markdown

    assert words(markdown).replace("\u2060", "") == f"Before {text}"
    assert "<cms-" not in page(markdown)
    assert "<aside" not in page(markdown)
    assert reference_problems(markdown, allowed=KINDS) == []


def test_our_syntax_split_by_tags_or_comments_still_shows_as_typed():
    post = "<p>[<!-- x -->[quote:1]]</p><p>[[<b>quote</b>:2]]</p><p>::<span>:tip</span></p>"

    markdown = to_markdown(post).markdown

    assert "<cms-" not in page(markdown)
    assert "<aside" not in page(markdown)
    assert reference_problems(markdown, allowed=KINDS) == []


def test_unicode_passes_through_and_entities_are_decoded():
    text = "\u200fשלום\u200f — 👶🏽 café e\u0301 &amp; “quotes” ½"
    post = "<p>\u200fשלום\u200f &mdash; 👶🏽 caf&eacute; e\u0301 &amp;amp; &#8220;quotes&#8221; &frac12;</p>"

    markdown = to_markdown(post).markdown

    assert words(markdown) == text


def test_output_has_one_blank_line_between_blocks_and_no_trailing_spaces():
    post = "<!-- wp:group --><div>\n\n<p>One   </p>\n\n\n<p>&nbsp;</p><p>Two<br>  \n three</p></div>"

    markdown = to_markdown(post).markdown

    assert markdown == "One\n\nTwo<br>\nthree\n"


def test_empty_post_gives_empty_markdown():
    assert to_markdown("") == to_markdown(
        "<!-- wp:paragraph --><p></p><!-- /wp:paragraph -->"
    )
    assert to_markdown("").markdown == ""


def test_deeply_nested_html_keeps_its_text_without_a_traceback():
    post = "<div>" * 3000 + "Deep down" + "</div>" * 3000 + "<p>Out</p>"

    result = to_markdown(post)

    assert words(result.markdown) == "Deep down Out"
    assert "nested too deeply" in result.problems[0]


POST = (
    "<!-- wp:paragraph --><p>Babies *cry*, [[quote:1]] and "
    '<a href="https://nhs.uk" title="NHS">ask</a> &lt;why&gt;.</p><!-- /wp:paragraph -->'
    "<h2>Feeding_time #2</h2><ul><li>one<ul><li>two</li></ul></li></ul>"
    "<blockquote><p>Quote</p><p>1. more</p></blockquote><pre>x = 1\n\n  y</pre>"
    "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>"
    f'<figure><img src="{UPLOADS}a.jpg" alt="A"><figcaption>Cap</figcaption></figure>'
)


def test_same_post_gives_the_same_markdown():
    assert to_markdown(POST) == to_markdown(POST)


def test_converting_the_rendered_page_again_does_not_grow():
    first = to_markdown(POST).markdown
    second = to_markdown(page(first)).markdown
    third = to_markdown(page(second)).markdown

    assert third == second
    assert words(second) == words(first)


def test_a_normal_post_passes_the_fields_validators():
    markdown = to_markdown(POST).markdown

    MarkdownLimits()(markdown)
    assert reference_problems(markdown, allowed=KINDS) == []


FRAGMENTS = st.sampled_from(
    [
        "<p>", "</p>", "<br>", "\n", "\n\n", "<!-- wp:paragraph -->", "<!--", "-->",
        "[[quote:1]]", "[[", "]]", "[", "]", ":::", ":::tip ", "quote:", "expert:x",
        "<pre>", "</pre>", "<table><tr><td>", "<td colspan=2>", "</table>", "<ul><li>",
        "</li></ul>", "<ol><li>", "<blockquote>", "</blockquote>", "<h2>", "</h2>",
        "<a href='https://x.org/a'>", "</a>", "<img src='/a.jpg'>", "<img>", "<b>",
        "</b>", "<em>", "</em>", "<code>", "</code>", "<iframe src='https://y.org'>",
        "</iframe>", "<script>", "</script>", "&amp;", "&lt;", "&#", "#", "* ", "- ",
        "1. ", "> ", "`", "```", "~~~", "\\", "|", "_", "*", "=", "<div>", "</div>",
        '[caption id="attachment_1"]', "[/caption]", '[gallery ids="1,2"]', "[embed]",
        "[/embed]", "https://v.org/1", '[foo a="b"]', "<figure>", "<figcaption>",
        "</figcaption>", "<dl><dt>", "\u200f", "👶", "e\u0301", "\u2060", "<sub>",
        "<a href='http://[x'>", "<!--more-->", "&copy", "<li>", "<tt>", "<hr>",
    ]
)  # fmt: skip


@settings(
    max_examples=300,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(FRAGMENTS | st.text(max_size=12), max_size=40).map("".join))
def test_any_html_converts_without_error_or_working_references(post):
    found = {1: Attachment(url="/a.jpg", alt="[[quote:2]]", caption=":::tip x")}

    result = to_markdown(post, image_url=lambda src: None, attachment=found.get)

    assert reference_problems(result.markdown, allowed=KINDS) == []
    assert "<cms-" not in page(result.markdown)
    assert not re.search(r"[ \t]$", result.markdown, re.M)
    try:
        MarkdownLimits()(result.markdown)
    except ValidationError as error:  # only nesting deeper than a writer may type
        assert "nested" in str(error)
