"""`make lighthouse`: Lighthouse's phone profile on the article (the flagship), the
home page and a section page of the demo site as deployed (bench/demo_site.py: DEBUG
off, collected static files), three runs each; prints the median of each category
and, for any category under 100, the audits that cost points.

Lighthouse comes from the npm registry (`npx --yes lighthouse@13.5.0`, pinned); Chromium is
Debian's (CHROME_PATH, /usr/bin/chromium unless set). LIGHTHOUSE_RUNS changes the
number of runs. The numbers in docs/performance.md come from here.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))  # run as a script: the project's modules too

from bench.demo_site import demo_site  # noqa: E402

# articles.demo.content.FLAGSHIP (tests/bench checks they agree): this script runs
# without Django set up.
FLAGSHIP = ("baby-health", "erythema-toxicum-newborn-rash")

LIGHTHOUSE = os.environ.get("LIGHTHOUSE", "lighthouse@13.5.0")
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PAGES = {
    "article": "/{}/{}/".format(*FLAGSHIP),
    "home": "/",
    "section": f"/{FLAGSHIP[0]}/",
}


def lighthouse(url: str, output: Path) -> dict:
    """One run's report (Lighthouse's JSON); the phone profile is its default."""
    env = {
        **os.environ,
        "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
    }
    command = [
        "npx",
        "--yes",
        LIGHTHOUSE,
        url,
        "--output=json",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"Lighthouse failed on {url}:\n{result.stderr[-3000:]}")
    return json.loads(output.read_text())


def scores(report: dict) -> dict[str, int]:
    return {
        name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES
    }


def lost_points(report: dict) -> list[str]:
    """The audits that cost points in a category under 100, with a detail or two."""
    lines = []
    for name in CATEGORIES:
        category = report["categories"][name]
        if category["score"] == 1 or name == "performance":
            continue
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                lines.append(f"  {name}: {audit['id']}: {audit['title']}")
                for item in audit.get("details", {}).get("items", [])[:3]:
                    text = item.get("description") or item.get("source") or item
                    lines.append(f"    {str(text)[:200]}")
    return lines


def performance_notes(report: dict) -> list[str]:
    """The metrics behind the performance score."""
    audits = report["audits"]
    keys = [
        "first-contentful-paint",
        "largest-contentful-paint",
        "total-blocking-time",
        "cumulative-layout-shift",
        "speed-index",
    ]
    return ["  " + ", ".join(f"{k}: {audits[k]['displayValue']}" for k in keys)]


def main() -> None:
    runs = int(os.environ.get("LIGHTHOUSE_RUNS", "3"))
    medians = {}
    with demo_site() as base, tempfile.TemporaryDirectory() as out:
        for page, path in PAGES.items():
            reports = []
            for run in range(runs):
                report = lighthouse(base + path, Path(out) / f"{page}-{run}.json")
                reports.append(report)
                print(f"{page} run {run + 1}: {scores(report)}", flush=True)
            medians[page] = {
                name: statistics.median(scores(r)[name] for r in reports)
                for name in CATEGORIES
            }
            # The run whose performance is the median one explains the numbers.
            middle = sorted(reports, key=lambda r: scores(r)["performance"])[runs // 2]
            for line in lost_points(middle):
                print(line)
            print(*performance_notes(middle), sep="\n")
    print(f"\nLighthouse ({LIGHTHOUSE}), phone profile, median of {runs} runs")
    print("| Page | Performance | Accessibility | Best practices | SEO |")
    print("|---|---|---|---|---|")
    for page, values in medians.items():
        cells = " | ".join(f"{values[name]:g}" for name in CATEGORIES)
        print(f"| {page} ({PAGES[page]}) | {cells} |")


if __name__ == "__main__":
    main()
