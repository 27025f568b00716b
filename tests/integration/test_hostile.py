"""Hostile files: zip bombs, a million rows, entity bombs, odd file names, symlinks.

Each is refused (or parsed) with a clear message, in bounded time and memory, and never crashes the run.
Large files are made here, in tmp_path, by the functions of tests/corpus/make_corpus.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from pipelines.parsing.inbox import inbox_files, parse_inbox
from pipelines.storage.landing import land_reports
from pipelines.parsing.files import parse_file
from pipelines.parsing.results import Limits
from workbooks import CORPUS, corpus_module

corpus = corpus_module()
TODAY = dt.date(2026, 11, 27)
ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "seeds" / "reference"


def parse(path: Path, reference, limits: Limits | None = None):
    return parse_file(path, path.name, reference, today=TODAY, limits=limits)


def rules(reports) -> list[str]:
    return [i.rule for r in reports for i in r.issues if i.severity == "error"]


def measured(path: Path, timeout: float = 60, address_space: int | None = None) -> dict:
    """Parse in a fresh process with the default limits: the rules found, seconds taken, peak RSS in MB.

    The peak is the process's own high-water mark (VmHWM): getrusage's ru_maxrss survives exec, so in a
    child of a big pytest process it would report the parent's size. `address_space` caps the child's
    address space (RLIMIT_AS, bytes): past it, an allocation fails (or the reader aborts) instead of growing.
    """
    script = f"""
import datetime as dt, json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
from pipelines.parsing.reference import load_reference
from pipelines.parsing.files import parse_file

def peak_mb():
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

reference = load_reference(Path({str(REFERENCE)!r}))
started = time.monotonic()
reports = parse_file(Path(sys.argv[1]), "x.xlsx", reference, today=dt.date(2026, 11, 27))
print(json.dumps({{"rules": [i.rule for r in reports for i in r.issues], "seconds": time.monotonic() - started,
                  "messages": [i.message for r in reports for i in r.issues], "rss_mb": peak_mb()}}))
"""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))

    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True,
                          timeout=timeout, check=True, preexec_fn=cap if address_space else None)
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------- zip bombs

@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    root = tmp_path_factory.mktemp("bombs")
    return {
        # 1 GiB of sheet XML in a 1 MB file; the zip says so
        "honest": corpus.zip_bomb(root / "bomb.xlsx", 1 << 30),
        # the same, but the zip directory claims the sheet is 5 kB
        "lying": corpus.zip_bomb(root / "bomb_lying.xlsx", 1 << 30, declared_bytes=5_000),
    }


@pytest.mark.parametrize("kind", ["honest", "lying"])
def test_zip_bomb_with_default_limits_is_refused_quickly_in_little_memory(bombs, kind):
    assert bombs[kind].stat().st_size < 2 * 1024 * 1024
    result = measured(bombs[kind])
    assert result["rules"] == ["workbook_too_large"]
    assert "tối đa 200 MB" in result["messages"][0]
    assert result["seconds"] < 5
    assert result["rss_mb"] < 400  # the bomb is never inflated into memory (the interpreter alone is ~150 MB)


@pytest.mark.parametrize("declared", [None, 1_000])
def test_zip_bomb_with_small_limits(tmp_path, reference, declared):
    path = corpus.zip_bomb(tmp_path / "b.xlsx", 8 << 20, declared_bytes=declared)
    limits = Limits(max_unzipped_bytes=4 << 20, max_sheet_xml_bytes=2 << 20)
    (report,) = parse(path, reference, limits)
    assert [(i.rule, i.severity) for i in report.issues] == [("workbook_too_large", "error")]
    assert "tối đa 4 MB" in report.issues[0].message


def test_member_whose_size_lies_within_the_limits_is_unreadable(tmp_path, reference):
    """A zip whose directory understates a member's size is corrupt: refused, never handed to calamine."""
    path = corpus.zip_bomb(tmp_path / "b.xlsx", 3 << 20, declared_bytes=1_000)
    (report,) = parse(path, reference)
    assert rules([report]) == ["file_unreadable"]
    assert "1000" in report.issues[0].message


def test_shared_strings_part_is_bounded_too(tmp_path, reference):
    """Parts calamine reads whole on opening (shared strings, styles) count against the per-part limit."""
    parts = corpus.raw_parts(["Thông tin", "Giảm nghèo"])
    parts["xl/worksheets/sheet1.xml"] = corpus.sheet_xml(corpus._info_sheet_data())
    parts["xl/worksheets/sheet2.xml"] = corpus.sheet_xml(b"<sheetData/>")
    parts["xl/sharedStrings.xml"] = b"<sst>" + b"<si><t>a</t></si>" * 200_000 + b"</sst>"
    path = tmp_path / "strings.xlsx"
    path.write_bytes(corpus.zip_bytes(parts))
    (report,) = parse(path, reference, Limits(max_sheet_xml_bytes=1 << 20))
    assert rules([report]) == ["workbook_too_large"]


def test_too_many_zip_members(tmp_path, reference):
    path = tmp_path / "a.xlsx"
    shutil.copyfile(CORPUS / "valid" / "total_row_tong.xlsx", path)
    (report,) = parse(path, reference, Limits(max_members=5))
    assert rules([report]) == ["workbook_too_large"]


def test_file_too_large_is_not_opened(tmp_path, reference):
    path = tmp_path / "a.xlsx"
    shutil.copyfile(CORPUS / "valid" / "total_row_tong.xlsx", path)
    (report,) = parse(path, reference, Limits(max_file_bytes=1_000))
    assert [(i.rule, i.severity) for i in report.issues] == [("file_too_large", "error")]
    assert "tối đa" in report.issues[0].message


# ---------------------------------------------------------------------------------------------- big sheets

def test_million_rows_refused_in_bounded_time_and_memory(tmp_path):
    path = corpus.million_row_workbook(tmp_path / "million.xlsx")
    assert path.stat().st_size < 10 * 1024 * 1024
    result = measured(path)
    assert result["rules"] == ["sheet_too_large"]
    assert "1.000.001 dòng; tối đa 50.000 dòng" in result["messages"][0]
    assert result["seconds"] < 10
    assert result["rss_mb"] < 1024


def test_sheet_limits_rows_cells_bytes(tmp_path, reference):
    path = corpus.million_row_workbook(tmp_path / "small.xlsx", rows=300)
    for limits, detail in [(Limits(max_rows=100), "301 dòng; tối đa 100 dòng"),
                           (Limits(max_cells=200), "ô; tối đa 200 ô"),
                           (Limits(max_sheet_xml_bytes=5_000), "MB khi giải nén")]:
        (report,) = parse(path, reference, limits)
        assert rules([report]) == ["sheet_too_large"], limits
        assert detail in report.issues[0].message and "'Giảm nghèo'" in report.issues[0].message


def test_csv_with_too_many_lines(tmp_path, reference):
    path = tmp_path / "big.csv"
    path.write_text("district_code,period,family,item,indicator,value\n" + "844,2022,poverty,29293,x,1\n" * 1000)
    (report,) = parse(path, reference, Limits(max_csv_lines=500))
    assert rules([report]) == ["sheet_too_large"]


# ---------------------------------------------------------------------------------------------- the used range

GIB = 2**30


@pytest.mark.parametrize("rows", [3_000, 20_000])
def test_column_xfd_bomb_is_refused_before_it_is_allocated(tmp_path, rows):
    """One stray cell at XFD1 over `rows` short rows: a few KB on disk, rows × 16,384 cells to a reader (2.7 GB
    at 3,000 rows, SIGABRT at 20,000 before the guard). Refused from the sheet XML, under a 1.5 GB address space."""
    path = CORPUS / "hostile" / "column_xfd_bomb.xlsx"
    if rows != 3_000:
        path = tmp_path / "bomb.xlsx"
        path.write_bytes(corpus.wide_range_workbook(rows))
    assert path.stat().st_size < 200_000
    result = measured(path, address_space=int(1.5 * GIB))
    assert result["rules"] == ["sheet_too_large"]
    cells = f"{rows * 16_384:,}".replace(",", ".")
    assert f"vùng dữ liệu A1:XFD{rows}, {cells} ô" in result["messages"][0]
    assert result["rss_mb"] < 400


def test_used_range_counts_the_dimension_and_every_cell_reference(tmp_path, reference):
    """The used range is the larger of the <dimension> and the cells' own references (even an empty styled cell,
    or a cell whose reference lies beyond its row's)."""
    data = b'<row r="1"><c r="A1"><v>1</v></c></row>'
    for sheet, used in [(b'<dimension ref="A1:Z100"/><sheetData>' + data + b"</sheetData>", "A1:Z100"),
                        (b'<dimension ref="A1"/><sheetData>' + data.replace(b"</row>", b'<c r="AB3" s="1"/></row>')
                         + b"</sheetData>", "A1:AB3"),
                        (b'<sheetData><row r="2"><c r="B900"><v>1</v></c></row></sheetData>', "A1:B900")]:
        path = tmp_path / "range.xlsx"
        path.write_bytes(corpus.raw_workbook({"Thông tin": corpus._info_sheet_data(), "Giảm nghèo": sheet}))
        (report,) = parse(path, reference, Limits(max_range_cells=50))
        assert rules([report]) == ["sheet_too_large"] and used in report.issues[0].message, sheet
    (report,) = parse(path, reference)  # 1.800 cells: within the default limit
    assert "sheet_too_large" not in rules([report])


# ---------------------------------------------------------------------------------------------- many issues

def test_issue_heavy_csv_keeps_the_first_issues_of_each_rule(reference):
    (report,) = parse(CORPUS / "hostile" / "issue_heavy.csv", reference)
    kept = [i.rule for i in report.issues]
    assert kept.count("csv_indicator_unknown") == kept.count("commune_unknown") == 50
    summaries = [i.message for i in report.issues if i.rule == "issues_truncated"]
    assert len(summaries) == 2 and len(report.issues) == 102
    assert "Còn 949 chỗ khác" in summaries[0] and "'csv_indicator_unknown' (lỗi)" in summaries[0]
    assert "Còn 950 chỗ khác" in summaries[1] and "'commune_unknown' (lỗi)" in summaries[1]
    assert report.count("error") == 1_999 and report.count("warning") == 0 and report.rejected
    # the cap is a limit like the others, and survives the trip to and from an inbox worker process
    (small,) = parse(CORPUS / "hostile" / "issue_heavy.csv", reference, Limits(max_issues_per_rule=5))
    assert len(small.issues) == 12 and small.count("error") == 1_999
    copy = pickle.loads(pickle.dumps(small))
    assert copy.issues == small.issues and copy.count("error") == 1_999 and copy.issues.cap == 5


def test_issue_heavy_csv_near_the_size_limit_parses_within_bounds(tmp_path):
    """450,000 lines that each break a rule (19 MB, under the 20 MB file limit): held ~0.9 GB of issues before
    the cap. Parsed under a 1.5 GB address space; the resident peak stays well under it."""
    path = tmp_path / "heavy.csv"
    path.write_bytes(corpus.issue_heavy_csv(450_000))
    result = measured(path, timeout=600, address_space=int(1.5 * GIB))
    assert sorted(set(result["rules"])) == ["commune_unknown", "csv_indicator_unknown", "issues_truncated"]
    assert len(result["rules"]) == 102
    assert result["rss_mb"] < 1024


# ---------------------------------------------------------------------------------------------- XML bombs

def test_billion_laughs_is_refused_quickly(reference):
    started = time.monotonic()
    (report,) = parse(CORPUS / "hostile" / "billion_laughs.xlsx", reference)
    assert time.monotonic() - started < 2
    assert rules([report]) == ["file_unreadable"]


def test_password_protected_workbook(tmp_path, reference):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le"))
    (report,) = parse(path, reference)
    assert rules([report]) == ["file_unreadable"] and "mật khẩu" in report.issues[0].message


# ---------------------------------------------------------------------------------------------- file names

ODD_NAMES = corpus.ODD_NAMES + ['báo cáo "quý III".xlsx', "tab\tand\nnewline.xlsx", "$(rm -rf ~).xlsx",
                                "quote'; SELECT 1; --\".csv"]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_odd_file_names_parse_fine(name, tmp_path, reference):
    source = CORPUS / "hostile" / name if (CORPUS / "hostile" / name).exists() else None
    path = tmp_path / name
    if source is not None:
        shutil.copyfile(source, path)
    else:
        shutil.copyfile(CORPUS / "hostile" / ("'; DROP TABLE x; --.xlsx" if name.endswith(".xlsx")
                                              else corpus.ODD_NAMES[-1]), path)
    (report,) = parse_file(path, name, reference, today=TODAY)
    assert report.file_name == name
    assert report.status == "accepted" and len(report.rows) == 14


def test_odd_names_land_verbatim_and_no_sql_is_run(tmp_path, reference):
    """File names travel as data: the warehouse holds them verbatim and its tables survive."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in corpus.ODD_NAMES:
        shutil.copyfile(CORPUS / "hostile" / name, inbox / name)
    (inbox / 'x"; DROP TABLE raw.poverty_rows; --.xlsx').write_bytes((inbox / corpus.ODD_NAMES[0]).read_bytes())
    reports = parse_inbox(inbox, REFERENCE)
    db = tmp_path / "w.duckdb"
    land_reports(db, reports)
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = {r[0] for r in con.execute("SELECT file_name FROM raw.report_submissions").fetchall()}
        rows = con.execute("SELECT count(*) FROM raw.poverty_rows").fetchone()[0]
    finally:
        con.close()
    assert names == set(corpus.ODD_NAMES) | {'x"; DROP TABLE raw.poverty_rows; --.xlsx'}
    assert rows == 14 * len(names)


# ---------------------------------------------------------------------------------------------- symlinks

def test_symlink_out_of_the_inbox_is_not_followed(tmp_path, reference):
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.xlsx"
    shutil.copyfile(CORPUS / "valid" / "total_row_tong.xlsx", secret)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copyfile(CORPUS / "valid" / "total_row_cong.xlsx", inbox / "real.xlsx")
    os.symlink(secret, inbox / "link.xlsx")
    os.symlink(outside, inbox / "linked_folder")
    os.symlink("/etc/passwd", inbox / "passwd.csv")
    # the inbox scan lists links (to files and to folders) without entering them ...
    assert [p.name for p in inbox_files(inbox)] == ["link.xlsx", "linked_folder", "passwd.csv", "real.xlsx"]
    reports = {r.file_name: r for r in parse_inbox(inbox, REFERENCE)}
    assert sorted(reports) == ["link.xlsx", "linked_folder", "passwd.csv", "real.xlsx"]  # not linked_folder/…
    # ... and refuses each of them with a message, never reading what they point to
    for name in ("link.xlsx", "linked_folder", "passwd.csv"):
        assert rules([reports[name]]) == ["file_unreadable"] and "symlink" in reports[name].issues[0].message
    assert reports["real.xlsx"].status == "accepted"
    # ... and parse_file refuses one without opening what it points to
    for link in ("link.xlsx", "passwd.csv"):
        (report,) = parse(inbox / link, reference)
        assert rules([report]) == ["file_unreadable"] and "symlink" in report.issues[0].message
        assert report.rows == []


def test_corrupt_members_never_crash(tmp_path, reference):
    """A zip entry with a bad deflate stream or compression method is a clear refusal, not an exception."""
    good = (CORPUS / "valid" / "total_row_tong.xlsx").read_bytes()
    with zipfile.ZipFile(tmp_path / "bad.xlsx", "w") as zf, zipfile.ZipFile(CORPUS / "valid" / "total_row_tong.xlsx") \
            as src:
        for info in src.infolist():
            zf.writestr(info.filename, src.read(info.filename), compress_type=zipfile.ZIP_BZIP2)
    (report,) = parse(tmp_path / "bad.xlsx", reference)
    assert rules([report]) == ["file_unreadable"]
    damaged = bytearray(good)
    middle = len(damaged) // 2
    damaged[middle:middle + 200] = b"\x00" * 200
    (tmp_path / "damaged.xlsx").write_bytes(bytes(damaged))
    (report,) = parse(tmp_path / "damaged.xlsx", reference)
    assert rules([report]) == ["file_unreadable"]


def test_huge_info_sheet_is_not_loaded(tmp_path, reference):
    rows = b"".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>'.encode() for r in range(1, 301))
    path = tmp_path / "info.xlsx"
    path.write_bytes(corpus.raw_workbook({"Thông tin": b"<sheetData>" + rows + b"</sheetData>",
                                          "Giảm nghèo": b"<sheetData/>"}))
    (report,) = parse(path, reference, Limits(max_rows=100))
    assert [(i.rule, i.message) for i in report.issues] == [
        ("sheet_too_large", "Trang 'Thông tin' quá lớn (300 dòng; tối đa 100 dòng). Chỉ giữ các dòng số liệu của "
                            "báo cáo, xoá các dòng và cột thừa.")]


def test_file_name_is_a_label_never_a_path(tmp_path, reference):
    """The name recorded for a file (even '../../x') is only ever data: the file read is the path given."""
    path = tmp_path / "a.xlsx"
    shutil.copyfile(CORPUS / "valid" / "total_row_tong.xlsx", path)
    (report,) = parse_file(path, "../../etc/passwd", reference, today=TODAY)
    assert report.file_name == "../../etc/passwd" and report.status == "accepted" and len(report.rows) == 14
