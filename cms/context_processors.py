from django.conf import settings


def site(request):
    """Site-wide values every template needs."""
    return {"site_name": settings.CMS_SITE_NAME}
