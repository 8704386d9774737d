"""Staff accounts for tests: one password, hashed once per run.

argon2 is slow on purpose; hashing the same password again for every
account in every test was most of the staff tests' time."""

import functools

from portal.staff.passwords import hash_password

PASSWORD = "a long enough password"


@functools.cache
def password_hash():
    """Return the argon2 hash of PASSWORD (a real one, made once)."""
    return hash_password(PASSWORD)
