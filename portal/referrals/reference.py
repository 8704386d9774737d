"""Referral references: short, unguessable, easy to read out on the phone."""

import re
import secrets

# No 0/O, 1/I/L, 5/S, 2/Z or U/V: nothing a family could misread or mishear.
ALPHABET = "ABCDEFGHJKMNPQRTWXY346789"
LENGTH = 8  # 25**8 = 1.5e11 possibilities; guessing is also rate-limited
PREFIX = "SW"
PATTERN = re.compile(rf"^{PREFIX}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


def new_reference():
    """Return a fresh random reference like SW-K7MQ-3XTA."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{PREFIX}-{code[:4]}-{code[4:]}"


def normalise(text):
    """Read a reference as a family might type it (any case, spaces, with or
    without dashes and prefix); return it in the stored form, or None."""
    compact = re.sub(r"[\s\-–—.]", "", str(text or "")).upper()
    if compact.startswith(PREFIX):
        compact = compact[len(PREFIX):]
    if len(compact) != LENGTH:
        return None
    candidate = f"{PREFIX}-{compact[:4]}-{compact[4:]}"
    return candidate if PATTERN.match(candidate) else None
