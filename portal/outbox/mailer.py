"""Send an e-mail by SMTP, or write it to a folder when no server is set."""

import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit


class DeliveryError(Exception):
    """The message was not accepted; ``kind`` says why without any content."""

    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind


def compose(sender, message, domain):
    """Build the e-mail; its Message-ID is fixed per outbox row, so a copy
    sent twice after a crash is recognisable as the same message."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = f"<outbox-{message.id}-{int(message.created_at.timestamp())}@{domain}>"
    email.set_content(message.body)
    return email


class FileMailer:
    """Write each e-mail as an .eml file (development: no mail server)."""

    def __init__(self, folder):
        self.folder = Path(folder)

    def send(self, email, message_id):
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"outbox-{message_id}.eml"
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(bytes(email))
        temporary.replace(path)


class SmtpMailer:
    """Send through ``smtp://user:pass@host:port`` or ``smtp+starttls://...``."""

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
        try:
            if self.scheme == "smtps":
                client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                          context=ssl.create_default_context())
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with client:
                if self.scheme == "smtp+starttls":
                    client.starttls(context=ssl.create_default_context())
                if self.user:
                    client.login(self.user, self.password or "")
                client.send_message(email)
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(f"refused ({exc.smtp_code})") from None
        except smtplib.SMTPException as exc:
            raise DeliveryError(f"smtp error ({type(exc).__name__})") from None
        except TimeoutError:
            raise DeliveryError("timed out") from None
        except OSError as exc:
            raise DeliveryError(f"unreachable ({type(exc).__name__})") from None


def mailer_for(config):
    if config["SMTP_URL"]:
        return SmtpMailer(config["SMTP_URL"], config["DELIVERY_TIMEOUT"])
    return FileMailer(Path(config["INSTANCE_DIR"]) / "mail")
