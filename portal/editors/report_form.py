"""The "Is something wrong on this page?" form: what is wrong, in a few
words. It asks nothing about the reader."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..forms.base import TIDY, PostedForm

PROBLEMS = [
    ("times", _l("A day, time or date is wrong")),
    ("contact", _l("An address, phone number or email address is wrong")),
    ("stopped", _l("This has stopped, moved or is full")),
    ("link", _l("A link does not work")),
    ("unclear", _l("It is hard to understand")),
    ("translation", _l("The translation is wrong or missing")),
    ("other", _l("Something else")),
]
DETAILS_LENGTH = 1000


class PageReportForm(PostedForm):
    problem = RadioField(_l("What is wrong?"), choices=PROBLEMS, validators=[
        InputRequired(_l("Choose what is wrong with the page"))])
    details = TextAreaField(
        _l("Tell us more (optional)"), filters=TIDY,
        description=_l("Do not write your name, phone number or anything about your family: "
                       "this form is only about the page."),
        validators=[Length(max=DETAILS_LENGTH, message=_l(
            "Write %(max)d characters or fewer", max=DETAILS_LENGTH))])
    website = StringField(_l("Leave this empty"))
