"""Passwords: nothing is hashed at import, and an unknown account costs a real check."""

import subprocess
import sys

from argon2 import Parameters, extract_parameters

from portal.staff import passwords

IMPORT_COUNTING_HASHES = """
import argon2, argon2.low_level
calls = []
argon2.PasswordHasher.hash = lambda self, *a, **k: calls.append("hash")
argon2.low_level.hash_secret = lambda *a, **k: calls.append("hash_secret")
argon2.low_level.hash_secret_raw = lambda *a, **k: calls.append("hash_secret_raw")
import portal.staff.passwords
print(len(calls))
"""


def test_importing_the_module_hashes_nothing():
    out = subprocess.run([sys.executable, "-c", IMPORT_COUNTING_HASHES], check=True,
                         capture_output=True, text=True).stdout
    assert out.strip() == "0"


def test_the_unknown_account_hash_has_the_hashers_own_parameters():
    hasher = passwords.hasher
    assert extract_parameters(passwords._NOBODY) == Parameters(
        type=hasher.type, version=19, salt_len=hasher.salt_len, hash_len=hasher.hash_len,
        time_cost=hasher.time_cost, memory_cost=hasher.memory_cost,
        parallelism=hasher.parallelism)


def test_no_password_matches_an_account_that_does_not_exist():
    assert passwords.check_password(None, "no such account") is False
