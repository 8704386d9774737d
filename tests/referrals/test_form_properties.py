"""Property tests over the referral form, through the real HTTP path.

Thousands of generated posts, some a family's, most a robot's or a broken
browser's: the site never answers 500, and nothing invalid is ever stored,
neither as a draft (after /refer) nor as a referral (after /refer/check).
"""

import datetime
import io
import json

import phonenumbers
import pytest
from email_validator import validate_email
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal.localities.routing import route
from portal.outbox.models import Message
from portal.postcodes import full, normalise
from portal.referrals.forms import (
    BEST_TIMES,
    CONTACT_WAYS,
    HELP_WITH,
    LATEST_DUE_DAYS,
    MAX_CHILDREN,
    OLDEST_CHILD_YEARS,
)
from portal.referrals.models import Draft, Referral
from portal.referrals.phone import DRAMA_MOBILES, TYPED_LENGTH, parse_phone
from portal.referrals.reference import PATTERN as REFERENCE
from tests.support.content import shipped

from .conftest import database, page_of, text

EXAMPLES = 1200  # per database (2,400 posts, plus 300 on the status form): about 40 s on an idle machine
OK = {200, 302, 400, 413}
WAYS = [value for value, _ in CONTACT_WAYS]
TIMES = [value for value, _ in BEST_TIMES]
HELP = [value for value, _ in HELP_WITH]
LOCALITIES = shipped().localities


@pytest.fixture
def property_app(make_app, database_url):
    # The rate limit would (rightly) stop a robot long before a thousand posts.
    return make_app(DATABASE_URL=database_url, SMTP_URL=None, WTF_CSRF_ENABLED=False,
                    REFERRAL_RATE_LIMIT="1000000 per hour", STATUS_RATE_LIMIT="1000000 per hour")


# ---- what a valid stored answer is --------------------------------------------

def _clean_text(value, limit, required=False):
    if value is None:
        assert not required
        return
    assert isinstance(value, str) and value == value.strip() and value, repr(value)
    assert len(value) <= limit and "\x00" not in value, repr(value)


def check_answers(answers, today):
    """Assert what must hold of every stored set of answers (draft or referral)."""
    assert isinstance(answers, dict)
    _clean_text(answers["parent_name"], 100, required=True)
    phone, email = answers["phone"], answers["email"]
    assert phone or email, "no way to contact the family"
    if phone is not None:
        # Stored as typed (spaces tidied), beside its E.164 form; a number the
        # team could not ring (a digit short, say) is never stored.
        assert isinstance(phone, str) and len(phone) <= TYPED_LENGTH, repr(phone)
        number = phonenumbers.parse(phone, "GB")
        assert phonenumbers.is_valid_number(number) or number.national_number in DRAMA_MOBILES, phone
        assert answers["phone_e164"] == phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        assert phone == " ".join(phone.split())
        if "text" in answers["contact_ways"]:
            assert parse_phone(phone).mobile, phone
    else:
        assert answers["phone_e164"] is None
    if email is not None:
        assert isinstance(email, str) and len(email) <= 254 and email == email.strip() and email
        assert validate_email(email, check_deliverability=False).normalized == email
    ways, times, helps = answers["contact_ways"], answers["best_times"], answers["help_with"]
    assert ways and set(ways) <= set(WAYS), ways
    assert set(times) <= set(TIMES) and set(helps) <= set(HELP)
    if set(ways) & {"phone", "text", "message"}:
        assert phone
    if "email" in ways:
        assert email
    if "letter" in ways:
        assert answers["address"]
    postcode = answers["postcode"]
    assert isinstance(postcode, str) and normalise(postcode) == postcode and len(postcode) <= 8
    assert full(postcode), postcode
    _clean_text(answers["address"], 300)
    _clean_text(answers["details"], 2000)
    _clean_text(answers["spoken_language"], 60)
    assert helps or answers["details"], "nothing to help with"
    children = answers["children"]
    assert 1 <= len(children) <= MAX_CHILDREN
    for child in children:
        assert set(child) == {"born", "first_name", "date"} and isinstance(child["born"], bool)
        _clean_text(child["first_name"], 60, required=child["born"])
        date = datetime.date.fromisoformat(child["date"])
        if child["born"]:
            oldest = today[0] - datetime.timedelta(days=365 * OLDEST_CHILD_YEARS + 2)
            assert oldest <= date <= today[1], child
        else:
            assert today[0] - datetime.timedelta(days=14) <= date, child
            assert date <= today[1] + datetime.timedelta(days=LATEST_DUE_DAYS), child
    assert answers["interpreter"] in (True, False)
    assert answers["consent"] is True


def check_referral(referral, today):
    check_answers({key: getattr(referral, key) for key in (
        "parent_name", "phone", "phone_e164", "email", "contact_ways", "best_times", "postcode", "address",
        "children", "help_with", "details", "spoken_language", "interpreter", "consent")}, today)
    assert REFERENCE.match(referral.reference)
    destination = route(LOCALITIES, referral.postcode)
    assert (referral.team_id, referral.outside_area) == (destination.team.id, destination.outside_area)
    assert referral.status == "received" and referral.language == "en"


# ---- what is posted ------------------------------------------------------------

SPECIALS = st.sampled_from([
    "", " ", "   ", "\t\n", "\x00", "a\x00b", "false", "0", "-1", "²", "٣", "１２", "Ⅻ", "½",
    "9999999999", "99999999999999999999", "1e9", "NaN", "None", "null", "[]", "{}", "<script>alert(1)</script>",
    "' OR 1=1 --", "%00", "\u202e", "😀", "ß", "ﬀ", "İ", "\r\n", "x" * 101, "y" * 2001, "z" * 70_000,
])
JUNK = st.one_of(SPECIALS, st.text(max_size=30), st.text(max_size=200),
                 st.text(alphabet=st.characters(codec="ascii"), max_size=15))
NAMES = st.sampled_from(["Ann Testperson", "Zoë O'Neill-Brown", "Muhammad Ali Khan", "Łucja Nowak", "عائشة",
                         "李小龙", "  Padded Name  ", "J"])
GOOD_PHONES = st.one_of(
    st.integers(0, 999).map(lambda n: f"07700 900{n:03d}"),
    st.integers(0, 999).map(lambda n: f"+447700900{n:03d}"),
    st.integers(0, 999).map(lambda n: f"0161 496 0{n:03d}"),
    st.sampled_from(["07700900982", "(0161) 4960000", "+44 (0)7700 900982", "07700 900982 ext. 12"]),
)
PHONES = st.one_of(
    GOOD_PHONES,
    st.sampled_from(["07700900982", "(0161) 4960000", "+44 (0)7700 900982", "0044 7700 900982",
                     "07700 900982 ext. 12", "07700 900982 ext 123456789", "0161 496 0000 x 4567890",
                     "+1 202 555 0143", "+33 1 23 45 67 89", "112", "999", " 07700 900982 ", "07700 9009",
                     "12345", "496 0000", "   "]),
)
GOOD_EMAILS = st.one_of(
    st.from_regex(r"\A[a-z][a-z0-9]{0,20}@example\.(org|com)\Z"),
    st.sampled_from(["ANN@EXAMPLE.ORG", " ann@example.org ", "zoë@exämple.org"]),
)
EMAILS = st.one_of(
    GOOD_EMAILS,
    st.sampled_from(["ANN@EXAMPLE.ORG", " ann@example.org ", "ann@@example.org", "ann@", "@example.org",
                     "ann@example", "ann.@example.org", "zoë@exämple.org", "a" * 250 + "@example.org",
                     "ann@exa mple.org"]),
)
OUTWARDS = ["SK1", "SK2", "SK3", "SK4", "SK5", "SK6", "SK7", "SK8", "SK9", "SK10", "M1", "OL6", "EC1A", "W1A"]
GOOD_POSTCODES = st.builds(
    lambda out, digit, a, b, sep, case: case(f"{out}{sep}{digit}{a}{b}"),
    st.sampled_from(OUTWARDS), st.integers(0, 9), st.sampled_from("ABDEFGHJLNPQRSTUWXYZ"),
    st.sampled_from("ABDEFGHJLNPQRSTUWXYZ"), st.sampled_from(["", " ", "  ", "\t"]),
    st.sampled_from([str.upper, str.lower, str.title]))
POSTCODES = st.one_of(
    st.builds(lambda out, digit, a, b, sep, case: case(f"{out}{sep}{digit}{a}{b}"),
              st.sampled_from(OUTWARDS), st.integers(0, 9), st.sampled_from("ABDEFGHJLNPQRSTUWXYZ"),
              st.sampled_from("ABDEFGHJLNPQRSTUWXYZ"), st.sampled_from(["", " ", "  ", "\t"]),
              st.sampled_from([str.upper, str.lower, str.title])),
    st.sampled_from(["SK1 4AA", "SK2 5AB", "SK3 0AB", "SK5", "SK5 8A", "SK5 8ABC", "5 8AB", "SK55 58AB"]),
)
MONTHS = st.sampled_from(("jan", "January", "MAR", "sept", "december", "febr", "juni", "Mai", "13", "0"))
COPIES = st.sampled_from((1, 1, 1, 1, 1, 1, 0, 2))  # how often a robot repeats a key
YES_NO = st.sampled_from(("yes", "no"))


def one_of_or_junk(strategy, weight=4):
    """The strategy, or junk once in ``weight + 1`` draws."""
    return st.one_of(JUNK, *[strategy] * weight)


@st.composite
def dates(draw):
    """Day, month, year boxes: mostly a date near today, written in many ways, or junk."""
    if draw(st.integers(0, 5)) == 0:
        return draw(JUNK), draw(JUNK), draw(JUNK)
    date = datetime.date.today() + datetime.timedelta(days=draw(st.integers(-365 * 7, 400)))
    parts = [str(date.day), str(date.month), str(date.year)]
    style = draw(st.integers(0, 7))
    if style == 1:
        parts = [f"{date.day:02d}", f"{date.month:02d}", f" {date.year} "]
    elif style == 2:
        parts[1] = date.strftime("%B").lower() if draw(st.booleans()) else date.strftime("%b")
    elif style == 3:
        parts[1] = draw(MONTHS)
    elif style == 4:
        parts[2] = str(date.year % 100)
    elif style == 5:
        parts[draw(st.integers(0, 2))] = draw(st.one_of(JUNK, st.just("")))
    return tuple(parts)


ODD_INDICES = st.sampled_from(("0", "00", "1", "x", "-1", "²", "٣", "99999999999999999999", ""))
ROBOT_CHILD_NAMES = one_of_or_junk(st.sampled_from(("Bobbie", "", "  ", "Ödön")))
ROBOT_BORN = one_of_or_junk(YES_NO)


@st.composite
def children(draw):
    pairs = []
    indices = draw(st.integers(0, 2))  # plain, with gaps, odd
    for position in range(draw(st.sampled_from((0, 1, 1, 1, 1, 2, 3, MAX_CHILDREN + 2)))):
        index = (str(position), str(position * 3 + 1), draw(ODD_INDICES))[indices]
        name = f"children-{index}"
        if draw(st.integers(0, 8)):
            pairs.append((f"{name}-born", draw(ROBOT_BORN)))
        pairs.append((f"{name}-first_name", draw(ROBOT_CHILD_NAMES)))
        for part, value in zip(("day", "month", "year"), draw(dates())):
            if draw(st.integers(0, 12)):
                pairs.append((f"{name}-date-{part}", value))
    return pairs


FAMILY_POSTCODES = st.one_of(GOOD_POSTCODES, st.sampled_from(("SK1 4AA", "sk25ab", "SK3 0AB", "M1 1AA")))
FAMILY_CONTACT = st.one_of(st.tuples(GOOD_PHONES, st.just("")), st.tuples(st.just(""), GOOD_EMAILS),
                           st.tuples(GOOD_PHONES, GOOD_EMAILS))
ADDRESSES = st.sampled_from(("", "12 Quietwater Lane", "Flat 3\r\n9 Road"))
CHILD_NAMES = st.sampled_from(("Bobbie", "Ödön", "Li", " Sam "))
SOME_TIMES = st.lists(st.sampled_from(tuple(TIMES)), unique=True)
SOME_HELP = st.lists(st.sampled_from(tuple(HELP)), unique=True)
LANGUAGES = st.sampled_from(("", "English", "اردو"))
FAMILY_DETAILS = st.sampled_from(("Bedtimes are hard", " Help with sleep "))


@st.composite
def family_pairs(draw):
    """What a family's browser posts: every answer plausible and consistent."""
    phone, email = draw(FAMILY_CONTACT)
    address = draw(ADDRESSES)
    usable = [way for way, needs in (("phone", phone), ("text", phone), ("message", phone),
                                      ("email", email), ("letter", address)) if needs]
    ways = [way for way in usable if draw(st.booleans())] or [usable[0]]
    pairs = [("parent_name", draw(NAMES)), ("phone", phone), ("email", email),
             ("postcode", draw(FAMILY_POSTCODES)), ("address", address)]
    pairs += [("contact_ways", way) for way in ways]
    pairs += [("best_times", time) for time in draw(SOME_TIMES)]
    today = datetime.date.today()
    for index in range(draw(st.sampled_from((1, 1, 1, 2, 2, 3, MAX_CHILDREN)))):
        born = draw(st.booleans())
        days = draw(st.integers(-365 * 6, 0)) if born else draw(st.integers(-10, LATEST_DUE_DAYS - 5))
        date = today + datetime.timedelta(days=days)
        pairs += [(f"children-{index}-born", "yes" if born else "no"),
                  (f"children-{index}-first_name", draw(CHILD_NAMES) if born else ""),
                  (f"children-{index}-date-day", str(date.day)),
                  (f"children-{index}-date-month", date.strftime("%B") if draw(st.booleans()) else str(date.month)),
                  (f"children-{index}-date-year", str(date.year))]
    helps = draw(SOME_HELP)
    pairs += [("help_with", value) for value in helps]
    pairs += [("details", "" if helps and draw(st.booleans()) else draw(FAMILY_DETAILS)),
              ("spoken_language", draw(LANGUAGES)), ("interpreter", draw(YES_NO)), ("consent", "y")]
    # Then, often, one or two answers go wrong.
    for _ in range(draw(st.sampled_from((0, 0, 1, 1, 2)))):
        where = draw(st.integers(0, len(pairs) - 1))
        pairs[where] = (pairs[where][0], draw(JUNK))
    return pairs


ROBOT_FIELDS = (
    ("parent_name", one_of_or_junk(NAMES)),
    ("phone", one_of_or_junk(st.one_of(PHONES, st.just("")))),
    ("email", one_of_or_junk(st.one_of(EMAILS, st.just("")))),
    ("postcode", one_of_or_junk(POSTCODES)),
    ("address", one_of_or_junk(st.sampled_from(("12 Quietwater Lane", "", "  ", "Flat 3\r\n9 Road")))),
    ("details", one_of_or_junk(st.sampled_from(("Bedtimes", "", "  ")))),
    ("spoken_language", one_of_or_junk(st.sampled_from(("English", "Polski", "اردو", "")))),
    ("interpreter", one_of_or_junk(YES_NO)),
    ("consent", one_of_or_junk(st.sampled_from(("y", "y", "on", "false", "")))),
)
ROBOT_CHOICES = tuple(
    (name, st.lists(one_of_or_junk(st.sampled_from(tuple(choices)), 10), max_size=len(choices) + 2))
    for name, choices in (("contact_ways", WAYS), ("best_times", TIMES), ("help_with", HELP)))
UNKNOWN_KEYS = st.lists(st.tuples(st.text(min_size=1, max_size=20), JUNK), max_size=5)
HONEYPOT = st.one_of(JUNK, st.just("https://spam.example"))
BUTTONS = st.sampled_from(("add_child", "remove_child"))


@st.composite
def robot_pairs(draw):
    """A list of (name, value) pairs: keys missing, repeated, unknown, values junk."""
    pairs = []
    for name, strategy in ROBOT_FIELDS:
        pairs.extend((name, draw(strategy)) for _ in range(draw(COPIES)))
    for name, strategy in ROBOT_CHOICES:
        pairs.extend((name, value) for value in draw(strategy))
    pairs.extend(draw(children()))
    return pairs


@st.composite
def form_pairs(draw):
    pairs = draw(family_pairs()) if draw(st.booleans()) else draw(robot_pairs())
    extra = draw(st.integers(0, 15))
    if extra == 0:
        pairs.append(("website", draw(HONEYPOT)))
    elif extra == 1:
        pairs.append((draw(BUTTONS), "1"))
    elif extra == 2:
        pairs.extend(draw(UNKNOWN_KEYS))
    elif extra == 3:
        pairs.reverse()
    return pairs


HOW = st.sampled_from(("form",) * 12 + ("file", "json", "json-list", "raw"))


def wrong_type(value):
    return st.sampled_from([None, 0, -1, 3.5, True, [], [value, value], {"value": value}, [[value]]])


@st.composite
def requests(draw):
    """How the pairs are sent: a normal form mostly; also files, JSON and garbage bodies."""
    pairs = draw(form_pairs())
    how = draw(HOW)
    if how == "form":
        return {"data": MultiDict(pairs)}
    if how == "file":
        name = draw(st.sampled_from([name for name, _ in pairs] or ["parent_name"]))
        kept = [(k, v) for k, v in pairs if k != name]
        return {"data": MultiDict(kept + [(name, (io.BytesIO(b"Ann Testperson"), "name.txt"))])}
    if how == "json":
        body = {}
        for key, value in pairs:
            body[key] = draw(st.one_of(st.just(value), wrong_type(value)))
        return {"json": body}
    if how == "json-list":
        return {"data": json.dumps(draw(st.one_of(st.just(pairs), st.integers(), st.text(max_size=5)))),
                "content_type": "application/json"}
    return {"data": draw(st.binary(max_size=300)),
            "content_type": draw(st.sampled_from(["application/x-www-form-urlencoded",
                                                  "multipart/form-data; boundary=x", "text/plain"]))}


# ---- the properties ---------------------------------------------------------------

def _draft_of(app, client):
    with client.session_transaction() as cookie:
        draft_id = cookie.get("draft")
    assert draft_id, "redirected to check without a draft"
    with database(app) as db:
        return db.get(Draft, draft_id)


def _sweep(app, today, sent):
    """Every draft and referral in the database is valid; each referral has one e-mail."""
    with database(app) as db:
        for draft in db.scalars(select(Draft)):
            check_answers(draft.answers, today)
        stored = db.scalars(select(Referral)).all()
        for referral in stored:
            check_referral(referral, today)
        assert sorted(r.reference for r in stored) == sorted(sent)
        per_referral = [m.referral_id for m in db.scalars(select(Message))]
        assert sorted(per_referral) == sorted(r.id for r in stored)


def test_the_form_never_fails_and_never_stores_an_invalid_answer(property_app, monkeypatch):
    # Sending the e-mail is the outbox tests' business; here it would only slow each example.
    monkeypatch.setattr("portal.referrals.views.deliver_soon", lambda message_ids: None)
    earliest = datetime.date.today()
    sent = []
    seen = {"valid": 0}

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(requests())
    def post(request_kwargs):
        client = property_app.test_client()
        response = client.post("/en/refer", **request_kwargs)
        assert response.status_code in OK, response.status_code
        today = (earliest, datetime.date.today())
        if response.status_code != 302:
            with client.session_transaction() as cookie:
                assert "draft" not in cookie
            return
        seen["valid"] += 1
        draft = _draft_of(property_app, client)
        check_answers(draft.answers, today)
        # The whole way: check your answers, then send.
        check = client.get("/en/refer/check")
        assert check.status_code == 200
        shown = text(page_of(check, "/en/refer/check").find("main"))
        assert " ".join(draft.answers["parent_name"].split()) in shown
        response = client.post("/en/refer/check")
        assert response.status_code == 302, response.status_code
        with client.session_transaction() as cookie:
            referral_id = cookie["done"]["referral"]  # an id: no answer of the family's in a cookie
        with database(property_app) as db:
            referral = db.get(Referral, referral_id)
            sent.append(referral.reference)
            check_referral(referral, today)
            assert referral.parent_name == draft.answers["parent_name"]
            assert db.get(Draft, draft.id) is None

    post()
    _sweep(property_app, (earliest, datetime.date.today()), sent)
    # The strategies reach the database often, not only the error paths.
    assert seen["valid"] >= EXAMPLES // 20, seen


# The status form takes any input too, and says nothing about what exists.

@st.composite
def status_requests(draw):
    pairs = []
    if draw(st.integers(0, 5)):
        pairs.append(("reference", draw(one_of_or_junk(st.sampled_from(
            ["SW-K7MQ-3XTA", "swk7mq3xta", "SW-0000-0000", "SW"])))))
    day, month, year = draw(dates())
    for part, value in (("day", day), ("month", month), ("year", year)):
        if draw(st.integers(0, 8)):
            pairs.append((f"date-{part}", value))
    how = draw(st.sampled_from(["form"] * 6 + ["json", "file"]))
    if how == "json":
        return {"json": {key: draw(st.one_of(st.just(value), wrong_type(value))) for key, value in pairs}}
    if how == "file":
        return {"data": MultiDict(pairs + [("reference", (io.BytesIO(b"SW-K7MQ-3XTA"), "ref.txt"))])}
    return {"data": MultiDict(pairs)}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_status_form_never_fails(property_app):
    @settings(max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(status_requests())
    def post(request_kwargs):
        response = property_app.test_client().post("/en/refer/status", **request_kwargs)
        assert response.status_code in {200, 400, 413}, response.status_code
        if response.status_code == 400:
            assert "We could not find a request" in response.get_data(as_text=True)

    post()
