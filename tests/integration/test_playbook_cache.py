"""Each playbook file is parsed once per content: a new process reads the parsed playbook
back by the file's checksum instead of parsing the YAML again."""

from __future__ import annotations

import shutil
from pathlib import Path

import planner.services.playbooks as service
from planner.config import SHIPPED_PLAYBOOKS

SMALL = SHIPPED_PLAYBOOKS / "small-business-quick-start.yaml"


def test_a_file_is_parsed_once_per_content(tmp_path: Path, monkeypatch) -> None:
    parsed: list[str] = []
    real = service.load_playbook

    def counting(path: Path):
        parsed.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(service, "load_playbook", counting)
    kept = tmp_path / "kept"
    file = tmp_path / "quick.yaml"
    shutil.copy(SMALL, file)

    first = service.load_by_checksum(file, kept)
    again = service.load_by_checksum(file, kept)  # as a new process would: from the folder
    assert parsed == ["quick.yaml"]
    assert again == first and again is not first
    assert len(list(kept.glob("*.pickle"))) == 1

    # another content is another entry, parsed once
    text = file.read_text(encoding="utf-8")
    assert "Small-business CRM quick start" in text
    file.write_text(
        text.replace("Small-business CRM quick start", "Quick start", 1), encoding="utf-8"
    )
    changed = service.load_by_checksum(file, kept)
    assert parsed == ["quick.yaml", "quick.yaml"]
    assert changed != first
    assert len(list(kept.glob("*.pickle"))) == 2


def test_a_damaged_entry_is_parsed_again(tmp_path: Path) -> None:
    kept = tmp_path / "kept"
    first = service.load_by_checksum(SMALL, kept)
    (entry,) = kept.glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert service.load_by_checksum(SMALL, kept) == first
    assert entry.read_bytes() != b"not a pickle"  # written again


def test_without_a_folder_nothing_is_kept(tmp_path: Path) -> None:
    assert service.load_by_checksum(SMALL, None).id == "small-business-quick-start"
    assert not list(tmp_path.iterdir())
