"""The self-referral form: short questions, plain hints, errors by the field.

Every label, hint and message is translatable; choices that depend on the
site (languages, the team's name) are set in __init__.
"""

import datetime

from email_validator import EmailNotValidError, validate_email
from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, FormField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..localities.routing import FULL as FULL_POSTCODE
from ..localities.routing import normalise as normalise_postcode
from ..timetable.sessions import LONDON
from .fields import Checkboxes, Entries, MemorableDate
from .phone import TYPED_LENGTH, parse_phone

CONTACT_WAYS = [
    ("phone", _l("Phone call")),
    ("text", _l("Text message")),
    ("email", _l("Email")),
    ("message", _l("You may leave a voicemail or message")),
    ("letter", _l("Letter by post")),
]
BEST_TIMES = [
    ("morning", _l("Morning (9am to 12pm)")),
    ("afternoon", _l("Afternoon (12pm to 3pm)")),
    ("late-afternoon", _l("Late afternoon (3pm to 5pm)")),
]
HELP_WITH = [
    ("feeding", _l("Feeding")),
    ("sleep", _l("Sleep")),
    ("behaviour", _l("Behaviour")),
    ("speech", _l("Speech and language")),
    ("development", _l("Development")),
    ("wellbeing", _l("Emotional wellbeing (yours or your child's)")),
    ("parenting", _l("Parenting courses")),
    ("groups", _l("Groups near me")),
    ("other", _l("Something else")),
]
MAX_CHILDREN = 6
OLDEST_CHILD_YEARS = 6
LATEST_DUE_DAYS = 300
WRONG_PHONE = _l("Enter a phone number, like 07700 900 982 or 0161 496 0000. "
                 "For a number outside the UK, start with + and the country code")


def tidy(value):
    """Trim a typed answer; drop NUL characters, which no family types and
    PostgreSQL cannot store."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


TIDY = [tidy]


class PostedForm(FlaskForm):
    """A form read from an ordinary form post only: never from uploaded
    files or a JSON body (Flask-WTF's default), whose values are not text."""

    class Meta:
        def wrap_formdata(self, form, formdata):
            if formdata is None or hasattr(formdata, "getlist"):
                return formdata
            return request.form if form.is_submitted() else None


def today():
    """Today in Stockport, whatever the server's own clock zone."""
    return datetime.datetime.now(LONDON).date()


class ChildForm(Form):
    """One child, or a baby on the way."""

    born = RadioField(_l("Is your child born yet?"), choices=[
        ("yes", _l("Yes")), ("no", _l("No, I am pregnant or my partner is"))],
        validators=[InputRequired(_l("Select yes if your child is born"))])
    # No Optional(): it would stop validate_first_name, which needs a born child's name.
    first_name = StringField(_l("Child's first name"), validators=[Length(max=60)], filters=TIDY,
                             description=_l("Leave this empty if your baby is not born yet"))
    date = MemorableDate(_l("Date of birth, or due date"),
                         description=_l("For example, 27 3 2025"))

    def validate_date(self, field):
        if field.data is None:
            if not field.process_errors:
                raise ValidationError(_l("Enter a date of birth or a due date"))
            return
        if self.born.data == "yes":
            if field.data > today():
                raise ValidationError(_l("A date of birth must be in the past"))
            if field.data < today() - datetime.timedelta(days=365 * OLDEST_CHILD_YEARS + 2):
                raise ValidationError(_l("We help families with children under 5: check the year"))
        elif self.born.data == "no":
            if field.data < today() - datetime.timedelta(days=14):
                raise ValidationError(_l("A due date must be today or later (or within the last 2 weeks)"))
            if field.data > today() + datetime.timedelta(days=LATEST_DUE_DAYS):
                raise ValidationError(_l("A due date must be within the next 10 months"))

    def validate_first_name(self, field):
        if self.born.data == "yes" and not (field.data or "").strip():
            raise ValidationError(_l("Enter your child's first name"))


class ReferralForm(PostedForm):
    """Ask for help: what a locality team needs to contact the family."""

    parent_name = StringField(_l("Your full name"), filters=TIDY, validators=[
        DataRequired(_l("Enter your full name")), Length(max=100, message=_l("Your name must be 100 characters or fewer"))])
    phone = StringField(_l("Phone number"), validators=[Optional()], filters=TIDY,
                        description=_l("A mobile or landline. For a number outside the UK, start with + and "
                                      "the country code"))
    email = StringField(_l("Email address"), validators=[Optional(), Length(max=254)], filters=TIDY)
    contact_ways = Checkboxes(_l("How can we contact you safely?"), choices=CONTACT_WAYS,
                              description=_l("Select all that are safe for you"))
    best_times = Checkboxes(_l("When is it best to contact you?"), choices=BEST_TIMES,
                            description=_l("Select all that apply. Leave empty if any time is fine"))
    postcode = StringField(_l("Postcode"), validators=[InputRequired(_l("Enter your postcode"))])
    address = TextAreaField(_l("Address"), validators=[Optional(), Length(max=300)], filters=TIDY,
                            description=_l("Needed only if we may write to you"))
    children = Entries(FormField(ChildForm), min_entries=1, max_entries=MAX_CHILDREN)
    help_with = Checkboxes(_l("What would you like help with?"), choices=HELP_WITH,
                           description=_l("Select all that apply"))
    details = TextAreaField(_l("Tell us more (optional)"), filters=TIDY, validators=[Optional(), Length(
        max=2000, message=_l("Write 2000 characters or fewer"))])
    spoken_language = StringField(_l("Which language would you like us to speak?"),
                                  validators=[Optional(), Length(max=60)], filters=TIDY)
    interpreter = RadioField(_l("Would you like an interpreter?"), choices=[
        ("yes", _l("Yes")), ("no", _l("No"))], default="no",
        validators=[InputRequired(_l("Select yes if you would like an interpreter"))])
    # DataRequired, not InputRequired: a posted "false" is present but not a yes.
    consent = BooleanField(validators=[DataRequired(
        _l("You need to agree so that we can pass your request to the team"))])
    # A trap for robots: hidden from people and from screen readers.
    website = StringField(_l("Leave this empty"))

    def __init__(self, *args, team_name="", area=(), triage_team="", **kwargs):
        super().__init__(*args, **kwargs)
        self.checked_phone = None  # the Phone, once validate_phone has read it
        if area:
            # Said before the family sends anything: who reads a request from elsewhere.
            self.postcode.description = _l(
                "We cover postcodes starting %(area)s. If you live somewhere else, the %(team)s will "
                "read your request and tell you who can help.", area=", ".join(area), team=triage_team)
        self.consent.label.text = _l(
            "I agree that the %(team)s may see and use what I have written here, to contact me and help my family",
            team=team_name)

    def validate_phone(self, field):
        if not field.data:
            return
        if len(field.data) > TYPED_LENGTH:
            raise ValidationError(_l("Enter a phone number of %(max)d characters or fewer", max=TYPED_LENGTH))
        self.checked_phone = parse_phone(field.data)
        if self.checked_phone is None:
            raise ValidationError(WRONG_PHONE)
        field.data = self.checked_phone.typed

    def validate_email(self, field):
        if not field.data:
            return
        try:
            field.data = validate_email(field.data.strip(), check_deliverability=False).normalized
        except EmailNotValidError:
            raise ValidationError(_l("Enter an email address in the right format, like name@example.org")) from None

    def validate_contact_ways(self, field):
        ways = set(field.data or ())
        if not (self.phone.data or self.email.data):
            raise ValidationError(_l("Enter a phone number or an email address so we can contact you"))
        if not ways:
            raise ValidationError(_l("Select at least one safe way to contact you"))
        if ways & {"phone", "text", "message"} and not self.phone.data:
            raise ValidationError(_l("To phone or text you we need your phone number"))
        if "text" in ways and self.checked_phone is not None and not self.checked_phone.mobile:
            raise ValidationError(_l("To text you we need a mobile number. Untick text message, or give a "
                                     "mobile number"))
        if "email" in ways and not self.email.data:
            raise ValidationError(_l("To email you we need your email address"))
        if "letter" in ways and not (self.address.data or "").strip():
            raise ValidationError(_l("To write to you we need your address"))

    def validate_postcode(self, field):
        postcode = normalise_postcode(field.data or "")
        if not postcode or not FULL_POSTCODE.match(postcode.replace(" ", "")):
            raise ValidationError(_l("Enter a full UK postcode, like SK5 8AB"))
        field.data = postcode

    def validate_help_with(self, field):
        if not field.data and not (self.details.data or "").strip():
            raise ValidationError(_l("Select what you would like help with, or tell us in your own words"))

    def answers(self):
        """Return the answers as plain JSON-able data (for the draft and the referral)."""
        return {
            "parent_name": self.parent_name.data.strip(),
            "phone": self.phone.data or None,
            "phone_e164": self.checked_phone.e164 if self.phone.data else None,
            "email": self.email.data or None,
            "contact_ways": list(self.contact_ways.data or []),
            "best_times": list(self.best_times.data or []),
            "postcode": self.postcode.data,
            "address": (self.address.data or "").strip() or None,
            "children": [
                {"born": child.born.data == "yes",
                 "first_name": (child.first_name.data or "").strip() or None,
                 "date": child.date.data.isoformat()}
                for child in (entry.form for entry in self.children)
            ],
            "help_with": list(self.help_with.data or []),
            "details": (self.details.data or "").strip() or None,
            "spoken_language": (self.spoken_language.data or "").strip() or None,
            "interpreter": self.interpreter.data == "yes",
            "consent": bool(self.consent.data),
        }

    @classmethod
    def data_from_answers(cls, answers):
        """Turn stored answers back into form data, for "Change" links."""
        return {
            **answers,
            "address": answers.get("address") or "",
            "interpreter": "yes" if answers.get("interpreter") else "no",
            "children": [
                {"born": "yes" if c["born"] else "no", "first_name": c.get("first_name") or "",
                 "date": datetime.date.fromisoformat(c["date"])}
                for c in answers.get("children", [])
            ],
        }


class StatusForm(PostedForm):
    """Look up a referral: the reference and the child's date."""

    reference = StringField(_l("Your reference number"), validators=[
        InputRequired(_l("Enter your reference number"))], description=_l("For example, SW-K7MQ-3XTA"))
    date = MemorableDate(_l("Your child's date of birth, or due date"),
                         description=_l("The first child you told us about. For example, 27 3 2025"))

    def validate_date(self, field):
        if field.data is None and not field.process_errors:
            raise ValidationError(_l("Enter the date of birth or due date"))


def error_links(form):
    """Return (anchor, message) for every error, in page order, for the summary."""
    from wtforms import FieldList, FormField, RadioField, SelectMultipleField
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
