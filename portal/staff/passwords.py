"""Passwords as argon2 hashes, checked in constant time whoever asks."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

hasher = PasswordHasher()
# Checked when the account does not exist, so the answer takes as long.
_NOBODY = hasher.hash("no such account")
MIN_LENGTH = 12


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
