"""E-mail digests through a real SMTP server on 127.0.0.1: one per person and period, in the
person's language, never twice (also with overlapping or interrupted runs)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from planner.extensions import db
from planner.models import Notification, NotifyDigest, NotifySettings, RiskAction
from planner.services.digest import claim, planned_digests, release_stale_claims
from tests.conftest import sign_in
from tests.integration import notify_support
from tests.integration.notify_support import free_port, parts, team

smtp_server = notify_support.smtp_server  # the fixture

TODAY = date(2026, 3, 11)  # a Wednesday; the test program started 2026-01-05


def _mention(app, t) -> None:  # type: ignore[no-untyped-def]
    lead = app.test_client()
    sign_in(lead, t.lead)
    item = t.program.work_items[0]
    url = f"/programs/{t.program.id}/discuss/workitem/{item.id}/comments"
    assert lead.post(url, data={"body": "@member please look"}).status_code == 302


def _overdue_action(t) -> None:  # type: ignore[no-untyped-def]
    """A risk action the lead owns (named by their account's name), three days overdue."""
    risk = t.program.risks[0]
    risk.status = "open"
    db.session.add(RiskAction(risk_id=risk.id, title="Call the data owners",
                              owner="lead person", due_date=TODAY - timedelta(days=3)))  # fmt: skip
    db.session.commit()


def _send(runner, *extra: str):  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["notify", "send", "--today", TODAY.isoformat(), *extra])
    assert result.exit_code == 0, result.output
    return result.output


def test_one_digest_per_person_in_their_language_and_never_twice(
    app, runner, smtp_server, monkeypatch
) -> None:  # type: ignore[no-untyped-def]  # noqa: E501
    url, inbox = smtp_server
    monkeypatch.setitem(app.config, "PLANNER_SMTP_URL", url)
    t = team()
    t.member.lang = "zh_Hans_CN"
    db.session.commit()
    _mention(app, t)
    _overdue_action(t)

    output = _send(runner)
    assert "digests: 2 sent" in output
    to = sorted(str(m["To"]) for m in inbox.messages)
    assert len(to) == 2 and any("member@acme.example" in a for a in to)
    assert any("lead@acme.example" in a for a in to)
    member_mail = next(m for m in inbox.messages if "member@acme.example" in str(m["To"]))
    lead_mail = next(m for m in inbox.messages if "lead@acme.example" in str(m["To"]))
    plain, html = parts(member_mail)
    assert "您有" in str(member_mail["Subject"])
    assert "Lead Person 在关于" in plain and "提到了您" in plain
    assert '<html lang="zh-CN">' in html and "Acme rollout" in html
    lead_plain, lead_html = parts(lead_mail)
    assert "updates for you" in str(lead_mail["Subject"])
    # the lead's reminders, grouped by urgency: overdue before what is coming
    assert "-- Overdue --" in lead_plain
    assert "Risk action Call the data owners is overdue: it was due Mar 8, 2026." in lead_plain
    assert "You are its owner." in lead_plain
    assert "<script" not in lead_html
    assert member_mail["List-Unsubscribe"].startswith("<http")

    again = _send(runner)
    assert "digests: 0 sent" in again
    assert len(inbox.messages) == 2
    assert db.session.scalar(select(func.count()).select_from(NotifyDigest)) == 2


def test_an_overlapping_run_cannot_claim_the_same_period(app) -> None:  # type: ignore[no-untyped-def]
    t = team()
    _mention(app, t)
    (first,) = [p for p in planned_digests(TODAY) if p.user.id == t.member.id]
    (second,) = [p for p in planned_digests(TODAY) if p.user.id == t.member.id]
    assert claim(first) is not None
    assert claim(second) is None


def test_a_run_that_died_after_claiming_sends_nothing_more_for_that_period(
    app, runner, smtp_server, monkeypatch
) -> None:  # type: ignore[no-untyped-def]  # noqa: E501
    url, inbox = smtp_server
    monkeypatch.setitem(app.config, "PLANNER_SMTP_URL", url)
    t = team()
    _mention(app, t)
    _overdue_action(t)
    runner.invoke(args=["notify", "send", "--today", TODAY.isoformat(), "--dry-run"])
    from planner.services.notify_scan import scan_all

    scan_all(TODAY)
    db.session.commit()
    for plan in planned_digests(TODAY):
        assert claim(plan) is not None  # ... and the run died here
    _send(runner)
    assert inbox.messages == []
    # an hour later the claims are released: their news goes with the next period
    db.session.execute(NotifyDigest.__table__.update().values(claimed_at=datetime(2026, 1, 1)))
    db.session.commit()
    assert release_stale_claims() == 2
    assert db.session.scalar(select(func.count()).where(Notification.digest_id.is_not(None))) == 0
    _send(runner)
    assert inbox.messages == []  # still the same period: never sent twice
    runner.invoke(args=["notify", "send", "--today", (TODAY + timedelta(days=1)).isoformat()])
    assert len(inbox.messages) == 2


def test_a_dead_smtp_server_fails_no_request_and_loses_no_news(app, runner, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "PLANNER_SMTP_URL", f"smtp://127.0.0.1:{free_port()}")
    t = team()
    _mention(app, t)  # the request succeeded (nothing is sent inside it)
    _overdue_action(t)
    output = _send(runner)
    assert "2 failed" in output
    statuses = set(db.session.scalars(select(NotifyDigest.status)))
    assert statuses == {"failed"}
    assert db.session.scalar(select(func.count()).where(Notification.digest_id.is_not(None))) == 0


def test_the_dry_run_lists_who_gets_what_and_why_and_writes_nothing(app, runner) -> None:  # type: ignore[no-untyped-def]
    t = team()
    _mention(app, t)
    _overdue_action(t)
    before = db.session.scalar(select(func.count()).select_from(Notification))
    output = _send(runner, "--dry-run")
    assert "member@acme.example (en, 2026-03-11): 1" in output
    assert "Lead Person mentioned you in a comment on" in output
    assert re.search(r"lead@acme\.example \(en, 2026-03-11\): \d+", output)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Notification)) == before
    assert db.session.scalar(select(func.count()).select_from(NotifyDigest)) == 0


def test_the_signed_link_changes_settings_without_signing_in(
    app, smtp_server, runner, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    url, inbox = smtp_server
    monkeypatch.setitem(app.config, "PLANNER_SMTP_URL", url)
    t = team()
    _mention(app, t)
    _send(runner)
    mail = next(m for m in inbox.messages if "member@acme.example" in str(m["To"]))
    plain, _html = parts(mail)
    link = re.search(r"http://localhost:5000(/notify/preferences/\S+)", plain).group(1)  # type: ignore[union-attr]
    guest = app.test_client()
    page = guest.get(link)
    assert page.status_code == 200 and "member@acme.example" in page.get_data(as_text=True)
    guest.post(link, data={"digest": "weekly", "quiet_days": ["6", "7"], "lead_days": "5"})
    settings = db.session.get(NotifySettings, t.member.id)
    db.session.refresh(settings)
    assert (settings.digest, settings.quiet_days, settings.lead_days) == ("weekly", "67", 5)
    unsubscribe = mail["List-Unsubscribe"].strip("<>").removeprefix("http://localhost:5000")
    assert guest.post(unsubscribe).status_code == 200  # one click, no form token
    db.session.refresh(settings)
    assert settings.digest == "off"
    assert guest.get(link[:-3] + "xyz").status_code == 404


def _certificate(folder) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    import shutil
    import subprocess

    import pytest

    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("no openssl to make a test certificate")
    key, cert = str(folder / "key.pem"), str(folder / "cert.pem")
    subprocess.run(  # noqa: S603 - fixed arguments
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
         "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return key, cert


def test_starttls_and_sign_in_to_the_smtp_server(app, runner, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    key, cert = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    keeper = notify_support._Keeper()

    def check(_server, _session, _envelope, _mechanism, data):  # type: ignore[no-untyped-def]
        return AuthResult(success=(data.login, data.password) == (b"planner", b"p@ss word"))

    port = free_port()
    secure = {"tls_context": context, "require_starttls": True}
    controller = Controller(keeper, hostname="127.0.0.1", port=port, authenticator=check,
                            auth_required=True, **secure)  # fmt: skip
    controller.start()
    try:
        monkeypatch.setitem(app.config, "PLANNER_SMTP_CA_FILE", cert)
        monkeypatch.setitem(app.config, "PLANNER_SMTP_URL",
                            f"smtp+starttls://planner:wrong@127.0.0.1:{port}")  # fmt: skip
        t = team()
        _mention(app, t)
        assert "1 failed" in _send(runner)  # a wrong password: refused, nothing sent
        monkeypatch.setitem(app.config, "PLANNER_SMTP_URL",
                            f"smtp+starttls://planner:p%40ss%20word@127.0.0.1:{port}")  # fmt: skip
        output = runner.invoke(args=["notify", "send", "--today", "2026-03-12"]).output
        assert "digests: 1 sent" in output, output
        assert len(keeper.messages) == 1 and "member@acme.example" in str(keeper.messages[0]["To"])
    finally:
        controller.stop()
