"""The image library in the admin: a searchable list with thumbnails, a change page
with the picture large (click it to set the focal point) and where it is used, and
no deleting an image that pages still show."""

from django import forms
from django.contrib import admin
from django.db.models import Exists, F, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join

from .images import picture_for
from .models import Image, ImageTag

THUMB_WIDTH = 120
# How a part of an article that picks an image is named in "Used in" (by model name).
USES = {"articlereference": "In the body of", "listitem": "In the numbered list of"}


def usage(image: Image) -> list[tuple[str, object]]:
    """(how, what) for every row using ``image``: "Hero image" of an article, a list
    item's or a body reference's article, an author's or expert's photo...

    Found from the foreign keys to Image, whatever app declares them, so a new use
    (such as body references) is listed without changes here.
    """
    found = []
    for relation in Image._meta.related_objects:
        if not relation.one_to_many or relation.related_model is Image:
            continue
        field = relation.field
        rows = relation.related_model._base_manager.filter(**{field.name: image})
        # A part of an article (list item, body reference) is listed as its article.
        owner = "article" if _has_field(relation.related_model, "article") else None
        if owner:
            rows = rows.select_related(owner)
        model_name = relation.related_model._meta.model_name
        how = USES.get(model_name, relation.related_model._meta.verbose_name)
        if field.name not in {"image", "photo"}:
            how = field.verbose_name
        elif field.name == "photo":
            how = f"Photo of {relation.related_model._meta.verbose_name}"
        how = how[0].upper() + how[1:]
        for row in rows:
            found.append((how, getattr(row, owner) if owner else row))
    return found


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.fields)


def admin_link(obj) -> str:
    meta = obj._meta
    try:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return format_html("{}", obj)
    return format_html('<a href="{}">{}</a>', url, obj)


class ImageForm(forms.ModelForm):
    def clean_alt(self):
        """An image articles show (hero, list item, body) keeps its alt text: the
        rule those uses had when each image was their own."""
        alt = self.cleaned_data["alt"]
        if not alt.strip() and self.instance.pk:
            shown = [
                obj for how, obj in usage(self.instance) if not how.startswith("Photo")
            ]
            if shown:
                names = ", ".join(f"“{obj}”" for obj in dict.fromkeys(shown))
                raise forms.ValidationError(
                    f"Describe the image for readers who cannot see it: {names} "
                    "show it."
                )
        return alt


class UsageFilter(admin.SimpleListFilter):
    title = "use"
    parameter_name = "used"

    def lookups(self, request, model_admin):
        return [("yes", "In use"), ("no", "Unused")]

    def queryset(self, request, queryset):
        if self.value() not in {"yes", "no"}:
            return queryset
        used = Q()
        for relation in Image._meta.related_objects:
            if relation.one_to_many and relation.related_model is not Image:
                rows = relation.related_model._base_manager.filter(
                    **{relation.field.name: OuterRef("pk")}
                )
                used |= Q(Exists(rows))
        return (
            queryset.filter(used) if self.value() == "yes" else queryset.exclude(used)
        )


class CreditFilter(admin.SimpleListFilter):
    title = "credit and licence"
    parameter_name = "credited"

    def lookups(self, request, model_admin):
        return [("yes", "Both given"), ("no", "Credit or licence missing")]

    def queryset(self, request, queryset):
        missing = Q(credit="") | Q(licence="")
        if self.value() == "yes":
            return queryset.exclude(missing)
        if self.value() == "no":
            return queryset.filter(missing)
        return queryset


class OrientationFilter(admin.SimpleListFilter):
    title = "orientation"
    parameter_name = "shape"

    def lookups(self, request, model_admin):
        return [
            ("landscape", "Landscape"),
            ("portrait", "Portrait"),
            ("square", "Square"),
        ]

    def queryset(self, request, queryset):
        shapes = {
            "landscape": Q(width__gt=F("height")),
            "portrait": Q(width__lt=F("height")),
            "square": Q(width=F("height")),
        }
        shape = shapes.get(self.value())
        return queryset.filter(shape) if shape else queryset


@admin.register(ImageTag)
class ImageTagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "title", "alt", "credit", "licence", "uploaded_at"]
    list_display_links = ["thumbnail", "title"]
    list_filter = [
        "tags",
        ("uploaded_by", admin.RelatedOnlyFieldListFilter),
        CreditFilter,
        UsageFilter,
        OrientationFilter,
    ]
    search_fields = ["title", "alt", "caption", "credit", "tags__name"]
    date_hierarchy = "uploaded_at"
    autocomplete_fields = ["tags"]
    readonly_fields = ["focal_picker", "used_in", "uploaded_by", "uploaded_at"]
    fieldsets = [
        (None, {"fields": ["title", "file", "focal_picker", ("focal_x", "focal_y")]}),
        ("For readers", {"fields": ["alt", "caption", "credit", "licence"]}),
        ("Finding it", {"fields": ["tags"]}),
        ("Used in", {"fields": ["used_in"]}),
        ("Record", {"classes": ["collapse"], "fields": ["uploaded_by", "uploaded_at"]}),
    ]

    class Media:
        js = ["cms/admin/focal-point.js"]
        css = {"all": ["cms/admin/image-library.css"]}

    def get_search_results(self, request, queryset, search_term):
        """Every word must match (``Image.objects.search``), as in the rest of the
        library; the autocomplete pickers use this too."""
        if not search_term:
            return queryset, False
        matching = Image.objects.search(search_term).values("pk")
        return queryset.filter(pk__in=matching), False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def get_deleted_objects(self, objs, request):
        """Django's confirmation page, with the pages using each image named (an
        article rather than its list item) as the reason it cannot be deleted."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        if protected:
            protected = [
                format_html("“{}”: {} {}", image, how.lower(), admin_link(obj))
                for image in objs
                for how, obj in usage(image)
            ]
        return deleted, counts, perms_needed, protected

    @admin.display(description="Picture")
    def thumbnail(self, obj):
        picture = picture_for(obj.file, "card") if obj.file else None
        if picture is None:
            return "–"
        return format_html(
            '<img src="{}" alt="" width="{}" class="library-thumb" loading="lazy">',
            picture.src,
            THUMB_WIDTH,
        )

    @admin.display(description="Focal point")
    def focal_picker(self, obj):
        if not (obj and obj.file):
            return "Save the image first, then click on it to set its focal point."
        return format_html(
            '<div class="focal-picker" data-focal-picker>'
            '<img src="{}" alt="{}" width="{}" height="{}" class="focal-image">'
            '<span class="focal-marker" aria-hidden="true" '
            'style="left: {}%; top: {}%"></span></div>'
            '<p class="help">Click the subject of the picture: crops keep that point '
            "in view. The two numbers below hold the point as percentages.</p>",
            obj.file.url,
            obj.alt,
            obj.width or "",
            obj.height or "",
            obj.focal_x,
            obj.focal_y,
        )

    @admin.display(description="Pages using it")
    def used_in(self, obj):
        uses = usage(obj) if obj and obj.pk else []
        if not uses:
            return "Not used yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", "<li>{}: {}</li>", ((how, admin_link(row)) for how, row in uses)
            ),
        )
