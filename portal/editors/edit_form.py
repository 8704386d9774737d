"""The form an editor edits a content file in (staff area: English only)."""

from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Regexp

from ..content.loader import PAGE_ID
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


class NewPageForm(EditForm):
    page_id = StringField(
        "The page's name in its web address",
        description="Lowercase letters, digits and hyphens, like stay-and-play-reddish. "
                    "It cannot be changed later.",
        validators=[InputRequired("Enter the page's name for its web address"),
                    Length(max=80, message="Write 80 characters or fewer"),
                    Regexp(PAGE_ID, message="Use only lowercase letters, digits and hyphens, "
                                            "starting with a letter or digit")],
    )
