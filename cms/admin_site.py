"""The admin site: a start page that shows each person their work, and checks on what
staff post that every ModelAdmin gets, so malformed input is a form message or a 4xx."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import models
from django.urls import path, reverse

from . import accounts


def is_value_of(field, value) -> bool:
    """Whether a posted ``value`` can be looked up in ``field`` without a database
    error: one that is not a number, or out of range, for an integer key is not."""
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


class CheckedAutocompleteMixin:
    """A posted value that cannot be a key of the related model renders as nothing
    chosen; Django's widget looks it up, and the form that reports it fails (a 500)."""

    def optgroups(self, name, value, attr=None):
        opts = self.field.remote_field.model._meta
        target = opts.get_field(
            getattr(self.field.remote_field, "field_name", None) or opts.pk.name
        )
        usable = [item for item in value if is_value_of(target, item)]
        return super().optgroups(name, usable, attr)


class CheckedAutocompleteSelect(CheckedAutocompleteMixin, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(
    CheckedAutocompleteMixin, AutocompleteSelectMultiple
):
    pass


class CheckedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses an id its key cannot hold before looking the ids up together: on
    SQLite an id past 64 bits fails that query (OverflowError) instead of matching
    nothing."""

    def _check_values(self, value):
        opts = self.queryset.model._meta
        key = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for item in value:
            if not is_value_of(key, item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)


class MultilineField(forms.CharField):
    """Text from a textarea, its line breaks stored as "\n": browsers send "\r\n",
    and a form saved unchanged must leave the text as it was."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class CheckedFormsMixin:
    """For every ModelAdmin and inline: related-object fields that survive junk, and
    text that keeps its line breaks as stored."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.TextField) and not db_field.choices:
            kwargs.setdefault("form_class", MultilineField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", CheckedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


CHOOSE_FILE_AGAIN = (
    "The save was refused, and browsers do not keep a chosen file: choose it again "
    "before you save."
)


def ask_for_files_again(request, context) -> None:
    """On a refused save, say so next to every file field that had a file chosen: the
    page comes back without it, and saving again would silently leave it out."""
    forms_shown = [context["adminform"].form] + [
        form
        for inline in context.get("inline_admin_formsets", [])
        for form in inline.formset.forms
    ]
    for form in forms_shown:
        for name, field in form.fields.items():
            if isinstance(field, forms.FileField) and form.add_prefix(name) in (
                request.FILES
            ):
                form.errors.setdefault(name, form.error_class()).append(
                    CHOOSE_FILE_AGAIN
                )


class CheckedChangeList:
    """A filter value no key can hold (an id past 64 bits) is a bad filter, shown as
    Django shows others (the list again, with ?e=1), on every engine: SQLite's driver
    raises OverflowError when such a list is counted, PostgreSQL lists nothing."""

    BIGGEST = 2**63

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        try:
            _sql, params = queryset.query.sql_with_params()
        except EmptyResultSet:
            return queryset
        if any(
            isinstance(value, int) and not -self.BIGGEST <= value < self.BIGGEST
            for value in params
        ):
            raise IncorrectLookupParameters("A filter value no key can hold.")
        return queryset


@cache
def checked_changelist(changelist: type) -> type:
    return with_mixin(CheckedChangeList, changelist)


class CheckedModelAdminMixin(CheckedFormsMixin):
    """Every registered ModelAdmin gets this (see ``NewsroomAdminSite.register``):
    checked forms for itself and its inlines, checked ids for its actions and
    object pages."""

    def get_inlines(self, request, obj):
        return [
            with_mixin(CheckedFormsMixin, inline)
            for inline in super().get_inlines(request, obj)
        ]

    def render_change_form(self, request, context, *args, **kwargs):
        if request.method == "POST" and request.FILES:
            ask_for_files_again(request, context)
        return super().render_change_form(request, context, *args, **kwargs)

    def get_changelist(self, request, **kwargs):
        return checked_changelist(super().get_changelist(request, **kwargs))

    def get_object(self, request, object_id, from_field=None):
        """An empty ``_to_field`` means the primary key, as a missing one does;
        Django looks for a field named "" (a 500)."""
        return super().get_object(request, object_id, from_field or None)

    def response_action(self, request, queryset):
        """Ticked ids that cannot be a primary key select nothing, as an unknown id
        does, instead of failing the action's query."""
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        pk = self.model._meta.pk
        usable = [value for value in selected if is_value_of(pk, value)]
        if usable != selected:
            # Django's response_action reads the ids from request.POST itself; with
            # none left it answers "Items must be selected…" as for an empty choice.
            data = request.POST.copy()
            data.setlist(helpers.ACTION_CHECKBOX_NAME, usable)
            request.POST = data
        return super().response_action(request, queryset)


@cache
def with_mixin(mixin: type, admin_class: type) -> type:
    """``admin_class`` with ``mixin`` in front, the same class each time it is asked."""
    if issubclass(admin_class, mixin):
        return admin_class
    return type(
        admin_class.__name__,
        (mixin, admin_class),
        {"__module__": admin_class.__module__},
    )


@dataclass(frozen=True)
class AdminPage:
    """A page of an app's own in the admin, at ``<app_label>/<route>`` and named
    ``admin:<app_label>_<name>``; listed first under its app (start page and nav) for
    those with ``permission``. ``extra`` are more (route, name, view) of the page's."""

    app_label: str
    route: str
    name: str
    title: str
    view: Callable
    permission: str
    extra: tuple[tuple[str, str, Callable], ...] = ()


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Newsroom"
    site_title = "Newsroom admin"
    index_title = "Content"

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every ModelAdmin, ours and other apps' alike, checks what staff post."""
        admin_class = with_mixin(
            CheckedModelAdminMixin, admin_class or admin.ModelAdmin
        )
        super().register(model_or_iterable, admin_class, **options)

    # What the start page shows a person: set by an app (see ``show_on_start_page``).
    start_page = None

    def show_on_start_page(self, blocks) -> None:
        """``blocks(user)`` returns the start page's lists for that person."""
        self.start_page = blocks

    # Pages apps add (see ``add_page``).
    pages: tuple[AdminPage, ...] = ()

    def add_page(self, page: AdminPage) -> None:
        self.pages = (*self.pages, page)

    def get_urls(self):
        own = [
            path(
                f"{page.app_label}/{route}",
                self.admin_view(view),
                name=f"{page.app_label}_{name}",
            )
            for page in self.pages
            for route, name, view in ((page.route, page.name, page.view), *page.extra)
        ]
        from . import image_picker  # imports the models, not ready at import time

        return [
            path("profile/", self.admin_view(self.profile), name="profile"),
            path(
                "images/search/",
                self.admin_view(image_picker.search),
                name="image_search",
            ),
            *own,
            *super().get_urls(),
        ]

    def profile(self, request):
        """Each person's own page: which emails they are sent (every staff role)."""
        return accounts.profile(request, self)

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            app["models"][:0] = [
                {
                    "name": page.title,
                    "object_name": page.name,
                    "admin_url": reverse(f"{self.name}:{page.app_label}_{page.name}"),
                    "add_url": None,
                    "view_only": True,
                    "perms": {"view": True},
                }
                for page in self.pages
                if page.app_label == app["app_label"]
                and request.user.has_perm(page.permission)
            ]
        return app_list

    def index(self, request, extra_context=None):
        blocks = self.start_page(request.user) if self.start_page else {}
        context = {"dashboard": blocks, **(extra_context or {})}
        return super().index(request, extra_context=context)
