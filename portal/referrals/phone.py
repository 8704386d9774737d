"""A family's phone number: one the team can really ring or text back.

``phonenumbers`` (Google's libphonenumber data) knows which numbers exist in
each country's numbering plan, so a number a digit short is refused instead
of being stored as something nobody can call.
"""

from dataclasses import dataclass

import phonenumbers
from babel import Locale
from phonenumbers import PhoneNumberType

# Ofcom keeps 07700 900000 to 07700 900999 for drama: never given to anyone,
# so the demo content and the tests can show a mobile number that reaches
# nobody. libphonenumber calls the range invalid because it is unallocated.
DRAMA_MOBILES = range(7700900000, 7700901000)
TEXTABLE = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.PAGER}
TYPED_LENGTH = 25  # room for "+44 (0)7700 900 982 ext 12", not for a paragraph


@dataclass(frozen=True, slots=True)
class Phone:
    """A checked number: as the family typed it, and in E.164 for the team."""

    typed: str
    e164: str
    region: str  # ISO country code, "GB" for a UK number
    mobile: bool  # a number that can take a text message


def _drama_mobile(number):
    return number.country_code == 44 and number.national_number in DRAMA_MOBILES


def parse_phone(typed):
    """Return the Phone for a typed number, or None if nobody could use it.

    A number without a country code is read as a UK number; one with ``+``
    or ``00`` and a country code may be from anywhere, if it is valid there.
    """
    typed = " ".join(typed.split())
    if not typed or len(typed) > TYPED_LENGTH:
        return None
    try:
        number = phonenumbers.parse(typed, "GB")
    except phonenumbers.NumberParseException:
        return None
    if _drama_mobile(number):
        return Phone(typed, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
                     "GB", True)
    if not phonenumbers.is_valid_number(number):
        return None
    return Phone(typed=typed,
                 e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
                 region=phonenumbers.region_code_for_number(number),
                 mobile=phonenumbers.number_type(number) in TEXTABLE)


def country_name(e164, locale):
    """Return the country of a number outside the UK in the reader's language, else "".

    The name is CLDR's, from Babel (which formats our dates too), not
    phonenumbers' geocoder: importing that loads its place names for every
    number prefix in the world, about 100 MB in every worker.
    """
    if not e164 or e164.startswith("+44"):
        return ""  # most numbers: no need to parse one to know it is the UK's
    number = phonenumbers.parse(e164, None)
    region = phonenumbers.region_code_for_number(number)
    if number.country_code == 44 or not region:
        return ""
    return Locale.parse(locale).territories.get(region, "")
