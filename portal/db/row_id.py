"""Row ids in addresses: only integers a database ``integer`` column can hold."""

from werkzeug.routing import IntegerConverter

# PostgreSQL's integer. A larger number in an address would reach the
# database and fail there (a 500); the converter makes it a 404.
LARGEST = 2**31 - 1


class RowIdConverter(IntegerConverter):
    """``<id:name>``: a non-negative integer no larger than a row id can be."""

    def __init__(self, url_map):
        super().__init__(url_map, max=LARGEST)


def init_app(app):
    app.url_map.converters["id"] = RowIdConverter
