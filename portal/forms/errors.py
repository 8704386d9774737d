"""The error summary's links: one per error, in page order."""

from wtforms import FieldList, FormField, RadioField, SelectMultipleField

from .fields import MemorableDate


def error_links(form):
    """Return (anchor, message) for every error, in page order, for the summary."""
    links = []
    for field in form:
        if getattr(field.widget, "input_type", None) == "hidden":
            continue  # the CSRF token: the page says in words that it timed out
        if isinstance(field, FieldList):
            for entry in field:
                links.extend(error_links(entry.form) if isinstance(entry, FormField) else [])
        elif field.errors:
            if isinstance(field, MemorableDate):
                anchor = f"{field.id}-day"
            elif isinstance(field, (RadioField, SelectMultipleField)):
                anchor = f"{field.id}-1"
            else:
                anchor = field.id
            links.append((anchor, field.errors[0]))
    return links
