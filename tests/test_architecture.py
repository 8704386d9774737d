"""The packages of ``portal`` depend on each other in one direction only.

Imports are read with ``ast`` (every import, also those inside functions),
so a new cycle between two packages fails here before it grows."""

import ast
from pathlib import Path

PORTAL = Path(__file__).resolve().parent.parent / "portal"
ROOT = "portal"  # portal/__init__.py: the app factory, which wires every package in


def _unit(parts):
    """Return the package or top-level module that a module path belongs to."""
    if not parts:
        return ROOT
    name = parts[0]
    if (PORTAL / name).is_dir() or (PORTAL / f"{name}.py").exists():
        return name
    return ROOT  # a name defined in portal/__init__.py, such as create_app


def _imports(path):
    """Yield the portal module paths (as lists of names) that a file imports."""
    here = list(path.relative_to(PORTAL).with_suffix("").parts)
    package = here[:-1]  # the package a relative import starts from
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "portal":
                    yield alias.name.split(".")[1:]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                module = base + (node.module.split(".") if node.module else [])
            elif node.module and node.module.split(".")[0] == "portal":
                module = node.module.split(".")[1:]
            else:
                continue
            if node.module is None or (node.level == 0 and not module):
                for alias in node.names:
                    yield module + [alias.name]
            else:
                yield module


def dependencies():
    """Return {unit: {units it imports}} over the whole portal package."""
    graph = {}
    for path in PORTAL.rglob("*.py"):
        parts = path.relative_to(PORTAL).with_suffix("").parts
        source = ROOT if parts == ("__init__",) else _unit(list(parts))
        targets = graph.setdefault(source, set())
        for imported in _imports(path):
            target = _unit(imported)
            if target != source:
                targets.add(target)
    return graph


def cycles(graph):
    """Return every cycle found by a depth-first walk, as lists of units."""
    found, state, trail = [], {}, []

    def visit(unit):
        state[unit] = "open"
        trail.append(unit)
        for target in sorted(graph.get(unit, ())):
            if state.get(target) == "open":
                found.append(trail[trail.index(target):] + [target])
            elif target not in state:
                visit(target)
        trail.pop()
        state[unit] = "done"

    for unit in sorted(graph):
        if unit not in state:
            visit(unit)
    return found


def test_the_graph_is_read_from_the_real_imports():
    graph = dependencies()
    # A few edges every reader of the code knows are there: if these are not
    # seen, the reader is broken and "no cycles" would mean nothing.
    assert {"content", "staff", "referrals"} <= graph[ROOT]
    assert "referrals" in graph["staff"] and "outbox" in graph["referrals"]
    assert "db" in graph["outbox"] and "clock" in graph["timetable"]


def test_a_cycle_is_detected():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_package_imports_another_that_imports_it_back():
    found = cycles(dependencies())
    assert not found, "package cycles: " + "; ".join(" -> ".join(cycle) for cycle in found)


def test_the_outbox_knows_messages_not_referrals():
    assert not {"referrals", "staff"} & dependencies()["outbox"]
