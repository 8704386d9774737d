"""Phone numbers: only ones a team can really ring or text back."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.referrals.phone import TYPED_LENGTH, country_name, parse_phone


@pytest.mark.parametrize("typed, e164, region, mobile", [
    ("0161 496 0123", "+441614960123", "GB", False),
    ("01614960123", "+441614960123", "GB", False),
    ("+44 (0)161 496 0123", "+441614960123", "GB", False),
    ("0044 161 496 0101", "+441614960101", "GB", False),
    ("07700 900123", "+447700900123", "GB", True),  # Ofcom's drama range: reaches nobody
    ("+48 22 123 4567", "+48221234567", "PL", False),
])
def test_a_usable_number_is_kept_as_typed_with_its_e164(typed, e164, region, mobile):
    phone = parse_phone(typed)
    assert (phone.typed, phone.e164, phone.region, phone.mobile) == (typed, e164, region, mobile)


@pytest.mark.parametrize("typed", [
    "0770090012",  # a digit short: once stored as "770090012"
    "0161 496 012", "12345", "999", "+44 20 1234", "07700 9009821", "+999 123 456", "phone me", "",
    "0" * (TYPED_LENGTH + 1),
])
def test_a_number_nobody_could_use_is_refused(typed):
    assert parse_phone(typed) is None


def test_the_country_of_a_number_from_abroad_is_named_in_the_readers_language():
    assert country_name("+48221234567", "en") == "Poland"
    assert country_name("+48221234567", "pl") == "Polska"
    assert country_name("+441614960123", "en") == ""  # a UK number needs no country
    assert country_name(None, "en") == ""


@given(st.text(max_size=40))
def test_any_text_is_a_usable_number_or_nothing(typed):
    phone = parse_phone(typed)
    if phone is not None:
        assert phone.typed == " ".join(typed.split()) and len(phone.typed) <= TYPED_LENGTH
        assert phone.e164.startswith("+") and phone.e164[1:].isdigit()
        assert parse_phone(phone.e164).e164 == phone.e164


def test_naming_a_country_loads_no_place_names_for_every_prefix():
    # phonenumbers.geocoder's import alone costs a worker about 100 MB.
    import subprocess
    import sys
    script = ("import sys; from portal.referrals.phone import country_name; "
              "assert country_name('+48221234567', 'ur'); "
              "print('phonenumbers.geodata' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True,
                         text=True).stdout
    assert out.strip() == "False"
