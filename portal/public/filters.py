"""The GET filter forms on listings and what's on (no JavaScript needed)."""

from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField

from ..content.fields import AGES
from ..i18n.locale import current_language

AGE_LABELS = {
    "pregnancy": _l("Pregnancy"),
    "0-1": _l("Under 1"),
    "1-2": _l("1 to 2 years"),
    "2-3": _l("2 to 3 years"),
    "3-5": _l("3 to 5 years"),
    "any": _l("Any age"),
}


class ListingFilters(Form):
    """Filter a section by locality and age.

    The locality defaults to the parent's remembered area (``locality``);
    each is named by its places, which parents know, not by its team.
    """

    locality = SelectField(_l("Area"), default="")
    age = SelectField(_l("Child's age"), default="")

    def __init__(self, args, localities, locality=None):
        super().__init__(args, locality=locality or "")
        lang = current_language()
        self.locality.choices = [("", _l("All areas"))] + [
            (team.id, team.places_in(lang)) for team in localities.teams
            if team.id != localities.triage
        ]
        self.age.choices = [("", AGE_LABELS["any"])] + [(a, AGE_LABELS[a]) for a in AGES]

    def chosen(self, field):
        """Return the field's value if valid, else None (meaning 'any')."""
        valid = {value for value, _ in field.choices}
        return field.data if field.data in valid and field.data else None


class WhatsOnFilters(ListingFilters):
    """Filter what's on by locality, age, hub and weekday."""

    hub = SelectField(_l("Family hub"), default="")
    day = SelectField(_l("Day"), default="")

    def __init__(self, args, localities, hubs, locality=None):
        super().__init__(args, localities, locality)
        self.hub.choices = [("", _l("Any place"))] + [(h.id, h.title) for h in hubs]
        # Day names from Babel's locale data, in the reader's language.
        names = get_day_names("wide", locale=get_locale())
        self.day.choices = [("", _l("Any day"))] + [
            (str(index), names[index]) for index in range(7)
        ]
