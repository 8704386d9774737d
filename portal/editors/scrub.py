"""Take phone numbers, e-mail addresses and postcodes out of a reader's words.

The report form asks for no personal data, and says so; a reader may still
type their own number. What is removed becomes "[removed]". A number,
address or postcode printed on the page being reported is the service's
own, not the reader's, so it stays: "the phone number 0161 496 0101 is
wrong" is what an editor needs to read.
"""

import re

import phonenumbers

from .. import postcodes

REMOVED = "[removed]"
EMAIL = re.compile(r"[^\s@<>()\[\],;:\"]+@[^\s@<>()\[\],;:\"]+\.[A-Za-z]{2,}")


def _key(text):
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _phone_key(raw):
    try:
        number = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        return _key(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _contact_spans(text):
    """Return where e-mail addresses and full postcodes are in the text."""
    return [m.span() for m in EMAIL.finditer(text)] + postcodes.spans(text)


def scrub(text, allowed_text=""):
    """Return ``text`` with personal contact details replaced by [removed];
    those that also appear in ``allowed_text`` (the page itself) are kept."""
    if not text:
        return text
    allowed_phones = {_phone_key(m.raw_string) for m in phonenumbers.PhoneNumberMatcher(
        allowed_text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)}
    allowed = {_key(allowed_text[start:end]) for start, end in _contact_spans(allowed_text)}
    spans = [(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(
        text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
        if _phone_key(m.raw_string) not in allowed_phones]
    spans += [(start, end) for start, end in _contact_spans(text) if _key(text[start:end]) not in allowed]
    pieces, at = [], 0
    for start, end in sorted(spans):
        if start >= at:  # a postcode inside an e-mail address goes with it
            pieces += [text[at:start], REMOVED]
        at = max(at, end)
    return "".join(pieces + [text[at:]])
