"""The API reference page in Chinese: every operation's summary and the texts of the registry
translated from the catalogue, while openapi.json stays English for programs."""

from __future__ import annotations

import html as html_lib
from pathlib import Path

import pytest
from babel.support import Translations

from planner.api.core import OPERATIONS
from planner.api.openapi import TAGS
from planner.api.problems import PROBLEM_HELP, PROBLEMS
from tests.integration.api_support import api_as

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


pytestmark = pytest.mark.usefixtures("api")  # tests/integration/conftest.py


def _zh() -> Translations:
    return Translations.load(str(TRANSLATIONS), ["zh_Hans_CN"], "messages")


def _docs(client) -> str:
    return html_lib.unescape(client.get("/api/v1/docs").get_data(as_text=True))


def test_docs_page_in_chinese_translates_the_registry(client) -> None:
    zh = _zh()
    client.post("/language", data={"lang": "zh_Hans_CN", "next": "/"})
    page = _docs(client)
    texts = [op.summary for op in OPERATIONS] + [title for _slug, title in PROBLEMS.values()]
    texts += [text for text in TAGS.values() if "`" not in text]
    texts += [text for text in PROBLEM_HELP.values() if "`" not in text]
    for text in texts:
        chinese = zh.gettext(text)
        assert chinese != text, f"not translated: {text}"
        assert chinese in page, text
    # the English summaries are gone (the problem titles stay in the example JSON body)
    assert not [op.summary for op in OPERATIONS if f"> {op.summary}<" in page]


def test_docs_page_in_english_shows_codes_as_code(client) -> None:
    client.post("/language", data={"lang": "en", "next": "/"})
    page = _docs(client)
    assert "<code>on_hold</code>" in page and '"on_hold"' not in page
    assert "(<code>status_reason</code> words them for people)" in page
    assert all(f"> {op.summary}<" in page for op in OPERATIONS)  # the pattern the zh test uses


def test_openapi_json_stays_english(app, client) -> None:
    client.post("/language", data={"lang": "zh_Hans_CN", "next": "/"})
    document = client.get("/api/v1/openapi.json").get_json()
    summaries = {
        entry["operationId"]: entry["summary"]
        for item in document["paths"].values()
        for entry in item.values()
    }
    assert summaries == {op.endpoint: op.summary for op in OPERATIONS}
    assert document == api_as(app, "anonymous").get("/openapi.json").get_json()
