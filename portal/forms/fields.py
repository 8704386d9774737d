"""Form fields the GOV.UK patterns need and WTForms lacks."""

import datetime

from flask_babel import lazy_gettext as _l
from wtforms import Field, FieldList, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class Checkboxes(SelectMultipleField):
    """A list of checkboxes; unknown values are refused, not kept."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MemorableDate(Field):
    """Day, month and year in three boxes (the GOV.UK date input).

    Families type what they know: "3", "03", "March" for the month. The
    value is a date, or None when all three boxes are empty.
    """

    MONTHS = {name: number for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.parts = ("", "", "")

    def process_formdata(self, valuelist):
        # Three inputs share the field's name with -day, -month, -year.
        pass

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        if formdata is not None and any(f"{self.name}-{p}" in formdata for p in ("day", "month", "year")):
            self.parts = tuple(formdata.get(f"{self.name}-{p}", "").strip()[:10]
                               for p in ("day", "month", "year"))
            self.data = self._parse()
        else:
            value = data if data is not None else self.default
            self.data = value if isinstance(value, datetime.date) else None
            if self.data:
                self.parts = (str(self.data.day), str(self.data.month), str(self.data.year))
        self.object_data = self.data

    def _parse(self):
        day, month, year = self.parts
        if not any(self.parts):
            return None
        missing = [name for name, value in zip(
            (_l("a day"), _l("a month"), _l("a year")), self.parts) if not value]
        if missing:
            self.process_errors.append(_l("The date must include %(part)s", part=missing[0]))
            return None
        try:
            # isdecimal, not isdigit: "²" is a digit that int() refuses.
            month_number = self.MONTHS.get(month[:3].lower()) if not month.isdecimal() else int(month)
            if not (day.isdecimal() and year.isdecimal() and len(year) == 4 and month_number):
                raise ValueError
            return datetime.date(int(year), month_number, int(day))
        except (ValueError, OverflowError):
            self.process_errors.append(_l("The date must be a real date, like 27 3 2025"))
            return None

    def _value(self):
        return self.parts


MAX_INDEX_DIGITS = 3


class Entries(FieldList):
    """A FieldList that ignores posted names whose index is not a plain number
    (WTForms' own int()s anything isdigit() accepts, such as "children-²-born",
    and trips over a name the multipart parser could not read)."""

    def _extract_indices(self, prefix, formdata):
        offset = len(prefix) + 1
        for key in formdata:
            if isinstance(key, str) and key.startswith(prefix):  # a garbled multipart name is None
                index = key[offset:].split(self._field_separator, 1)[0]
                # A form has a handful of entries: more digits than that is
                # no browser's, and int() refuses 4,300 of them.
                if index.isdecimal() and len(index) <= MAX_INDEX_DIGITS:
                    yield int(index)
