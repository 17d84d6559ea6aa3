"""Fill an empty database with a benchmark-sized site shaped like the demo content.

Rows are written with ``bulk_create`` in batches, and hold exactly what the save path
would store: each distinct body (and numbered-list) template is rendered once by
``cms.markdown.render`` with sentinel references, and every article gets that output
with its own quote ids, expert slugs, article links and callout substituted, so
``body_html``, ``toc``, ``word_count``, ``body_text`` and ``body_hash`` match a save.
ArticleReference rows, ArticlePath rows and (on PostgreSQL) search vectors follow.
"""

import random
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.demo import content as demo
from articles.models import (
    Article,
    ArticleAuthor,
    ArticlePath,
    ArticleQuote,
    ArticleReference,
    ArticleSource,
    Author,
    AuthorLink,
    Callout,
    Category,
    ListItem,
    RelatedLink,
    Tag,
)
from articles.models.review import add_months, hash_body
from articles.models.search import SEARCH_CONFIG, plain_text
from cms.markdown import render
from experts.models import Expert, Quote

# Sentinel references in the templates, swapped for each article's own.
QUOTE_SENTINEL = 999_000_000
LINK_SENTINEL = 999_100_000
ITEM_LINK_SENTINEL = 999_100_500
EXPERT_SENTINEL = "zz-bench-expert-"
CALLOUT_SENTINEL = "zz-bench-callout"
SENTINELS = re.compile(r"999[01]00\d\d\d|zz-bench-expert-\d+|zz-bench-callout")

# As migration 0010_search makes it (PostgreSQL only).
CREATE_SEARCH_INDEX = (
    "CREATE INDEX IF NOT EXISTS article_search_vector_gin "
    "ON articles_article USING gin (search_vector)"
)
DROP_SEARCH_INDEX = "DROP INDEX IF EXISTS article_search_vector_gin"

BODY_TEMPLATES = 40
LIST_TEMPLATES = 6
LIST_ITEMS = 11

TOP_SECTIONS = [
    "Pregnancy", "Baby", "Toddler", "Child", "Family life", "Growing up", "Food",
    "Sleep", "Learning", "Wellbeing",
]  # fmt: skip
SUB_SECTIONS = [
    "Health", "Sleep", "Feeding", "Development", "Behaviour", "Safety", "Play",
    "Skin", "Milestones", "Activities",
]  # fmt: skip
TOPICS = [
    "skin", "rashes", "newborn", "feeding", "summer", "sleep", "teething", "colic",
    "weaning", "fever", "coughs", "eczema", "allergies", "potty training", "tantrums",
    "speech", "crawling", "walking", "vaccines", "nappies", "bath time", "reflux",
    "constipation", "growth", "screen time", "nursery", "siblings", "bonding",
    "breastfeeding", "formula", "bottle feeding", "car seats", "sun safety", "teeth",
    "hearing", "eyesight", "heat rash", "cradle cap", "chickenpox", "hand washing",
    "first aid", "choking", "burns", "head lice", "threadworms", "croup", "asthma",
    "hay fever", "nosebleeds", "ear infections", "tonsillitis", "warts", "verrucas",
    "birthmarks", "jaundice", "hiccups", "snoring", "night terrors", "bedwetting",
    "thumb sucking", "fussy eating", "snacks", "drinks", "vitamins", "iron", "water",
    "exercise", "outdoor play", "reading", "counting", "music", "drawing", "friends",
    "starting school", "routines", "naps", "travel", "holidays", "swimming", "pets",
    "grandparents", "twins", "premature babies", "birth", "labour", "scans",
    "morning sickness", "back pain", "heartburn", "cravings", "stretch marks",
    "postnatal", "recovery", "mental health", "sleep regression", "baby massage",
    "tummy time", "dummies", "slings", "prams", "baby monitors", "room temperature",
]  # fmt: skip
QUALIFIERS = [
    "basics", "tips", "myths", "questions", "signs", "care", "safety", "stages",
    "checklist", "worries", "help", "facts", "guide", "advice", "ideas", "problems",
    "treatments", "remedies", "routines", "research", "milestones", "products",
    "costs", "rules", "timeline", "support", "at night", "at home", "on holiday",
    "in winter", "in summer", "at nursery", "for dads", "for twins", "for toddlers",
    "for newborns", "in pregnancy", "after birth", "and sleep", "and food",
    "and play", "and school", "and travel", "and bath time", "and weather",
    "and illness", "and growth", "and friends", "and siblings", "and screens",
]  # fmt: skip
TITLE_PATTERNS = [
    "{topic}: what every parent should know",
    "{topic} in babies: causes, signs and treatment",
    "A parent's guide to {topic}",
    "{topic}: when to worry and when to wait",
    "How to help your child with {topic}",
    "{topic} explained by the experts",
    "Everything you need to know about {topic}",
    "{topic}: {count} questions answered",
]
FIRST_NAMES = [
    "Amara", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Hassan", "Isla", "Jonah",
    "Kiran", "Lena", "Maya", "Niall", "Olu", "Priya", "Quinn", "Rosa", "Sami", "Tara",
    "Uma", "Vikram", "Wren", "Xander", "Yara", "Zain", "Aoife", "Bryn", "Cerys", "Dara",
]  # fmt: skip
LAST_NAMES = [
    "Okafor", "Marsh", "Castellane", "Ramsden", "Adeyemi", "Pryce", "Dalgleish",
    "Arkwright", "Holloway", "Nakamura", "Fennimore", "Brennan", "Osei", "Lindqvist",
    "Moreau", "Kowalski", "Achterberg", "Quayle", "Sorensen", "Tennant", "Umber",
    "Varga", "Whitlow", "Yusuf", "Zeller", "Abernethy", "Blackwood", "Carrow",
    "Delacroix", "Emberley",
]  # fmt: skip
JOB_TITLES = [
    "Consultant Paediatrician", "Health Visitor", "Community Pharmacist", "GP",
    "Midwife", "Paediatric Dermatologist", "Children's Dietitian", "Sleep Consultant",
    "Clinical Psychologist", "Speech and Language Therapist",
]  # fmt: skip
PUBLISHERS = [
    ("NHS", "https://www.nhs.uk/conditions/"),
    ("NICE", "https://www.nice.org.uk/guidance"),
    ("Royal College of Paediatrics and Child Health", "https://www.rcpch.ac.uk/"),
    ("British Association of Dermatologists", "https://www.bad.org.uk/"),
    ("UK Health Security Agency", "https://www.gov.uk/government/organisations/"),
]
SYLLABLES = "ka lo mi ren tu vex sol dra qui mor zen pil bra fen gor hul"
LABELS = ["Read more", "Now read", "See also"]


@dataclass
class Template:
    """One rendered shape: Markdown and HTML with sentinels, and what is the same for
    every article that uses it."""

    body: str
    html: str
    toc: list
    word_count: int
    text: str
    quotes: int
    mentions: int
    links: int
    callout: bool


@dataclass
class Plan:
    """What one run creates; the headers of every article are made up front so any
    article can link to any other."""

    sections: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    tag_weights: list = field(default_factory=list)
    authors: list = field(default_factory=list)
    experts: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    callouts: list = field(default_factory=list)


def prose_from_demo() -> tuple[list[str], list[str], list[str]]:
    """Sentences, H2 headings and bullet lines from the demo articles' bodies."""
    texts = [demo.FLAGSHIP_BODY] + [a["body"] for a in demo.ARTICLES]
    texts += [item["text"] for item in demo.FLAGSHIP_ITEMS]
    sentences, headings, bullets = [], [], []
    for text in texts:
        text = re.sub(r"\{\{[^}]*\}\}|\[\[[^\]]*\]\]", "", text)
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        for block in text.split("\n\n"):
            block = block.strip()
            if block.startswith("## "):
                headings.append(block[3:].strip())
            elif block.startswith("- "):
                bullets += [line[2:] for line in block.splitlines() if line[:2] == "- "]
            elif block and not block.startswith((":::", "#", "|")):
                sentences += [
                    s.strip()
                    for s in re.split(r"(?<=[.!?])\s+", block.replace("\n", " "))
                    if len(s.split()) > 4
                ]
    return sentences, sorted(set(headings)), bullets


def paragraph(rng: random.Random, sentences: list[str], n: int = 0) -> str:
    return " ".join(rng.sample(sentences, n or rng.randint(2, 5)))


def body_template(rng: random.Random, prose) -> Template:
    """A body shaped like the demo's: an intro naming experts, H2 sections with
    placed quotes, lists and links to other articles, a standard callout, a callout
    of its own."""
    sentences, headings, bullets = prose
    quotes, mentions, links = rng.randint(3, 7), rng.randint(1, 3), rng.randint(2, 5)
    callout = rng.random() < 0.6
    sections = rng.sample(headings, min(len(headings), rng.randint(5, 11)))
    experts = [f"[[expert:{EXPERT_SENTINEL}{n}]]" for n in range(1, mentions + 1)]
    parts = [
        paragraph(rng, sentences),
        paragraph(rng, sentences),
        f"To find out what parents need to know, we spoke to {', '.join(experts)}.",
    ]
    quote_at = sorted(rng.choices(range(len(sections)), k=quotes))
    link_at = sorted(rng.choices(range(len(sections)), k=links))
    quote_n = link_n = 1
    for position, heading in enumerate(sections):
        parts += [f"## {heading}", paragraph(rng, sentences)]
        if rng.random() < 0.4:
            parts.append("\n".join(f"- {b}" for b in rng.sample(bullets, 4)))
        for _ in range(quote_at.count(position)):
            parts.append(f"[[quote:{QUOTE_SENTINEL + quote_n}]]")
            quote_n += 1
        for _ in range(link_at.count(position)):
            target = LINK_SENTINEL + link_n
            parts.append(
                f"Read more: [[article:{target}|our guide to {heading.lower()}]]."
                if link_n % 2
                else f"{paragraph(rng, sentences, 1)} See also [[article:{target}]]."
            )
            link_n += 1
        if rng.random() < 0.5:
            parts.append(paragraph(rng, sentences))
    parts.append(
        f"As [[expert:{EXPERT_SENTINEL}1]] says, {paragraph(rng, sentences, 1).lower()}"
    )
    if callout:
        parts.append(f"[[callout:{CALLOUT_SENTINEL}]]")
    if rng.random() < 0.5:
        items = "\n".join(f"- {b}" for b in rng.sample(bullets, 4))
        parts.append(f":::warning When to call NHS 111\n{items}\n:::")
    body = "\n\n".join(parts) + "\n"
    rendered = render(body)
    return Template(
        body=body,
        html=rendered.html,
        toc=rendered.toc,
        word_count=rendered.word_count,
        text=plain_text(rendered.html),
        quotes=quotes,
        mentions=mentions,
        links=links,
        callout=callout,
    )


def list_template(rng: random.Random, prose) -> list[tuple[str, str, str]]:
    """Eleven (heading, Markdown, HTML) items; some link to an article or name an expert."""
    sentences, headings, _ = prose
    items = []
    for n, heading in enumerate(
        rng.sample(demo_item_headings() + headings, LIST_ITEMS)
    ):
        text = f"{paragraph(rng, sentences)}\n\n{paragraph(rng, sentences)}"
        if n % 4 == 1:
            text += f" Read more: [[article:{ITEM_LINK_SENTINEL + n}|our guide]]."
        if n == 5:
            text += f" Ask [[expert:{EXPERT_SENTINEL}1]]."
        items.append((heading, text, render(text).html))
    return items


def demo_item_headings() -> list[str]:
    return [item["heading"] for item in demo.FLAGSHIP_ITEMS]


def substitute(text: str, mapping: dict[str, str]) -> str:
    return SENTINELS.sub(lambda m: mapping[m.group(0)], text)


class Progress:
    """A one-line bar on stderr when it is a terminal; a line per step otherwise."""

    def __init__(self, total: int, label: str):
        self.total, self.label, self.done = total, label, 0
        self.started = time.monotonic()
        self.tty = sys.stderr.isatty()

    def advance(self, n: int) -> None:
        self.done += n
        if not self.tty:
            return
        share = self.done / self.total if self.total else 1
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        bar = "#" * int(share * 30)
        sys.stderr.write(
            f"\r{self.label} [{bar:<30}] {self.done}/{self.total} ({rate:,.0f}/s)"
        )
        sys.stderr.flush()

    def close(self) -> None:
        seconds = time.monotonic() - self.started
        end = "\n" if self.tty else ""
        sys.stderr.write(f"{end}{self.label}: {self.done} in {seconds:.1f}s\n")


@contextmanager
def given_times(*models):
    """Let bulk inserts keep the created/modified times given, as an import would."""
    fields = [
        f
        for model in models
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def rare_words(rng: random.Random, n: int) -> list[str]:
    """Made-up words, each given to a handful of articles: the 'rare word' searches."""
    syllables = SYLLABLES.split()
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rng.choices(syllables, k=4)))
    return sorted(words)


class Command(BaseCommand):
    help = (
        "Fill an empty database with a benchmark site: articles shaped like the demo "
        "(quotes, expert mentions, links, numbered lists, tags, bylines, sources), "
        "written in bulk as the save path would store them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument("--authors", type=int, default=1_000)
        parser.add_argument("--experts", type=int, default=500)
        parser.add_argument("--tags", type=int, default=5_000)
        parser.add_argument("--sections", type=int, default=24)
        parser.add_argument("--batch", type=int, default=1_000)
        parser.add_argument("--seed", type=int, default=1, help="Random seed.")
        parser.add_argument(
            "--flush",
            action="store_true",
            help="Delete every article, section, tag, author, expert, quote and "
            "standard callout first.",
        )

    def handle(self, *args, **options):
        for name in ("articles", "authors", "experts", "tags", "sections", "batch"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        if options["articles"] < 2:
            raise CommandError(
                "--articles must be at least 2: articles link to others."
            )
        # Debug mode would keep every (huge) INSERT in memory.
        settings.DEBUG = False
        if options["flush"]:
            self.flush()
        elif Article.objects.exists() or Expert.objects.exists():
            raise CommandError(
                f"The database already holds {Article.objects.count()} articles and "
                f"{Expert.objects.count()} experts. seed_bench fills an empty "
                "database: run it with --flush to delete all content first."
            )
        self.rng = random.Random(options["seed"])
        started = time.monotonic()
        with given_times(Article, Author, Expert, Quote, Callout):
            plan = self.people_and_places(options)
            self.articles(plan, options)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # VACUUM sets the visibility map that index-only scans rely on.
                in_transaction = connection.in_atomic_block
                cursor.execute("ANALYZE" if in_transaction else "VACUUM ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded in {time.monotonic() - started:.0f}s: {self.summary()}. "
                f"Rare search words look like “{self.rare[0]}”."
            )
        )

    def flush(self) -> None:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute(
                    "TRUNCATE articles_article, articles_category, articles_tag, "
                    "articles_author, articles_callout, experts_expert, experts_quote "
                    "RESTART IDENTITY CASCADE"
                )
            return
        with transaction.atomic():
            for model in (
                ArticleReference, ArticlePath, RelatedLink, ListItem, ArticleSource,
                ArticleQuote, ArticleAuthor, Article.tags.through,
            ):  # fmt: skip
                model.objects.all()._raw_delete(model.objects.db)
            Article.objects.all().delete()
            for model in (Quote, Expert, AuthorLink, Author, Tag, Callout):
                model.objects.all().delete()
            Category.objects.filter(parent__isnull=False).delete()
            Category.objects.all().delete()

    def summary(self) -> str:
        counts = {
            "articles": Article.objects.count(),
            "published": Article.objects.published().count(),
            "sections": Category.objects.count(),
            "tags": Tag.objects.count(),
            "authors": Author.objects.count(),
            "experts": Expert.objects.count(),
            "quotes": Quote.objects.count(),
            "placed quotes": ArticleQuote.objects.count(),
            "list items": ListItem.objects.count(),
            "references": ArticleReference.objects.count(),
        }
        return ", ".join(f"{n:,} {name}" for name, n in counts.items())

    # --- Everything articles point at ----------------------------------------------

    def people_and_places(self, options) -> Plan:
        rng, plan = self.rng, Plan()
        now = timezone.now()
        long_ago = now - timedelta(days=3650)
        bios = [paragraph(rng, prose_from_demo()[0], 3) for _ in range(5)]
        bio_html = {bio: render(bio).html for bio in bios}

        n_top = max(1, min(len(TOP_SECTIONS), round(options["sections"] / 4)))
        tops = [
            Category(
                name=TOP_SECTIONS[n], slug=slugify(TOP_SECTIONS[n]), position=n,
                description=f"Advice on {TOP_SECTIONS[n].lower()}.",
            )
            for n in range(n_top)
        ]  # fmt: skip
        Category.objects.bulk_create(tops)
        subs = []
        for n in range(options["sections"] - n_top):
            parent = tops[n % n_top]
            name = SUB_SECTIONS[(n // n_top) % len(SUB_SECTIONS)]
            suffix = (
                f"-{n // (n_top * len(SUB_SECTIONS)) + 1}" if n >= n_top * 10 else ""
            )
            subs.append(
                Category(
                    name=name, parent=parent, slug=f"{parent.slug}-{slugify(name)}{suffix}",
                    position=n, requires_medical_review=name == "Health",
                    description=f"{name} for {parent.name.lower()}.",
                )
            )  # fmt: skip
        Category.objects.bulk_create(subs)
        plan.sections = subs + tops if subs else tops

        names = list(
            dict.fromkeys(
                [t.capitalize() for t in TOPICS]
                + [f"{t.capitalize()} {q}" for q in QUALIFIERS for t in TOPICS]
            )
        )
        while len(names) < options["tags"]:
            names.append(f"Topic {len(names)}")
        plan.tags = Tag.objects.bulk_create(
            [Tag(name=name, slug=slugify(name)) for name in names[: options["tags"]]],
            batch_size=2000,
        )
        # A few tags are on thousands of articles, most on a handful.
        plan.tag_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(plan.tags))]

        def person(n):
            first = FIRST_NAMES[n % len(FIRST_NAMES)]
            last = LAST_NAMES[(n // len(FIRST_NAMES)) % len(LAST_NAMES)]
            return first, last, slugify(f"{first} {last} {n}")

        authors = []
        for n in range(options["authors"]):
            first, last, slug = person(n)
            bio = bios[n % len(bios)]
            authors.append(
                Author(
                    display_name=f"{first} {last}", slug=slug, bio=bio,
                    bio_html=bio_html[bio], job_title="Writer",
                    created_at=long_ago, modified_at=long_ago,
                )
            )  # fmt: skip
        plan.authors = Author.objects.bulk_create(authors, batch_size=2000)
        AuthorLink.objects.bulk_create(
            [
                AuthorLink(
                    author=a, label="Website", url=f"https://{a.slug}.example.com/"
                )
                for a in plan.authors[::2]
            ],
            batch_size=2000,
        )
        experts = []
        for n in range(options["experts"]):
            first, last, slug = person(n + 7)
            honorific = "Dr" if n % 3 == 0 else ""
            bio = bios[n % len(bios)]
            experts.append(
                Expert(
                    honorific=honorific, name=f"{first} {last}", slug=slug,
                    short_name=f"{honorific} {first}".strip(),
                    job_title=JOB_TITLES[n % len(JOB_TITLES)],
                    organisation=f"{last} Children's Clinic", bio=bio,
                    bio_html=bio_html[bio], created_at=long_ago, modified_at=long_ago,
                )
            )  # fmt: skip
        plan.experts = Expert.objects.bulk_create(experts, batch_size=2000)
        quote_texts = [paragraph(rng, prose_from_demo()[0], 2) for _ in range(50)]
        quote_html = {text: render(text).html for text in quote_texts}
        sent, approved = date(2020, 1, 6), date(2020, 1, 13)
        quotes = []
        for expert in plan.experts:
            for n in range(6):
                text = rng.choice(quote_texts)
                withdrawn = rng.random() < 0.01
                quotes.append(
                    Quote(
                        expert=expert, text=text, text_html=quote_html[text],
                        context=f"Bench interview {n + 1}",
                        status=Quote.Status.WITHDRAWN if withdrawn else Quote.Status.APPROVED,
                        sent_at=sent, approved_at=approved,
                        withdrawn_at=approved if withdrawn else None,
                        created_at=long_ago, modified_at=long_ago,
                    )
                )  # fmt: skip
        plan.quotes = Quote.objects.bulk_create(quotes, batch_size=2000)
        demo_callout = demo.CALLOUTS[0]
        callouts = [
            Callout(
                key=f"{demo_callout['key']}-{n}" if n else demo_callout["key"],
                kind=kind, title=demo_callout["title"], body=demo_callout["body"],
                body_html=render(demo_callout["body"]).html,
                created_at=long_ago, modified_at=long_ago,
            )
            for n, kind in enumerate(["urgent", "urgent", "warning", "tip", "tip"])
        ]  # fmt: skip
        plan.callouts = Callout.objects.bulk_create(callouts)
        return plan

    # --- Articles ----------------------------------------------------------------------

    def articles(self, plan: Plan, options) -> None:
        rng = self.rng
        prose = prose_from_demo()
        bodies = [body_template(rng, prose) for _ in range(BODY_TEMPLATES)]
        lists = [list_template(rng, prose) for _ in range(LIST_TEMPLATES)]
        total = options["articles"]
        self.rare = rare_words(rng, max(10, total // 10))
        first_id = (
            Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1
        headers = self.headers(plan, total, first_id)
        progress = Progress(total, "articles")
        # Building the GIN index once at the end is far quicker than keeping it
        # (not possible inside a transaction, as in tests, nor needed there).
        rebuild = connection.vendor == "postgresql" and not connection.in_atomic_block
        if rebuild:
            with connection.cursor() as cursor:
                cursor.execute(DROP_SEARCH_INDEX)
        for start in range(0, total, options["batch"]):
            batch = headers[start : start + options["batch"]]
            with transaction.atomic():
                self.write_batch(plan, batch, headers, bodies, lists)
            progress.advance(len(batch))
        progress.close()
        if rebuild:
            with connection.cursor() as cursor:
                cursor.execute(CREATE_SEARCH_INDEX)
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('articles_article', 'id'), "
                    "(SELECT max(id) FROM articles_article))"
                )

    def headers(self, plan: Plan, total: int, first_id: int) -> list[dict]:
        """Id, address, state and dates of every article, oldest first."""
        rng, now = self.rng, timezone.now()
        span = timedelta(days=3650)
        rows = []
        for n in range(total):
            pk = first_id + n
            topic = rng.choice(TOPICS)
            title = rng.choice(TITLE_PATTERNS).format(
                topic=topic, count=rng.randint(5, 12)
            )
            title = title[0].upper() + title[1:]
            at = now - span + span * (n + 1) / (total + 1) - timedelta(hours=1)
            at -= timedelta(minutes=rng.randint(0, 600))
            roll = rng.random()
            status, expires = Article.Status.PUBLISHED, None
            if roll < 0.02:
                at = now + timedelta(days=rng.randint(1, 60))  # scheduled
            elif roll < 0.06:
                status, at = Article.Status.DRAFT, None
            elif roll < 0.08:
                status, at = Article.Status.IN_REVIEW, None
            elif roll < 0.09:
                status = Article.Status.UNPUBLISHED
            elif roll < 0.095:
                expires = at + timedelta(days=30)  # expired
                expires = min(expires, now - timedelta(minutes=1))
                if expires <= at:
                    expires = None
            rows.append({
                "pk": pk, "title": title, "topic": topic,
                "slug": f"{slugify(title)[:180]}-{pk}",
                "section": rng.choice(plan.sections),
                "status": status, "published_at": at, "expires_at": expires,
                "featured": status == Article.Status.PUBLISHED and n % 5000 == 4999,
            })  # fmt: skip
        return rows

    def write_batch(self, plan, batch, headers, bodies, lists) -> None:
        rng = self.rng
        articles, quotes, tags, bylines, items, sources, related, refs, paths = (
            [] for _ in range(9)
        )
        by_template: dict[int, list[int]] = {}
        last_pk = batch[-1]["pk"]
        first_pk = headers[0]["pk"]
        now = timezone.now()
        for h in batch:
            t_index = rng.randrange(len(bodies))
            t = bodies[t_index]
            by_template.setdefault(t_index, []).append(h["pk"])
            chosen_quotes = rng.sample(plan.quotes, t.quotes)
            mentioned = [q.expert for q in chosen_quotes[: t.mentions]]
            mentioned += rng.sample(plan.experts, t.mentions - len(mentioned))
            # Links go to older articles; the very first article's to later ones.
            low, high = (
                (first_pk, h["pk"] - 1)
                if h["pk"] > first_pk
                else (h["pk"] + 1, last_pk)
            )
            targets = [rng.randint(low, high) for _ in range(t.links + 3)]
            callout = rng.choice(plan.callouts)
            mapping = {
                str(QUOTE_SENTINEL + n + 1): str(q.pk)
                for n, q in enumerate(chosen_quotes)
            }
            mapping |= {
                f"{EXPERT_SENTINEL}{n + 1}": e.slug for n, e in enumerate(mentioned)
            }
            mapping[CALLOUT_SENTINEL] = callout.key
            for n in range(t.links):
                mapping[str(LINK_SENTINEL + n + 1)] = str(targets[n])
            for n in range(LIST_ITEMS):
                mapping[str(ITEM_LINK_SENTINEL + n)] = str(targets[t.links + n % 3])
            body = substitute(t.body, mapping)
            body_html = substitute(t.html, mapping)
            section = h["section"]
            reviewed = section.requires_medical_review or rng.random() < 0.3
            when = h["published_at"] or now - timedelta(days=rng.randint(1, 30))
            reviewed_at = timezone.localdate(when) - timedelta(days=5)
            rare = self.rare[(h["pk"] * 7919) % len(self.rare)]
            body_hash = hash_body(body)
            articles.append(
                Article(
                    pk=h["pk"], title=h["title"], slug=h["slug"], category=section,
                    standfirst=f"{paragraph(rng, prose_from_demo_cached(), 1)} "
                    f"Our experts explain {h['topic']}, {rare} and more.",
                    body=body, body_html=body_html, body_hash=body_hash,
                    toc=t.toc, word_count=t.word_count, body_text=t.text,
                    is_featured=h["featured"], status=h["status"],
                    published_at=h["published_at"], expires_at=h["expires_at"],
                    list_heading="More to know" if t_index % 3 == 0 else "",
                    reviewed_by=rng.choice(plan.experts) if reviewed else None,
                    reviewed_at=reviewed_at if reviewed else None,
                    next_review_at=add_months(reviewed_at, 12) if reviewed else None,
                    reviewed_body_hash=body_hash if reviewed else "",
                    created_at=when - timedelta(days=2), modified_at=when,
                )
            )  # fmt: skip
            pk = h["pk"]
            quotes += [
                ArticleQuote(article_id=pk, quote=q, position=n)
                for n, q in enumerate(chosen_quotes)
            ]
            picked = rng.choices(
                plan.tags, cum_weights=self.cum_weights(plan), k=rng.randint(2, 6)
            )
            tags += [
                Article.tags.through(article_id=pk, tag_id=tag.pk)
                for tag in dict.fromkeys(picked)
            ]
            n_authors = rng.choices([1, 2, 3], weights=[70, 22, 8])[0]
            for n, author in enumerate(
                dict.fromkeys(rng.choices(plan.authors, k=n_authors))
            ):
                bylines.append(ArticleAuthor(article_id=pk, author=author, position=n))
            item_html = ""
            if t_index % 3 == 0:
                template = lists[t_index % len(lists)]
                for n, (heading, text, html) in enumerate(template):
                    html = substitute(html, mapping)
                    item_html += html
                    items.append(
                        ListItem(
                            article_id=pk, position=n, heading=heading,
                            text=substitute(text, mapping),
                            text_html=html,
                        )
                    )  # fmt: skip
            for n in range(rng.randint(2, 4)):
                publisher, url = PUBLISHERS[(pk + n) % len(PUBLISHERS)]
                sources.append(
                    ArticleSource(
                        article_id=pk, position=n, publisher=publisher, url=url,
                        title=f"{h['topic'].capitalize()}: guidance for parents",
                        published_on=date(2018 + (pk + n) % 8, 1 + n, 10),
                        accessed_on=timezone.localdate(when),
                    )
                )  # fmt: skip
            curated = rng.choices([0, 1, 2, 4], weights=[55, 25, 12, 8])[0]
            for n in range(curated):
                if n == 3:
                    related.append(
                        RelatedLink(
                            article_id=pk, position=n, label="Read more",
                            url="https://www.nhs.uk/conditions/", title="NHS: conditions A to Z",
                        )
                    )  # fmt: skip
                    continue
                related.append(
                    RelatedLink(
                        article_id=pk, position=n, label=LABELS[n % len(LABELS)],
                        target_article_id=targets[-1 - n],
                    )
                )  # fmt: skip
            refs += self.references(
                pk, body_html + item_html, mentioned, callout, headers
            )
            paths.append(
                ArticlePath(category_slug=section.slug, slug=h["slug"], article_id=pk)
            )
        Article.objects.bulk_create(articles)
        for model, rows in (
            (ArticleQuote, quotes), (Article.tags.through, tags), (ArticleAuthor, bylines),
            (ListItem, items), (ArticleSource, sources), (RelatedLink, related),
            (ArticleReference, refs), (ArticlePath, paths),
        ):  # fmt: skip
            model.objects.bulk_create(rows, batch_size=2000)
        if connection.vendor == "postgresql":
            self.index(by_template, bodies)

    def cum_weights(self, plan) -> list[float]:
        if not hasattr(self, "_cum"):
            total, self._cum = 0.0, []
            for weight in plan.tag_weights:
                total += weight
                self._cum.append(total)
        return self._cum

    def references(
        self, pk, html, mentioned, callout, headers
    ) -> list[ArticleReference]:
        """The rows ``ArticleReference.objects.sync_with_body`` would keep."""
        rows = []
        if f'kind="callout" ref="{callout.key}"' in html:
            rows.append(
                ArticleReference(article_id=pk, key=callout.key, callout=callout)
            )
        for expert in {e.pk: e for e in mentioned}.values():
            if f'kind="expert" ref="{expert.slug}"' in html:
                rows.append(
                    ArticleReference(article_id=pk, key=expert.slug, expert=expert)
                )
        first = headers[0]["pk"]
        linked = dict.fromkeys(re.findall(r'kind="article" ref="(\d+)"', html))
        for target in linked:
            rows.append(
                ArticleReference(
                    article_id=pk, key=target, target_article_id=int(target),
                    title=headers[int(target) - first]["title"],
                )
            )  # fmt: skip
        return rows

    def index(self, by_template, bodies) -> None:
        """Search vectors as ``update_search_vectors`` stores them, in bulk: the body
        part (the same for every article of a template) is computed once."""
        sql = f"""
            UPDATE articles_article AS a SET search_vector =
                setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, COALESCE(a.title, '')), 'A')
                || setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, COALESCE(a.standfirst, '')), 'B')
                || setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, COALESCE((
                    SELECT string_agg(t.name, ' ' ORDER BY t.name, t.id)
                    FROM articles_tag t JOIN articles_article_tags at ON at.tag_id = t.id
                    WHERE at.article_id = a.id), '')), 'C')
                || (SELECT setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, COALESCE(%s, '')), 'D'))
            WHERE a.id = ANY(%s)
        """  # noqa: S608 - only constants are formatted in
        with connection.cursor() as cursor:
            for t_index, ids in by_template.items():
                cursor.execute(sql, [bodies[t_index].text, ids])


_PROSE_SENTENCES: list[str] = []


def prose_from_demo_cached() -> list[str]:
    if not _PROSE_SENTENCES:
        _PROSE_SENTENCES.extend(prose_from_demo()[0])
    return _PROSE_SENTENCES
