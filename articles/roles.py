"""The newsroom's groups and what each may do. Applied by migration and `manage.py sync_roles`."""

ARTICLE_PARTS = [
    "articleauthor",
    "articlequote",
    "listitem",
    "relatedlink",
    "articlesource",
]


def _crud(
    app: str, model: str, actions=("add", "change", "delete", "view")
) -> list[str]:
    return [f"{app}.{action}_{model}" for action in actions]


WRITER = [
    *_crud("articles", "article", ("add", "change", "view")),
    *[perm for model in ARTICLE_PARTS for perm in _crud("articles", model)],
    "articles.view_author",
    "articles.view_category",
    "articles.view_tag",
    "articles.add_tag",
    "articles.view_articletransition",
    "articles.view_callout",  # standard callouts are placed by writers, kept by editors
    "experts.view_expert",
    *_crud("experts", "quote", ("add", "change", "view")),
    # The image library: writers upload and describe images; editors also delete.
    *_crud("cms", "image", ("add", "change", "view")),
    *_crud("cms", "imagetag", ("add", "view")),
]

EDITOR = [
    *WRITER,
    "articles.delete_article",
    "articles.publish_article",
    "articles.edit_any_article",
    *_crud("articles", "category"),
    *_crud("articles", "tag"),
    *_crud("articles", "callout", ("add", "change", "delete")),
    "articles.view_externallink",  # the link report; the checker writes the rows
    *_crud("articles", "oldaddress"),  # redirects from before a move
    "experts.delete_quote",
    "experts.sign_off_quote",  # sign-off states are set by editors only
    "cms.delete_image",
    *_crud("cms", "imagetag", ("change", "delete")),
]

SITE_ADMIN = [
    *_crud("auth", "user"),
    "auth.view_group",
    *_crud("articles", "author"),
    *_crud("articles", "authorlink"),
    *_crud("experts", "expert"),
    *_crud("experts", "quote"),
    "articles.view_article",
    # Webhooks: the endpoints, and the delivery log (sending again needs
    # change_webhookendpoint).
    *_crud("cms", "webhookendpoint"),
    "cms.view_webhookdelivery",
    # Authors' and experts' photos come from the image library.
    *_crud("cms", "image", ("add", "change", "view")),
    *_crud("cms", "imagetag", ("add", "view")),
]

ROLES = {"Writer": WRITER, "Editor": EDITOR, "Site admin": SITE_ADMIN}


def sync_roles(apps) -> None:
    """Create or update the groups to have exactly these permissions (idempotent).

    With the live app registry an unknown permission raises LookupError. In a
    migration, permissions of models that do not exist yet at that point are left
    out: the migration that adds such a model syncs the roles again.
    """
    from django.apps import apps as live_apps
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after migrations; make them now so groups can use them.
    for app_config in apps.get_app_configs():
        # Restore what was there: the real registry's apps must keep their modules.
        models_module = getattr(app_config, "models_module", None)  # stubs lack it
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        wanted = {tuple(code.split(".", 1)) for code in codes}
        perms = [
            perm
            for perm in Permission.objects.select_related("content_type")
            if (perm.content_type.app_label, perm.codename) in wanted
        ]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in perms}
        if missing and apps is live_apps:
            raise LookupError(f"Unknown permissions for {name}: {sorted(missing)}")
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(perms)


def sync_roles_after_migrate(sender, apps=None, **kwargs) -> None:
    """After every migrate (and a flush, which sends no ``apps``): roles match this
    code."""
    from django.apps import apps as live_apps

    sync_roles(apps or live_apps)
