"""Passwords as argon2 hashes, checked in constant time whoever asks."""

import base64
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

hasher = PasswordHasher()
MIN_LENGTH = 12


def _unmatchable_hash():
    """Return a well-formed hash, with the hasher's own parameters, that no password matches.

    Checking a password against it costs exactly what checking a real hash
    costs (argon2 reads its parameters from the string), yet nothing is
    hashed to make it: no worker spends 64 MiB and a tenth of a second at
    import on an answer for accounts that do not exist.
    """
    def b64(data):  # the PHC string format: standard base64, unpadded
        return base64.b64encode(data).decode().rstrip("=")
    return (f"$argon2{hasher.type.name.lower()}$v=19$m={hasher.memory_cost},"
            f"t={hasher.time_cost},p={hasher.parallelism}"
            f"${b64(secrets.token_bytes(hasher.salt_len))}"
            f"${b64(secrets.token_bytes(hasher.hash_len))}")


# Checked when the account does not exist, so the answer takes as long.
_NOBODY = _unmatchable_hash()


def hash_password(password):
    if len(password) < MIN_LENGTH:
        raise ValueError(f"a password needs at least {MIN_LENGTH} characters")
    return hasher.hash(password)


def check_password(stored_hash, password):
    """Return True if the password matches; always does the same work."""
    try:
        return hasher.verify(stored_hash or _NOBODY, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False
