"""Split a content file into YAML front matter and a markdown body.

We keep the YAML node tree so that every value's line number is known: an
editor is told ``groups/x.md:14: sessions[2].time: ...``, not just the file.

A content file can cost a worker only what its size says: YAML anchors and
aliases are refused (nine levels of them in twelve lines once made a worker
grow to 22 GB), and a file over MAX_FILE_BYTES is not read.
"""

import os
from pathlib import Path

import yaml

from .problems import ContentError
from .yaml_help import explain


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe YAML that leaves dates as text, so a bad date is reported by our
    field parser at its own line instead of crashing the whole file."""

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

FENCE = "---"
# Fifty times the largest shipped file: room for any page an editor writes.
MAX_FILE_BYTES = 256 * 1024


def read(path):
    """Return a content file's text (UTF-8); ContentError if it is too large."""
    size = os.stat(path).st_size
    if size > MAX_FILE_BYTES:
        raise ContentError(f"the file is {size // 1024} KiB: a content file may be at most "
                           f"{MAX_FILE_BYTES // 1024} KiB", 1)
    text = Path(path).read_text(encoding="utf-8")
    if len(text) > MAX_FILE_BYTES:  # it grew since: still not read in full
        raise ContentError(f"a content file may be at most {MAX_FILE_BYTES // 1024} KiB", 1)
    return text


def _refuse_aliases(text, first_line):
    """Raise ContentError at the first anchor (&) or alias (*) in the YAML."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ContentError("anchors and aliases (& and *) are not allowed: "
                               "write each value out in full", first_line + event.start_mark.line)


def parse_yaml(text, first_line=1):
    """Return (data, lines) where lines maps key paths to 1-based line numbers.

    ``first_line`` is the file line on which ``text`` starts.
    """
    loader = _Loader(text)
    try:
        _refuse_aliases(text, first_line)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        # Said in an editor's words, with the fix (yaml_help.py).
        message, line = explain(
            exc.problem, exc.context, exc.problem_mark and exc.problem_mark.line,
            exc.context_mark and exc.context_mark.line, text,
        )
        raise ContentError(message, first_line + line) from None
    except yaml.YAMLError as exc:
        raise ContentError(f"the YAML is not valid: {exc}", first_line) from None
    finally:
        loader.dispose()
    lines = {}
    if node is not None:
        _index_lines(node, (), lines, first_line)
    return data, lines


def _index_lines(node, path, lines, first_line):
    lines[path] = first_line + node.start_mark.line
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = path + (key.value,)
            _index_lines(value, child, lines, first_line)
            # Point at the key: that is where an editor looks for the field.
            lines[child] = first_line + key.start_mark.line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, path + (index,), lines, first_line)


def split(text):
    """Return (meta, lines, body, body_line) for a whole content file."""
    if text.startswith("\ufeff"):
        text = text[1:]
    all_lines = text.split("\n")
    if not all_lines or all_lines[0].strip() != FENCE:
        raise ContentError(
            "the file must start with a line '---', then the front matter "
            "(title, summary, ...), then another '---' line", 1
        )
    for index in range(1, len(all_lines)):
        if all_lines[index].strip() == FENCE:
            end = index
            break
    else:
        raise ContentError(
            "the front matter is not closed: add a line '---' after it", 1
        )
    meta, lines = parse_yaml("\n".join(all_lines[1:end]), first_line=2)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ContentError(
            "the front matter must be 'field: value' lines (a YAML mapping)", 2
        )
    body = "\n".join(all_lines[end + 1:])
    return meta, lines, body, end + 2
