"""Families' details encrypted at rest with PORTAL_DATA_KEYS: nothing readable
in the database, everything readable in the inbox, keys that rotate."""

import pytest
from cryptography.fernet import Fernet, MultiFernet
from sqlalchemy import create_engine, text

from portal.db.sealed import PREFIX, SealError, is_sealed, keyring, reseal, seal, unseal
from portal.referrals.models import Referral
from portal.staff.models import StaffUser
from portal.staff.passwords import hash_password

from .conftest import GOOD, database, referrals, send_referral

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
# What a family typed that must never be readable in the database.
SECRETS = ["Ann Testperson", "07700 900982", "+447700900982", "ann.testperson@example.org", "SK5 8AB",
           "Quietwater", "Bobbie", "Bedtimes are hard", "Cornish", "sleep", "Phoned twice"]
SEALED_COLUMNS = {
    "referrals": ["parent_name", "phone", "phone_e164", "email", "contact_ways", "best_times", "postcode",
                  "address", "children", "help_with", "details", "spoken_language"],
    "referral_events": ["text"],
}


def raw_rows(url):
    """Every sealed column as stored, read without the app's keys."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {table: [tuple(row) for row in connection.execute(text(
                        f"SELECT {', '.join(columns)} FROM {table}"))]
                    for table, columns in SEALED_COLUMNS.items()}
    finally:
        engine.dispose()


def stored_text(url):
    return repr(raw_rows(url))


def a_referral_with_a_note(app):
    """Send the good answers through the form; add a note as a team member would."""
    send_referral(app.test_client())
    with database(app) as db:
        db.add(StaffUser(email="north.worker@example.org", password_hash=hash_password("a long enough password"),
                         team_id="north"))
        db.commit()
    client = app.test_client()
    client.post("/staff/login", data={"email": "north.worker@example.org", "password": "a long enough password"})
    reference = referrals(app)[0].reference
    assert client.post(f"/staff/referrals/{reference}/notes", data={"text": "Phoned twice"}).status_code == 302
    return client, reference


# The pieces ----------------------------------------------------------------------

@pytest.mark.parametrize("value", ["Ann", "", ["phone", "letter"], [{"first_name": "Ëva", "born": True}], {"a": 1}])
def test_values_come_back_as_they_went_in_sealed_or_plain(value):
    ring = keyring(NEW)
    assert unseal(seal(value, None), None) == value
    stored = seal(value, ring)
    assert stored.startswith(PREFIX) and unseal(stored, ring) == value


def test_plain_json_can_never_be_mistaken_for_a_sealed_value():
    assert not is_sealed(seal(PREFIX + "typed by a family", None))


def test_no_keys_means_no_keyring_and_a_bad_key_is_explained():
    assert keyring(None) is None and keyring(" , ") is None
    with pytest.raises(SealError, match="32 url-safe base64-encoded bytes"):
        keyring("not-a-key")


def test_a_sealed_value_needs_the_right_key():
    stored = seal("Ann", keyring(OLD))
    with pytest.raises(SealError, match="not set"):
        unseal(stored, None)
    with pytest.raises(SealError, match="not in PORTAL_DATA_KEYS"):
        unseal(stored, keyring(NEW))
    assert unseal(stored, keyring(f"{NEW},{OLD}")) == "Ann"  # a retired key still reads


def test_a_bad_key_stops_the_app_at_start_with_the_reason(make_app, database_url):
    with pytest.raises(SealError, match="PORTAL_DATA_KEYS"):
        make_app(DATABASE_URL=database_url, DATA_KEYS="short")


# Through the app -------------------------------------------------------------------

def test_with_keys_nothing_a_family_typed_is_readable_in_the_database(make_app, database_url):
    app = make_app(DATABASE_URL=database_url, SMTP_URL=None, WTF_CSRF_ENABLED=False, DATA_KEYS=NEW)
    client, reference = a_referral_with_a_note(app)
    stored = stored_text(database_url)
    assert not [secret for secret in SECRETS if secret.lower() in stored.lower()]
    assert all(is_sealed(value) for rows in raw_rows(database_url).values() for row in rows
               for value in row if value is not None)
    # The inbox, the export and the status check read it all back.
    page = client.get(f"/staff/referrals/{reference}").get_data(as_text=True)
    assert all(secret in page for secret in ["Ann Testperson", "07700 900982", "Bobbie", "Phoned twice"])
    assert "Quietwater" in client.get("/staff/export.csv").get_data(as_text=True)
    with database(app) as db:
        referral = db.query(Referral).one()
        assert referral.children[0]["first_name"] == "Bobbie" and referral.help_with == ["sleep", "speech"]


def test_without_keys_details_are_stored_as_plain_json(make_app, database_url):
    app = make_app(DATABASE_URL=database_url, SMTP_URL=None, WTF_CSRF_ENABLED=False)
    a_referral_with_a_note(app)
    assert "Ann Testperson" in stored_text(database_url)


def test_the_encrypt_command_seals_rotates_and_unseals(make_app, database_url):
    plain = make_app(DATABASE_URL=database_url, SMTP_URL=None, WTF_CSRF_ENABLED=False)
    a_referral_with_a_note(plain)

    with_old = make_app(DATABASE_URL=database_url, DATA_KEYS=OLD)
    result = with_old.test_cli_runner().invoke(args=["db", "encrypt"])
    assert result.exit_code == 0, result.output
    assert "encrypted: 0 values in referral_drafts, 12 values in referrals, 1 values in referral_events" \
        in result.output
    assert "Ann Testperson" not in stored_text(database_url)
    assert referrals(with_old)[0].parent_name == "Ann Testperson"

    # A new key first, the old one kept until the command has run.
    rotated = make_app(DATABASE_URL=database_url, DATA_KEYS=f"{NEW},{OLD}")
    assert rotated.test_cli_runner().invoke(args=["db", "encrypt"]).exit_code == 0
    only_new = make_app(DATABASE_URL=database_url, DATA_KEYS=NEW)
    assert referrals(only_new)[0].parent_name == "Ann Testperson"
    with pytest.raises(SealError):
        referrals(make_app(DATABASE_URL=database_url, DATA_KEYS=OLD))

    result = only_new.test_cli_runner().invoke(args=["db", "encrypt", "--decrypt"])
    assert result.exit_code == 0, result.output
    assert referrals(plain)[0].parent_name == "Ann Testperson"
    assert dict(GOOD)["parent_name"] in stored_text(database_url)


def test_the_encrypt_command_without_keys_says_so(make_app, database_url):
    result = make_app(DATABASE_URL=database_url).test_cli_runner().invoke(args=["db", "encrypt"])
    assert result.exit_code == 1 and "PORTAL_DATA_KEYS is not set" in result.output


def test_resealing_in_small_batches_reaches_every_row(make_app, database_url):
    app = make_app(DATABASE_URL=database_url, SMTP_URL=None, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    for _ in range(5):
        send_referral(client)
    from portal.db.engine import make_engine
    engine = make_engine(database_url, NEW)
    try:
        counts = reseal(engine, MultiFernet([Fernet(NEW)]), batch=2)
    finally:
        engine.dispose()
    assert counts["referrals"] == 5 * len(SEALED_COLUMNS["referrals"])
    assert "Ann Testperson" not in stored_text(database_url)
