"""An undated appendix issued with a report takes the report's data date."""

from datetime import date

from chiso.discover import SourceFile
from chiso.interpret.dossier import inherit_report_dates
from chiso.model import DocumentMeta, Observation
from chiso.process import ProcessedDocument

SIGNED = date(2022, 8, 4)


def _doc(name: str, meta: DocumentMeta, observations: list[Observation]) -> ProcessedDocument:
    return ProcessedDocument(SourceFile(None, name, name, 1), "pdf_text", 1, meta, observations)  # type: ignore[arg-type]


def _obs(method: str, period_end: date, period_start: date | None = None) -> Observation:
    return Observation("x", 1.0, "count", "Hải Dương", "province", "Hải Dương", period_end, period_start,
                       extraction_method=method)


def test_appendix_figures_dated_by_signature_take_the_report_data_date():
    report = _doc("report.pdf", DocumentMeta(province="Hải Dương", issue_date=SIGNED, data_date=date(2022, 6, 30)),
                  [_obs("pdf_text", date(2022, 6, 30))])
    appendix = _doc("bieu04.pdf", DocumentMeta(province="Hải Dương", issue_date=SIGNED),
                    [_obs("ocr_table", SIGNED), _obs("ocr_table", date(2020, 12, 31), date(2015, 1, 1))])
    other_day = _doc("other.pdf", DocumentMeta(province="Hải Dương", issue_date=date(2022, 9, 1)),
                     [_obs("ocr_table", date(2022, 9, 1))])
    inherit_report_dates([report, appendix, other_day])
    assert [o.period_end for o in appendix.observations] == [date(2022, 6, 30), date(2020, 12, 31)]
    assert appendix.meta.data_date == date(2022, 6, 30)
    assert other_day.observations[0].period_end == date(2022, 9, 1)


def test_two_reports_with_different_data_dates_decide_nothing():
    reports = [
        _doc(f"r{i}.pdf", DocumentMeta(province="Hải Dương", issue_date=SIGNED, data_date=d), [_obs("pdf_text", d)])
        for i, d in enumerate([date(2022, 6, 30), date(2022, 7, 31)])
    ]
    appendix = _doc("a.pdf", DocumentMeta(province="Hải Dương", issue_date=SIGNED), [_obs("ocr_table", SIGNED)])
    inherit_report_dates([*reports, appendix])
    assert appendix.observations[0].period_end == SIGNED


def test_a_report_loaded_by_an_earlier_run_dates_a_late_appendix(tmp_path):
    """Nightly runs: the report arrived last night, its appendix tonight."""
    import duckdb

    from chiso.interpret.dossier import PROSE_METHODS
    from chiso.load.landing import ensure_landing
    from chiso.load.warehouse import report_dates

    warehouse = tmp_path / "chiso.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        ensure_landing(con)
        for doc_id, status, method in (("r", "loaded", "pdf_text"), ("q", "quarantined", "pdf_text"), ("t", "loaded", "table")):
            con.execute(
                "insert into landing.documents (document_id, source_file, province, issue_date, data_date, status)"
                " values (?, ?, 'Hải Dương', ?, ?, ?)",
                [doc_id, f"{doc_id}.pdf", SIGNED, date(2022, 6, 30) if doc_id != "t" else date(2022, 5, 31), status],
            )
            con.execute(
                "insert into landing.observations (observation_id, document_id, seq, extraction_method)"
                " values (?, ?, 0, ?)",
                [f"{doc_id}-0", doc_id, method],
            )
    earlier = report_dates(warehouse, PROSE_METHODS)
    assert earlier == {("Hải Dương", SIGNED): {date(2022, 6, 30)}}  # not the quarantined one, not a table-only file
    appendix = _doc("bieu04.pdf", DocumentMeta(province="Hải Dương", issue_date=SIGNED), [_obs("ocr_table", SIGNED)])
    inherit_report_dates([appendix], earlier)
    assert appendix.observations[0].period_end == date(2022, 6, 30)
    assert report_dates(tmp_path / "none.duckdb", PROSE_METHODS) == {}
