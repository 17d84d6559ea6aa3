"""Admin form settings every app's ModelAdmin shares."""

from django.db import models
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

# markdownx's editor with live preview; bare web addresses are taken as https.
FORMFIELD_OVERRIDES = {
    MarkdownxField: {"widget": AdminMarkdownxWidget},
    models.URLField: {"assume_scheme": "https"},
}

EDITOR_CSS = {"all": ["cms/admin/editor.css"]}
