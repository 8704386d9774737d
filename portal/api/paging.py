"""One page of a listing, with the counts the profile's Page schema has."""

import math

from .filters import number

PER_PAGE, MAX_PER_PAGE = 50, 200


def page_of(args, items, document):
    """The page ``args`` ask for (``page``, ``per_page``), each item made a document."""
    page_number = number(args, "page", 1, low=1)
    per_page = number(args, "per_page", PER_PAGE, low=1, high=MAX_PER_PAGE)
    total_pages = max(1, math.ceil(len(items) / per_page))
    shown = items[(page_number - 1) * per_page:page_number * per_page]
    return {
        "total_items": len(items),
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(shown),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": not shown,
        "contents": [document(item) for item in shown],
    }
