"""The team e-mail as composed (portal/outbox/mailer.py): readable, its
addresses in the clear, and a line break in any header refused."""

import datetime
import email
import email.policy
from types import SimpleNamespace

import pytest

from portal.outbox.mailer import compose, mailer_for

SENDER = "Start Well <no-reply@example.org>"


def message(**fields):
    return SimpleNamespace(**{
        "id": 7, "recipient": "North locality team <north.team@example.org>",
        "subject": "New request SW-TEAM-AAAA for the North locality team",
        "body": "Referral SW-TEAM-AAAA: https://startwell.example.org/staff/referrals/7?from=mail\n",
        "created_at": datetime.datetime(2026, 12, 3, 12, 0, tzinfo=datetime.UTC),
        **fields})


def sent(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def test_a_plain_english_email_reads_as_it_is():
    raw = bytes(compose(SENDER, message(), "example.org"))
    mail = sent(raw)
    assert mail["From"] == SENDER and mail["To"] == message().recipient
    assert mail["Subject"] == message().subject
    assert mail["Message-ID"] == f"<outbox-7-{int(message().created_at.timestamp())}@example.org>"
    assert mail.get_content() == message().body
    assert mail["Content-Transfer-Encoding"] == "7bit"
    assert message().body.encode() in raw  # not encoded: readable in the raw e-mail


def test_other_alphabets_are_encoded_and_come_back_whole():
    body = "Zespół Północ: SW-TEAM-AAAA\nفريق الشمال\n"
    raw = bytes(compose("Start Wéll <no-reply@example.org>",
                        message(recipient="Équipe Nord <nord@example.org>",
                                subject="Nowe zgłoszenie SW-TEAM-AAAA", body=body), "example.org"))
    assert raw.isascii()
    mail = sent(raw)
    assert mail.get_content() == body and mail["Subject"] == "Nowe zgłoszenie SW-TEAM-AAAA"
    [sender], [team] = mail["From"].addresses, mail["To"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Start Wéll", "no-reply@example.org")
    assert (team.display_name, team.addr_spec) == ("Équipe Nord", "nord@example.org")
    # Only the display names are encoded: a mail server reads the addresses.
    assert b"<no-reply@example.org>" in raw and b"<nord@example.org>" in raw


@pytest.mark.parametrize("where", ["subject", "recipient", "sender", "domain"])
@pytest.mark.parametrize("brk", ["\r", "\n", "\r\n"], ids=repr)
def test_a_line_break_in_any_header_is_refused(where, brk):
    bad = {"subject": "New request" + brk + "Bcc: someone@example.org",
           "recipient": "north.team@example.org" + brk + "Bcc: someone@example.org"}
    sender = SENDER + brk + "Bcc: someone@example.org" if where == "sender" else SENDER
    domain = "example.org" + brk + "Bcc: x" if where == "domain" else "example.org"
    fields = {where: bad[where]} if where in bad else {}
    with pytest.raises(ValueError):
        compose(sender, message(**fields), domain)


def test_the_file_mailer_is_made_once_and_makes_its_folder_again(tmp_path):
    config = {"SMTP_URL": None, "DELIVERY_TIMEOUT": 5, "INSTANCE_DIR": tmp_path}
    mailer = mailer_for(config)
    assert mailer_for(dict(config)) is mailer
    assert mailer_for({**config, "INSTANCE_DIR": tmp_path / "other"}) is not mailer
    (tmp_path / "mail").rmdir()  # removed while the process runs
    mailer.send(compose(SENDER, message(), "example.org"), 7)
    assert sent((tmp_path / "mail" / "outbox-7.eml").read_bytes())["Message-ID"].startswith(
        "<outbox-7-")
