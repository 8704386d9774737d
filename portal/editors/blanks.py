"""Starting text for a new page (one per kind of section) and for a translation.

Each blank passes the checks as it is and starts as a draft, so an editor
can save it, preview it at its address and fill it in before families see it.
"""

import datetime
import json
import re

from ..content import frontmatter
from ..content.sections import BY_KEY as SECTIONS

COMMON = """\
---
title: {title}
summary: One sentence a parent reads in the listing and in search results.
ages: [0-1, 1-2, 2-3, 3-5]
topics: []
updated: {today}
review_by: {review}
draft: true
---
Write the page here. Use '## ' for headings.
"""

HUB = """\
---
title: {title}
summary: One sentence a parent reads in the listing and in search results.
localities: [{locality}]
ages: [pregnancy, 0-1, 1-2, 2-3, 3-5]
topics: [family hub]
type: family-hub
address:
  - The building's name
  - The street
  - The town
postcode: SK1 3XE
opening_hours:
  mon: "09:00-17:00"
  tue: "09:00-17:00"
  wed: "09:00-17:00"
  thu: "09:00-17:00"
  fri: "09:00-16:30"
  sat: closed
  sun: closed
phone: "0161 496 0000"
updated: {today}
review_by: {review}
draft: true
---
What families can do here, and how to find it.
"""

ACTIVITY = """\
---
title: {title}
summary: One sentence a parent reads in the listing and in search results.
localities: [{locality}]
ages: [0-1, 1-2, 2-3, 3-5]
topics: []
venue: {hub}
booking: drop-in
cost: Free
sessions:
  - weekly: monday
    time: "10:00-11:30"
    from: {today}
    until: {review}
updated: {today}
review_by: {review}
draft: true
---
What happens, who it is for, and what to bring. Use '## ' for headings.
"""

KINDS = {"hubs": HUB, "groups": ACTIVITY, "epec": ACTIVITY}
TRANSLATED = re.compile(r"^translated:.*$", re.MULTILINE)


def new_page(section, today, snapshot):
    """The starting text for a new page in ``section``, checked as it is."""
    hubs = snapshot.section(snapshot.default_language, "hubs")
    name = SECTIONS[section].name
    return KINDS.get(section, COMMON).format(
        title=f"New page in {str(name).lower() if name else section}",
        today=today.isoformat(), review=(today + datetime.timedelta(days=365)).isoformat(),
        locality=snapshot.localities.ids[0], hub=hubs[0].id if hubs else "a-hub-id",
    )


def new_translation(english_text, today):
    """A translation's starting text from the English file: its title,
    summary and text, to be written over in the other language."""
    meta, _, body, _ = frontmatter.split(english_text)
    # JSON strings are YAML strings: quoted, so a colon in a title is safe.
    return (f"---\ntitle: {json.dumps(str(meta.get('title', '')), ensure_ascii=False)}\n"
            f"summary: {json.dumps(str(meta.get('summary', '')), ensure_ascii=False)}\n"
            f"translated: {today.isoformat()}\n---\n{body.lstrip(chr(10))}")


def stamp_translated(text, today):
    """Set the front matter's ``translated`` date to ``today``: saving a
    translation beside its English page says it matches that page now."""
    head, fence, rest = text.partition("\n---")
    if not text.startswith("---") or not fence:
        return text  # no front matter: the checks will say so
    if TRANSLATED.search(head):
        head = TRANSLATED.sub(f"translated: {today.isoformat()}", head, count=1)
    else:
        head = f"{head}\ntranslated: {today.isoformat()}"
    return head + fence + rest
