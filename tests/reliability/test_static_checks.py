"""Static checks: the forbidden-construct rules (tools/check_forbidden.py) and bandit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import check_forbidden  # noqa: E402


def rules(source: str) -> list[str]:
    return [f.rule for f in check_forbidden.check_source(source, "snippet.py")]


@pytest.mark.parametrize(
    "source",
    [
        "import yaml\nyaml.load(text)\n",
        "import yaml as y\ny.unsafe_load(text)\n",
        "from yaml import load\n",
        "import yaml\nyaml.full_load(text)\n",
        "from ruamel.yaml import YAML\nYAML(typ='unsafe').load(text)\n",
    ],
)
def test_yaml_load_is_forbidden(source: str) -> None:
    assert "F001" in rules(source)


@pytest.mark.parametrize(
    "source",
    [
        "import xml.etree.ElementTree as ET\nET.fromstring(data)\n",
        "from xml.etree.ElementTree import parse\n",
        "from xml.etree import ElementTree\nElementTree.iterparse(f)\n",
        "import xml.dom.minidom\n",
        "from xml.sax import make_parser\n",
        "from lxml import etree\netree.fromstring(data)\n",
        "import lxml.etree\nlxml.etree.parse(f)\n",
    ],
)
def test_stdlib_and_lxml_xml_parsing_is_forbidden(source: str) -> None:
    assert "F002" in rules(source)


def test_building_xml_and_safe_xml_itself_are_allowed() -> None:
    writer = (
        "from xml.etree.ElementTree import Element, SubElement, tostring\ntostring(Element('a'))\n"
    )
    assert rules(writer) == []
    parser = "from xml.etree.ElementTree import ParseError\nimport defusedxml\n"
    found = check_forbidden.check_source(
        "from defusedxml.ElementTree import fromstring\nfromstring(b'')\n",
        "planner/interop/safe_xml.py",
    )
    assert rules(parser) == [] and found == []


@pytest.mark.parametrize(
    "source",
    [
        "app.run(host='0.0.0.0', debug=True)\n",
        "app.debug = True\n",
        "DEBUG = True\n",
        "app.config['DEBUG'] = True\n",
    ],
)
def test_debug_true_is_forbidden(source: str) -> None:
    assert "F003" in rules(source)


def test_csv_without_the_neutraliser_is_forbidden() -> None:
    bare = "import csv\ndef w(out, rows):\n    csv.writer(out).writerows(rows)\n"
    assert rules(bare) == ["F004"]
    safe = (
        "import csv\nfrom planner.interop.neutralise import neutralise\n"
        "def w(out, rows):\n"
        "    csv.writer(out).writerows([[neutralise(v) for v in r] for r in rows])\n"
    )
    assert rules(safe) == []
    reading = "import csv\ndef r(f):\n    return list(csv.reader(f))\n"
    assert rules(reading) == []


def test_an_allow_comment_silences_only_its_rule() -> None:
    source = "import yaml\nyaml.load(t)  # forbidden: allow F001 trusted fixture\n"
    assert rules(source) == []
    other = "import yaml\nyaml.load(t)  # forbidden: allow F002 wrong rule\n"
    assert rules(other) == ["F001"]


def test_the_application_has_no_forbidden_constructs(capsys) -> None:
    status = check_forbidden.main([str(ROOT / "planner"), str(ROOT / "deploy")])
    assert status == 0, capsys.readouterr().out


def test_bandit_finds_nothing_of_medium_or_high_severity() -> None:
    bandit = Path(sys.executable).parent / "bandit"
    assert bandit.exists(), "bandit is a dev dependency (bandit>=1.7)"
    done = subprocess.run(  # noqa: S603
        [
            str(bandit),
            "-c",
            str(ROOT / "tools" / "bandit.yaml"),
            "-r",
            str(ROOT / "planner"),
            "--severity-level",
            "medium",
            "--format",
            "custom",
            "--msg-template",
            "{relpath}:{line}: {test_id} {severity} {msg}",
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
