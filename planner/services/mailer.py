"""Sending e-mail through the SMTP server named by ``PLANNER_SMTP_URL``.

``smtp://host:25`` (plain), ``smtp+starttls://user:password@host:587`` (STARTTLS required,
then sign-in), ``smtps://user:password@host:465`` (TLS from the start). Credentials in the URL
are percent-encoded. The server's certificate is checked (against the system's CAs, or the
file ``PLANNER_SMTP_CA_FILE`` names). Each send has a timeout; errors are :class:`MailError`.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from planner.domain.errors import PlannerError

TIMEOUT_SECONDS = 15


class MailError(PlannerError):
    """The message could not be handed to the SMTP server."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: str  # "", "starttls", "ssl"
    username: str | None
    password: str | None
    ca_file: str | None = None  # an internal CA to trust (PLANNER_SMTP_CA_FILE)


def parse_smtp_url(url: str, ca_file: str | None = None) -> SmtpSettings:
    parts = urlsplit(url.strip())
    tls = {"smtp": "", "smtp+starttls": "starttls", "smtps": "ssl"}.get(parts.scheme)
    if tls is None or not parts.hostname:
        raise MailError("PLANNER_SMTP_URL must look like smtp+starttls://user:pass@host:587")
    default_port = {"": 25, "starttls": 587, "ssl": 465}[tls]
    return SmtpSettings(
        host=parts.hostname,
        port=parts.port or default_port,
        tls=tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        ca_file=ca_file or None,
    )


def send_message(settings: SmtpSettings, message: EmailMessage) -> None:
    """Hand one message to the server (raises :class:`MailError` on any failure)."""
    context = ssl.create_default_context(cafile=settings.ca_file)
    try:
        if settings.tls == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=TIMEOUT_SECONDS, context=context
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
        with client:
            if settings.tls == "starttls":
                client.starttls(context=context)
            if settings.username:
                client.login(settings.username, settings.password or "")
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"{type(exc).__name__}: {exc}") from exc
