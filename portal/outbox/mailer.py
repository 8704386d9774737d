"""Send an e-mail by SMTP, or write it to a folder when no server is set."""

import functools
import smtplib
import ssl
import time
from email import policy
from email.charset import QP, Charset
from email.mime.text import MIMEText
from email.utils import formataddr
from pathlib import Path
from urllib.parse import unquote, urlsplit


class DeliveryError(Exception):
    """The message was not accepted; ``kind`` says why without any content."""

    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind


@functools.lru_cache(maxsize=128)
def _address(name, value):
    """An address header's value, checked by the e-mail package's strict
    parser once per address (the sender and the teams' addresses are few):
    one with a line break is refused (ValueError). Written back with only
    the display names encoded (RFC 2047), the addresses as they are."""
    header = policy.default.header_store_parse(name, value)[1]
    return ", ".join(formataddr((address.display_name, address.addr_spec))
                     for address in header.addresses)


@functools.lru_cache(maxsize=8)
def _domain(domain):
    """The Message-ID's domain, checked the same way, once."""
    policy.default.header_store_parse("Message-ID", f"<check@{domain}>")
    return domain


# Quoted-printable: a body in plain ASCII reads as it is in the raw e-mail
# (base64, the package's choice for UTF-8, would not).
_UTF8 = Charset("utf-8")
_UTF8.body_encoding = QP


def compose(sender, message, domain):
    """Build the e-mail; its Message-ID is fixed per outbox row, so a copy
    sent twice after a crash is recognisable as the same message.

    Built with ``email.mime`` (the package's compat32 API): about a quarter
    of the CPU of ``EmailMessage`` with the default policy, whose header
    parsing and refolding was half of a referral's first delivery attempt.
    Every header value still goes through the strict parser, which refuses
    a line break (ValueError), before it is used: the addresses and the
    domain once each, the subject each time.
    """
    email = MIMEText(message.body, "plain", "us-ascii" if message.body.isascii() else _UTF8)
    email["From"] = _address("From", sender)
    email["To"] = _address("To", message.recipient)
    email["Subject"] = str(policy.default.header_store_parse("Subject", message.subject)[1])
    email["Message-ID"] = (f"<outbox-{message.id}-{int(message.created_at.timestamp())}"
                           f"@{_domain(domain)}>")
    return email


class FileMailer:
    """Write each e-mail as an .eml file (development: no mail server)."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def send(self, email, message_id):
        path = self.folder / f"outbox-{message_id}.eml"
        temporary = path.with_suffix(".tmp")
        content = bytes(email)
        try:
            temporary.write_bytes(content)
        except FileNotFoundError:  # the folder was removed since: make it again
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(content)
        temporary.replace(path)


class _Deadline:
    """smtplib's timeout is per socket operation, so a server answering each
    step just in time could hold the family for several timeouts: bound the
    whole conversation instead."""

    def __init__(self, *args, deadline, **kwargs):
        self._deadline = deadline
        super().__init__(*args, **kwargs)

    def _left(self):
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the mail server took too long")
        return left

    def send(self, s):
        if getattr(self, "sock", None):
            self.sock.settimeout(self._left())
        super().send(s)

    def getreply(self):
        if getattr(self, "sock", None):
            self.sock.settimeout(self._left())
        return super().getreply()


class _SMTP(_Deadline, smtplib.SMTP):
    pass


class _SMTP_SSL(_Deadline, smtplib.SMTP_SSL):
    pass


class SmtpMailer:
    """Send through ``smtp://user:pass@host:port`` or ``smtp+starttls://...``.

    ``timeout`` bounds the whole conversation, not each step of it.
    """

    def __init__(self, url, timeout):
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtp+starttls", "smtps"):
            raise ValueError("SMTP_URL must start smtp://, smtp+starttls:// or smtps://")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or (465 if parts.scheme == "smtps" else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.timeout = timeout

    def send(self, email, message_id):
        deadline = time.monotonic() + self.timeout
        try:
            if self.scheme == "smtps":
                client = _SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                   context=ssl.create_default_context(), deadline=deadline)
            else:
                client = _SMTP(self.host, self.port, timeout=self.timeout, deadline=deadline)
            try:
                if self.scheme == "smtp+starttls":
                    client.starttls(context=ssl.create_default_context())
                if self.user:
                    client.login(self.user, self.password or "")
                client.send_message(email)
            except BaseException:
                client.close()
                raise
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(f"refused ({exc.smtp_code})") from None
        except smtplib.SMTPException as exc:
            if isinstance(exc.__context__, TimeoutError):
                # smtplib reports a reply that never came as a disconnection.
                raise DeliveryError("timed out") from None
            raise DeliveryError(f"smtp error ({type(exc).__name__})") from None
        except TimeoutError:
            raise DeliveryError("timed out") from None
        except OSError as exc:
            raise DeliveryError(f"unreachable ({type(exc).__name__})") from None
        # The server has accepted the message. Nothing after this (a refused,
        # slow or lost QUIT) may count as a failure: the retry would repeat it.
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()


def mailer_for(config):
    """The mailer the settings name: made once per process and setting (a
    mailer holds no connection, and making one cost a referral's first
    delivery attempt a tenth of its time)."""
    return _mailer(config["SMTP_URL"], config["DELIVERY_TIMEOUT"],
                   Path(config["INSTANCE_DIR"]) / "mail")


@functools.lru_cache(maxsize=8)
def _mailer(smtp_url, timeout, folder):
    if smtp_url:
        return SmtpMailer(smtp_url, timeout)
    return FileMailer(folder)
