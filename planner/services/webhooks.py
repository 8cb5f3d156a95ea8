"""Programs' chat webhooks: saving them (lead only, URL checked), and delivering the queued
events with a timeout, retries with backoff, and no request to a forbidden address.

The address check is made on the addresses the host name resolves to, and the connection is
made to the checked address itself (the name is not resolved twice), so a DNS answer that
changes between check and connect cannot reach an internal service.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from planner.domain.errors import NotFoundError, Problem, ValidationError
from planner.domain.notify import backoff_seconds
from planner.domain.webhooks import address_allowed, check_url, dingtalk_signed_url, payload
from planner.extensions import db
from planner.models import Webhook, WebhookDelivery
from planner.services.notify import now

MAX_ATTEMPTS = 6  # over several runs; then the delivery is given up (shown as failed)
TRIES_PER_RUN = 3
TIMEOUT_SECONDS = 5.0


class DeliveryError(Exception):
    """One attempt failed; ``problem`` says why as a code and its parameters (kept on the
    webhook with :func:`stored_problem`, worded for the lead where it is shown)."""

    def __init__(self, code: str, **params: object) -> None:
        # texts from the network are cut short: the webhook keeps at most 1000 characters
        short = {k: v[:300] if isinstance(v, str) else v for k, v in params.items()}
        self.problem = Problem("", code, short)
        super().__init__(code, short)


def stored_problem(problem: Problem) -> str:
    """A delivery's problem as the webhook keeps it (its code and parameters, no words)."""
    return json.dumps({"code": problem.code, "params": dict(problem.params)}, ensure_ascii=False)


def problem_of(stored: str) -> Problem | None:
    """The problem :func:`stored_problem` kept; None for a text kept before problems were
    coded (shown as it was written)."""
    try:
        data = json.loads(stored)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("code"), str):
        return None
    params = data.get("params")
    return Problem("", data["code"], params if isinstance(params, dict) else {})


def _allow_private() -> bool:
    return bool(current_app.config.get("PLANNER_WEBHOOK_ALLOW_PRIVATE"))


# --------------------------------------------------------------------------- saving


def add_webhook(
    program_id: int, kind: str, url: str, secret: str, label: str, lang: str
) -> Webhook:
    clean = check_url(url, kind, allow_http=_allow_private())
    host = urlsplit(clean).hostname or ""
    try:
        resolve(host, urlsplit(clean).port or 443)
    except DeliveryError:
        raise ValidationError.of("url", "webhook.address_refused", host=host) from None
    if len(secret) > 200 or len(label) > 200:
        raise ValidationError.of("secret" if len(secret) > 200 else "label", "field.too_long",
                                 max=200)  # fmt: skip
    hook = Webhook(
        program_id=program_id,
        kind=kind,
        url=clean,
        secret=secret.strip() or None if kind == "dingtalk" else None,
        label=label.strip(),
        lang=lang if lang in ("en", "zh_Hans_CN") else "en",
    )
    db.session.add(hook)
    db.session.flush()
    return hook


def list_webhooks(program_id: int) -> list[Webhook]:
    return list(
        db.session.scalars(
            select(Webhook).where(Webhook.program_id == program_id).order_by(Webhook.id)
        )
    )


def get_webhook(program_id: int, webhook_id: int) -> Webhook:
    hook = db.session.get(Webhook, webhook_id)
    if hook is None or hook.program_id != program_id:
        raise NotFoundError(problems=[])
    return hook


def delete_webhook(hook: Webhook) -> None:
    db.session.delete(hook)
    db.session.flush()


# --------------------------------------------------------------------------- sending


def resolve(host: str, port: int) -> str:
    """An address of ``host`` that may be reached; refused when any of them may not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise DeliveryError("webhook.unresolved", host=host, detail=str(exc)) from None
    addresses = [str(info[4][0]) for info in infos]
    refused = [a for a in addresses if not address_allowed(a, allow_private=_allow_private())]
    if not addresses or refused:
        raise DeliveryError("webhook.address_not_allowed", addresses=", ".join(refused) or host)
    return addresses[0]


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]  # the connection keeps the context http.client gave it


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def post_json(url: str, body: dict[str, Any], timeout: float = TIMEOUT_SECONDS) -> None:
    """POST one JSON body; any answer but 2xx (or a robot's error code) is a DeliveryError."""
    parts = urlsplit(url)
    secure = parts.scheme == "https"
    if not secure and not (parts.scheme == "http" and _allow_private()):
        raise DeliveryError("webhook.https_only")
    host = parts.hostname or ""
    port = parts.port or (443 if secure else 80)
    address = resolve(host, port)
    cls = _PinnedHTTPS if secure else _PinnedHTTP
    connection = cls(host, address, port, timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    data = json.dumps(body, ensure_ascii=False).encode()
    try:
        connection.request("POST", path, data, {"Content-Type": "application/json"})
        response = connection.getresponse()
        answer = response.read(64 * 1024)
    except (OSError, http.client.HTTPException) as exc:
        raise DeliveryError("webhook.network", detail=f"{type(exc).__name__}: {exc}") from None
    finally:
        connection.close()
    if not 200 <= response.status < 300:
        raise DeliveryError("webhook.http_status", status=response.status)
    _check_robot_answer(answer)


def _check_robot_answer(answer: bytes) -> None:
    """WeCom and DingTalk answer 200 with ``errcode`` != 0 when they refuse a message."""
    try:
        parsed = json.loads(answer or b"{}")
    except ValueError:
        return
    if isinstance(parsed, dict) and parsed.get("errcode") not in (None, 0):
        raise DeliveryError(
            "webhook.robot_refused",
            errcode=str(parsed.get("errcode")),
            errmsg=str(parsed.get("errmsg", "")),
        )


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0


def deliver_pending(render: Any, sleep: Any = time.sleep) -> DeliveryResult:
    """Send every delivery that is due; ``render(hook, delivery)`` gives (title, text, link)."""
    result = DeliveryResult()
    due = db.session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now())
        .order_by(WebhookDelivery.id)
    )
    for delivery in list(due):
        hook = db.session.get(Webhook, delivery.webhook_id)
        if hook is None or not hook.active:
            continue
        ok = _deliver(hook, delivery, render, sleep)
        result.sent += ok
        result.failed += not ok
        db.session.commit()  # each delivery's outcome kept, whatever follows
    return result


def _deliver(hook: Webhook, delivery: WebhookDelivery, render: Any, sleep: Any) -> bool:
    title, text, link = render(hook, delivery)
    body = payload(hook.kind, title, text, link, delivery.event)
    error = ""
    for attempt in range(TRIES_PER_RUN):
        url = hook.url
        if hook.kind == "dingtalk" and hook.secret:
            url = dingtalk_signed_url(url, hook.secret, int(time.time() * 1000))
        try:
            post_json(url, body)
        except DeliveryError as exc:
            error = stored_problem(exc.problem)
            delivery.attempts += 1
            if attempt + 1 < TRIES_PER_RUN:
                sleep(0.5 * 2**attempt)
            continue
        delivery.status, delivery.sent_at, delivery.last_error = "sent", now(), ""
        hook.last_ok_at, hook.failures = now(), 0
        return True
    delivery.last_error = error[:1000]
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = "failed"
    else:
        delivery.next_attempt_at = now() + timedelta(seconds=backoff_seconds(delivery.attempts))
    hook.failures += 1
    hook.last_error, hook.last_error_at = error[:1000], now()
    return False


def recent_failures(program_id: int, limit: int = 10) -> list[WebhookDelivery]:
    return list(
        db.session.scalars(
            select(WebhookDelivery)
            .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
            .where(Webhook.program_id == program_id, WebhookDelivery.last_error != "")
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )
