"""An expert as a schema.org Person, for their page and for articles they reviewed."""

from collections.abc import Callable

from cms.images import large_url
from cms.json_ld import organisation, without_empty

from .models import Expert


def credentials_of(expert: Expert) -> list[str]:
    """The expert's credentials one by one: "MBBS, MRCPCH" → ["MBBS", "MRCPCH"]."""
    return [part.strip() for part in expert.credentials.split(",") if part.strip()]


def expert_person(expert: Expert, absolute: Callable[[str], str]) -> dict:
    """Person with name, honorifics, job title, affiliation and credentials.

    ``absolute`` turns a site path into a full address (``request.build_absolute_uri``).
    """
    return without_empty(
        {
            "@type": "Person",
            "@id": absolute(expert.get_absolute_url()) + "#person",
            "name": expert.full_name,
            "honorificPrefix": expert.honorific,
            "honorificSuffix": expert.credentials,
            "jobTitle": expert.job_title,
            "affiliation": organisation(expert.organisation)
            if expert.organisation
            else None,
            "hasCredential": [
                {"@type": "EducationalOccupationalCredential", "name": credential}
                for credential in credentials_of(expert)
            ],
            "url": absolute(expert.get_absolute_url()),
            "image": absolute(large_url(expert.photo, "portrait"))
            if expert.photo
            else "",
            "sameAs": [expert.website] if expert.website else [],
        }
    )
