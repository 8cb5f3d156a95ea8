"""Real parts for the notification tests: an SMTP server (aiosmtpd) and an HTTP server on
127.0.0.1 that keep what they receive, and a program with a lead, a member and a viewer."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from planner.extensions import db
from planner.models import Membership, Program, User
from tests.conftest import make_user
from tests.integration.risks_support import new_program


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Keeper:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@pytest.fixture()
def smtp_server() -> Iterator[tuple[str, _Keeper]]:
    """A real SMTP server on 127.0.0.1: (its smtp:// URL, what it received)."""
    keeper = _Keeper()
    port = free_port()
    controller = Controller(keeper, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", keeper
    finally:
        controller.stop()


@dataclass
class HookServer:
    url: str
    received: list[dict[str, Any]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    status: int = 200


@pytest.fixture()
def hook_server() -> Iterator[HookServer]:
    """An HTTP server on 127.0.0.1 that keeps every JSON body POSTed to it."""
    port = free_port()
    state = HookServer(f"http://127.0.0.1:{port}/robot/send?key=k1")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", "0"))
            state.received.append(json.loads(self.rfile.read(length)))
            state.paths.append(self.path)
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"errcode": 0}')

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Team:
    program: Program
    lead: User
    member: User
    viewer: User


def team(name: str = "Acme rollout") -> Team:
    program = new_program(name)
    people = {}
    for role in ("lead", "member", "viewer"):
        user = make_user(f"{role}@{name.split()[0].lower()}.example", name=f"{role.title()} Person")
        db.session.add(Membership(user_id=user.id, program_id=program.id, role=role))
        people[role] = user
    db.session.commit()
    return Team(program, people["lead"], people["member"], people["viewer"])


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML parts of a digest."""
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    return plain.get_content(), html.get_content()
