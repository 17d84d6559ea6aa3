"""Articles in the read API (``cms.api``, registered in ``ArticlesConfig.ready``):
the articles themselves, and the sections, tags, authors and quotes around them."""

from ninja import Router

from .articles import router as articles
from .directory import router as directory

router = Router()
router.add_router("", articles)
router.add_router("", directory)
