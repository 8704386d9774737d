"""The form an editor edits a content file in (staff area: English only)."""

from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Length

from ..forms.base import PostedForm
from .editing import MAX_CHARACTERS


class EditForm(PostedForm):
    text = TextAreaField(
        "The file: front matter between the '---' lines, then the text",
        validators=[Length(max=MAX_CHARACTERS)],
        description="Markdown, as in content/README.md. Nothing is saved until you press Save.",
    )
    message = StringField("What you changed (optional, kept in the page's history)",
                          validators=[Length(max=200, message="Write 200 characters or fewer")])
    base = HiddenField()  # the file's version when the form was opened
