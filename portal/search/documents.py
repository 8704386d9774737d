"""Turn a content snapshot into the documents the index holds."""

from ..content.pages import Activity, Hub
from ..content.sections import BY_KEY
from .engine import Document


def documents(snapshot):
    """Yield one Document per page per language."""
    teams = {team.id: team.name for team in snapshot.localities.teams}
    for (lang, section, page_id), page in snapshot.pages.items():
        places = []
        if isinstance(page, Hub):
            places = [*page.address, page.postcode, *page.facilities]
        elif isinstance(page, Activity):
            hub = snapshot.page(lang, "hubs", page.hub_id) if page.hub_id else None
            places = [hub.title, hub.postcode] if hub else [page.venue.name, page.venue.postcode or ""]
            places.append(page.cost or "")
        english_words = BY_KEY[section].search_words if lang == "en" else ""
        yield Document(
            lang=lang, section=section, page_id=page_id, title=page.title,
            about=" ".join([page.summary, *page.topics]),
            body=" ".join([page.body_text, *places, *(teams.get(each, "") for each in page.localities),
                           english_words]),
            localities=page.localities, ages=page.ages,
            languages=tuple(snapshot.translations(section, page_id)),
        )
