"""Admin form settings and display helpers every app's ModelAdmin shares."""

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget


class MarkdownEditorWidget(AdminMarkdownxWidget):
    """markdownx's admin editor; a refused image upload is explained beside it rather
    than leaving markdownx's "Invalid response" in the text."""

    class Media:
        js = ["cms/admin/upload-errors.js"]


# markdownx's editor with live preview; bare web addresses are taken as https.
FORMFIELD_OVERRIDES = {
    MarkdownxField: {"widget": MarkdownEditorWidget},
    models.URLField: {"assume_scheme": "https"},
}

EDITOR_CSS = {"all": ["cms/admin/editor.css"]}


def history_table(headers: list[str], rows) -> SafeString:
    """A record of changes as a table: ``rows`` of cells, the first a datetime."""
    return format_html(
        "<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
        format_html_join("", "<th>{}</th>", ((header,) for header in headers)),
        format_html_join(
            "",
            "<tr>{}</tr>",
            (
                (
                    format_html_join(
                        "",
                        "<td>{}</td>",
                        (
                            (date_format(timezone.localtime(when), "j M Y H:i"),),
                            *((cell,) for cell in cells),
                        ),
                    ),
                )
                for when, *cells in rows
            ),
        ),
    )
