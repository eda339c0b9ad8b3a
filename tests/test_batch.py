"""Run-level rules: what is new, what is replaced, what is held back."""

from pathlib import Path

from chiso.discover import discover
from chiso.load.warehouse import KnownDocuments
from chiso.run.batch import plan_run, quarantine_copy


def _write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def test_discover_fingerprints_supported_files_and_reports_the_rest(tmp_path):
    _write(tmp_path, "a/report.pdf", b"%PDF-1.4 one")
    _write(tmp_path, "b.xlsx", b"PK\x03\x04 two")
    _write(tmp_path, "notes.odt", b"three")
    _write(tmp_path, ".hidden/c.pdf", b"%PDF-1.4 four")
    found = discover(tmp_path)
    assert [f.relative_path for f in found.files] == ["a/report.pdf", "b.xlsx"]
    assert found.ignored == [".hidden: hidden folder, not read", "notes.odt: unsupported type .odt"]
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


def test_two_bad_files_with_one_name_keep_a_quarantine_copy_each(tmp_path):
    raw = tmp_path / "raw"
    _write(raw, "a/bad.pdf", b"one")
    _write(raw, "b/bad.pdf", b"two")
    copies = [quarantine_copy(source, ["broken"], tmp_path / "q", "run-1") for source in discover(raw).files]
    assert [c.relative_to(tmp_path / "q" / "run-1").as_posix() for c in copies] == ["a/bad.pdf", "b/bad.pdf"]
    assert [c.read_bytes() for c in copies] == [b"one", b"two"]
    assert all(c.with_name("bad.pdf.reason.txt").is_file() for c in copies)


def _lamdong_appendix(real: Path) -> Path:
    return real / "lamdong-2025/lamdong_phu-luc-I-VII_chi-so-cchc-2025/lamdong_phu-luc-I_chi-dao-dieu-hanh-cchc-2025.pdf"


def test_one_impossible_cell_holds_its_row_and_publishes_the_rest(real: Path) -> None:
    """A real appendix of 562 cells, one of them made impossible: 561 publish, 1 is held with its reason."""
    import polars as pl

    from chiso.discover import SourceFile, sha256_of
    from chiso.load.frames import observations_frame
    from chiso.process import process_document
    from chiso.quality import totals_checks, validate_batch
    from chiso.run.batch import apply_gate

    path = _lamdong_appendix(real)
    doc = process_document(SourceFile(path, path.name, sha256_of(path), path.stat().st_size))
    frame = observations_frame([doc])
    percent = frame["unit"].to_list().index("percent")
    broken = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == percent).then(84893.0).otherwise(pl.col("value")).alias("value")
    )
    outcome = apply_gate([doc], broken, validate_batch(broken, totals_checks(broken)))
    assert [d.source.name for d in outcome.passing] == [path.name] and not outcome.held
    assert outcome.published.height == frame.height - 1
    held = outcome.held_cells.row(0, named=True)
    assert outcome.held_cells.height == 1 and held["held_unit"] == "row"
    assert held["reason"].startswith("percentage 84893 outside -100–1000 (page ")
    [unit] = outcome.quarantined
    assert (unit.unit, unit.cells_held, unit.stage) == ("row", 1, "validate")


def test_an_altered_copy_is_held_whole(corpus: Path) -> None:
    from chiso.discover import SourceFile, sha256_of
    from chiso.load.frames import observations_frame
    from chiso.process import process_document
    from chiso.quality import totals_checks, validate_batch
    from chiso.run.batch import apply_gate

    path = corpus / "bad/bieu06_luan-chuyen-can-bo_ban-sao.xlsx"
    doc = process_document(SourceFile(path, path.name, sha256_of(path), path.stat().st_size))
    frame = observations_frame([doc])
    outcome = apply_gate([doc], frame, validate_batch(frame, totals_checks(frame)))
    assert not outcome.passing and outcome.published.height == 0
    assert outcome.held_cells.height == frame.height
    assert set(outcome.held_cells["held_unit"]) == {"document"}
    [unit] = outcome.quarantined
    assert unit.unit == "document" and unit.reason == "totals mismatch: column 1, TỔNG 157 vs sum 156 in Biểu số 6"


def test_a_build_killed_mid_run_leaves_nothing_that_breaks_the_next(tmp_path: Path) -> None:
    """A killed run's build directory (database, its WAL, dbt target, unpublished quarantine copies)
    and an older release's .building file are cleared by the next run, which stages cleanly."""
    import duckdb

    from chiso.load.build import Build, builds_root, clear_leftovers

    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create table published as select 1 as x")
    killed = Build.start(warehouse, "run-killed")
    with duckdb.connect(str(killed.database)) as con:  # a build that never checkpointed: its WAL stays
        con.execute("pragma disable_checkpoint_on_shutdown")
        con.execute("create table half_built as select range as x from range(1000)")
    (killed.dbt_target / "logs").mkdir(parents=True)
    _write(killed.quarantine / "run-killed", "bad.pdf.reason.txt", b"empty file\n")
    legacy = warehouse.with_name(".w.duckdb.building")
    legacy.write_bytes(b"half")
    assert Path(f"{killed.database}.wal").exists()

    cleared = clear_leftovers(warehouse)
    assert cleared == [
        "cleared the build of interrupted run run-killed (chiso.duckdb, chiso.duckdb.wal, dbt,"
        " 1 unpublished quarantine copies)",
        "cleared .w.duckdb.building, left by an interrupted run",
    ]
    assert not any(builds_root(warehouse).iterdir()) and not legacy.exists()
    fresh = Build.start(warehouse, "run-next")
    with duckdb.connect(str(fresh.stage(warehouse))) as con:
        assert con.execute("select x from published").fetchall() == [(1,)]
    fresh.publish(warehouse, tmp_path / "quarantine")
    assert not builds_root(warehouse).exists()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from landing.documents").fetchone() == (0,)


def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path: Path) -> None:
    import os

    import polars as pl

    raw = tmp_path / "raw"
    raw.mkdir()
    poison = os.path.join(os.fsencode(raw), b"bad\xff\xfename.csv")
    with open(poison, "wb") as handle:
        handle.write(b"a;b\n1;2\n")
    [found] = discover(raw).files
    assert found.relative_path == "bad\\xff\\xfename.csv" == found.name
    assert pl.DataFrame({"source_file": [found.name]}).height == 1  # storable, unlike a lone surrogate
    assert found.path.read_bytes() == b"a;b\n1;2\n"
