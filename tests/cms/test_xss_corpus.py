"""Known XSS vectors (tests/data/xss_vectors.txt) come out safe wherever the site
shows an editor's Markdown: parsed as HTML, the output holds nothing that runs.

Each model's save stores ``render(text).html``; pages print it (bios), or fill its
markers first (``fill_body`` for the body and list items, ``quote_figure`` for quotes,
``Callout.as_html`` for callouts). Those functions are called here directly for every
vector; a sample also goes through real saves and pages, and every vector through the
editor's live preview.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleReference, Callout, Category
from articles.rendering import fill_body, quote_figure
from cms.markdown import render
from experts.models import Expert, Quote
from tests.factories import (
    ArticleFactory,
    ArticleQuoteFactory,
    AuthorFactory,
    CalloutFactory,
    ExpertFactory,
    ListItemFactory,
    QuoteFactory,
    UserFactory,
)

CORPUS = Path(__file__).resolve().parent.parent / "data" / "xss_vectors.txt"

# Elements that run script, load a document or a style, or send a form.
FORBIDDEN_TAGS = {
    "applet", "base", "button", "embed", "form", "frame", "frameset", "iframe",
    "input", "link", "math", "meta", "noscript", "object", "script", "select",
    "style", "template", "textarea",
}  # fmt: skip
URL_ATTRIBUTES = {
    "action", "background", "cite", "codebase", "data", "dynsrc", "formaction",
    "href", "lowsrc", "ping", "poster", "src", "srcset", "xlink:href",
}  # fmt: skip
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
# What a browser drops from a URL before reading its scheme: C0 controls and spaces
# around it, tabs and newlines anywhere (the parser has decoded entities already).
URL_EDGES = "".join(map(chr, range(0x21)))
URL_TABS = re.compile(r"[\t\n\r]")
STYLE_NOISE = re.compile(r"/\*.*?\*/|[\s\\]", re.S)


def load_vectors() -> list[str]:
    """The corpus's entries: the text between separator lines ("%%…")."""
    entries, current = [], None
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.startswith("%%"):
            if current is not None and "\n".join(current).strip():
                entries.append("\n".join(current))
            current = []
        elif current is not None:  # lines before the first separator are the header
            current.append(line)
    if current and "\n".join(current).strip():
        entries.append("\n".join(current))
    return entries


VECTORS = load_vectors()


def problems(output: str) -> list[str]:
    """What in ``output`` could run script, as a browser would parse it."""
    found = []
    for tag in BeautifulSoup(output, "html.parser").find_all(True):
        name = tag.name.lower()
        if name in FORBIDDEN_TAGS:
            found.append(f"<{name}>")
        if name == "svg" and "callout-icon" not in tag.get("class", []):
            found.append("<svg> not ours")
        for attribute, value in tag.attrs.items():
            attribute = attribute.lower()
            value = " ".join(value) if isinstance(value, list) else value
            if attribute.startswith("on"):
                found.append(f"{attribute}= on <{name}>")
            if attribute == "srcdoc":
                found.append(f"srcdoc= on <{name}>")
            if attribute in URL_ATTRIBUTES:
                url = URL_TABS.sub("", value.strip(URL_EDGES)).lower()
                if url.startswith(BAD_SCHEMES):
                    found.append(f"{attribute}={value!r} on <{name}>")
            if attribute == "style":
                style = STYLE_NOISE.sub("", value).lower()
                if "expression(" in style or "url(javascript" in style:
                    found.append(f"style={value!r} on <{name}>")
    return found


def assert_safe(outputs) -> None:
    """``outputs`` yields (vector, HTML); every unsafe one is named at once."""
    failures = [
        f"{vector!r}: {', '.join(found)}"
        for vector, output in outputs
        if (found := problems(output))
    ]
    assert not failures, "\n".join(failures)


def test_the_corpus_holds_over_300_vectors_of_each_kind():
    assert len(VECTORS) >= 300
    assert len(set(VECTORS)) > 290
    markdown_links = [v for v in VECTORS if re.search(r"\]\(|^\[\w+\]:|<\w+:", v, re.M)]
    assert len(markdown_links) >= 60
    assert sum(":::" in v for v in VECTORS) >= 5
    assert any("\n" in v for v in VECTORS)


def test_the_checker_finds_what_runs():
    """The assertion can fail: each shape it looks for is caught."""
    unsafe = [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href=" jav&#x09;ascript:alert(1)">x</a>',
        '<a href="&#x6A;avascript:alert(1)">x</a>',
        '<img src="data:text/html,x">',
        '<iframe srcdoc="x"></iframe>',
        '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
        '<p style="width: ex/**/pression(alert(1))">x</p>',
        '<math><mi href="vbscript:x">x</mi></math>',
        '<form action="https://example.com"><button>x</button></form>',
    ]
    for output in unsafe:
        assert problems(output), output
    safe = render("[a](https://example.com) ![b](/media/b.png)\n\n:::tip T\nx\n:::")
    assert problems(safe.html) == []


def _people():
    """Unsaved objects for the markers the corpus uses: quote 1, callout "c",
    expert "e" and article 1, as the page fetches them."""
    expert = Expert(
        pk=1,
        honorific="Dr",
        name="Amara Okafor",
        slug="e",
        job_title="Paediatrician",
        organisation="Harbour Hospital",
    )
    target = Article(
        pk=1,
        title="Cradle cap",
        slug="cradle-cap",
        category=Category(slug="skin"),
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(days=1),
    )
    return {
        "quotes": [Quote(pk=1, expert=expert, text_html="<p>Words.</p>")],
        "callouts": {
            "c": Callout(key="c", kind="tip", title="Ring", body_html="<p>Call.</p>")
        },
        "experts": {"e": expert},
        "links": {1: ArticleReference(target_article=target, title="Cradle cap")},
    }


def _body(text: str) -> str:
    return fill_body(render(text).html, **_people())


def _list_item(text: str) -> str:
    # Experts already named in the body get their short name in list items.
    return fill_body(render(text).html, seen={1}, **_people())


def _bio(text: str) -> str:
    return render(text).html  # the author's and the expert's page print it as is


def _quote(text: str) -> str:
    expert = _people()["experts"]["e"]
    return quote_figure(Quote(pk=2, expert=expert, text_html=render(text).html))


def _callout(text: str) -> str:
    callout = Callout(key="x", kind="urgent", title=text, body_html=render(text).html)
    return callout.as_html()


@pytest.mark.parametrize(
    "show", [_body, _list_item, _bio, _quote, _callout], ids=lambda f: f.__name__
)
def test_every_vector_is_safe_in_every_place_text_is_shown(show):
    assert_safe((vector, show(vector)) for vector in VECTORS)


@pytest.mark.django_db
def test_every_vector_is_safe_in_the_live_preview(client):
    client.force_login(UserFactory(staff=True))
    url = reverse("markdownx_markdownify")

    def previews():
        for vector in VECTORS:
            response = client.post(url, {"content": vector})
            assert response.status_code == 200, vector
            yield vector, response.content.decode()

    assert_safe(previews())


def _main(response) -> str:
    assert response.status_code == 200
    main = BeautifulSoup(response.content, "html.parser").find("main")
    assert main is not None
    return str(main)


@pytest.mark.django_db
def test_a_sample_is_safe_on_the_real_pages(client):
    """Saved as an article's body, list item, byline bio, placed quote, expert bio
    and standard callout, then read on the article, author and expert pages."""
    sample = VECTORS[::20]
    assert len(sample) >= 20
    pages = []
    for n, vector in enumerate(sample):
        expert = ExpertFactory(bio=vector)
        quote = QuoteFactory(expert=expert, text=vector)
        callout = CalloutFactory(title=vector[:100], body=vector)
        author = AuthorFactory(bio=vector)
        article = ArticleFactory(
            published=True,
            slug=f"sample-{n}",
            # The vector last: an unclosed tag in it may swallow what follows.
            body=f"[[quote:{quote.pk}]]\n\n[[callout:{callout.key}]]\n\n"
            f"Said [[expert:{expert.slug}]].\n\n{vector}",
            authors=[author],
        )
        ArticleQuoteFactory(article=article, quote=quote)
        ListItemFactory(article=article, text=vector)
        page = _main(client.get(article.get_absolute_url()))
        assert f'class="callout callout-{callout.kind}' in page  # it was filled
        assert "<figure" in page
        pages.append((vector, page))
        pages.append((vector, _main(client.get(author.get_absolute_url()))))
        pages.append((vector, _main(client.get(expert.get_absolute_url()))))
    assert_safe(pages)
