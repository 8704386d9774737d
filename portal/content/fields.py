"""Parsers for front-matter fields: each turns YAML into a typed value or
raises ``ContentError`` saying what was expected."""

import datetime
import re

from .. import postcodes
from .problems import ContentError, Gatherer

AGES = ("pregnancy", "0-1", "1-2", "2-3", "3-5")
UK_PHONE = re.compile(r"^(\+44\s?|0)[0-9 ]{9,13}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Every character of Unicode's categories Cc, Zl and Zp (a test checks this
# against unicodedata): one pattern, not a Python call per character.
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def text(value, name):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{name}: expected some text")
    _refuse_controls(value.strip(), name, allowed="\n\t")
    return value.strip()


def _refuse_controls(value, name, allowed=""):
    """Refuse control characters and line separators: nothing shows them, and
    in an e-mail header (a team's name) they stop the message being sent."""
    for found in CONTROLS.finditer(value):
        character = found.group()
        if character not in allowed:
            raise ContentError(f"{name}: contains a control character (U+{ord(character):04X}) "
                               "that cannot be shown or sent: type the text again")


def one_line(value, name, limit=300):
    value = text(value, name)
    if "\n" in value:
        raise ContentError(f"{name}: expected one line of text")
    _refuse_controls(value, name)
    if len(value) > limit:
        raise ContentError(
            f"{name}: is {len(value)} characters long; keep it under {limit}"
        )
    return value


def boolean(value, name):
    if not isinstance(value, bool):
        raise ContentError(f"{name}: expected true or false, not {value!r}")
    return value


def date(value, name):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ContentError(
        f"{name}: expected a date written as YYYY-MM-DD (like 2026-11-02), "
        f"not {value!r}"
    )


def listing(value, name, item, *args):
    """Parse a list (a single value is taken as a list of one)."""
    if value is None:
        return ()
    if not isinstance(value, list):
        value = [value]
    parsed = []
    found = Gatherer()  # every bad item is reported, not only the first
    for index, element in enumerate(value):
        with found.check(index):
            parsed.append(item(element, f"{name}[{index + 1}]", *args))
    found.done()
    return tuple(parsed)


def choice(value, name, allowed):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if value not in allowed:
        raise ContentError(
            f"{name}: {value!r} is not one of: {', '.join(map(str, allowed))}"
        )
    return value


def tag(value, name):
    return one_line(value, name, limit=60).lower()


def phone(value, name):
    value = one_line(value, name)
    if not UK_PHONE.match(value):
        raise ContentError(
            f"{name}: expected a UK phone number like \"0161 496 0100\" "
            f"(in quotes), not {value!r}"
        )
    return value


def email(value, name):
    value = one_line(value, name)
    if not EMAIL.match(value):
        raise ContentError(f"{name}: expected an e-mail address, not {value!r}")
    return value


def postcode(value, name):
    value = one_line(value, name).upper()
    found = postcodes.full(value)
    if not found:
        raise ContentError(f"{name}: {value!r} is not a UK postcode")
    return found


def url(value, name):
    value = one_line(value, name, limit=2000)
    if not value.startswith(("https://", "/")):
        raise ContentError(
            f"{name}: expected a web address starting with https://"
        )
    return value


def mapping(value, name):
    if not isinstance(value, dict):
        raise ContentError(f"{name}: expected 'key: value' lines indented under it")
    return value
