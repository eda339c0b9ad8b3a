"""Run-level rules: what is new, what is replaced, what is held back."""

from pathlib import Path

from chiso.batch import plan_run, quarantine_copy
from chiso.discover import discover
from chiso.load import KnownDocuments


def _write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def test_discover_fingerprints_supported_files_and_reports_the_rest(tmp_path):
    _write(tmp_path, "a/report.pdf", b"%PDF-1.4 one")
    _write(tmp_path, "b.xlsx", b"PK\x03\x04 two")
    _write(tmp_path, "notes.docx", b"three")
    _write(tmp_path, ".hidden/c.pdf", b"%PDF-1.4 four")
    found = discover(tmp_path)
    assert [f.relative_path for f in found.files] == ["a/report.pdf", "b.xlsx"]
    assert found.ignored == ["notes.docx"]
    assert len({f.sha256 for f in found.files}) == 2


def test_plan_skips_known_content_and_replaces_changed_files(tmp_path):
    _write(tmp_path, "same.pdf", b"%PDF same")
    _write(tmp_path, "changed.pdf", b"%PDF new version")
    _write(tmp_path, "copy-of-same.pdf", b"%PDF same")
    files = discover(tmp_path)
    same = next(f for f in files.files if f.relative_path == "same.pdf")
    known = KnownDocuments({same.sha256: "loaded", "oldhash": "loaded"}, {"same.pdf": same.sha256, "changed.pdf": "oldhash"})
    plan = plan_run(files, known)
    assert [f.relative_path for f in plan.new] == ["changed.pdf"]
    assert sorted(f.relative_path for f in plan.unchanged) == ["copy-of-same.pdf", "same.pdf"]
    assert plan.replaced_hashes == ["oldhash"]


def test_identical_new_files_are_processed_once(tmp_path):
    _write(tmp_path, "a.pdf", b"%PDF twin")
    _write(tmp_path, "b.pdf", b"%PDF twin")
    plan = plan_run(discover(tmp_path), KnownDocuments({}, {}))
    assert len(plan.new) == 1 and len(plan.unchanged) == 1


def test_quarantine_keeps_a_copy_and_the_reason(tmp_path):
    raw = tmp_path / "raw"
    _write(raw, "bad.pdf", b"")
    source = discover(raw).files[0]
    copied = quarantine_copy(source, ["empty file (0 bytes)"], tmp_path / "q", "run-1")
    assert copied.exists() and (raw / "bad.pdf").exists()
    assert copied.with_name("bad.pdf.reason.txt").read_text(encoding="utf-8") == "empty file (0 bytes)\n"
