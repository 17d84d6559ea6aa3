"""`make screenshots`: the reader's pages (home, a section, the flagship article, search,
not found) on a phone (390×844) and a desktop (1440×900), as PNGs in docs/screenshots/,
taken with Playwright and Debian's Chromium (CHROMIUM_PATH) on the demo site as deployed
(bench/demo_site.py). SCREENSHOTS_URL points it at a site already running instead.
Only what shows in the window is taken, the page's first screen."""

import os
import sys
from contextlib import nullcontext
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))  # run as a script: the project's modules too

from bench.demo_site import demo_site  # noqa: E402

OUT = BASE_DIR / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
]
# articles.demo.content.FLAGSHIP (tests/bench checks they agree).
FLAGSHIP = ("baby-health", "erythema-toxicum-newborn-rash")
PAGES = {
    "home": "/",
    "section": f"/{FLAGSHIP[0]}/",
    "article": "/{}/{}/".format(*FLAGSHIP),
    "search": "/search/?q=rash",
    "not-found": "/no-such-section/no-such-article/",
}
VIEWPORTS = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "device_scale_factor": 2,
    },
    "desktop": {"viewport": {"width": 1440, "height": 900}},
}


def take(base: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        for device, options in VIEWPORTS.items():
            context = browser.new_context(**options)
            page = context.new_page()
            for name, path in PAGES.items():
                page.goto(base + path, wait_until="networkidle")
                page.evaluate("document.fonts.ready")
                target = out / f"{name}-{device}.png"
                page.screenshot(path=target)
                taken.append(target)
            context.close()
        browser.close()
    return taken


def main() -> None:
    url = os.environ.get("SCREENSHOTS_URL", "").rstrip("/")
    with nullcontext(url) if url else demo_site() as base:
        for path in take(base, Path(os.environ.get("SCREENSHOTS_DIR", OUT))):
            print(path.relative_to(BASE_DIR) if path.is_relative_to(BASE_DIR) else path)


if __name__ == "__main__":
    sys.exit(main())
