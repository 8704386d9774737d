"""A content file cannot exhaust a worker (issue 11, M1): YAML anchors and
aliases are refused with the file and line, a file over the size bound is
refused by name, and the rest of the site stays up."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from portal.content.frontmatter import MAX_FILE_BYTES
from portal.content.loader import ContentConfigError

ROOT = Path(__file__).resolve().parent.parent
GROUP = "en/groups/messy-play-reddish.md"

# Nine levels of aliases in twelve lines: billions of strings once expanded.
BOMB = textwrap.dedent("""\
    ---
    title: Laughs
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
    ---
    """)


def check(app):
    result = app.test_cli_runner().invoke(args=["content", "check"])
    return result.exit_code, result.output


def test_an_alias_in_front_matter_is_refused_with_its_line(make_app, content_dir):
    group = content_dir / GROUP
    text = group.read_text().replace("summary: ", "summary: &said ", 1)
    group.write_text(text.replace("\n---\n", "\nabout: *said\n---\n", 1))
    line = text.splitlines().index(next(x for x in text.splitlines() if x.startswith("summary:"))) + 1
    app = make_app(content=content_dir)
    code, output = check(app)
    assert code == 1
    assert f"{GROUP}:{line}: anchors and aliases (& and *) are not allowed" in output
    client = app.test_client()
    assert client.get("/en/groups/messy-play-reddish").status_code == 404
    assert client.get("/en/groups/stay-and-play-reddish").status_code == 200


def test_nine_levels_of_aliases_cost_nothing(content_dir, tmp_path):
    """In a child process with 1.5 GB of address space: today's code ran out."""
    (content_dir / "en/pages/laughs.md").write_text(BOMB)
    script = textwrap.dedent(f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
        from portal.content.loader import ContentLoader
        snapshot = ContentLoader({str(content_dir)!r}).load()
        print("\\n".join(str(p) for p in snapshot.errors))
        print("pages", len(snapshot.pages))
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "en/pages/laughs.md:3: anchors and aliases (& and *) are not allowed" in done.stdout
    assert "pages 171" in done.stdout


@pytest.mark.parametrize("name", ["site.yml", "localities.yml", "synonyms.yml"])
def test_an_alias_in_a_settings_file_is_refused_with_its_line(make_app, content_dir, name):
    path = content_dir / name
    lines = path.read_text().splitlines()
    at = next(i for i, x in enumerate(lines) if x and not x.startswith(("#", " ", "-")) and ":" in x)
    key = lines[at].split(":")[0]
    lines[at] = lines[at].replace(f"{key}:", f"{key}: &copy", 1) if lines[at].rstrip().endswith(":") \
        else lines[at].replace(": ", ": &copy ", 1)
    lines.append("unused_copy: *copy")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ContentConfigError, match=rf"{name}:{at + 1}: anchors and aliases"):
        make_app(content=content_dir)


def test_an_oversized_file_is_refused_by_name(make_app, content_dir):
    group = content_dir / GROUP
    group.write_text(group.read_text() + "\nMore words. " * (MAX_FILE_BYTES // 10))
    app = make_app(content=content_dir)
    code, output = check(app)
    assert code == 1
    size = group.stat().st_size // 1024
    assert f"{GROUP}:1: the file is {size} KiB: a content file may be at most " \
           f"{MAX_FILE_BYTES // 1024} KiB" in output
    assert app.test_client().get("/en/groups/stay-and-play-reddish").status_code == 200


def test_an_oversized_settings_file_stops_start_up_by_name(make_app, content_dir):
    path = content_dir / "synonyms.yml"
    path.write_text(path.read_text() + "#" * MAX_FILE_BYTES)
    with pytest.raises(ContentConfigError, match="synonyms.yml:1: the file is"):
        make_app(content=content_dir)
