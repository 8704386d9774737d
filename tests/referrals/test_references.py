"""Referral references: readable on the phone, unguessable, unique."""

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal.referrals import reference as references
from portal.referrals.models import Draft, Referral
from portal.referrals.reference import ALPHABET, new_reference, normalise

from .conftest import all_messages, database, drafts, good_answers, referrals, send_referral

CONFUSABLE = set("0O1IL")
SHAPE = re.compile(r"^SW-[A-Z0-9]{4}-[A-Z0-9]{4}$")


@pytest.fixture(scope="module")
def many():
    return [new_reference() for _ in range(100_000)]


def test_a_reference_looks_like_sw_xxxx_xxxx(many):
    for ref in many[:1000]:
        assert SHAPE.match(ref), ref
        assert len(ref) == 12


def test_the_alphabet_has_nothing_to_misread():
    assert not CONFUSABLE & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) >= 20  # enough to be unguessable


def test_references_use_only_the_readable_alphabet(many):
    used = Counter(c for ref in many for c in ref[3:7] + ref[8:])
    assert not CONFUSABLE & set(used)
    assert set(used) == set(ALPHABET)


def test_every_character_is_equally_likely_in_every_place(many):
    # 100,000 references: each of 25 characters ~4,000 times in each of 8 places.
    codes = [ref.replace("SW-", "").replace("-", "") for ref in many]
    for place in range(8):
        counts = Counter(code[place] for code in codes)
        assert set(counts) == set(ALPHABET)
        expected = len(codes) / len(ALPHABET)
        assert all(0.85 * expected < n < 1.15 * expected for n in counts.values()), (place, counts)


def test_a_hundred_thousand_references_hardly_ever_clash(many):
    # 25**8 = 1.5e11 codes. Among 100,000 the birthday bound expects 0.033 clashes (so
    # "none at all" would fail about one run in thirty); 4 or more has odds of about 5e-8.
    # A weaker generator (six characters, a seeded or shared RNG) clashes by the dozen.
    assert len(references.ALPHABET) ** references.LENGTH >= 10 ** 11
    assert len(many) - len(set(many)) <= 3


@pytest.mark.parametrize("typed", [
    "SW-K7MQ-3XTA", "sw-k7mq-3xta", "SW K7MQ 3XTA", "swk7mq3xta", "SWK7MQ3XTA", "k7mq3xta",
    "K7MQ-3XTA", "k7mq 3xta", "  sw - k7mq - 3xta  ", "SW–K7MQ—3XTA", "sw.k7mq.3xta", "Sw-K7mQ-3xTa",
    "SW-K7MQ-3XTA\n", "\tSW K7 MQ 3X TA",
])
def test_typed_references_are_normalised(typed):
    assert normalise(typed) == "SW-K7MQ-3XTA"


@pytest.mark.parametrize("typed", [
    None, "", "   ", "SW", "SW-K7MQ-3XT", "SW-K7MQ-3XTAA", "K7MQ3XT", "SW-O7MQ-3XTA", "SW-K7MQ-3XT0",
    "SW-K1MQ-3XTA", "SW-KIMQ-3XTA", "SW-KLMQ-3XTA", "XX-K7MQ-3XTA", "SW-K7MQ_3XTA", "SW-K7MQ-3XTÀ",
    "ＳＷ-Ｋ７ＭＱ-３ＸＴＡ", "SW-K7MQ-3XTA-K7MQ", "<script>", "x" * 10_000,
])
def test_malformed_references_normalise_to_none(typed):
    assert normalise(typed) is None


@settings(max_examples=300, deadline=None, database=None)
@given(st.data())
def test_any_typed_variant_of_a_reference_normalises_back(data):
    ref = new_reference()
    code = ref[3:7] + ref[8:]
    prefix = data.draw(st.sampled_from(["", "SW", "sw", "Sw", "SW-", "sw ", "SW–"]))
    pieces = []
    for char in code:
        pieces.append(char.lower() if data.draw(st.booleans()) else char)
        pieces.append(data.draw(st.sampled_from(["", "", "", " ", "-", "  ", "\t"])))
    assert normalise(prefix + "".join(pieces)) == ref


@given(st.text(max_size=40))
@settings(max_examples=500, deadline=None, database=None)
def test_normalise_returns_a_valid_reference_or_none(text):
    result = normalise(text)
    assert result is None or references.PATTERN.match(result)
    if result is not None:
        assert normalise(result) == result


# A clash with a reference already taken is retried, in the real database.

def test_a_reference_clash_is_retried_with_a_new_one(referral_app, monkeypatch):
    client = referral_app.test_client()
    send_referral(client)
    [first] = referrals(referral_app)
    fresh = "SW-WXYA-3469"
    assert fresh != first.reference
    handed_out = iter([first.reference, first.reference, fresh])
    monkeypatch.setattr("portal.referrals.submit.new_reference", lambda: next(handed_out))
    page = send_referral(client, good_answers(parent_name="Second Family"))
    assert fresh in page.get_data(as_text=True)
    stored = referrals(referral_app)
    assert [(r.reference, r.parent_name) for r in stored] == [
        (first.reference, "Ann Testperson"), (fresh, "Second Family")]
    # One e-mail each: the failed attempts left no message behind.
    assert sorted(m.referral_id for m in all_messages(referral_app)) == [r.id for r in stored]
    assert fresh in all_messages(referral_app)[1].subject


def test_when_every_reference_clashes_nothing_half_done_is_stored(referral_app, monkeypatch):
    client = referral_app.test_client()
    send_referral(client)
    [first] = referrals(referral_app)
    monkeypatch.setattr("portal.referrals.submit.new_reference", lambda: first.reference)
    assert client.post("/en/refer", data=good_answers(parent_name="Second Family")).status_code == 302
    response = client.post("/en/refer/check")
    assert response.status_code == 500
    assert [r.reference for r in referrals(referral_app)] == [first.reference]
    assert len(all_messages(referral_app)) == 1
    # The family's answers are kept: sending again once references are free works.
    assert len(drafts(referral_app)) == 1
    monkeypatch.setattr("portal.referrals.submit.new_reference", references.new_reference)
    assert client.post("/en/refer/check").status_code == 302
    assert [r.parent_name for r in referrals(referral_app)] == ["Ann Testperson", "Second Family"]
    assert drafts(referral_app) == []


def test_stored_references_are_unique_in_the_database(referral_app):
    # The unique constraint itself, not only the generator, guards the column.
    from sqlalchemy.exc import IntegrityError
    send_referral(referral_app.test_client())
    with database(referral_app) as db:
        [first] = db.scalars(select(Referral)).all()
        copy = Referral(**{column.key: getattr(first, column.key)
                           for column in Referral.__table__.columns if column.key != "id"})
        db.add(copy)
        with pytest.raises(IntegrityError):
            db.commit()
        db.rollback()
        assert db.scalars(select(Draft)).all() == []
