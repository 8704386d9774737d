"""Rendered markdown as plain text that keeps its paragraphs and list items."""

from html.parser import HTMLParser

# Tags that start a new block of text; everything else runs on inline.
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre",
          "table", "tr", "div", "hr", "br"}


class _Blocks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []  # (is_list_item, text)
        self._words = []
        self._item = False

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self._end_block()
            self._item = tag == "li"

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self._end_block()

    def handle_data(self, data):
        self._words.append(data)

    def _end_block(self):
        text = " ".join("".join(self._words).split())
        if text:
            self.blocks.append((self._item, f"- {text}" if self._item else text))
        self._words, self._item = [], False


def plain_text(html):
    """Return the text of ``html``: paragraphs apart by a blank line, list items one a line."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parser._end_block()
    out = []
    previous_item = False
    for item, text in parser.blocks:
        if out:
            out.append("\n" if item and previous_item else "\n\n")
        out.append(text)
        previous_item = item
    return "".join(out)
