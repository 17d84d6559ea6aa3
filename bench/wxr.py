"""Write a realistic WordPress export (WXR 1.2) of any size, for the import benchmark
and its tests: the same file for the same seed, 2,000 posts in about a second.

    .venv/bin/python bench/wxr.py OUT.xml [--posts 2000] [--seed 0] [--media-dir DIR]

What a publisher's archive holds: authors, categories nested three deep, tags,
block-editor and classic posts with headings, lists, links to other posts of the
same file, images, [caption] and [gallery] shortcodes and one no importer knows,
comments, about a tenth drafts, pending or scheduled, a few unicode slugs, and one
attachment per image with featured images (``_thumbnail_id``). With --media-dir the
attachments' files are written too (small JPEGs under YYYY/MM/, as in
wp-content/uploads).
"""

import argparse
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

SITE = "https://bench.example.org"
UPLOADS = f"{SITE}/wp-content/uploads"
START = datetime(2015, 1, 5, 9, 0)
FUTURE = datetime(2099, 1, 1, 8, 0)  # scheduled posts: ahead of any clock
# Each status up to its share of posts (cumulative): a tenth not yet published.
STATUSES = [("draft", 0.05), ("pending", 0.07), ("future", 0.10), ("publish", 1.0)]

AUTHORS = [
    ("amara", "Amara Nwosu"),
    ("ben", "Ben Hartley"),
    ("chloe", "Chloé Martin"),
    ("dev", "Dev Patel"),
    ("elin", "Elin Johansson"),
    ("farah", "Farah Aziz"),
    ("greg", "Greg O'Neill"),
    ("hana", "Hana Suzuki"),
]
# (slug, name, parent slug): three levels, as many parenting sites grow them.
CATEGORIES = [
    ("pregnancy", "Pregnancy", ""),
    ("trimesters", "Trimesters", "pregnancy"),
    ("third-trimester", "Third trimester", "trimesters"),
    ("birth", "Birth", "pregnancy"),
    ("baby", "Baby", ""),
    ("sleep", "Sleep", "baby"),
    ("naps", "Naps", "sleep"),
    ("night-waking", "Night waking", "sleep"),
    ("feeding", "Feeding", "baby"),
    ("weaning", "Weaning", "feeding"),
    ("toddler", "Toddler", ""),
    ("behaviour", "Behaviour", "toddler"),
    ("tantrums", "Tantrums", "behaviour"),
    ("potty-training", "Potty training", "toddler"),
    ("health", "Health", ""),
    ("skin", "Skin", "health"),
    ("eczema", "Eczema", "skin"),
    ("fevers", "Fevers", "health"),
    ("vaccines", "Vaccines", "health"),
    ("family", "Family", ""),
    ("money", "Money", "family"),
    ("work", "Work", "family"),
    ("childcare", "Childcare", "work"),
]
TOPICS = (
    "night feeds, cradle cap, teething, tummy time, first foods, nappy rash, colic, "
    "sleep regression, baby-led weaning, car seats, growth spurts, reflux, baby "
    "massage, swaddling, first steps, separation anxiety, bath time, dummies, "
    "fevers, eczema, toddler tantrums, potty training, screen time, fussy eating, "
    "nursery settling-in, returning to work, sibling jealousy, baby signing, milk "
    "allergy, vitamin D, sun safety, travel with a baby"
).split(", ")
TITLE_SHAPES = [
    "{Topic}: what every parent should know",
    "A calm guide to {topic}",
    "{Topic} in the first year",
    "Five questions about {topic}, answered",
    "What nobody tells you about {topic}",
    "{Topic}, week by week",
    "How we got through {topic}",
    "{Topic}: when to see a doctor",
]
OPENINGS = [
    "Most parents worry about {topic} at some point",
    "Health visitors hear about {topic} every week",
    "There is no single right way to handle {topic}",
    "Every baby meets {topic} in their own time",
    "It helps to know what is normal before {topic} starts",
]
MIDDLES = [
    "and small, steady changes work better than big ones",
    "so start with what your baby already enjoys",
    "although the first few days are usually the hardest",
    "and it is fine to ask for help when you are tired",
    "so keep a short note of what you try and what happens",
    "while older siblings can be wonderful helpers",
]
ENDINGS = [
    "Trust what you see in your own child.",
    "Most of the time, patience is the main ingredient.",
    "Your doctor or midwife can always take a look.",
    "A routine that fits your family is the one that lasts.",
    "If anything worries you, call your health service.",
]
TIPS = [
    "Keep the room dim and quiet at night.",
    "Offer water with meals from six months.",
    "Change one thing at a time.",
    "Wash hands before preparing feeds.",
    "Check the temperature with your elbow.",
    "Write questions down before appointments.",
    "Take turns with your partner where you can.",
    "Keep medicines out of reach and sight.",
]
HEADINGS = ["What is normal", "What helps", "When to get help", "What we learned"]
# Titles whose slugs WordPress stores percent-encoded.
UNICODE_TITLES = [
    ("赤ちゃんの睡眠", "赤ちゃんの睡眠"),
    ("نوم الرضيع", "نوم-الرضيع"),
    ("Сон младенца", "сон-младенца"),
]
TAGS = sorted({word for topic in TOPICS for word in topic.split() if len(word) > 3})


def _cdata(text: str) -> str:
    return f"<![CDATA[{text}]]>"


def _slugify(title: str) -> str:
    kept = "".join(c if c.isalnum() else "-" for c in title.lower())
    return "-".join(part for part in kept.split("-") if part)[:190]


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else "0000-00-00 00:00:00"


class _Site:
    """Every post's plan (id, slug, date, status, images) before any is written, so a
    post can link to one written later."""

    def __init__(self, posts: int, rng: random.Random):
        self.rng = rng
        self.posts = []
        self.attachments = []
        next_id = 10
        slugs: set[str] = set()
        for n in range(posts):
            post_id, next_id = next_id, next_id + 1
            topic = rng.choice(TOPICS)
            if rng.random() < 0.01:
                title, slug = rng.choice(UNICODE_TITLES)
            else:
                shape = rng.choice(TITLE_SHAPES)
                title = shape.format(topic=topic, Topic=topic[0].upper() + topic[1:])
                slug = _slugify(title)
            base, count = slug, 2
            while slug in slugs:  # WordPress's own rule: -2, -3…
                slug, count = f"{base}-{count}", count + 1
            slugs.add(slug)
            roll = rng.random()
            status = next(name for name, below in STATUSES if roll < below)
            date = START + timedelta(hours=n * 31 + rng.randrange(6))
            if status == "future":
                date = FUTURE + timedelta(days=n)
            images = []
            for _ in range(rng.choice((0, 1, 1, 1, 2, 3))):
                image_id, next_id = next_id, next_id + 1
                path = f"{date:%Y/%m}/{_slugify(topic)}-{image_id}.jpg"
                attachment = {
                    "id": image_id,
                    "parent": post_id,
                    "path": path,
                    "date": date - timedelta(minutes=5),
                    "title": f"{topic.capitalize()} {image_id}",
                    "alt": f"A parent and baby: {topic}",
                }
                images.append(attachment)
                self.attachments.append(attachment)
            self.posts.append(
                {
                    "n": n,
                    "id": post_id,
                    "title": title,
                    "slug": slug,
                    "topic": topic,
                    "status": status,
                    "date": date,
                    "author": rng.choice(AUTHORS)[0],
                    "categories": rng.sample(CATEGORIES, rng.choice((1, 1, 2, 3))),
                    "tags": rng.sample(TAGS, rng.randrange(4)),
                    "images": images,
                    "block": rng.random() < 0.7,
                }
            )

    def link(self, post: dict) -> str:
        if post["status"] in ("draft", "pending"):
            return f"{SITE}/?p={post['id']}"
        return f"{SITE}/{post['date']:%Y/%m/%d}/{quote(post['slug']).lower()}/"

    def sentence(self, topic: str) -> str:
        rng = self.rng
        opening = rng.choice(OPENINGS).format(topic=topic)
        return f"{opening}, {rng.choice(MIDDLES)}. {rng.choice(ENDINGS)}"

    def other_link(self, post: dict) -> str:
        """Mostly a post written before (writers link to what exists); one in ten
        to any post, as an old post updated with a link to a newer one."""
        earlier = self.posts[: post["n"]]
        pool = earlier if earlier and self.rng.random() < 0.9 else self.posts
        other = self.rng.choice(pool)
        return f'<a href="{self.link(other)}">{other["title"]}</a>'

    def block_content(self, post: dict) -> str:
        rng, topic = self.rng, post["topic"]
        parts = []

        def paragraph(text):
            parts.append(
                f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->"
            )

        paragraph(self.sentence(topic))
        for heading in rng.sample(HEADINGS, 2):
            parts.append(
                f'<!-- wp:heading -->\n<h2 class="wp-block-heading">{heading}</h2>\n'
                "<!-- /wp:heading -->"
            )
            paragraph(f"{self.sentence(topic)} See also {self.other_link(post)}.")
            items = "\n\n".join(
                f"<!-- wp:list-item -->\n<li>{tip}</li>\n<!-- /wp:list-item -->"
                for tip in rng.sample(TIPS, 3)
            )
            parts.append(f"<!-- wp:list -->\n<ul>{items}</ul>\n<!-- /wp:list -->")
        for image in post["images"][:2]:
            parts.append(
                f'<!-- wp:image {{"id":{image["id"]},"sizeSlug":"large"}} -->\n'
                f'<figure class="wp-block-image size-large"><img src="{UPLOADS}/'
                f'{image["path"]}" alt="{image["alt"]}" class="wp-image-{image["id"]}"/>'
                f'<figcaption class="wp-element-caption">{image["title"]}</figcaption>'
                "</figure>\n<!-- /wp:image -->"
            )
        paragraph(self.sentence(topic))
        return "\n\n".join(parts)

    def classic_content(self, post: dict) -> str:
        rng, topic = self.rng, post["topic"]
        parts = [self.sentence(topic), f"<h3>{rng.choice(HEADINGS)}</h3>"]
        parts.append(
            "<ul>\n"
            + "\n".join(f"\t<li>{tip}</li>" for tip in rng.sample(TIPS, 3))
            + "\n</ul>"
        )
        parts.append(f"{self.sentence(topic)}\nRead next: {self.other_link(post)}.")
        images = post["images"]
        if images:
            image = images[0]
            parts.append(
                f'[caption id="attachment_{image["id"]}" align="aligncenter" '
                f'width="120"]<img class="size-full wp-image-{image["id"]}" '
                f'src="{UPLOADS}/{image["path"]}" alt="{image["alt"]}" width="120" '
                f'height="80" /> {image["title"]}[/caption]'
            )
        if len(images) > 1:
            parts.append(f'[gallery ids="{",".join(str(i["id"]) for i in images)}"]')
        parts.append("<!--more-->\n" + self.sentence(topic))
        if rng.random() < 0.05:
            parts.append('[newsletter_signup list="parents"]')
        return "\n\n".join(parts)


def _item(fields: list[str], meta: list[tuple[str, str]], extra: list[str]) -> str:
    lines = ["\t<item>", *fields, *extra]
    lines += [
        f"\t\t<wp:postmeta>\n\t\t\t<wp:meta_key>{_cdata(key)}</wp:meta_key>\n"
        f"\t\t\t<wp:meta_value>{_cdata(value)}</wp:meta_value>\n\t\t</wp:postmeta>"
        for key, value in meta
    ]
    lines.append("\t</item>\n")
    return "\n".join(lines)


def _fields(
    *,
    id,
    title,
    link,
    guid,
    author,
    content,
    excerpt,
    date,
    status,
    slug,
    type,
    parent=0,
    url="",
) -> list[str]:
    gmt = None if status in ("draft", "pending") else date - timedelta(hours=1)
    fields = [
        f"\t\t<title>{_cdata(title)}</title>",
        f"\t\t<link>{link}</link>",
        f"\t\t<pubDate>{(gmt or date):%a, %d %b %Y %H:%M:%S} +0000</pubDate>",
        f"\t\t<dc:creator>{_cdata(author)}</dc:creator>",
        f'\t\t<guid isPermaLink="false">{guid}</guid>',
        "\t\t<description></description>",
        f"\t\t<content:encoded>{_cdata(content)}</content:encoded>",
        f"\t\t<excerpt:encoded>{_cdata(excerpt)}</excerpt:encoded>",
        f"\t\t<wp:post_id>{id}</wp:post_id>",
        f"\t\t<wp:post_date>{_cdata(_when(date))}</wp:post_date>",
        f"\t\t<wp:post_date_gmt>{_cdata(_when(gmt))}</wp:post_date_gmt>",
        f"\t\t<wp:post_modified>{_cdata(_when(date))}</wp:post_modified>",
        f"\t\t<wp:post_modified_gmt>{_cdata(_when(gmt))}</wp:post_modified_gmt>",
        f"\t\t<wp:comment_status>{_cdata('open')}</wp:comment_status>",
        f"\t\t<wp:ping_status>{_cdata('open')}</wp:ping_status>",
        f"\t\t<wp:post_name>{_cdata(slug)}</wp:post_name>",
        f"\t\t<wp:status>{_cdata(status)}</wp:status>",
        f"\t\t<wp:post_parent>{parent}</wp:post_parent>",
        "\t\t<wp:menu_order>0</wp:menu_order>",
        f"\t\t<wp:post_type>{_cdata(type)}</wp:post_type>",
        f"\t\t<wp:post_password>{_cdata('')}</wp:post_password>",
        "\t\t<wp:is_sticky>0</wp:is_sticky>",
    ]
    if url:
        fields.append(f"\t\t<wp:attachment_url>{_cdata(url)}</wp:attachment_url>")
    return fields


def _comments(rng: random.Random, post: dict) -> list[str]:
    comments = []
    for n in range(rng.choice((0, 0, 0, 1, 2))):
        when = post["date"] + timedelta(days=n + 1)
        comments.append(
            "\t\t<wp:comment>\n"
            f"\t\t\t<wp:comment_id>{post['id'] * 10 + n}</wp:comment_id>\n"
            f"\t\t\t<wp:comment_author>{_cdata('A reader')}</wp:comment_author>\n"
            f"\t\t\t<wp:comment_date>{_cdata(_when(when))}</wp:comment_date>\n"
            f"\t\t\t<wp:comment_date_gmt>{_cdata(_when(when))}</wp:comment_date_gmt>\n"
            f"\t\t\t<wp:comment_content>{_cdata('Thank you, this helped.')}"
            "</wp:comment_content>\n"
            f"\t\t\t<wp:comment_approved>{_cdata('1')}</wp:comment_approved>\n"
            f"\t\t\t<wp:comment_type>{_cdata('comment')}</wp:comment_type>\n"
            "\t\t\t<wp:comment_parent>0</wp:comment_parent>\n"
            "\t\t</wp:comment>"
        )
    return comments


def _header() -> list[str]:
    out = [
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<!-- generator="WordPress/6.4.2" (bench/wxr.py) -->\n'
        '<rss version="2.0"\n'
        '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
        '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '\txmlns:wp="http://wordpress.org/export/1.2/"\n>\n\n<channel>\n'
        "\t<title>Bench Parenting</title>\n"
        f"\t<link>{SITE}</link>\n"
        "\t<description>A generated archive for the import benchmark</description>\n"
        "\t<language>en-GB</language>\n"
        "\t<wp:wxr_version>1.2</wp:wxr_version>\n"
        f"\t<wp:base_site_url>{SITE}</wp:base_site_url>\n"
        f"\t<wp:base_blog_url>{SITE}</wp:base_blog_url>\n\n"
    ]
    for n, (login, name) in enumerate(AUTHORS, start=1):
        first, _, last = name.partition(" ")
        out.append(
            f"\t<wp:author><wp:author_id>{n}</wp:author_id><wp:author_login>"
            f"{_cdata(login)}</wp:author_login><wp:author_email>"
            f"{_cdata(login + '@bench.example.org')}</wp:author_email>"
            f"<wp:author_display_name>{_cdata(name)}</wp:author_display_name>"
            f"<wp:author_first_name>{_cdata(first)}</wp:author_first_name>"
            f"<wp:author_last_name>{_cdata(last)}</wp:author_last_name></wp:author>\n"
        )
    for n, (slug, name, parent) in enumerate(CATEGORIES, start=2):
        out.append(
            f"\t<wp:category><wp:term_id>{n}</wp:term_id><wp:category_nicename>"
            f"{_cdata(slug)}</wp:category_nicename><wp:category_parent>"
            f"{_cdata(parent)}</wp:category_parent><wp:cat_name>{_cdata(name)}"
            "</wp:cat_name></wp:category>\n"
        )
    for n, tag in enumerate(TAGS, start=100):
        out.append(
            f"\t<wp:tag><wp:term_id>{n}</wp:term_id><wp:tag_slug>{_cdata(tag)}"
            f"</wp:tag_slug><wp:tag_name>{_cdata(tag)}</wp:tag_name></wp:tag>\n"
        )
    out.append("\n\t<generator>https://wordpress.org/?v=6.4.2</generator>\n\n")
    return out


def _write_images(site: _Site, media_dir: Path) -> None:
    from PIL import Image, ImageDraw

    for attachment in site.attachments:
        target = media_dir / attachment["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        n = attachment["id"]
        picture = Image.new(
            "RGB", (120, 80), (n * 37 % 256, n * 91 % 256, n * 53 % 256)
        )
        ImageDraw.Draw(picture).ellipse(
            (n % 40, 10, n % 40 + 60, 70), fill=(250, 240, 220)
        )
        picture.save(target, "JPEG", quality=70)


def write_wxr(path, *, posts: int = 2000, seed: int = 0, media_dir=None) -> Path:
    """Write the export to ``path`` (and its images under ``media_dir``, if given);
    the same ``posts`` and ``seed`` always give the same bytes."""
    rng = random.Random(seed)
    site = _Site(posts, rng)
    out = _header()
    for post in site.posts:
        content = (site.block_content if post["block"] else site.classic_content)(post)
        excerpt = site.sentence(post["topic"]) if rng.random() < 0.5 else ""
        fields = _fields(
            id=post["id"],
            title=post["title"],
            link=site.link(post),
            guid=f"{SITE}/?p={post['id']}",
            author=post["author"],
            content=content,
            excerpt=excerpt,
            date=post["date"],
            status=post["status"],
            slug="" if post["status"] == "draft" else quote(post["slug"]).lower(),
            type="post",
        )
        terms = [
            f'\t\t<category domain="category" nicename="{slug}">{_cdata(name)}</category>'
            for slug, name, _ in post["categories"]
        ] + [
            f'\t\t<category domain="post_tag" nicename="{tag}">{_cdata(tag)}</category>'
            for tag in post["tags"]
        ]
        meta = [("_edit_last", "1")]
        if post["images"]:
            meta.append(("_thumbnail_id", str(post["images"][0]["id"])))
        out.append(_item(fields, meta, terms + _comments(rng, post)))
        for image in post["images"]:
            slug = Path(image["path"]).stem
            out.append(
                _item(
                    _fields(
                        id=image["id"],
                        title=image["title"],
                        link=f"{SITE}/?attachment_id={image['id']}",
                        guid=f"{UPLOADS}/{image['path']}",
                        author=post["author"],
                        content="",
                        excerpt="",
                        date=image["date"],
                        status="inherit",
                        slug=slug,
                        type="attachment",
                        parent=post["id"],
                        url=f"{UPLOADS}/{image['path']}",
                    ),
                    [
                        ("_wp_attached_file", image["path"]),
                        ("_wp_attachment_image_alt", image["alt"]),
                    ],
                    [],
                )
            )
    out.append("</channel>\n</rss>\n")
    path = Path(path)
    path.write_text("".join(out), encoding="utf-8")
    if media_dir is not None:
        _write_images(site, Path(media_dir))
    return path


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="the export file to write")
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--media-dir", help="also write the attachments' images here")
    args = parser.parse_args(argv)
    path = write_wxr(
        args.out, posts=args.posts, seed=args.seed, media_dir=args.media_dir
    )
    print(f"{path}: {args.posts:,} posts, {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
