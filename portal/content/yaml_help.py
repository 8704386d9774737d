"""Explain a YAML syntax error in an editor's words, with the fix and the line.

PyYAML says what its parser expected ("mapping values are not allowed in
this context"); an editor needs to know what to change. Each rule below
looks at PyYAML's problem and at the line it points to, and says what is
most likely wrong there. An error no rule knows keeps PyYAML's words, so
nothing is ever hidden.
"""

import re

# A list item written "-toddler" instead of "- toddler".
DASH_WITHOUT_SPACE = re.compile(r"^\s*-[^\s-]")
# "title: Stay and play: for babies": a second ": " inside a value.
COLON_IN_VALUE = re.compile(r"^\s*(?:-\s+)?[^\s:#'\"][^:]*:\s+[^'\"\s].*:(\s|$)")
FIELD = re.compile(r"^\s*(?:-\s+)?[^\s:#][^:]*:(\s|$)")
# Characters YAML keeps for itself at the start of a value.
RESERVED_START = {"@": "@", "`": "`", "%": "%", "*": "*", "&": "&", "!": "!", "|": "|",
                  ">": ">"}


def explain(problem, context, problem_line, context_line, text):
    """Return (message, line index) for a YAML error.

    ``problem`` and ``context`` are PyYAML's words, the lines are 0-based
    indexes into ``text`` (None when PyYAML gave no place).
    """
    lines = text.split("\n")
    line = problem_line if problem_line is not None else (context_line or 0)
    problem = problem or ""
    context = context or ""

    def at(index):
        return lines[index] if index is not None and 0 <= index < len(lines) else ""

    # The dash first: it makes PyYAML say several different things.
    for index in (context_line, problem_line, (problem_line or 0) - 1):
        if index is not None and DASH_WITHOUT_SPACE.match(at(index)):
            return ("a list item needs a space after the dash: write '- "
                    f"{at(index).strip()[1:]}', not '{at(index).strip()}'", index)
    if "tab" in problem:
        return ("this line is indented with the Tab key: use spaces to indent "
                "(YAML does not allow tabs)", line)
    if "quoted scalar" in context and "end of stream" in problem:
        return ("a quote mark opened on this line is never closed: end the text "
                "with the same quote mark (\" or ') on the same line",
                context_line if context_line is not None else line)
    if "mapping values are not allowed" in problem:
        if COLON_IN_VALUE.match(at(line)):
            return ("this value has a colon followed by a space in it, which YAML "
                    "reads as a new field: put the text in quotes, like "
                    f"{_quoted_example(at(line))}", line)
        if line > 0 and not FIELD.match(at(line - 1)) and at(line - 1).strip():
            return ("this line has no colon: write each field as "
                    "'name: value' on its own line", line - 1)
        return ("this line is indented further than the line above, which does not "
                "start a list or a group: line its field up with the fields above it",
                line)
    if "cannot start any token" in problem or "while scanning an alias" in context \
            or "while scanning an anchor" in context:
        value = at(line).split(":", 1)[-1].strip()
        first = value[:1]
        if first in RESERVED_START:
            return (f"a value cannot start with '{first}' unless it is in quotes: "
                    f"put the text in quotes, like \"{value}\"", line)
    if "did not find expected key" in problem:
        if re.search(r":\s*[\"'][^\"']*[\"']\s*\S", at(line)):
            return ("text that starts with a quote mark must end with it: put the "
                    "whole value in quotes, or start it without a quote mark", line)
        return ("this line is not lined up with the fields around it: check the "
                "spaces at its start (fields in the same group start in the same "
                "column)", line)
    if "expected '-' indicator" in problem:
        return ("this line is not lined up with the list it belongs to: each list "
                "item starts with '- ', and the fields of one item line up under "
                "its first field", line)
    if "could not find expected ':'" in problem:
        index = context_line if context_line is not None else line
        return ("this line needs a colon: write it as 'name: value' (or, if it "
                "continues the text above, put that whole text in quotes)", index)
    for closing, kind in (("]", "list"), ("}", "group")):
        if f"expected ',' or '{closing}'" in problem:
            index = context_line if context_line is not None else line
            return (f"a {kind} in brackets is not closed: end it with '{closing}' on "
                    "the same line, with commas between the items", index)
    said = f"{context}: {problem}" if context else problem
    return (f"the YAML is not valid ({said or 'it could not be read'}); check this "
            "line's colons, quotes and indentation", line)


def _quoted_example(line):
    """The line with its value in quotes: how the editor should write it."""
    name, _, value = line.strip().partition(": ")
    value = value.strip().replace('"', '\\"')
    return f'{name}: "{value}"'
