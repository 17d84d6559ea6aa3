"""Time the renderer on hostile Markdown: every shape of tests/markdown_shapes.py at the
size a field may hold (CMS_MAX_MARKDOWN_BYTES), and print a table.

    .venv/bin/python bench/hostile_markdown.py [SIZE] [NAME …]

Each shape is rendered REPEAT times (BENCH_REPEAT, default 3) with the renderer's
memo cleared, and the fastest CPU time is kept: other work on the machine lengthens
the slower runs. The goal is under a second for every shape; nothing here fails.
"""

import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))  # run as a script: the project's modules too
GOAL_SECONDS = 1.0


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # no secret key needed: no server
    import django

    django.setup()
    from django.conf import settings

    from cms.markdown import render
    from tests.markdown_shapes import END, SHAPES

    size = (
        int(argv[0]) if argv and argv[0].isdigit() else settings.CMS_MAX_MARKDOWN_BYTES
    )
    names = [name for name in argv if not name.isdigit()] or list(SHAPES)
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))
    width = max(map(len, names))
    print(f"{'shape':<{width}}  {'bytes':>9}  {'seconds':>7}  {'HTML':>9}")
    slowest = 0.0
    for name in names:
        text = SHAPES[name](size)
        best = float("inf")
        for _ in range(repeat):
            render.cache_clear()
            start = time.process_time()
            html = render(text).html
            best = min(best, time.process_time() - start)
        slowest = max(slowest, best)
        flag = "" if END in html else "  (the end of the text is missing)"
        flag += "  SLOW" if best > GOAL_SECONDS else ""
        print(
            f"{name:<{width}}  {len(text.encode()):>9,}  {best:>7.3f}  {len(html):>9,}{flag}"
        )
    print(f"slowest: {slowest:.3f} s (goal: under {GOAL_SECONDS:.0f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
