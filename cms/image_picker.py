"""The article editor's "Insert image" search: library images as JSON, a page at a
time, for staff who may see the library (insert-image.js)."""

from django.http import JsonResponse

from .images import renditions_of
from .models import Image

PAGE_SIZE = 12
MAX_PAGE = 100
MAX_WORDS = 200  # characters of search text read


def _page_number(value: str | None) -> int:
    """The page asked for, from 1 to ``MAX_PAGE``; anything else is the first."""
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


def thumbnail_url(image: Image) -> str:
    """Its smallest square rendition once made, else the original (browsers scale it)."""
    ready = renditions_of(image.file, "portrait")
    return ready[0]["url"] if ready else image.file.url


def as_result(image: Image) -> dict:
    return {
        "id": image.pk,
        "title": str(image),
        "alt": image.alt,
        "thumbnail": thumbnail_url(image),
        "width": image.width,
        "height": image.height,
        "reference": f"[[image:{image.pk}]]",
    }


def search(request):
    """``?q=words&page=N``: the newest matching images first, ``more`` when another
    page follows. 403 for staff who may not see the library."""
    if not request.user.has_perm("cms.view_image"):
        return JsonResponse({"error": "You may not see the image library."}, status=403)
    words = request.GET.get("q", "")[:MAX_WORDS]
    page = _page_number(request.GET.get("page"))
    images = Image.objects.search(words) if words.strip() else Image.objects.all()
    start = (page - 1) * PAGE_SIZE
    found = list(images.order_by("-uploaded_at", "-pk")[start : start + PAGE_SIZE + 1])
    return JsonResponse(
        {
            "results": [as_result(image) for image in found[:PAGE_SIZE]],
            "page": page,
            "more": len(found) > PAGE_SIZE,
        }
    )
