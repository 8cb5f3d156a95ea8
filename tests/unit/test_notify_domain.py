"""Notifications in pure Python: reminders, digest periods, comments' Markdown and mentions,
file sniffing, webhook URLs, addresses and DingTalk's signature."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import zipfile
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from planner.domain.errors import ValidationError
from planner.domain.filetypes import check_upload, safe_filename, sniff
from planner.domain.markup import check_comment, mentions, render_markdown
from planner.domain.notify import (
    Dated,
    DigestLine,
    backoff_seconds,
    digest_period,
    group_digest,
    is_quiet,
    matches_owner,
    parse_quiet_days,
    reminders,
    urgency_of,
)
from planner.domain.webhooks import address_allowed, check_url, dingtalk_signed_url, payload

TODAY = date(2026, 3, 11)  # a Wednesday


def _codes(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [p.code for p in exc.value.problems]


# --------------------------------------------------------------------------- reminders


def test_reminders_for_starts_dues_and_lateness() -> None:
    things = [
        Dated("workitem", 1, "Ann", "Kick-off", start=date(2026, 3, 13), due=date(2026, 3, 20)),
        Dated("workitem", 2, "Ann", "Done item", due=date(2026, 3, 1), done=True),
        Dated("workitem", 3, "Bob", "Late item", due=date(2026, 3, 9)),
        Dated("action", 4, "Ann", "Call IT", due=date(2026, 3, 12)),
        Dated("action", 5, "Ann", "Far away", due=date(2026, 4, 30)),
        Dated("review", 6, None, "R-1", due=date(2026, 3, 2)),
        Dated("gate", 7, None, "Phase 1", due=date(2026, 3, 14)),
    ]
    found = {(r.event, r.subject_id) for r in reminders(things, TODAY, 3)}
    assert found == {
        ("item_starts", 1),
        ("item_late", 3),
        ("action_due", 4),
        ("review_overdue", 6),
        ("gate_soon", 7),
    }


def test_a_reminder_found_again_keeps_its_key_and_a_new_due_day_changes_it() -> None:
    first = reminders([Dated("action", 4, "Ann", "Call", due=date(2026, 3, 1))], TODAY, 3)
    again = reminders(
        [Dated("action", 4, "Ann", "Call", due=date(2026, 3, 1))], date(2026, 3, 12), 3
    )
    moved = reminders([Dated("action", 4, "Ann", "Call", due=date(2026, 3, 5))], TODAY, 3)
    assert first[0].dedupe_key == again[0].dedupe_key != moved[0].dedupe_key


def test_urgency_and_owner_matching() -> None:
    assert [urgency_of(e) for e in ("item_late", "action_due", "mentioned")] == [
        "overdue",
        "soon",
        "info",
    ]
    assert matches_owner(" wang fang ", "Wang Fang", "wf@example.com")
    assert matches_owner("WF@example.com", "", "wf@example.com")
    assert not matches_owner("Wang", "Wang Fang", "wf@example.com")
    assert not matches_owner("", "", "")


def test_digest_periods_quiet_days_and_grouping() -> None:
    monday = date(2026, 3, 9)
    assert digest_period(TODAY, "daily") == "2026-03-11"
    assert digest_period(TODAY, "weekly") is None
    assert digest_period(monday, "weekly") == "2026-W11"
    assert digest_period(monday, "off") is None
    assert parse_quiet_days(["7", "6", "x", "6"]) == "67"
    assert is_quiet(date(2026, 3, 14), "67") and not is_quiet(TODAY, "67")
    lines = [
        DigestLine("B program", "info", "b1", "/b"),
        DigestLine("A program", "soon", "a1", "/a"),
        DigestLine("A program", "overdue", "a2", "/a"),
    ]
    grouped = group_digest(lines)
    assert [p for p, _ in grouped] == ["A program", "B program"]
    assert [u for u, _ in grouped[0][1]] == ["overdue", "soon"]
    assert (
        backoff_seconds(1) == 60 and backoff_seconds(3) == 240 and backoff_seconds(99) == 6 * 3600
    )


# --------------------------------------------------------------------------- comments


def test_markdown_is_rendered_and_sanitized() -> None:
    html = render_markdown(
        "**bold** and [site](https://example.com) and [bad](javascript:alert(1))"
    )
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.com"' in html
    assert 'href="javascript' not in html
    assert "<script" not in render_markdown("<script>alert(1)</script>")
    assert "<img" not in render_markdown("![x](https://example.com/x.png)")


@pytest.mark.parametrize(
    "body", ["<b>hi</b>", "x <script>alert(1)</script>", "<img src=x onerror=alert(1)>", "&#60;b"]
)
def test_raw_html_in_a_comment_is_refused(body: str) -> None:
    with pytest.raises(ValidationError) as exc:
        check_comment(body)
    assert _codes(exc) == ["comment.html"]


def test_empty_and_long_comments_are_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        check_comment("   ")
    assert _codes(exc) == ["field.required"]
    with pytest.raises(ValidationError) as exc:
        check_comment("x" * 10_001)
    assert _codes(exc) == ["field.too_long"]
    assert check_comment("  a < b, c > d  ") == "a < b, c > d"


def test_mentions_are_found_once_and_not_inside_addresses() -> None:
    text = "@ann please ask @bob.li. and @Ann again; mail ann@example.com or @carl@example.com"
    assert mentions(text) == ["ann", "bob.li", "carl@example.com"]


# --------------------------------------------------------------------------- files


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_files_are_known_by_their_bytes() -> None:
    assert sniff(b"%PDF-1.7\n...") == "application/pdf"
    assert sniff(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert sniff(_docx()).endswith("wordprocessingml.document")  # type: ignore[union-attr]
    assert sniff("会议纪要\nminutes".encode()) == "text/plain"
    assert sniff(b"MZ\x90\x00rest") is None
    assert sniff(b"\x7fELF....") is None
    assert sniff(b"<html><script>alert(1)</script>") is None
    assert sniff(b"\x00\x01\x02\xff") is None


def test_uploads_are_refused_by_content_size_and_runnable_names() -> None:
    assert check_upload("minutes.pdf", b"%PDF-1.4 x", 100) == "application/pdf"
    for name, data in [("report.pdf", b"MZ\x90\x00"), ("run.sh", b"echo hi"), ("x.svg", b"<svg/>")]:
        with pytest.raises(ValidationError) as exc:
            check_upload(name, data, 100)
        assert _codes(exc) == ["attachment.type_refused"]
    with pytest.raises(ValidationError) as exc:
        check_upload("big.pdf", b"%PDF-" + b"x" * 200, 100)
    assert _codes(exc) == ["attachment.too_large"]
    assert safe_filename('..\\..\\evil"name.pdf') == "evilname.pdf"


# --------------------------------------------------------------------------- webhooks


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("ftp://example.com/hook", "webhook.url_invalid"),
        ("http://example.com/hook", "webhook.url_invalid"),
        ("https://", "webhook.url_invalid"),
        ("https://user:pw@example.com/hook", "webhook.url_credentials"),
        ("https://example.com:99999/hook", "webhook.url_invalid"),
    ],
)
def test_bad_webhook_urls_are_refused(url: str, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        check_url(url, "slack")
    assert code in _codes(exc)


def test_http_is_accepted_only_when_the_operator_allows_internal_addresses() -> None:
    assert (
        check_url(" http://127.0.0.1:8080/h ", "json", allow_http=True) == "http://127.0.0.1:8080/h"
    )


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "192.168.0.5", "172.16.0.1", "169.254.169.254", "::1", "fe80::1",
     "::ffff:127.0.0.1", "0.0.0.0", "fc00::1"],
)  # fmt: skip
def test_internal_addresses_need_the_operators_allowance(address: str) -> None:
    assert not address_allowed(address, allow_private=False)
    if address not in ("0.0.0.0",):
        assert address_allowed(address, allow_private=True)


def test_public_addresses_are_allowed() -> None:
    assert address_allowed("203.0.113.9", allow_private=False) is False  # documentation range
    assert address_allowed("8.8.8.8", allow_private=False)
    assert address_allowed("2606:4700:4700::1111", allow_private=False)


def test_dingtalk_signature_follows_its_documented_recipe() -> None:
    url = dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=abc", "SEC1", 1700)
    query = parse_qs(urlsplit(url).query)
    expected = base64.b64encode(hmac.new(b"SEC1", b"1700\nSEC1", hashlib.sha256).digest()).decode()
    assert query["timestamp"] == ["1700"] and query["sign"] == [expected]
    assert query["access_token"] == ["abc"]


def test_each_robot_gets_its_own_body() -> None:
    assert payload("wecom", "T", "x", "https://l", "e")["msgtype"] == "markdown"
    assert payload("dingtalk", "T", "x", "https://l", "e")["markdown"]["title"] == "T"
    assert payload("slack", "T", "x", "https://l", "e") == {"text": "T\nx\nhttps://l"}
    assert payload("json", "T", "x", "https://l", "e")["event"] == "e"


def test_mentions_are_marked_outside_links_and_code() -> None:
    html = render_markdown("hi @ann, [ask @bob](https://e.com) `@carl` **@dan** a@b.com")
    assert '<span class="mention">@ann</span>' in html
    assert '<span class="mention">@dan</span>' in html
    assert "x @bob" not in html and ">ask @bob</a>" in html
    assert "<code>@carl</code>" in html and "a@b.com" in html
