"""The site-wide files: site.yml, localities.yml and synonyms.yml."""

import re
from dataclasses import dataclass

from .. import postcodes
from . import fields
from .frontmatter import parse_yaml
from .problems import ContentError
from .schema import line_of

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
# Where "Exit this page" goes when site.yml names nowhere: a page that looks
# like any other on a shared phone.
EXIT_URL = "https://www.bbc.co.uk/weather"
TARGET_WORKING_DAYS = 2


@dataclass(frozen=True, slots=True)
class Site:
    """site.yml: the service's name, languages and contact line."""

    name: str
    default_language: str
    languages: tuple[str, ...]
    contact: str
    team_name: str
    domain: str
    exit_url: str = EXIT_URL


@dataclass(frozen=True, slots=True)
class Team:
    """A locality team and the postcodes it covers."""

    id: str
    name: str
    email: str
    phone: str
    postcodes: tuple[str, ...]
    # New referrals are overdue after this many working days uncontacted.
    target_working_days: int = TARGET_WORKING_DAYS
    deputy_email: str | None = None  # also told of each new referral
    # The places it covers, as parents name them ("Reddish, Brinnington and
    # the Heatons"): what the site says when it keeps to this team's area.
    places: str | None = None
    # The same in other languages, from places_<lang> lines ({lang: text}).
    places_translated: tuple[tuple[str, str], ...] = ()

    def places_in(self, lang):
        """Return the places' names in ``lang``, else in English, else the team's name."""
        return dict(self.places_translated).get(lang) or self.places or self.name


@dataclass(frozen=True, slots=True)
class Localities:
    """localities.yml: the teams, the triage team and the area served."""

    teams: tuple[Team, ...]
    triage: str
    area: tuple[str, ...]

    def team(self, team_id):
        return next((t for t in self.teams if t.id == team_id), None)

    @property
    def ids(self):
        return tuple(t.id for t in self.teams)


def _read(path, text):
    data, lines = parse_yaml(text)
    if not isinstance(data, dict):
        raise ContentError(f"{path.name} must be 'field: value' lines", 1)
    return data, lines


def _field(data, lines, key, parse, *args):
    if key not in data:
        raise ContentError(f"{key}: this field is required", 1)
    try:
        return parse(data[key], key, *args)
    except ContentError as exc:
        raise ContentError(exc.message, line_of(lines, (key,) + exc.at)) from None


def read_site(path, text):
    """Parse site.yml."""
    data, lines = _read(path, text)

    def language(value, name):
        value = fields.one_line(value, name)
        if not LANGUAGE_CODE.match(value):
            raise ContentError(f"{name}: {value!r} is not a language code like 'pl'")
        return value

    languages = _field(data, lines, "languages", fields.listing, language)
    default = _field(data, lines, "default_language", language)
    if default not in languages:
        raise ContentError(
            f"default_language: {default!r} must be one of languages",
            line_of(lines, ("default_language",)),
        )

    def exit_url(value, name):
        value = fields.one_line(value, name)
        if not value.startswith("https://") or "." not in value[8:].split("/")[0]:
            raise ContentError(f"{name}: expected a web address on another site, starting with https://")
        return value

    return Site(
        exit_url=_field(data, lines, "exit_url", exit_url) if "exit_url" in data else EXIT_URL,
        name=_field(data, lines, "name", fields.one_line),
        default_language=default,
        languages=languages,
        contact=_field(data, lines, "contact", fields.one_line),
        team_name=_field(data, lines, "team_name", fields.one_line),
        domain=_field(data, lines, "domain", fields.one_line),
    )


def postcode_prefix(value, name):
    """Normalise a district (SK6), sector (SK6 6) or full postcode (SK6 6AB)."""
    value = fields.one_line(value, name)
    found = postcodes.prefix(value)
    if found:
        return found
    value = " ".join(value.upper().split())
    raise ContentError(
        f"{name}: {value!r} is not a postcode district (SK6), sector (SK6 6) "
        "or full postcode (SK6 6AB)"
    )


def read_localities(path, text):
    """Parse localities.yml, checking every team and postcode."""
    data, lines = _read(path, text)

    def working_days(value, name):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 20:
            raise ContentError(f"{name}: expected a number of working days from 1 to 20, not {value!r}")
        return value

    def team(value, name):
        value = fields.mapping(value, name)
        return Team(
            id=fields.tag(value.get("id"), f"{name}.id"),
            name=fields.one_line(value.get("name"), f"{name}.name"),
            email=fields.email(value.get("email"), f"{name}.email"),
            phone=fields.phone(value.get("phone"), f"{name}.phone"),
            postcodes=fields.listing(
                value.get("postcodes"), f"{name}.postcodes", postcode_prefix
            ),
            target_working_days=working_days(value["target_working_days"], f"{name}.target_working_days")
            if "target_working_days" in value else TARGET_WORKING_DAYS,
            deputy_email=fields.email(value["deputy_email"], f"{name}.deputy_email")
            if value.get("deputy_email") is not None else None,
            places=fields.one_line(value["places"], f"{name}.places") if "places" in value else None,
            places_translated=tuple(
                (key.removeprefix("places_"), fields.one_line(text, f"{name}.{key}"))
                for key, text in sorted(value.items()) if str(key).startswith("places_")
            ),
        )

    teams = _field(data, lines, "teams", fields.listing, team)
    triage = _field(data, lines, "triage", fields.tag)
    area = tuple(
        _field(data, lines, "area", fields.listing, postcode_prefix)
        if "area" in data else ()
    )
    seen = {}
    for index, each in enumerate(teams):
        if each.id in seen:
            raise ContentError(
                f"teams: the id {each.id!r} is used twice",
                line_of(lines, ("teams", index)),
            )
        seen[each.id] = each
    if triage not in seen:
        raise ContentError(
            f"triage: {triage!r} is not the id of a team listed under teams",
            line_of(lines, ("triage",)),
        )
    owners = {}
    for index, each in enumerate(teams):
        for prefix in each.postcodes:
            if prefix in owners:
                raise ContentError(
                    f"teams: {prefix} is given to both {owners[prefix]!r} and "
                    f"{each.id!r}; a postcode belongs to one team",
                    line_of(lines, ("teams", index, "postcodes")),
                )
            owners[prefix] = each.id
    return Localities(teams=teams, triage=triage, area=area)


def read_synonyms(path, text):
    """Parse synonyms.yml: service word -> everyday words."""
    data, lines = _read(path, text)
    synonyms = {}
    for word, everyday in data.items():
        name = str(word)
        try:
            synonyms[fields.tag(word, name)] = fields.listing(everyday, name, fields.tag)
        except ContentError as exc:
            raise ContentError(exc.message, line_of(lines, (word,) + exc.at)) from None
    return synonyms
