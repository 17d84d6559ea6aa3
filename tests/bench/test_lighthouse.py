"""`make lighthouse` and `make screenshots`: the pages they visit, and how a run's
scores are read (no browser here: Lighthouse itself runs in `make lighthouse`)."""

from articles.demo.content import FLAGSHIP
from bench import lighthouse, screenshots


def report(performance=1.0, best_practices=1.0, console_errors=None):
    audits = {
        "errors-in-console": {
            "id": "errors-in-console",
            "title": "Browser errors were logged to the console",
            "score": 0 if console_errors else 1,
            "details": {"items": [{"description": e} for e in console_errors or []]},
        }
    }
    categories = {
        name: {"score": 1.0, "auditRefs": []} for name in ("accessibility", "seo")
    }
    categories["performance"] = {"score": performance, "auditRefs": []}
    categories["best-practices"] = {
        "score": best_practices,
        "auditRefs": [{"id": "errors-in-console", "weight": 1}],
    }
    return {"categories": categories, "audits": audits}


def test_the_scripts_visit_the_demos_flagship():
    assert lighthouse.FLAGSHIP == FLAGSHIP == screenshots.FLAGSHIP
    assert set(lighthouse.PAGES) == {"article", "home", "section"}
    assert lighthouse.PAGES["article"] == "/{}/{}/".format(*FLAGSHIP)


def test_scores_are_percentages_per_category():
    assert lighthouse.scores(report(performance=0.954)) == {
        "performance": 95,
        "accessibility": 100,
        "best-practices": 100,
        "seo": 100,
    }


def test_lost_points_name_the_failing_audit_and_its_details():
    lines = lighthouse.lost_points(
        report(best_practices=0.96, console_errors=["Failed to load resource: 404"])
    )
    assert lines == [
        "  best-practices: errors-in-console: Browser errors were logged to the console",
        "    Failed to load resource: 404",
    ]
    assert lighthouse.lost_points(report()) == []
