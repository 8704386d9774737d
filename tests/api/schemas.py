"""The Open Referral UK profile's own schemas, read from the local copy.

The profile's ``$ref``s name the files' public addresses; a registry maps
each to the copy in ``tests/api/standards/oruk-uk-profile/schema`` (or
``ORUK_SCHEMA_DIR``), so the tests never go online and use the files as
they are. That copy is the product's shared standards folder
(``../shared/standards``) copied unchanged, with its licence (CC BY-SA 4.0,
Open Referral), so CI needs nothing outside the repository; a test checks
it is still byte for byte the shared copy wherever that is present.
Formats (uuid, uri, email, date-time) are checked, not skipped.
"""

import json
import os
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012

ROOT = Path(__file__).resolve().parents[2]
VENDORED = Path(__file__).resolve().parent / "standards" / "oruk-uk-profile"
SHARED = ROOT.parent / "shared" / "standards" / "oruk-uk-profile"
SCHEMA_DIR = Path(os.environ.get("ORUK_SCHEMA_DIR") or VENDORED / "schema")
PUBLISHED = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
OPENAPI = PUBLISHED + "openapi.json"


def _local(uri):
    if not uri.startswith(PUBLISHED):
        raise NoSuchResource(ref=uri)  # never fetched: the tests stay offline
    path = SCHEMA_DIR / uri.removeprefix(PUBLISHED)
    if not path.is_file():
        raise NoSuchResource(ref=uri)
    return Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012)


@cache
def openapi():
    path = SCHEMA_DIR / "openapi.json"
    assert path.is_file(), (
        f"the Open Referral UK profile's schemas are not at {SCHEMA_DIR}: "
        "set ORUK_SCHEMA_DIR to the folder that holds openapi.json")
    return json.loads(path.read_text())


def _pointer(*parts):
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def paths():
    """The profile's paths, such as "/services/{id}"."""
    return list(openapi()["paths"])


@cache
def validator(path):
    """A validator for the 200 answer that openapi.json gives ``path``."""
    openapi()
    where = _pointer("paths", path, "get", "responses", "200", "content", "application/json",
                     "schema")
    return Draft202012Validator({"$ref": f"{OPENAPI}#/{where}"},
                                registry=Registry(retrieve=_local),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


@cache
def schema_validator(name):
    """A validator for one of the profile's schema files, such as "compiled/service_at_location.json"."""
    return Draft202012Validator({"$ref": PUBLISHED + name}, registry=Registry(retrieve=_local),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def problems(validator_, document):
    """Every way ``document`` breaks the schema, as "where: what" lines."""
    return [f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
            for error in validator_.iter_errors(document)]
