"""The reader registry is the one list of formats: discovery, the reader choice and the gate read it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chiso.discover import discover
from chiso.model import BadInputError
from chiso.quality import gate
from chiso.read import registry
from chiso.read.spec import Method, Reader


def test_discovery_accepts_exactly_the_registered_suffixes(tmp_path: Path) -> None:
    """Every registered suffix, in any case, is read; a backup copy (report.pdf~) is reported as ignored."""
    for suffix in registry.SUFFIXES:
        (tmp_path / f"report{suffix.upper()}").write_bytes(b"x")
        (tmp_path / f"report{suffix}~").write_bytes(b"x")  # an editor's backup copy
    found = discover(tmp_path)
    assert sorted(Path(f.relative_path).suffix.lower() for f in found.files) == sorted(registry.SUFFIXES)
    assert len(found.ignored) == len(registry.SUFFIXES)
    assert all(": unsupported type ." in reason for reason in found.ignored)


def test_the_gate_accepts_exactly_the_registered_methods() -> None:
    """The committed GX suite (what runs) lists the registry's methods, no more, no fewer."""
    suite = json.loads((gate.EXPECTATIONS_DIR / "gx" / "expectations" / "observations.json").read_text("utf-8"))
    [accepted] = [
        e["kwargs"]["value_set"] for e in suite["expectations"] if e["kwargs"].get("column") == "extraction_method"
    ]
    assert accepted == list(registry.METHOD_NAMES)


def test_every_method_a_reader_stamps_is_declared(tmp_path: Path) -> None:
    """The methods on what the readers return are their declared ones (a reader cannot add one unseen)."""
    (tmp_path / "report.txt").write_text("Toàn tỉnh có 2.043 chi bộ.\n\nCột A   Cột B\nX   12   13\nY   14   15\n", "utf-8")
    (tmp_path / "sheet.csv").write_text("Đơn vị,Số chi bộ\nA,12\nB,13\n", "utf-8")
    for path in tmp_path.iterdir():
        with path.open("rb") as handle:
            reader = registry.reader_for(path, handle.read(1024))
        document = reader.read_file(path)
        stamped = {t.method for t in document.tables} | {b.method for b in document.texts}
        stamped |= {o.extraction_method for o in document.observations}
        assert stamped and stamped <= {m.name for m in reader.methods}, (path.name, stamped)
        assert document.format in reader.formats


def test_every_declared_function_exists() -> None:
    for reader in registry.READERS:
        for reference in filter(None, (reader.read, reader.accepts, reader.grid)):
            module, _, name = reference.partition(":")
            assert callable(getattr(__import__(module, fromlist=[name]), name)), reference


def test_content_decides_before_the_name(tmp_path: Path) -> None:
    """A PDF saved under a spreadsheet's name is a PDF; a PX-Web export is the GSO's, other CSVs sheets."""
    renamed = tmp_path / "bieu.xls"
    renamed.write_bytes(b"%PDF-1.7\n")
    assert registry.reader_for(renamed, renamed.read_bytes()).name == "pdf"
    plain = tmp_path / "plain.csv"
    plain.write_text("Đơn vị,Số chi bộ\nA,12\n", "utf-8")
    assert registry.reader_for(plain, plain.read_bytes()).name == "sheets"
    with pytest.raises(BadInputError, match="unsupported file type '.odt'"):
        registry.reader_for(tmp_path / "x.odt", b"PK\x03\x04")


def test_a_method_declared_twice_must_mean_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    clash = Reader("clash", (".x",), "m:f", (Method("csv", prose=True),), ("x",))
    monkeypatch.setattr(registry, "READERS", (*registry.READERS, clash))
    with pytest.raises(ValueError, match="'csv' is declared twice"):
        registry._methods()


def test_derived_method_sets() -> None:
    """What the later stages ask, answered from the declarations (prose: read by the narrative reader)."""
    by_name = {m.name: m for m in registry.METHODS}
    assert registry.PROSE_METHODS == {name for name, m in by_name.items() if m.prose} >= {"pdf_text", "ocr_text"}
    assert registry.TYPED_CELL_METHODS == {"xlsx", "xls"}
    assert "ocr_table" in registry.OCR_METHODS and "pdf_table" not in registry.OCR_METHODS
    assert registry.PAGED_METHODS >= {"pdf_table", "ocr_table"} and not registry.PAGED_METHODS & {"xlsx", "csv"}


def test_dbt_accepts_exactly_the_registered_methods(tmp_path: Path) -> None:
    """stg_observations' accepted_values test, as dbt compiles it in a run, lists the registry's methods."""
    import re

    from chiso.load.dbt import run_dbt

    result = run_dbt(["compile", "--select", "stg_observations,test_type:generic"], tmp_path / "w.duckdb",
                     target_dir=tmp_path / "target")
    assert result.success, result.log_tail
    [compiled] = (tmp_path / "target" / "compiled").rglob("accepted_values_stg_observatio*.sql")
    listed = re.search(r"not in \((.*?)\)", compiled.read_text("utf-8"), re.S)
    assert listed is not None
    assert re.findall(r"'([^']*)'", listed.group(1)) == list(registry.METHOD_NAMES)


def test_the_readme_lists_every_reader_and_method() -> None:
    """The README's reader table is the registry's, so a newcomer reads there what chiso reads."""
    readme = (gate.EXPECTATIONS_DIR.parent / "README.md").read_text("utf-8")
    table = readme.split("| reader | suffixes |", 1)[1].split("\n\n", 1)[0]
    rows = {line.split("|")[1].strip().split()[0].strip("`"): line for line in table.splitlines()[2:]}
    assert set(rows) == {reader.name for reader in registry.READERS}
    for reader in registry.READERS:
        assert all(f"`{method.name}`" in rows[reader.name] for method in reader.methods), reader.name
        assert all(suffix in rows[reader.name] for suffix in reader.suffixes), reader.name
