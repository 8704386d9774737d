"""The site's own classifications as Open Referral taxonomies: pure functions.

Three taxonomies: the kind of service (the site's sections), the age ranges
(the editors' fixed list) and the topics editors tag pages with. Each term's
id is made from the site's domain, the taxonomy and the term's own key, so it
stays the same while the section, age range or topic does.
"""

from dataclasses import dataclass

from ..content.fields import AGES
from ..content.sections import SERVICES
from .openreferral import identifier, services

AGE_DESCRIPTIONS = {
    "pregnancy": "For parents-to-be, before the baby is born",
    "0-1": "For families with a baby under one year old",
    "1-2": "For families with a child aged one to two",
    "2-3": "For families with a child aged two to three",
    "3-5": "For families with a child aged three to five",
}


@dataclass(frozen=True, slots=True)
class Term:
    taxonomy: str  # the key of its taxonomy
    key: str
    name: str
    description: str
    uri: str | None = None


@dataclass(frozen=True, slots=True)
class Taxonomy:
    key: str
    name: str
    description: str
    terms: tuple[Term, ...]


def taxonomies(snapshot, base_url, section_names, section_intros, age_labels):
    """Every taxonomy with its terms, in a fixed order.

    The names come from the site's own wording (its section names and
    introductions, its age labels), passed in already in the site's language.
    """
    lang = snapshot.default_language
    sections = tuple(Term("sections", key, section_names[key], section_intros[key],
                          f"{base_url}/{lang}/{key}") for key in SERVICES)
    ages = tuple(Term("ages", key, age_labels[key], AGE_DESCRIPTIONS[key]) for key in AGES)
    topics = tuple(Term("topics", topic, topic, f"Services the editors tagged \u201c{topic}\u201d")
                   for topic in sorted({t for page in services(snapshot) for t in page.topics}))
    return (
        Taxonomy("sections", "Kinds of service",
                 "Whether a service is a family hub, a group or a parenting course", sections),
        Taxonomy("ages", "Age ranges",
                 "The stages of pregnancy and early childhood a service is for", ages),
        Taxonomy("topics", "Topics", "What a service is about, as the site's editors tag it",
                 topics),
    )


def keys_of(page):
    """The (taxonomy, term) keys that describe one service page."""
    return ([("sections", page.section)] + [("ages", age) for age in page.ages]
            + [("topics", topic) for topic in page.topics])


def taxonomy_id(site, taxonomy_key):
    return identifier(site, "taxonomies", taxonomy_key)


def term_id(site, taxonomy_key, term_key):
    return identifier(site, "taxonomies", taxonomy_key, "terms", term_key)


def taxonomy_document(taxonomy, site, with_terms=False):
    document = {"id": taxonomy_id(site, taxonomy.key), "name": taxonomy.name,
                "description": taxonomy.description}
    if with_terms:
        document["taxonomy_terms"] = [term_document(term, site) for term in taxonomy.terms]
    return document


def term_document(term, site):
    document = {
        "id": term_id(site, term.taxonomy, term.key),
        "name": term.name,
        "description": term.description,
        "taxonomy_id": taxonomy_id(site, term.taxonomy),
        "term": term.key,
    }
    if term.uri:
        document["term_uri"] = term.uri
    return document
