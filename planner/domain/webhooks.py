"""Chat webhooks in pure Python: which URLs are accepted, which addresses may be reached, the
body each kind of robot expects, and DingTalk's signature."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
from typing import Any
from urllib.parse import quote_plus, urlsplit

from planner.domain.errors import Problem, ValidationError

KINDS = ("wecom", "dingtalk", "slack", "json")
MAX_URL = 1000


def check_url(url: str, kind: str, *, allow_http: bool = False) -> str:
    """The URL to store, or a coded refusal (not https, no host, credentials in it)."""
    text = url.strip()
    problems: list[Problem] = []
    if kind not in KINDS:
        problems.append(Problem("kind", "field.not_a_choice", {"value": kind}))
    if len(text) > MAX_URL:
        problems.append(Problem("url", "field.too_long", {"max": MAX_URL}))
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        parts, host = None, None
    schemes = ("https", "http") if allow_http else ("https",)
    if parts is None or parts.scheme not in schemes or not host:
        problems.append(Problem("url", "webhook.url_invalid", {}))
    elif parts.username or parts.password:
        problems.append(Problem("url", "webhook.url_credentials", {}))
    if problems:
        raise ValidationError(problems=problems)
    return text


def literal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def address_allowed(address: str, *, allow_private: bool) -> bool:
    """Whether a request may go to this address: never unspecified or multicast; loopback,
    link-local (cloud metadata), private and reserved ranges only when the operator allows."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_unspecified or ip.is_multicast:
        return False
    internal = ip.is_loopback or ip.is_link_local or ip.is_private or ip.is_reserved
    return allow_private or not internal


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """DingTalk's signed mode: ``timestamp`` and ``sign`` (HMAC-SHA256 of "timestamp\\nsecret"
    keyed by the secret, base64, URL-encoded) added to the robot's URL."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest).decode())
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={sign}"


def payload(kind: str, title: str, text: str, link: str, event: str) -> dict[str, Any]:
    """The JSON body a robot of this kind expects for one short message."""
    line = f"{title}\n{text}\n{link}".strip()
    if kind == "wecom":
        content = f"**{title}**\n{text}\n[{link}]({link})" if link else f"**{title}**\n{text}"
        return {"msgtype": "markdown", "markdown": {"content": content}}
    if kind == "dingtalk":
        body = f"#### {title}\n\n{text}\n\n[{link}]({link})" if link else f"#### {title}\n\n{text}"
        return {"msgtype": "markdown", "markdown": {"title": title, "text": body}}
    if kind == "slack":
        return {"text": line}
    return {"event": event, "title": title, "text": text, "link": link}
