"""The demo site's words. Every person, organisation and quote is fictional; the advice
follows UK guidance but is demo copy, not reviewed medical content."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..models import Article

LONDON = ZoneInfo("Europe/London")
FLAGSHIP = ("baby-health", "erythema-toxicum-newborn-rash")


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, 0, tzinfo=LONDON)


# --- Sections and tags -------------------------------------------------------------

CATEGORIES = [
    {
        "slug": "baby",
        "name": "Baby",
        "parent": None,
        "position": 1,
        "description": "Everything for the first year, from feeding and sleep to "
        "those first big milestones.",
    },
    {
        "slug": "baby-health",
        "name": "Health",
        "parent": "baby",
        "position": 1,
        "requires_medical_review": True,
        "description": "Clear, expert-checked answers to everyday worries about "
        "your baby's skin, tummy and temperature.",
    },
    {
        "slug": "toddler",
        "name": "Toddler",
        "parent": None,
        "position": 2,
        "description": "Health, play and everyday life with one- to three-year-olds.",
    },
    {
        "slug": "pregnancy",
        "name": "Pregnancy",
        "parent": None,
        "position": 3,
        "description": "Week-by-week support for you and your bump.",
    },
]

TAGS = [
    ("skin", "Skin"),
    ("rashes", "Rashes"),
    ("newborn", "Newborn"),
    ("feeding", "Feeding"),
    ("summer", "Summer"),
    ("childhood-illnesses", "Childhood illnesses"),
    ("sleep", "Sleep"),
    ("development", "Development"),
    ("wellbeing", "Wellbeing"),
]

# --- People ------------------------------------------------------------------------

AUTHORS = [
    {
        "slug": "maisie-arkwright",
        "display_name": "Maisie Arkwright",
        "job_title": "Digital Writer",
        "palette": "sage",
        "bio": (
            "Maisie joined *Little Steps* as an editorial assistant and now writes and "
            "updates our baby health explainers, working with paediatricians, health "
            "visitors and pharmacists to make every article accurate and easy to follow."
            "\n\n"
            "Away from her desk you'll find her swimming in chilly lidos, baking "
            "slightly lopsided sourdough or reading anything with a map at the front."
        ),
        "links": [
            ("Website", "https://maisie-arkwright.example.com/"),
            ("Newsletter", "https://www.example.com/newsletters/maisie-arkwright"),
        ],
    },
    {
        "slug": "callum-pryce",
        "display_name": "Callum Pryce",
        "job_title": "Health Editor",
        "palette": "sky",
        "bio": (
            "Callum has written about family health for more than ten years and now "
            "edits the health coverage at *Little Steps*. He is happiest turning new "
            "research into something a tired parent can use at 3am."
            "\n\n"
            "He lives by the coast with his partner, two children and a very patient "
            "spaniel."
        ),
        "links": [("Website", "https://callum-pryce.example.com/")],
    },
    {
        "slug": "esme-dalgleish",
        "display_name": "Esme Dalgleish",
        "job_title": "Senior Writer",
        "palette": "lilac",
        "bio": (
            "Esme covers pregnancy and the toddler years for *Little Steps*. Before "
            "journalism she worked in early years education, and she still believes "
            "most problems can be solved with a snack and a change of scene."
        ),
        "links": [],
    },
]

EXPERTS = [
    {
        "slug": "helena-marsh",
        "honorific": "Dr",
        "name": "Helena Marsh",
        "short_name": "Dr Helena",
        "job_title": "Consultant Paediatrician",
        "organisation": "St Aldric's Children's Hospital, part of Westmere Health Partners",
        "credentials": "MBBS, MRCPCH",
        "palette": "peach",
        "bio": (
            "Dr Helena Marsh is a consultant paediatrician who leads the newborn team "
            "at St Aldric's Children's Hospital. She has cared for babies and their "
            "families for more than 15 years and is passionate about helping new "
            "parents feel confident with everyday worries."
        ),
    },
    {
        "slug": "owen-castellane",
        "honorific": "Dr",
        "name": "Owen Castellane",
        "short_name": "Dr Owen",
        "job_title": "Consultant Paediatric Dermatologist",
        "organisation": "Quillfield Skin Clinic, part of Westmere Health Partners",
        "credentials": "MBChB, FRCP",
        "palette": "mint",
        "bio": (
            "Dr Owen Castellane specialises in skin conditions in babies and children, "
            "including eczema, birthmarks and rashes. He runs a weekly clinic for "
            "families and teaches on caring for skin of every tone."
        ),
    },
    {
        "slug": "priya-ramsden",
        "honorific": "",
        "name": "Priya Ramsden",
        "short_name": "Priya",
        "job_title": "Health Visitor",
        "organisation": "Tollmere Community Health Service",
        "credentials": "RN, SCPHN (HV)",
        "palette": "butter",
        "bio": (
            "Priya is a health visitor who has supported hundreds of families through "
            "the early years, from the first home visit to the two-year review. She "
            "runs a popular baby clinic and a weekly drop-in for new parents."
        ),
    },
    {
        "slug": "siobhan-adeyemi",
        "honorific": "",
        "name": "Siobhan Adeyemi",
        "short_name": "Siobhan",
        "job_title": "Community Pharmacist",
        "organisation": "Pennock Row Pharmacy, Kettlebridge",
        "credentials": "MPharm",
        "palette": "rose",
        "bio": (
            "Siobhan is a community pharmacist and a mum of two. She spends much of "
            "her day helping parents choose the right treatment for minor illnesses, "
            "and knowing when to send them to the GP instead."
        ),
    },
]

# Every demo quote was checked by its expert before the first article went out.
QUOTES_SENT_ON = date(2026, 5, 26)
QUOTES_APPROVED_ON = date(2026, 6, 2)

# Each quote is found again by its expert and its context note.
QUOTES = {
    "newborn-rash-common": (
        "helena-marsh",
        "Newborn rash is one of the things new parents ask me about most on the "
        "postnatal ward. It can look dramatic, but in a baby who is feeding well and "
        "settling normally it's nothing to worry about. It isn't an infection, and it "
        "isn't something you've caused.",
    ),
    "newborn-rash-pattern": (
        "owen-castellane",
        "The giveaway is the pattern: blotchy red patches, some with a small pale or "
        "yellowish bump in the middle, which can fade in one spot and pop up somewhere "
        "else within hours. It usually leaves the palms and soles alone.",
    ),
    "newborn-rash-darker-skin": (
        "priya-ramsden",
        "On brown and black skin the redness can be very subtle, so parents often "
        "notice the little raised bumps first. Look at the overall pattern and at how "
        "your baby is in themselves, rather than waiting for the skin to look red.",
    ),
    "newborn-rash-skin-care": (
        "priya-ramsden",
        "With newborn rash, less really is more. Wash with plain warm water, leave out "
        "the lotions and oils, and dress your baby in soft cotton layers so they don't "
        "overheat. It will fade by itself.",
    ),
    "newborn-rash-dont-squeeze": (
        "owen-castellane",
        "Please resist the urge to squeeze the little bumps. They aren't infected "
        "spots, and breaking the skin only gives germs a way in.",
    ),
    "newborn-rash-or-acne": (
        "helena-marsh",
        "Timing is a useful clue. Newborn rash tends to arrive in the first few days "
        "and wander over the body, while baby acne usually turns up a little later and "
        "sticks mainly to the face. Neither needs treatment in a well baby.",
    ),
    "newborn-rash-when-to-worry": (
        "helena-marsh",
        "With a young baby, I'm far more interested in how they are than in what the "
        "rash looks like. A baby who has a temperature, isn't feeding, seems floppy or "
        "unusually sleepy, or has blisters needs to be seen the same day.",
    ),
    "cradle-cap-no-rush": (
        "priya-ramsden",
        "Cradle cap usually bothers parents far more than babies. There's no need to "
        "rush it: soften the scales, brush gently, and let them lift away in their own "
        "time.",
    ),
    "nappy-rash-barrier-cream": (
        "siobhan-adeyemi",
        "A thin layer of barrier cream is all you need – if you can still see the skin "
        "through it, that's about right. A thick layer doesn't work any better and is "
        "harder to clean off.",
    ),
    "eczema-emollients": (
        "owen-castellane",
        "Emollients are the foundation of eczema care. Use them generously, several "
        "times a day, and keep going when the skin looks clear, because that's what "
        "helps keep flare-ups at bay.",
    ),
    "thrush-treat-together": (
        "siobhan-adeyemi",
        "If you're breastfeeding and your baby has oral thrush, it's worth checking "
        "whether you both need treatment. Otherwise the infection can pass back and "
        "forth between mouth and nipple, and it never quite seems to go away.",
    ),
    "chickenpox-no-ibuprofen": (
        "siobhan-adeyemi",
        "Paracetamol is fine for a child who is uncomfortable with chickenpox, but "
        "don't give ibuprofen unless a doctor has told you to. It has been linked with "
        "serious skin infections in children with chickenpox.",
    ),
    "sun-safety-sunscreen": (
        "owen-castellane",
        "Think of sunscreen as the last line of defence rather than the first. Shade, "
        "a good hat and covering clothes do most of the work, and sunscreen protects "
        "whatever is left showing – as long as you keep topping it up.",
    ),
}


def _quote_context(key: str) -> str:
    return f"Little Steps demo content ({key})"


# Standard callouts, kept once and placed in bodies with [[callout:<key>]].
CALLOUTS = [
    {
        "key": "when-to-call-999",
        "kind": "urgent",
        "title": "When to call 999",
        "body": """\
Call 999 or go to A&E straight away if your baby or child:

- has a rash that does not fade when you press the side of a clear glass firmly \
against it – on darker skin, check paler areas such as the palms, the soles of the \
feet and the inside of the eyelids
- is floppy, difficult to wake or not responding to you as they usually would
- is struggling to breathe, grunting, or has pauses in their breathing
- has skin, lips or tongue that look blue, grey, very pale or blotchy

**Trust your instincts.** If you think your child is seriously ill, get help at once.""",
    },
]


# --- Articles ----------------------------------------------------------------------
# Bodies use {{article:<slug>}} for another demo article's address,
# {{quote:<key>}} for a placed quote and {{image:<key>}} (or {{image:<key>|caption}})
# for a library image of BODY_IMAGES; all are resolved when the content loads.
# [[callout:<key>]] and [[expert:<slug>]] are the body syntax itself, kept as written.

FLAGSHIP_BODY = """\
Those first days at home with a new baby involve a lot of gazing. You study their tiny \
fingers, their frown, the way they stretch – and then one morning you notice a scatter \
of red blotches across their chest that definitely wasn't there yesterday.

Take a breath. A blotchy rash in the first week of life is very often erythema \
toxicum, better known as newborn rash. Despite its alarming medical name, it's \
harmless, it isn't catching and it goes away without any treatment at all.

To find out what parents really need to know, we spoke to [[expert:helena-marsh]]; \
[[expert:owen-castellane]]; and [[expert:priya-ramsden]].

## What is erythema toxicum?

Erythema toxicum neonatorum, to give it its full name, is a common, short-lived rash \
that appears in healthy newborn babies. "Erythema" simply means redness of the skin. \
The "toxicum" part is misleading: there is no toxin involved, and the rash is not a \
sign that anything is wrong with your baby or with the way you're caring for them.

{{quote:newborn-rash-common}}

## What does newborn rash look like?

Newborn rash usually shows up as:

- blotchy red or pink patches, often a centimetre or two across
- small raised bumps in the middle of some patches, which can look yellowish-white, a \
little like pimples
- patches on the face, chest, back, arms or thighs – the palms of the hands and soles \
of the feet are rarely affected

One of its oddest habits is that it moves around. A patch on the cheek might have \
faded by lunchtime, only for a new one to appear on the tummy.

{{image:newborn-rash-blotches}}

{{quote:newborn-rash-pattern}}

## Newborn rash on darker skin

On brown and black skin, the redness around each bump can be faint or hard to see at \
all. The patches may look slightly darker than the surrounding skin instead, and the \
raised bumps may be the first thing you notice.

{{quote:newborn-rash-darker-skin}}

## How common is newborn rash?

Very. Around half of babies born at full term develop it, which makes it one of the \
most common rashes of the newborn period. It's seen less often in babies born early, \
and it isn't linked to whether your baby is breastfed or formula-fed.

## What causes erythema toxicum?

Nobody knows for certain. The most widely accepted idea is that it's a sign of a \
baby's immune system reacting as their skin meets the outside world for the first \
time, including the harmless bacteria that soon settle on everyone's skin.

What we do know is what it *isn't*. Newborn rash is not an allergy, it isn't caused \
by washing powder or feeding, and it is not an infection, so it can't be passed on to \
brothers, sisters or anyone else.

## When does newborn rash appear and how long does it last?

It typically appears between the second and fourth day after birth, although it can \
be there on day one or turn up a little later in the first fortnight. Most babies' \
skin is clear within one to two weeks, and the rash leaves no marks behind.

A rash that first appears after your baby is around two weeks old, or that's still \
there after a fortnight, may well be something else, so ask your health visitor or GP \
to take a look.

## Is newborn rash itchy or painful?

Newborn rash doesn't seem to bother babies. They feed, sleep and settle as usual, and \
the rash doesn't cause a temperature. That's an important clue: if your baby seems \
unwell in themselves, don't put it down to newborn rash.

## How to look after your baby's skin while it clears

There's no treatment for newborn rash because it doesn't need one. The kindest thing \
you can do is leave it alone:

- wash your baby with plain warm water, and hold off on soaps, bubble baths and \
fragranced wipes for now
- don't put creams, oils or lotions on the rash
- dress your baby in soft, breathable cotton and avoid piling on layers, as \
overheating can make the patches look redder
- pat the skin dry rather than rubbing

{{image:newborn-rash-plain-water|Warm water and a soft cloth are all the rash needs \
while it fades.}}

{{quote:newborn-rash-skin-care}}

{{quote:newborn-rash-dont-squeeze}}

Check out our guide to [heat rash in babies]({{article:heat-rash-in-babies}}) for more \
on keeping little ones comfortable when the weather warms up.

## Newborn rash or something else?

Several other harmless rashes turn up in the early weeks, and they're easy to mix up.

- **Baby acne** tends to appear a bit later, at around two weeks or more, and mostly \
stays on the cheeks, nose and forehead.
- **Heat rash** looks like clusters of tiny raised spots, often in skin folds or where \
clothing is snug, and fades quickly once your baby cools down.
- **Cradle cap** causes greasy, yellowish scales on the scalp rather than red patches. \
Read more: [our guide to cradle cap]({{article:cradle-cap}}).
- **Eczema** usually starts after the first month or two, with dry, rough, itchy \
patches that come and go. Check out our guide to \
[eczema in babies]({{article:eczema-in-babies}}).

{{image:newborn-rash-or-acne}}

{{quote:newborn-rash-or-acne}}

If you're not sure, your midwife, health visitor or GP can check. Photos taken in good \
daylight are useful if the rash has faded by the time you're seen.

## When to get medical help

Newborn rash is harmless, but some rashes in young babies are not. Trust your \
instincts: you know your baby best.

{{quote:newborn-rash-when-to-worry}}

As [[expert:helena-marsh]] says, how your baby is in themselves matters more than how \
the rash looks.

[[callout:when-to-call-999]]

:::warning When to call NHS 111
Ask for an urgent GP appointment or call NHS 111 if your baby:

- is under 3 months old and has a temperature of 38°C or higher
- has blisters, or spots filled with cloudy fluid or pus
- is feeding much less than usual or having fewer wet nappies
- has a rash that is spreading, weeping or crusting, or that hasn't gone after two weeks
:::

Now read: [how to soothe nappy rash]({{article:nappy-rash}}).
"""

# Library images placed in the flagship's body, by key: what to draw, and the words
# the library keeps with them.
BODY_IMAGES = {
    "newborn-rash-blotches": {
        "title": "Newborn rash: blotches with pale centres",
        "image": ("face:blotches", "peach"),
        "caption": "Patches often come and go from one feed to the next.",
    },
    "newborn-rash-plain-water": {
        "title": "Sleeping newborn, plain skin care",
        "image": ("face", "sky"),
        "caption": "Leaving the skin alone is the usual advice.",
    },
    "newborn-rash-or-acne": {
        "title": "Baby acne: small spots on cheeks and nose",
        "image": ("face:spots", "rose"),
        "caption": "Baby acne tends to stay on the face and starts a little later.",
    },
}

FLAGSHIP_ITEMS = [
    {
        "heading": "Baby acne",
        "image": ("face:spots", "rose"),
        "text": """\
Small red or white spots on your baby's cheeks, nose and forehead are often baby \
acne. It usually appears from around two weeks old and may be linked to hormones and \
the yeasts that normally live on skin.

It clears up by itself, usually within a few weeks or months. Wash your baby's face \
with plain water and avoid adult spot creams and face washes, which are far too harsh \
for a newborn.""",
    },
    {
        "heading": "Heat rash",
        "image": ("sun", "butter"),
        "text": """\
Clusters of tiny raised spots on the neck, chest, back or in skin creases, often \
feeling prickly, are a sign of heat rash. On lighter skin they look red; on brown and \
black skin they may be skin-coloured and easier to feel than to see.

It fades within a few days once your baby is kept cool, so take off a layer and choose \
loose cotton clothes. Read more: \
[our guide to heat rash in babies]({{article:heat-rash-in-babies}}).""",
    },
    {
        "heading": "Cradle cap",
        "image": ("face:flakes", "sand"),
        "text": """\
Greasy, yellowish scales or crusty patches on your baby's scalp are cradle cap. It can \
also appear on the eyebrows, behind the ears or in the nappy area, and it isn't caused \
by poor hygiene.

Wash the scalp regularly with a mild baby shampoo, soften the scales with a little \
plain emollient or baby oil, then brush gently. Don't pick at the crusts. Check out \
our guide to [cradle cap]({{article:cradle-cap}}).""",
    },
    {
        "heading": "Nappy rash",
        "image": ("nappy", "mint"),
        "text": """\
Sore-looking patches on your baby's bottom or genitals are usually nappy rash, caused \
by wee and poo irritating the skin. The patches look red or pink on lighter skin and \
may look darker on brown and black skin.

Change nappies as soon as they're wet or dirty, give your baby some nappy-free time \
each day and use a thin layer of barrier cream. Now read: \
[our nappy rash guide]({{article:nappy-rash}}).""",
    },
    {
        "heading": "Eczema",
        "image": ("tube", "lilac"),
        "text": """\
Eczema makes skin dry, itchy and rough. In babies it often starts on the cheeks and \
scalp before moving to creases such as the elbows and the backs of the knees. It can \
look red on lighter skin and darker brown, purple or grey on darker skin.

There's no cure, but regular moisturising with an emollient helps keep it under \
control, and your GP can prescribe treatments for flare-ups.""",
    },
    {
        "heading": "Oral thrush",
        "image": ("bottle", "sky"),
        "text": """\
Creamy white patches on the tongue, gums or insides of the cheeks that don't wipe \
away easily may be oral thrush, a common fungal infection. Some babies find feeding \
uncomfortable and become fussy at the breast or bottle.

Thrush needs antifungal treatment, so speak to your GP, health visitor or a \
pharmacist. Read more: [oral thrush in babies]({{article:oral-thrush-in-babies}}).""",
    },
    {
        "heading": "Stork marks",
        "image": ("face:patch", "peach"),
        "text": """\
Stork marks, also called salmon patches, are flat pink or red marks on the back of the \
neck, the eyelids or the forehead. Many babies are born with them, and they can look \
more obvious when your baby cries or gets warm.

Marks on the face usually fade within the first year or two. Those on the back of the \
neck can last longer, but they're harmless and are usually hidden by hair.""",
    },
    {
        "heading": "Strawberry marks",
        "image": ("face:bump", "sage"),
        "text": """\
Strawberry marks (infantile haemangiomas) are raised, bright red marks that often \
aren't there at birth but appear in the first few weeks. They may grow quickly for a \
few months, then slowly shrink and fade over several years.

Most need no treatment. See your GP if a mark is near the eye, nose or mouth, in the \
nappy area, bleeding or growing fast, or if your baby has several, as a specialist may \
recommend treatment.""",
    },
    {
        "heading": "Hives",
        "image": ("hives", "rose"),
        "text": """\
Hives are raised, itchy patches that can appear anywhere on the body. They may look \
pink or red on lighter skin and be harder to see on darker skin. An infection, an \
allergy or heat can set them off, and they often fade within a day or two.

A pharmacist can suggest an antihistamine suitable for your child's age. Call 999 if a \
rash comes with swelling of the lips, mouth, tongue or throat, or difficulty \
breathing.""",
    },
    {
        "heading": "Chickenpox",
        "image": ("blisters", "mint"),
        "text": """\
Chickenpox starts as small, itchy spots that fill with fluid to become blisters, then \
crust over into scabs. Children often have a temperature and feel miserable for a day \
or two before the spots appear.

Most children get better at home within a week or two, but call your GP or NHS 111 if \
you think your newborn baby has it. Here's \
[everything you need to know about chickenpox]({{article:chickenpox}}).""",
    },
    {
        "heading": "Meningitis and sepsis",
        "image": ("glass", "lilac"),
        "text": """\
Rarely, a rash is a sign of meningitis or sepsis, which are medical emergencies. The \
rash may start as small pinpricks that spread into purple or dark red blotches, and it \
doesn't fade when you press a clear glass against it. On darker skin, check the palms, \
soles and inside of the eyelids.

Not every baby with these illnesses gets a rash, so don't wait for one. Call 999 or go \
to A&E if your baby is very unwell, floppy or unusually sleepy, has a high temperature \
with cold hands and feet, or is struggling to breathe.""",
    },
]

# Fictional titles; the addresses are the publishers' real top-level pages.
FLAGSHIP_SOURCES = [
    {
        "title": "Newborn rash (erythema toxicum): a guide for parents",
        "publisher": "NHS",
        "url": "https://www.nhs.uk/conditions/",
        "published_on": None,
        "accessed_on": date(2026, 10, 6),
    },
    {
        "title": "Fever and rashes in children under 5: recognising serious illness",
        "publisher": "NICE",
        "url": "https://www.nice.org.uk/guidance",
        "published_on": date(2025, 3, 12),
        "accessed_on": date(2026, 10, 6),
    },
    {
        "title": "Skin conditions in newborn babies: patient information leaflet",
        "publisher": "British Association of Dermatologists",
        "url": "https://www.bad.org.uk/",
        "published_on": date(2024, 6, 20),
        "accessed_on": date(2026, 10, 6),
    },
    {
        "title": "Caring for your baby's skin in the first weeks",
        "publisher": "Royal College of Paediatrics and Child Health",
        "url": "https://www.rcpch.ac.uk/",
        "published_on": None,
        "accessed_on": date(2026, 10, 6),
    },
]

# Articles in a section that requires medical review carry "review": (expert, date).
ARTICLES = [
    {
        "slug": "cradle-cap",
        "category": "baby-health",
        "title": "Cradle cap: what it is and how to gently clear it",
        "standfirst": "Yellowish, flaky patches on your baby's scalp can look "
        "unsettling, but cradle cap is common and harmless. Here's what causes it and "
        "how to help it on its way.",
        "hero": ("face:flakes", "butter", "Cradle cap"),
        "hero_caption": "Cradle cap usually clears by itself within a few months.",
        "author": "esme-dalgleish",
        "tags": ["skin", "newborn"],
        "published_at": _at(2026, 8, 20),
        "review": ("owen-castellane", date(2026, 8, 14)),
        "body": """\
## What is cradle cap?

Cradle cap is a build-up of greasy, yellowish or brownish scales on a baby's scalp. \
It's most common in the first few months and can also appear on the eyebrows, behind \
the ears or in the nappy area. The skin underneath may look a little red on lighter \
skin, or paler or darker than usual on brown and black skin.

It's thought to be linked to the skin's oil-producing glands being extra busy in early \
life. It isn't caused by poor hygiene or an allergy, and it isn't catching.

## Does cradle cap bother babies?

Usually not at all. Cradle cap isn't normally itchy or sore, and most babies carry on \
feeding and sleeping as if it isn't there.

{{quote:cradle-cap-no-rush}}

## How to loosen the scales

- Wash your baby's hair regularly with a mild, unperfumed baby shampoo.
- Soften stubborn scales by massaging in a little plain emollient or baby oil, leaving \
it for a few hours or overnight, then washing it off. Avoid nut oils such as peanut \
oil.
- Brush gently with a soft baby brush to help the flakes lift.
- Don't pick or scratch at the crusts, which can make the skin sore and let infection \
in.

Skip adult dandruff shampoos and products containing salicylic acid, which aren't \
suitable for babies.

## When to see your GP

Cradle cap usually clears by itself within a few weeks or months. Speak to your GP if \
it spreads to other parts of the body, looks red and swollen or feels hot, bleeds or \
leaks fluid, or seems itchy, as it may be eczema or an infection that needs treatment.

Now read: [what to know about newborn rash]({{article:erythema-toxicum-newborn-rash}}).
""",
        "related": [("Now read", "erythema-toxicum-newborn-rash")],
    },
    {
        "slug": "nappy-rash",
        "category": "baby-health",
        "title": "Nappy rash: how to soothe it and stop it coming back",
        "standfirst": "Almost every baby gets nappy rash at some point. A few simple "
        "changes to your nappy routine usually clear it within days.",
        "hero": ("nappy", "sky", "Nappy rash"),
        "hero_caption": "Frequent changes and nappy-free time help sore skin recover.",
        "author": "maisie-arkwright",
        "tags": ["skin", "rashes"],
        "published_at": _at(2026, 8, 27),
        "review": ("owen-castellane", date(2026, 8, 21)),
        "body": """\
Nappy rash is one of the most common skin problems in babies, and it isn't a sign \
that you're doing anything wrong. It happens when the skin in the nappy area is \
irritated, most often by wee and poo sitting against it, and it can flare up when \
babies are teething, unwell or starting solid foods.

## What nappy rash looks like

You might notice red or pink patches on your baby's bottom, thighs or genitals. On \
brown and black skin the patches may look darker, purple or grey. The skin can feel \
hot and sore, and your baby may be unsettled at changing time.

## Simple ways to treat it

- Change wet or dirty nappies as soon as you can.
- Clean the area gently with water or fragrance-free, alcohol-free wipes, and pat it \
dry.
- Give your baby some nappy-free time on a towel or changing mat each day.
- Use a thin layer of barrier cream at each change.
- Skip talcum powder, bubble bath and soap, which can dry and irritate the skin.

{{quote:nappy-rash-barrier-cream}}

## When to get advice

Nappy rash usually improves within a few days of these changes. Speak to a pharmacist \
or your GP if it isn't getting better, if bright red spots spread into the skin folds \
(which can mean a yeast infection that needs an antifungal cream), or if your baby has \
a temperature or seems unwell.

Read more: \
[other skin complaints to know about]({{article:erythema-toxicum-newborn-rash}}).
""",
        "related": [
            ("Now read", "erythema-toxicum-newborn-rash"),
            ("Read more", "oral-thrush-in-babies"),
        ],
    },
    {
        "slug": "eczema-in-babies",
        "category": "baby-health",
        "title": "Eczema in babies: how to spot it and soothe your baby's skin",
        "standfirst": "Dry, itchy patches that come and go could be atopic eczema. "
        "Here's how to recognise it, build a simple skincare routine and know when to "
        "see your GP.",
        "hero": ("tube", "mint", "Eczema"),
        "hero_caption": "Emollients are the mainstay of everyday eczema care.",
        "author": "callum-pryce",
        "tags": ["skin", "rashes"],
        "published_at": _at(2026, 9, 3),
        "review": ("owen-castellane", date(2026, 8, 28)),
        "body": """\
Atopic eczema tends to come and go over months or years, leaving skin dry, itchy and prone to \
cracking. It's very common in babies and young children, and for many it becomes \
much milder, or clears, as they grow.

## Signs of eczema in babies

In babies, eczema often begins on the cheeks, forehead and scalp, then may spread to \
the arms, legs and body. In older babies and toddlers it tends to settle in creases \
such as the elbows, wrists, neck and behind the knees.

Affected skin can look red on lighter skin, while on brown and black skin it may look \
darker brown, purple or grey and can be harder to spot. Itching can disturb sleep, and \
you may notice your baby rubbing their face against bedding.

## Emollients: the everyday essential

{{quote:eczema-emollients}}

- Smooth emollient on in the direction of hair growth rather than rubbing it in.
- Use an emollient instead of soap for washing, and keep baths short and lukewarm.
- Pat the skin dry gently and apply emollient straight afterwards.
- Dress your baby in soft cotton and keep their nails short.

Emollients can make the bath and floor slippery, so take extra care.

## Flare-ups and triggers

Eczema often goes through flare-ups. Common triggers include soaps and bubble baths, \
heat and sweat, scratchy fabrics such as wool, and infections such as colds. Don't \
cut foods out of your baby's diet unless a doctor or dietitian has advised it.

## When to see your GP

See your GP if you think your baby has eczema, if itching is disturbing their sleep, \
or if a flare-up doesn't settle with emollients. Your GP may prescribe a steroid cream \
or ointment for short-term use; follow their instructions on how much and how often.

Get medical advice the same day if the eczema suddenly gets worse and is weeping, \
crusting or painful, if clusters of painful blisters appear, or if your baby also has \
a temperature and seems unwell.

Check out our guide to [nappy rash]({{article:nappy-rash}}) too.
""",
        "related": [("Now read", "erythema-toxicum-newborn-rash")],
    },
    {
        "slug": "oral-thrush-in-babies",
        "category": "baby-health",
        "title": "Oral thrush in babies: signs, treatment and feeding tips",
        "standfirst": "White patches in your baby's mouth that won't wipe away may be "
        "oral thrush. It's common, easy to treat and nothing you've caused.",
        "hero": ("bottle", "lilac", "Oral thrush"),
        "hero_caption": "Sterilise bottles, teats and dummies while thrush clears.",
        "author": "callum-pryce",
        "tags": ["feeding", "newborn"],
        "published_at": _at(2026, 9, 10),
        "review": ("helena-marsh", date(2026, 9, 4)),
        "body": """\
Oral thrush is a fungal infection caused by a yeast called candida, which normally \
lives harmlessly in the mouth and gut. In young babies it can sometimes grow more \
than usual.

## What are the signs of oral thrush?

- creamy white patches on the tongue, gums, roof of the mouth or insides of the cheeks
- patches that don't rub off easily (a milky coating on the tongue usually wipes away)
- fussing or pulling off during feeds, or a clicking sound while feeding
- sometimes a nappy rash that doesn't clear with the usual care

Many babies aren't bothered by it at all.

## How is oral thrush treated?

Speak to your GP, health visitor or a pharmacist. Oral thrush usually needs an \
antifungal medicine, and which one is suitable depends on your baby's age, so get \
advice rather than choosing a product yourself.

{{quote:thrush-treat-together}}

## Feeding and hygiene tips

- If you're breastfeeding, look out for sore, cracked or painful nipples and tell your \
GP or midwife, as you may need treatment too.
- Wash and sterilise bottles, teats and dummies thoroughly.
- Wash your hands well after nappy changes and feeds.

Keep feeding as normal: thrush isn't a reason to stop breastfeeding.

Now read: [our guide to nappy rash]({{article:nappy-rash}}).
""",
        "related": [("Now read", "erythema-toxicum-newborn-rash")],
    },
    {
        "slug": "heat-rash-in-babies",
        "category": "baby-health",
        "title": "Heat rash in babies: how to spot it and cool things down",
        "standfirst": "Tiny, prickly spots that pop up when your baby gets too warm "
        "are usually heat rash. It's harmless and fades quickly once they cool down.",
        "hero": ("sun", "rose", "Heat rash"),
        "hero_caption": "Loose cotton layers help keep babies comfortable in warm "
        "weather.",
        "author": "maisie-arkwright",
        "tags": ["skin", "rashes", "summer"],
        "published_at": _at(2026, 7, 16),
        "review": ("helena-marsh", date(2026, 7, 10)),
        "body": """\
Heat rash, sometimes called prickly heat, happens when sweat gets trapped under the \
skin. Babies are especially prone to it because their sweat glands are still \
developing, and they can't take off a layer when they feel too hot.

## What does heat rash look like?

Look for clusters of small raised spots, often on the neck, shoulders, chest, back or \
in skin creases, and wherever clothing is snug. On lighter skin the spots are usually \
red; on brown and black skin they may be skin-coloured or slightly darker and easier \
to feel than to see. The rash can feel prickly, so your baby may be a little grizzly.

## How to help your baby cool down

- Take off a layer, and choose loose, breathable cotton clothing.
- Give a lukewarm (not cold) bath and let the skin dry in the air.
- Keep the room your baby sleeps in at around 16 to 20°C.
- Offer extra milk feeds in hot weather.

Heat rash usually fades within a few days. Avoid thick creams, which can block the \
skin further.

## When to get help

Ask a pharmacist for advice if your baby seems very itchy. Speak to your GP or NHS 111 \
if the rash hasn't cleared after a few days, if the spots look infected, or if your \
baby has a high temperature (for babies under 3 months, that means 38°C or higher).

Call 999 if your baby has a rash that doesn't fade under a glass, or is floppy, \
unusually sleepy or struggling to breathe.

Read more: \
[sun safety for babies and toddlers]({{article:sun-safety-for-babies-and-toddlers}}).
""",
        "related": [
            ("Read more", "sun-safety-for-babies-and-toddlers"),
            ("Now read", "erythema-toxicum-newborn-rash"),
        ],
    },
    {
        "slug": "sun-safety-for-babies-and-toddlers",
        "category": "toddler",
        "title": "Sun safety for babies and toddlers: your summer checklist",
        "standfirst": "Young skin burns quickly, even on a hazy British day. Here's how "
        "to keep your little one protected from spring to early autumn.",
        "hero": ("hat", "sky", "Sun safety"),
        "hero_caption": "A wide-brimmed hat shades the face, ears and neck.",
        "author": "esme-dalgleish",
        "tags": ["skin", "summer"],
        "published_at": _at(2026, 6, 25),
        "body": """\
Babies' and young children's skin is thinner and more delicate than an adult's, so it \
burns more easily. Sunburn in childhood is also linked to a higher risk of skin \
cancer later in life, which makes good habits worth starting early.

## Babies under 6 months

Keep young babies out of direct sunlight, especially around the middle of the day. \
Use shade from trees, parasols and buggy sunshades, and dress them in loose, light \
clothes that cover their arms and legs.

Never drape a blanket or muslin over a pram or buggy to shade it: it blocks the flow \
of air and can make the space underneath dangerously hot.

## Older babies and toddlers

- Stay in the shade between 11am and 3pm, when the sun is strongest.
- Choose a wide-brimmed hat or a cap with a flap that covers the back of the neck.
- Use sunscreen with an SPF of at least 30 and at least 4-star UVA protection on any \
skin that clothes don't cover.
- Apply sunscreen generously and reapply it often, especially after swimming or \
towelling dry, even if it says it's water resistant.
- Choose children's sunglasses labelled as giving 100% UV protection.

{{quote:sun-safety-sunscreen}}

## Keeping cool and hydrated

Babies under 6 months only need breast milk or formula, but they may want to feed \
more often in hot weather. From 6 months you can also offer sips of water with meals. \
Watch for signs of dehydration, such as fewer wet nappies, a dry mouth or unusual \
sleepiness.

## If your child gets sunburnt

Move them into the shade, cool the skin with a cool (not cold) bath or damp cloth, and \
offer plenty to drink. A pharmacist can suggest after-sun care and pain relief \
suitable for their age. Get advice from your GP or NHS 111 if a baby or young child \
has sunburn, particularly if the skin blisters or swells or they seem unwell.

Check out our guide to [heat rash in babies]({{article:heat-rash-in-babies}}).
""",
        "related": [("Read more", "heat-rash-in-babies")],
    },
    {
        "slug": "chickenpox",
        "category": "toddler",
        "title": "Chickenpox in children: symptoms, stages and soothing the itch",
        "standfirst": "Chickenpox is one of the most common childhood illnesses. "
        "Here's what to expect, how to keep your child comfortable and when to get "
        "medical advice.",
        "hero": ("blisters", "sand", "Chickenpox"),
        "hero_caption": "Chickenpox spots crust over into scabs within about a week.",
        "author": "callum-pryce",
        "tags": ["rashes", "childhood-illnesses"],
        "published_at": _at(2026, 9, 24),
        "body": """\
Chickenpox is caused by a virus that spreads very easily through coughs, sneezes and \
contact with the blisters. It mainly affects children, and for most it's a mild, if \
itchy and miserable, illness that gets better on its own within a week or two.

## Symptoms and stages

Chickenpox often starts with a high temperature, aches and your child feeling off \
colour. Then the spots appear, often on the chest, tummy, face or behind the ears, \
before spreading.

1. Small, itchy spots appear.
2. They fill with fluid and become blisters, which may burst.
3. The blisters crust over into scabs.

New spots can keep appearing for several days, so your child may have spots at \
different stages at once. On brown and black skin the spots may look darker rather \
than red.

## Easing the itch and discomfort

- Give paracetamol if your child is in pain or distressed, following the dose for \
their age on the pack.
- Use cooling gels or calamine lotion, and dress them in loose cotton clothes.
- Keep fingernails short, and try cotton socks or mittens on their hands at night.
- Offer plenty of fluids; ice lollies can help if their mouth is sore.

{{quote:chickenpox-no-ibuprofen}}

## Nursery and spreading

Chickenpox is infectious from about two days before the spots appear until they have \
all crusted over, usually around five days after they first came out. Keep your child \
off nursery or school until then, and away from anyone who is pregnant, newborn \
babies and people with a weakened immune system. Your GP practice can tell you about \
chickenpox vaccination.

## When to get medical help

Ask for an urgent GP appointment or call NHS 111 if:

- you think your newborn baby has chickenpox
- the skin around the blisters is red, hot, swollen or painful
- your child shows signs of dehydration, such as fewer wet nappies or a dry mouth
- your child's symptoms suddenly get worse, or you're worried

Call 999 if your child is struggling to breathe, is floppy or hard to wake, or has a \
rash that doesn't fade under a glass.

Now read: \
[other rashes in babies to know about]({{article:erythema-toxicum-newborn-rash}}).
""",
        "related": [("Now read", "erythema-toxicum-newborn-rash")],
    },
    {
        "slug": "erythema-toxicum-newborn-rash",
        "category": "baby-health",
        "title": "What is erythema toxicum (newborn rash) and should I worry?",
        "standfirst": "Blotchy red patches with tiny pale bumps often appear on a "
        "baby's skin within days of birth. Here's how to recognise newborn rash, why "
        "it's harmless and when a rash needs a doctor.",
        "hero": ("face:blotches", "peach", "Newborn rash"),
        "hero_caption": "Newborn rash usually appears in the first few days and fades "
        "by itself within a couple of weeks.",
        "author": "maisie-arkwright",
        "tags": ["skin", "rashes", "newborn"],
        "published_at": _at(2026, 10, 14),
        "review": ("helena-marsh", date(2026, 10, 9)),
        "sources": FLAGSHIP_SOURCES,
        "body": FLAGSHIP_BODY,
        "list_heading": "Other skin complaints to know about",
        "list_items": FLAGSHIP_ITEMS,
        "related": [
            ("Read more", "cradle-cap"),
            ("Now read", "eczema-in-babies"),
            ("Read more", "oral-thrush-in-babies"),
            ("Now read", "sun-safety-for-babies-and-toddlers"),
            (
                "Read more",
                "https://www.nhs.uk/conditions/rashes-babies-and-children/",
                "Rashes in babies and children (NHS)",
            ),
        ],
    },
    {
        "slug": "tummy-time",
        "category": "baby",
        "title": "Tummy time: why it matters and how to make it fun",
        "standfirst": "A few minutes on their front each day helps your baby build "
        "the strength to roll, sit and crawl. Here's how to start, and what to do if "
        "they protest.",
        "hero": ("face", "sage", "Tummy time"),
        "hero_caption": "Start with a minute or two on your chest, then build up.",
        "author": "esme-dalgleish",
        "tags": ["development", "newborn"],
        "published_at": _at(2026, 10, 1),
        "body": """\
Babies spend a lot of time lying on their backs, which is exactly right for sleep. \
Awake time on their tummy gives them the chance to practise lifting their head and \
pushing up with their arms, the first steps towards rolling and crawling.

## When to start

You can start in the first weeks, as soon as your baby is home. Keep the first \
sessions short: a minute or two, a few times a day, when your baby is awake, alert \
and not straight after a feed.

## Ideas to try

- Lie back and rest your baby on your chest, so they can lift their head to see you.
- Lay them across your lap and gently rub their back.
- Put a rolled-up towel under their chest for a little support.
- Get down on the floor at their eye level, or place a toy or mirror just in front \
of them.

## If your baby protests

Lots of babies grumble at first. Try a shorter session, a different position or a \
different time of day, and stop when they've had enough. Most come to enjoy it as \
they get stronger.

## Staying safe

Stay with your baby the whole time they're on their tummy. When they fall asleep, \
turn them onto their back in their own cot or Moses basket.
""",
        "related": [],
    },
    {
        "slug": "toddler-tantrums",
        "category": "toddler",
        "title": "Toddler tantrums: why they happen and how to stay calm",
        "standfirst": "Big feelings and few words to explain them make tantrums a "
        "normal part of being two. A calm, consistent response helps them pass "
        "sooner.",
        "hero": ("face", "butter", "Tantrums"),
        "hero_caption": "Tantrums usually ease as a child's language grows.",
        "author": "esme-dalgleish",
        "tags": ["development", "wellbeing"],
        "published_at": _at(2026, 10, 8),
        "body": """\
Tantrums are most common between 18 months and three years. Toddlers want to do \
more than they can manage, and they don't yet have the words to say how frustrated, \
tired or hungry they feel.

## Common triggers

- being tired, hungry or unwell
- wanting something they can't have, or to do something by themselves
- changes of plan, or leaving somewhere fun
- a busy, noisy place with too much going on

## During a tantrum

Stay close and keep your own voice calm and low. Make sure your child can't hurt \
themselves or anyone else, then wait it out: reasoning rarely works mid-meltdown. \
Once they've calmed down, offer a cuddle and name the feeling for them, such as \
"you were cross because we had to leave the park".

## Heading them off

Regular meals, snacks and naps help a lot. Give a warning before a change ("two more \
goes on the slide, then home"), offer simple choices, and notice when they're \
getting things right.

## When to ask for help

Talk to your health visitor or GP if tantrums are very frequent or intense, if your \
child often hurts themselves or others, or if you're finding it hard to cope. You \
don't have to manage on your own.
""",
        "related": [],
    },
    {
        "slug": "sleeping-well-in-late-pregnancy",
        "category": "pregnancy",
        "title": "Sleeping well in late pregnancy: positions and practical tips",
        "standfirst": "A growing bump, heartburn and trips to the loo can all get in "
        "the way of a good night. Here's how to get comfortable, and why your side is "
        "the safest way to fall asleep.",
        "hero": ("heart", "lilac", "Pregnancy sleep"),
        "hero_caption": "Pillows between the knees and under the bump can ease aches.",
        "author": "maisie-arkwright",
        "tags": ["sleep", "wellbeing"],
        "published_at": _at(2026, 9, 17),
        "body": """\
Broken sleep is very common in the last months of pregnancy. A few changes to your \
evening and your pillows can make nights more comfortable.

## Go to sleep on your side

From 28 weeks, settle down to sleep on your side, left or right, for naps as well as \
at night. Research has linked going to sleep on your back in late pregnancy with a \
higher risk of stillbirth. If you wake up on your back, don't worry: just turn onto \
your side again.

## Getting comfortable

- Tuck a pillow between your knees and another under your bump.
- A wedge or folded towel behind your back can stop you rolling over.
- Keep the bedroom cool, dark and quiet.

## Heartburn and night-time loo trips

Eat your evening meal a few hours before bed and raise the head of the bed slightly \
if heartburn keeps you awake. Drink plenty during the day, then a little less in the \
hour or two before bed.

## When to mention it

Tell your midwife if you can't sleep because of worry or low mood, if you snore \
loudly or wake up gasping, or if you have restless legs that stop you settling. \
Contact your maternity unit straight away if your baby's movements slow down or \
change.
""",
        "related": [],
    },
    {
        "slug": "staying-active-in-pregnancy",
        "category": "pregnancy",
        "title": "Staying active in pregnancy: gentle exercise that helps",
        "standfirst": "Moving every day is good for you and your baby. Here's what "
        "counts, what to avoid and how to adapt as your bump grows.",
        "hero": ("sun", "mint", "Active pregnancy"),
        "hero_caption": "Walking and swimming are easy ways to keep moving.",
        "author": "callum-pryce",
        "tags": ["wellbeing"],
        "published_at": _at(2026, 9, 30),
        "body": """\
Keeping active in pregnancy can help you sleep, lift your mood and prepare your body \
for labour. If you were active before, you can usually carry on; if not, it's a good \
time to start gently.

## How much is enough

Aim for around 150 minutes of moderate activity a week, spread over most days. \
Moderate means you can still hold a conversation while you move. Strength exercises \
twice a week help too.

## Good choices

- brisk walking
- swimming and aqua classes
- pregnancy yoga or pilates with a qualified teacher
- cycling on an exercise bike

## What to avoid

- contact sports and activities where you could fall, such as horse riding
- scuba diving
- lying flat on your back for long periods after about 16 weeks

## When to stop and get advice

Stop and contact your midwife or maternity unit if you feel dizzy or faint, have \
chest pain, bleeding or fluid from the vagina, painful contractions, or if your \
baby's movements change.
""",
        "related": [],
    },
    {
        "slug": "skin-changes-in-pregnancy",
        "category": "pregnancy",
        "title": "Skin changes in pregnancy: what's normal and what to mention",
        "standfirst": "Hormones and a growing bump can change your skin in all sorts "
        "of ways. Most changes are harmless, but one kind of itching should always be "
        "checked.",
        "hero": ("heart", "rose", "Pregnancy skin"),
        "hero_caption": "",
        "author": "esme-dalgleish",
        "tags": ["skin"],
        "status": Article.Status.DRAFT,
        "published_at": None,
        "body": """\
## Darker patches and a line down your bump

Many people notice darker skin in pregnancy, such as a dark line down the middle of \
the bump (linea nigra), darker nipples, or patches on the face known as melasma or \
chloasma. Pregnancy hormones cause these changes, and they usually fade after the \
birth. Sun protection helps stop facial patches getting darker.

## Stretch marks

Stretch marks can appear on the tummy, breasts, hips and thighs as the skin stretches. \
They may look pink, red, purple or dark brown depending on your skin tone, and usually \
fade to paler lines over time. Moisturiser won't prevent them, but it can ease dry, \
itchy skin.

## Itching that needs checking

Mild itching is common as your bump grows. Contact your midwife or maternity unit \
straight away if you have itching that's worse at night, especially on the palms of \
your hands or the soles of your feet. It can be a sign of a liver condition called \
intrahepatic cholestasis of pregnancy, which needs monitoring.
""",
        "related": [],
    },
]
