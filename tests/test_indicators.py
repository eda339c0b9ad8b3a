"""Printed labels → measure + breakdown: the curated catalog and the dimension vocabulary, on real labels."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

from chiso.discover import SourceFile, sha256_of
from chiso.indicators import catalog as catalog_module
from chiso.indicators.catalog import UNITS, CatalogError, load_catalog
from chiso.indicators.dimensions import breakdown_text
from chiso.indicators.interpret import interpret, source_key
from chiso.indicators.remap import land_catalog, remap
from chiso.load.frames import observations_frame
from chiso.load.landing import ensure_landing
from chiso.normalize.text import fold
from chiso.process import process_document


def _read(label: str, source: str = "", subject: str = "") -> tuple[str, str]:
    meaning = interpret(label, source_key(source), subject)
    return meaning.code, meaning.breakdown


def test_catalog_is_consistent() -> None:
    catalog = load_catalog()
    assert len(catalog) >= 20
    assert all(i.unit in UNITS and i.name_vi and i.topic and (i.labels or i.items_of or i.heads) for i in catalog.values())
    assert all(catalog[i.items_of].components for i in catalog.values() if i.items_of)
    assert all(i.name_en for i in catalog.values() if i.reviewed)
    assert catalog["dang_vien"].additive and catalog["budget_revenue"].additive
    assert not catalog["pci_index"].additive and not catalog["cchc_index"].additive
    for index in ("cchc_index", "pci_index", "papi_index"):
        assert len(catalog[index].components) >= 7 and "component" in catalog[index].dimensions


def _truth_labels(corpus: Path) -> dict[str, set[str]]:
    labels: dict[str, set[str]] = {}
    for path in (corpus / "truth").glob("*.csv"):
        if path.name == "documents.csv":
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                labels.setdefault(row["indicator_label"], set()).add(row["source_file"])
    return labels


@pytest.mark.parametrize(
    ("label", "reading"),
    [
        ("Số bí thư chi bộ đồng thời là trưởng thôn, KDC", ("bi_thu_kiem_truong_thon", "")),
        ("Tổng số chi bộ thôn, khu dân cư", ("chi_bo_thon_kdc", "")),
        ("chi bộ thôn, bản, tổ dân phố", ("chi_bo_thon_kdc", "")),
        ("Tổng số thôn, khu dân cư", ("thon_kdc", "")),
        ("tổ chức cơ sở đảng", ("to_chuc_co_so_dang", "")),
        ("chi bộ cơ sở", ("chi_bo_co_so", "")),
        ("Người hoạt động không chuyên trách cấp xã: tổng số", ("nguoi_hdkct_xa", "")),
        ("Chỉ số CCHC: tổng điểm (chỉ số CCHC)", ("cchc_index", "")),
        ("Chỉ số CCHC: Cải cách thể chế", ("cchc_index", "component=institutions")),
        ("Chỉ số CCHC: xếp hạng", ("cchc_index", "statistic=rank")),
    ],
)
def test_corpus_labels_read_as_catalog_measures(corpus: Path, label: str, reading: tuple[str, str]) -> None:
    sources = _truth_labels(corpus)[label]  # the label is printed in the corpus
    assert {_read(label, source) for source in sources} == {reading}


@pytest.mark.parametrize(
    ("label", "source", "reading"),
    [
        ("TỔNG THU NSNN TRÊN ĐỊA BÀN", "Plan_2010.xls", ("budget_revenue", "budget_basis=plan")),
        ("Tổng thu NSNN trên địa bàn tỉnh, thành phố", "Final_2010.xls", ("budget_revenue", "budget_basis=final")),
        ("BỔ SUNG TỪ NGÂN SÁCH TRUNG ƯƠNG CHO NGÂN SÁCH ĐỊA PHƯƠNG / TỔNG SỐ", "Plan_2010.xls", ("transfer_total", "budget_basis=plan")),
        ("Bổ sung từ NSTW cho NSĐP / Bổ sung có mục tiêu", "Final_2010.xls", ("transfer_targeted", "budget_basis=final")),
        ("CHI GIÁO DỤC - ĐÀO TẠO, DẠY NGHỀ", "Plan_2009.xls",
         ("expenditure_by_function", "budget_basis=plan; item=Giáo dục - đào tạo, dạy nghề")),
        ("III. Chi chương trình mục tiêu / Tổng số", "Final_2012.xls", ("targeted_programmes_expenditure", "budget_basis=final")),
        ("III. Chi các Chương trình MTQG, CT 135, DA trồng mới 5 triệu ha rừng / Tổng số", "Final_2008.xls",
         ("national_target_programmes_expenditure", "budget_basis=final")),
        ("II. CHI TRẢ NỢ VÀ VIỆN TRỢ", "Final_2010.xls", ("debt_and_aid_expenditure", "budget_basis=final")),
        ("III. Chi phát triển sự nghiệp kinh tế - xã hội, quốc phòng, an ninh, quản lý hành chính / Chi y tế",
         "Plan_2006.xls", ("recurrent_expenditure", "budget_basis=plan; item=Chi y tế")),
        ("BỔ SUNG VỐN ĐẦU TƯ ĐỂ THỰC HIỆN CÁC CHƯƠNG TRÌNH MỤC TIÊU, NHIỆM VỤ", "Plan_2012.xls",
         ("transfer_targeted", "budget_basis=plan; item=Vốn đầu tư để thực hiện các chương trình mục tiêu, nhiệm vụ")),
        ("Average population — Female", "Average population by province.csv", ("average_population", "sex=female")),
        ("Average population — Rural", "Average population by province.csv", ("average_population", "area=rural")),
        ("Average population — Total", "Average population by province.csv", ("average_population", "")),
        ("Transparency", "PAPI_2011-2016.xlsx", ("papi_index", "component=transparency")),
        ("Tính minh bạch", "PCI_2016.xlsx", ("pci_index", "component=transparency")),
        ("PCI 2013 ranking", "PCI_2013.xlsx", ("pci_index", "statistic=rank")),
        ("Đào tạo chuyên môn / Trên đại học — Bí thư cấp ủy", "x.xls", ("can_bo_dao_tao_chuyen_mon", "category=Bí thư cấp ủy; qualification=trên đại học")),
    ],
)
def test_printed_labels_and_sources_read(label: str, source: str, reading: tuple[str, str]) -> None:
    assert _read(label, source) == reading


def test_a_label_of_breakdown_words_only_takes_the_tables_subject() -> None:
    """GSO's projection prints "Female / 2034" over "0-4": the measure is what the document is about."""
    subject = "TABLE B.2.7. HANOI, PROJECTED POPULATION CLASSIFIED by AGE GROUP AND SEX, 2014-2034 Unit: Thousand persons"
    assert _read("Female — 0-4", "projection.pdf", subject) == ("population_projection", "age_group=0-4; sex=female")
    assert _read("Both sexes — 80+", "projection.pdf", subject) == ("population_projection", "age_group=80+")
    # a PAR-index appendix about one area: its columns are statistics of that component
    source = "lamdong_phu-luc-II_cai-cach-the-che-2025.pdf Chỉ số cải cách hành chính"
    assert _read("Điểm tự đánh giá", source) == ("cchc_index", "component=institutions; statistic=self_assessed")
    assert _read("Điểm thẩm định", source) == ("cchc_index", "component=institutions")


@pytest.mark.parametrize("year, basis", [(2009, "Quyết toán"), (2013, "Dự toán"), (2016, "QUYẾT TOÁN")])
def test_a_captions_year_table_number_and_basis_do_not_split_its_measure(year: int, basis: str) -> None:
    """The MoF national appendices name their measure in the caption, dated and numbered
    ('Table 06/CKTC-NSNN QUYẾT TOÁN CHI NGÂN SÁCH TRUNG ƯƠNG THEO LĨNH VỰC NĂM 2013 (Kèm theo …)'), and
    print only 'Quyết toán' over the budget lines: one measure every year, the basis a dimension, the line a
    category; a column 'NSTW' or 'Vốn ĐTPT' is a budget level or capital type, not a measure."""
    subject = f"MINISTRY OF FINANCE Table 06/CKTC-NSNN {basis} CHI NGÂN SÁCH TRUNG ƯƠNG THEO LĨNH VỰC NĂM {year} (Kèm theo Quyết định số 1731/QĐ-BTC) Đơn vị tính: Tỷ đồng"
    wanted = "final" if fold(basis) == "quyet toan" else "plan"
    assert _read(f"{basis} — Chi giáo dục, đào tạo", f"Final_{year}.xls", subject) == (
        "central_budget_expenditure_by_function", f"budget_basis={wanted}; category=Chi giáo dục, đào tạo")
    unknown = interpret("Quyết toán — Chi khác", source_key(f"Final_{year}.xls"), f"QUYẾT TOÁN THU CHI QUỸ XYZ NĂM {year}")
    assert unknown.code == "thu_chi_quy_xyz" and not unknown.catalogued  # uncatalogued, still one code a year
    levels = "DỰ TOÁN CHI NSNN, CHI NSTW VÀ CHI NSĐP THEO CƠ CẤU CHI NĂM 2016"
    assert _read("Chia ra - Including / NSTW Central budget — Chi trả nợ", "Plan_2016.xls", levels) == (
        "state_budget_expenditure_national", "budget_basis=plan; budget_level=central; category=Chi trả nợ")
    programmes = "QUYẾT TOÁN CHI CHƯƠNG TRÌNH MỤC TIÊU QUỐC GIA NĂM 2012"
    assert _read("Chia ra / Vốn ĐTPT — Chương trình nông thôn mới", "Final_2012.xls", programmes) == (
        "national_target_programmes_expenditure", "budget_basis=final; capital_type=investment; category=Chương trình nông thôn mới")


def test_a_sub_indicator_in_a_table_about_one_component_is_an_item_of_it() -> None:
    """A PCI sub-index sheet prints its score and the survey indicators it is computed from."""
    source = "PCI_2015.xlsx"
    subject = "Các chỉ tiêu cấu thành chỉ số thành phần Chi phí thời gian"
    assert _read("Sub-Index 4", source, subject) == ("pci_index", "component=time_costs")
    question = "Số giờ trung vị làm việc với thanh tra thuế Câu hỏi điều tra PCI: D4"
    assert _read(question, source, subject) == ("pci_indicator", "component=time_costs; item=Số giờ trung vị làm việc với thanh tra thuế")
    # the variable name printed under the caption is provenance, not part of the item
    assert _read("Cán bộ nhà nước thân thiện (% đồng ý) / par1_friendly_new", source, "Chi phí thời gian")[1] == (
        "component=time_costs; item=Cán bộ nhà nước thân thiện (% đồng ý)"
    )
    # outside a document about the index, or in a table about no component, nothing is read as an item
    assert _read(question, "report.pdf", subject)[0] != "pci_indicator"
    assert _read(question, source, "Summary_VN")[0] != "pci_indicator"


def test_caption_decorations_do_not_split_a_measure() -> None:
    """Footnote marks, the English line, a fused 'Tổng số' and a repeated index number are not the measure."""
    assert _read("THU NSNN TRÊN ĐỊA BÀN (1)", "Plan_2017.xls") == ("budget_revenue", "budget_basis=plan")
    assert _read("BỔ SUNG CÓ MỤC TIÊU TỔNG SỐ / TỔNG SỐ", "Plan_2007.xls") == ("transfer_targeted", "budget_basis=plan")
    assert _read("Bổ sung cân đối - Balance transfers", "Plan_2008.xls") == ("transfer_balancing", "budget_basis=plan")
    assert _read("Chỉ số 5: Chi phí không chính thức Chỉ số 5", "PCI_2008.xls") == ("pci_index", "component=informal_charges")


@pytest.mark.parametrize(("label", "reading"), [
    ("Đảng viên chính thức (đồng chí)", ("dang_vien", "category=chính thức")),
    ("dang vién chinh thirc (ddng chi)", ("dang_vien", "category=chinh thuc")),  # OCR: the value as mended
    ("Số chi bd", ("chi_bo", "")),
    ("cudc kiém tra, giam sat", ("cuoc_kiem_tra_giam_sat", "item=kiém tra, giam sat")),  # as printed, same length
    ("Dân số (nghìn người)", ("dan_so", "")),
])
def test_the_unit_a_count_is_in_and_ocr_spelling_do_not_split_a_measure(label: str, reading: tuple[str, str]) -> None:
    assert _read(label) == reading


def test_real_pci_sub_index_sheets_are_catalogued(real: Path) -> None:
    """Every figure of a real PCI sub-index sheet is its component's score or one of its sub-indicators."""
    path = real / "pci" / "PCI_2014.xlsx"
    document = process_document(SourceFile(path, path.name, sha256_of(path), 0))
    frame = observations_frame([document])
    sheets = frame.filter(pl.col("table_title").is_in(["Chi phí gia nhập thị trường", "Tính minh bạch", "Thiết chế pháp lý"]))
    assert sheets.height > 1000
    assert set(sheets["indicator_code"]) == {"pci_index", "pci_indicator"}
    components = sheets.select(pl.col("breakdown").str.extract(r"component=(\w+)")).to_series()
    assert set(components) == {"entry_costs", "transparency", "legal_institutions"}
    scores = sheets.filter(pl.col("indicator_code") == "pci_index")
    assert scores["breakdown"].n_unique() == 3  # one score column per sheet


def test_unknown_measures_keep_a_code_without_their_breakdown() -> None:
    """One unknown measure printed with and without a sex breakdown is still one measure."""
    plain, _ = _read("Số hộ được hỗ trợ nhà ở")
    female = _read("Số hộ được hỗ trợ nhà ở / Nữ")
    assert female == (plain, "sex=female") and not interpret("Số hộ được hỗ trợ nhà ở").catalogued
    assert _read("Trong đó / Thôn, KDC có 1 chi bộ")[0] == _read("Thôn, KDC có 1 chi bộ")[0]


def test_a_counted_noun_names_its_measure_and_keeps_the_rest_as_its_item() -> None:
    """A sentence's noun phrase no pattern foresaw joins the measure its head noun names, its own series still."""
    assert _read("đảng viên bị xóa tên do bỏ sinh hoạt đảng") == ("dang_vien", "item=bị xóa tên do bỏ sinh hoạt đảng")
    assert _read("dang vién bi xoa tén") == ("dang_vien", "item=bi xoa tén")  # OCR: found on the mended spelling, kept as printed
    assert _read("TTHC nội bộ thuộc phạm vi quản lý của tỉnh") == (
        "thu_tuc_hanh_chinh", "item=nội bộ thuộc phạm vi quản lý của tỉnh")
    assert _read("Số đảng viên được kết nạp")[0] == "dang_vien_ket_nap"  # a specific pattern wins over a head
    assert _read("đảng viên nữ") == ("dang_vien", "sex=female")  # a breakdown word is a dimension, not an item
    assert not interpret("Đảng viên bị xóa tên / Tỷ lệ %").catalogued  # a head never names a rate as a count


def test_the_row_names_the_measure_of_a_value_column_without_a_caption() -> None:
    """bc329's appendix ('STT | Chỉ tiêu | Kết quả', its value column uncaptioned): the rows are the measures."""
    subject = "Công tác chỉ đạo điều hành CCHC"
    assert interpret(" — Số nhiệm vụ đề ra trong kế hoạch", "", subject).code == "nhiem_vu"
    assert interpret("Quyết toán — Chi giáo dục, đào tạo", "", subject).breakdown.startswith("budget_basis=final")


def test_a_counts_head_never_names_money() -> None:
    """cv644 (Lâm Đồng's PCI follow-up): 'khoảng 33.300 doanh nghiệp còn pháp nhân, vốn đăng ký hơn 360.000 tỷ đồng'."""
    assert _read("doanh nghiệp đăng ký thành lập mới") == ("doanh_nghiep", "item=đăng ký thành lập mới")
    assert not interpret("doanh nghiệp còn pháp nhân, vốn đăng ký (tỷ đồng)").catalogued
    assert _read("tổng vốn đầu tư (tỷ đồng)")[0] == "von_dau_tu"


def test_a_share_of_a_counted_measure_is_that_measure_with_statistic_share() -> None:
    assert _read("tỷ lệ đảng viên bị xóa tên") == ("dang_vien", "item=bị xóa tên; statistic=share")
    assert _read("tỷ lệ đảng viên nữ") == ("dang_vien", "sex=female; statistic=share")
    assert _read("Tỷ lệ thôn, KDC") == ("thon_kdc", "statistic=share")
    assert not interpret("tỷ lệ đạt kế hoạch người phải giảm").catalogued  # achievement of a plan, no share
    assert _read("Tỷ lệ hồ sơ giải quyết trước và đúng hạn")[0] == "ty_le_ho_so_dung_han"  # a catalogued rate wins


def test_a_bare_breakdown_word_is_the_documents_index_only_when_the_index_has_that_breakdown() -> None:
    par_report = source_key("bao-cao-cchc-2025.pdf", "Báo cáo kết quả cải cách hành chính năm 2025")
    assert interpret("Xếp hạng", par_report).code == "cchc_index"
    assert interpret("Thực hiện (tỷ đồng)", par_report).code != "cchc_index"  # a budget basis: no PAR score


def test_breakdown_text_is_canonical() -> None:
    assert breakdown_text({"sex": "male", "age_group": "0-4"}) == "age_group=0-4; sex=male"
    assert breakdown_text({}) == ""


def test_real_pci_headers_read(real: Path) -> None:
    sheet = openpyxl.load_workbook(real / "pci" / "PCI_2016.xlsx", read_only=True)["Summary_VN"]
    header = [" ".join(str(c).split()) for c in next(sheet.iter_rows(max_row=1, values_only=True)) if c]
    readings = {h: interpret(h, source_key("PCI_2016.xlsx")) for h in header}
    assert (readings["PCI 2016"].code, readings["PCI 2016"].breakdown) == ("pci_index", "")
    assert readings["Tiếp cận đất đai"].breakdown == "component=land_access"
    assert readings["Thiết chế pháp lý"].breakdown == "component=legal_institutions"
    assert readings["Xếp hạng"].breakdown == "statistic=rank"
    assert sum(r.code == "pci_index" for r in readings.values()) == 12  # PCI, its rank and its ten sub-indices
    assert readings["Nhóm xếp hạng"].code != "pci_index"  # the rank group ("Excellent") is not the rank


def test_a_broken_catalog_entry_names_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.yml").write_text("indicators:\n  - code: x\n    name_vi: X\n    unit: kilograms\n", encoding="utf-8")
    monkeypatch.setattr(catalog_module, "CATALOG_DIR", tmp_path)
    load_catalog.cache_clear()
    try:
        with pytest.raises(CatalogError, match="bad.yml entry 1 .*kilograms"):
            load_catalog()
    finally:
        load_catalog.cache_clear()


def test_landed_labels_are_read_again_when_the_catalog_changes(tmp_path: Path) -> None:
    """A warehouse loaded with an older catalog (here: codes from nowhere) is re-read in place."""
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        ensure_landing(con)
        con.execute("insert into landing.documents (document_id, source_file) values ('d1', 'Plan_2010.xls')")
        con.execute(
            "insert into landing.observations (observation_id, document_id, seq, indicator_code, breakdown, indicator_label)"
            " values ('o1', 'd1', 0, 'old_code', '', 'TỔNG THU NSNN TRÊN ĐỊA BÀN'), ('o2', 'd1', 1, 'old', '', 'Nữ')"
        )
        con.execute("insert into landing.runs (run_id, finished_at, catalog_digest) values ('r0', now(), 'older')")
        land_catalog(con)
        assert remap(con) == 2
        assert con.execute("select indicator_code, breakdown from landing.observations where observation_id = 'o1'").fetchone() == (
            "budget_revenue", "budget_basis=plan",
        )
        assert con.execute("select count(*) from landing.catalog_indicators where indicator_code = 'budget_revenue'").fetchone() == (1,)
        con.execute("update landing.runs set catalog_digest = ?", [catalog_module.catalog_digest()])
        assert remap(con) == 0  # same catalog: nothing to read again


def test_the_catalog_listing_counts_indicators_without_observations_and_lists_them_on_request() -> None:
    from chiso.indicators.review import Coverage, render

    covered = [Coverage("dang_vien", "Số đảng viên", "party", True, 22, 7, 5, 6, 1),
               Coverage("gdp", "GDP", "statistics", True, 0, 0, 0, 0, 0),
               Coverage("cot_1", "", None, False, 46, 13, 1, 2, 1)]
    short = render(covered, [], 0.3)
    assert "dang_vien" in short and "gdp" not in short and "1 more catalog indicators have no observation" in short
    assert "gdp" in render(covered, [], 0.3, show_all=True)


def test_the_pci_infrastructure_sheet_holds_items_of_its_supplementary_index() -> None:
    """'Co so ha tang' (PCI 2008–2013): its survey and hard-data columns are items of component infrastructure."""
    code, breakdown = _read("Số giờ bị cắt điện trong tháng trước *", "PCI_2011.xls", "Co so ha tang")
    assert (code, breakdown) == ("pci_indicator", "component=infrastructure; item=Số giờ bị cắt điện trong tháng trước")
    assert _read("Chỉ số cơ sở hạ tầng", "PCI_2011.xls", "Co so ha tang") == ("pci_index", "component=infrastructure")
