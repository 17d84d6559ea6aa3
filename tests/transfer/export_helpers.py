"""Helpers for the export and import tests: a generated site, an emptied database,
and file trees to compare."""

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from articles.models import (
    Article,
    ArticlePath,
    ArticleQuote,
    ArticleTransition,
    Author,
    Callout,
    Category,
    OldAddress,
    Tag,
)
from cms.models import Image
from experts.models import Expert, Quote, SignOff
from tests.factories import (
    ArticleFactory,
    ArticleSourceFactory,
    AuthorFactory,
    AuthorLinkFactory,
    CalloutFactory,
    CategoryFactory,
    ExpertFactory,
    ListItemFactory,
    QuoteFactory,
    RelatedLinkFactory,
    TagFactory,
    UserFactory,
    image_file,
)

# Users are not exported: a test keeps them when it empties the database.
USERNAMES = ("editor", "zoë", "writer")
STATES = ["draft", "in_review", "published", "scheduled", "unpublished", "expired"]


def empty_database() -> None:
    """Every record the export holds, deleted (users stay: they are not exported)."""
    Article.objects.all().delete()
    ArticlePath.objects.all().delete()
    OldAddress.objects.all().delete()
    Quote.objects.all().delete()
    Expert.objects.all().delete()
    Author.objects.all().delete()
    Callout.objects.all().delete()
    Tag.objects.all().delete()
    Category.objects.exclude(parent=None).delete()
    Category.objects.all().delete()
    Image.objects.all().delete()


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root``, by its path there, with its bytes."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def differences(one: dict[str, bytes], two: dict[str, bytes]) -> list[str]:
    """The files only one tree has, and those whose bytes differ."""
    return sorted(one.keys() ^ two.keys()) + [
        name for name in sorted(one.keys() & two.keys()) if one[name] != two[name]
    ]


def _state(n: int) -> dict:
    now = timezone.now()
    past = now - timedelta(days=n % 300 + 2, minutes=n)
    return {
        "draft": {"status": "draft"},
        "in_review": {"status": "in_review"},
        "published": {"status": "published", "published_at": past},
        "scheduled": {"status": "published", "published_at": now + timedelta(days=3)},
        "unpublished": {"status": "unpublished", "published_at": past},
        "expired": {
            "status": "published",
            "published_at": past,
            "expires_at": past + timedelta(days=1),
        },
    }[STATES[n % len(STATES)]]


def generated_site(count: int = 500) -> dict:
    """``count`` articles in every state, with unicode titles and slugs, quotes,
    callouts, mentions, links both ways, list items with images, related links,
    sources, reviews, history and old addresses; the people and sections they use."""
    users = [UserFactory(username=name) for name in USERNAMES]
    parent = CategoryFactory(slug="famille", name="Famille")
    sections = [
        parent,
        CategoryFactory(slug="santé", name="Santé", parent=parent),
        CategoryFactory(slug="sleep", requires_medical_review=True, position=2),
        CategoryFactory(slug="feeding", description="All about *feeding*.\n"),
    ]
    OldAddress.objects.create(path="/category/family/", category=parent)
    tags = [TagFactory(slug=f"thème-{n}", name=f"Thème {n} ✨") for n in range(6)]
    tags += [TagFactory() for _ in range(14)]
    experts = [
        ExpertFactory(photo=image_file(f"expert-{n}.png") if n < 3 else None)
        for n in range(8)
    ]
    experts.append(ExpertFactory(is_active=False, name="Dana Reyes"))
    authors = [AuthorFactory(user=users[2], photo=image_file("writer.png"))]
    authors += [AuthorFactory() for _ in range(5)] + [AuthorFactory(is_active=False)]
    AuthorLinkFactory(author=authors[0])
    AuthorLinkFactory(author=authors[0], label="Instagram", position=2)
    callouts = [CalloutFactory() for _ in range(3)]
    quote_kinds = [{}, {"not_sent": True}, {"sent": True}, {"withdrawn": True}]
    quotes = [
        QuoteFactory(expert=experts[n % len(experts)], **quote_kinds[n % 4])
        for n in range(60)
    ]
    for quote in quotes[:10]:
        SignOff.objects.create(
            quote=quote, from_status="sent", to_status=quote.status, by=users[0]
        )
    articles, placements, history = [], [], []
    for n in range(count):
        unicode = n % 5 == 0
        placed = [quotes[n % len(quotes)], quotes[(n * 7 + 3) % len(quotes)]]
        placed = list(dict.fromkeys(placed))
        body = "## Début\n\n" if unicode else "## First\n\n"
        body += "\n\n".join(quote.reference for quote in placed)
        body += f"\n\nAsk [[expert:{experts[n % 8].slug}]] first.\n"
        if n % 4 == 0:
            body += f"\n[[callout:{callouts[n % 3].key}]]\n"
        if articles:
            body += f"\nSee [[article:{articles[n // 2].pk}|an earlier piece]].\n"
        article = ArticleFactory(
            title=f"Le sommeil de bébé n°{n} 🌙\u200f" if unicode else f"Sleep {n}",
            slug=f"sommeil-bébé-{n}" if unicode else f"sleep-{n}",
            category=sections[n % len(sections)],
            body=body,
            authors=[authors[n % len(authors)], authors[(n + 1) % len(authors)]]
            if n % 3 == 0
            else [authors[n % len(authors)]],
            hero_image=image_file(f"hero-{n}.png") if n % 25 == 0 else None,
            hero_alt="A picture" if n % 25 == 0 else "",
            reviewed=n % 7 == 0,
            reviewed_by=experts[n % 8] if n % 7 == 0 else None,
            seo_title=f"Sleep guide {n}" if n % 9 == 0 else "",
            is_featured=n == 3,
            **_state(n),
        )
        article.tags.set({tags[n % len(tags)], tags[(n * 3) % len(tags)]})
        placements += [
            ArticleQuote(article=article, quote=quote, position=position)
            for position, quote in enumerate(placed)
        ]
        if n % 5 == 1:
            ListItemFactory(
                article=article,
                image=image_file(f"item-{n}.png"),
                image_alt="An item",
                text="One *point*.\n\nAnother.",
            )
            ListItemFactory(article=article, text="A line ending with spaces  ")
        if n % 3 == 0:
            ArticleSourceFactory(article=article)
        if article.status != "draft":
            history += [
                ArticleTransition(
                    article=article,
                    from_status="draft",
                    to_status="in_review",
                    by=users[2],
                    at=timezone.now() - timedelta(days=9, minutes=n),
                ),
                ArticleTransition(
                    article=article,
                    from_status="in_review",
                    to_status=article.status,
                    by=users[n % 2],
                    comment="Looks good.\nShip it." if n % 2 else "",
                    at=timezone.now() - timedelta(days=8, minutes=n),
                ),
            ]
        if n % 11 == 0:
            OldAddress.objects.create(path=f"/?p={n + 1000}", article=article)
        articles.append(article)
    ArticleQuote.objects.bulk_create(placements)
    ArticleTransition.objects.bulk_create(history)
    for n, article in enumerate(articles):
        if n % 6 == 0:  # a link to an article made after it: the second pass's work
            later = articles[(n + 50) % len(articles)]
            article.body += f"\nNext: [[article:{later.pk}]].\n"
            article.save()
            RelatedLinkFactory(article=article, target_article=later, position=1)
        if n % 10 == 3:
            RelatedLinkFactory(
                article=article,
                target_article=None,
                position=2,
                url="https://www.nhs.uk/",
                title="NHS",
            )
    # An article linked to, renamed (an old address) and then deleted (a gone one).
    doomed = ArticleFactory(category=sections[2], slug="to-go", published=True)
    doomed.slug = "going"
    doomed.save()
    articles[1].body += f"\nOnce: [[article:{doomed.pk}|a removed piece]].\n"
    articles[1].save()
    doomed.delete()
    OldAddress.objects.create(path="/2018/01/01/long-gone/")
    return {"articles": articles, "users": users, "quotes": quotes}
