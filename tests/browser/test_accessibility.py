"""axe-core finds no WCAG 2.2 A/AA violations on the public pages (phone and desktop).

They run on the site as deployed (the `site` fixture: DEBUG off, collected static files,
the demo content). axe-core comes bundled in the axe-playwright-python package: nothing
is downloaded.
"""

import pytest

from articles.demo.content import AUTHORS, EXPERTS, FLAGSHIP

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = {
    "home": "/",
    "section": f"/{FLAGSHIP[0]}/",
    "article": "/{}/{}/".format(*FLAGSHIP),
    "author": f"/authors/{AUTHORS[0]['slug']}/",
    "expert": f"/experts/{EXPERTS[0]['slug']}/",
    "experts": "/experts/",
    "search": "/search/?q=rash",
    "not found": "/no-such-section/no-such-article/",
    "top-level section": "/pregnancy/",
    "privacy": "/legal/privacy/",
    "terms": "/legal/terms/",
    "cookies": "/legal/cookies/",
    "accessibility statement": "/legal/accessibility/",
}


def violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}},
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in results.response["violations"]
    ]


def heading_problems(page) -> list[str]:
    levels = page.evaluate(
        "[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]"
        ".map(h => Number(h.tagName[1]))"
    )
    problems = []
    if levels.count(1) != 1 or levels[0] != 1:
        problems.append(f"headings {levels}: one h1 is needed, and first")
    for before, after in zip(levels, levels[1:], strict=False):
        if after > before + 1:
            problems.append(f"h{before} is followed by h{after}")
    return problems


@pytest.mark.parametrize(
    "viewport",
    [{"width": 390, "height": 844}, {"width": 1280, "height": 900}],
    ids=["phone", "desktop"],
)
def test_public_pages_have_no_wcag_violations(browser, site, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    found = []
    for name, path in PAGES.items():
        page.goto(site.url + path)
        found += [f"{name}: {problem}" for problem in violations(page)]
        found += [f"{name}: {problem}" for problem in heading_problems(page)]
    context.close()
    assert not found, "\n".join(found)
