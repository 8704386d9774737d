"""One e-mail that cannot be composed never stalls the outbox (issue 11, M6),
and the content check refuses control characters in one-line fields."""

import logging

import pytest
from sqlalchemy import select

from portal.content.loader import ContentConfigError
from portal.outbox import delivery
from portal.outbox.mailer import Mailer
from portal.outbox.models import Message

SENDER, DOMAIN = "no-reply@example.org", "example.org"
POISON = "North\rlocality team"


class Recording(Mailer):
    """A mail server that accepts everything and remembers it."""

    def __init__(self):
        self.sent = []

    def send(self, email, message_id):
        self.sent.append((message_id, bytes(email)))


@pytest.fixture
def sessions(make_app, database_url):
    app = make_app(DATABASE_URL=database_url, SMTP_URL=None)
    yield app.extensions["db"]
    app.extensions["db"].kw["bind"].dispose()


def add(sessions, **fields):
    with sessions() as session:
        message = Message(**{"recipient": "north.team@example.org",
                             "subject": "New request SW-TEAM-AAAA", "body": "See the inbox.",
                             **fields})
        session.add(message)
        session.commit()
        return message.id


def test_a_message_that_cannot_be_composed_is_marked_and_the_rest_go(sessions, caplog):
    caplog.set_level(logging.INFO)
    poisoned = [add(sessions, subject=f"New request for the {POISON}"),
                add(sessions, recipient="north.team@example.org\nBcc: someone@example.org")]
    good = [add(sessions), add(sessions, recipient="east.team@example.org")]
    mailer = Recording()
    assert delivery.deliver(sessions, mailer, SENDER, DOMAIN) == (2, 2)
    assert sorted(message_id for message_id, _ in mailer.sent) == good
    with sessions() as session:
        rows = {m.id: m for m in session.scalars(select(Message))}
    for message_id in poisoned:
        assert rows[message_id].status == "failed"
        assert rows[message_id].last_error == "could not be composed (ValueError)"
    assert all(rows[message_id].status == "sent" for message_id in good)
    # The reason and the log name the message, never what it holds.
    assert "North" not in caplog.text and "someone@" not in caplog.text
    # The next run does not try them again, and reports nothing left to do.
    assert delivery.deliver(sessions, mailer, SENDER, DOMAIN) == (0, 0)


@pytest.mark.parametrize("bad", ["North\rlocality team", "North\x00team", "North\x1bteam",
                                 "North\u2028team", "North\x85team"], ids=repr)
def test_content_check_refuses_a_control_character_in_a_team_name(make_app, content_dir, bad):
    path = content_dir / "localities.yml"
    lines = path.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("name:"))
    indent = lines[at][:len(lines[at]) - len(lines[at].lstrip())]
    lines[at] = f'{indent}name: "{bad.encode("unicode_escape").decode()}"'
    path.write_text("\n".join(lines) + "\n")
    team_line = max(i for i in range(at) if lines[i].lstrip().startswith("- ")) + 1  # the team's entry
    with pytest.raises(ContentConfigError, match=rf"localities.yml:{team_line}: teams\[1\].name: contains a control"):
        make_app(content=content_dir)


@pytest.mark.parametrize("field", ["title", "summary"])
def test_content_check_refuses_a_control_character_in_a_page_field(make_app, content_dir, field):
    group = content_dir / "en/groups/messy-play-reddish.md"
    lines = group.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{field}:"))
    lines[at] = f'{field}: "Messy\\rplay"'
    group.write_text("\n".join(lines) + "\n")
    result = make_app(content=content_dir).test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert f"en/groups/messy-play-reddish.md:{at + 1}: {field}: contains a control character" in result.output
