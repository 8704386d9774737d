"""Send an e-mail by SMTP, or write it to a folder when no server is set."""

import contextlib
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


class Mailer:
    """What delivery asks of a mailer: ``send`` one e-mail (``DeliveryError``
    if it is not accepted), and ``conversation()``, a context for sending
    several in a row (``.send`` again), by default each on its own."""

    def send(self, email, message_id):
        raise NotImplementedError

    def conversation(self):
        return contextlib.nullcontext(self)


class FileMailer(Mailer):
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

    def allow_until(self, deadline):
        """Give the next exchange on this connection its own deadline."""
        self._deadline = deadline

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


class SmtpMailer(Mailer):
    """Send through ``smtp://user:pass@host:port`` or ``smtp+starttls://...``.

    ``timeout`` bounds each message's whole conversation, not each step of it.
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
        """Send one e-mail on a connection of its own."""
        with self.conversation() as conversation:
            conversation.send(email, message_id)

    @contextlib.contextmanager
    def conversation(self):
        """Send several e-mails on one connection, opened at the first send
        and closed (QUIT) at the end: a council's relay wants TLS and a login
        on each connection, which cost more than a message."""
        conversation = Conversation(self)
        try:
            yield conversation
        finally:
            conversation.close()

    def connect(self, deadline):
        """Open a connection, with TLS and the login the URL asks for."""
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
        except BaseException:
            client.close()
            raise
        return client


class Conversation:
    """One SMTP connection kept for a run of e-mails (``SmtpMailer.conversation``).

    Each ``send`` has ``timeout`` for all of its own steps. Before a send on
    a connection already used, a NOOP checks the server still listens (it
    may have closed an idle connection); if not, a new connection is
    opened. A server that answers MAIL FROM there with 421 (it allows so
    many messages a connection) gets the message once more on a new one.
    Neither can send an e-mail twice: nothing was accepted. Any other
    failure closes the connection, so the next e-mail starts afresh.
    """

    def __init__(self, mailer):
        self.mailer = mailer
        self.client = None

    def send(self, email, message_id):
        deadline = time.monotonic() + self.mailer.timeout
        try:
            reused = self.client is not None and self._still_open(deadline)
            if not reused:
                self._reconnect(deadline)
            try:
                self.client.send_message(email)
            except smtplib.SMTPSenderRefused as exc:
                # 421 to MAIL FROM on a connection already used: the server
                # ends the session before taking this message (a limit of
                # messages a connection). Nothing was accepted, so once more
                # on a new connection.
                if not (reused and exc.smtp_code == 421):
                    raise
                self._reconnect(deadline)
                self.client.send_message(email)
        except OSError as exc:  # smtplib's errors and timeouts are OSErrors too
            self._drop()
            raise _delivery_error(exc) from None
        except BaseException:
            self._drop()
            raise

    def _still_open(self, deadline):
        self.client.allow_until(deadline)
        try:
            return self.client.noop()[0] == 250
        except OSError:  # hung up (SMTPServerDisconnected), or too slow to say
            return False

    def _reconnect(self, deadline):
        self._drop()
        self.client = self.mailer.connect(deadline)

    def _drop(self):
        if self.client is not None:
            self.client.close()
            self.client = None

    def close(self):
        """Say goodbye. Every message sent was accepted already, so nothing
        here (a refused, slow or lost QUIT) may count as a failure: a retry
        would repeat it."""
        if self.client is None:
            return
        self.client.allow_until(time.monotonic() + self.mailer.timeout)
        try:
            self.client.quit()
        except (smtplib.SMTPException, OSError):
            self.client.close()
        self.client = None


def _delivery_error(exc):
    """The ``DeliveryError`` for an OSError while sending: its kind only."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return DeliveryError(f"refused ({exc.smtp_code})")
    if isinstance(exc, smtplib.SMTPException):
        if isinstance(exc.__context__, TimeoutError):
            # smtplib reports a reply that never came as a disconnection.
            return DeliveryError("timed out")
        return DeliveryError(f"smtp error ({type(exc).__name__})")
    if isinstance(exc, TimeoutError):
        return DeliveryError("timed out")
    return DeliveryError(f"unreachable ({type(exc).__name__})")


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
