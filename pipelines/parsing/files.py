"""Where a report file is parsed: a workbook or CSV file in, reports with rows and issues out.

`parse_file` never raises for bad input: whatever is wrong with a file becomes an `Issue` (see `rules.py`) on
the report it concerns, so one bad file or sheet never stops the others. Values come out in canonical units:
households, km, whole VND, booleans. This module sniffs and hashes the file and refuses it whole when it must;
`workbook.py` and `csv_reports.py` read the two formats.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import stat
from pathlib import Path

from ..settings import VIETNAM
from .csv_reports import parse_csv
from .plan import is_plan_workbook, parse_plan
from .reference import Reference
from .results import Context, Limits, ParsedReport
from .rules import issue
from .text import mb_vi
from .workbook import FileRefused, open_container, parse_workbook

log = logging.getLogger(__name__)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def entry_sha256(path: Path, limits: Limits | None = None) -> str | None:
    """What identifies the content of an inbox entry, without ever blocking or reading more than needed; None
    when it vanished. A regular file: its sha256, or for a file above the size limit (refused anyway) a hash of
    its size and first megabyte, so a 3 GB file is not read at every refresh. A link: its target, never
    followed. A FIFO, socket or device: never opened. A file that cannot be read: its size and time."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        try:
            return hashlib.sha256(f"symlink:{path.readlink()}".encode()).hexdigest()
        except FileNotFoundError:
            return None
    if not stat.S_ISREG(info.st_mode):
        return hashlib.sha256(f"special:{stat.S_IFMT(info.st_mode)}:{info.st_rdev}".encode()).hexdigest()
    try:
        if info.st_size > (limits or Limits()).max_file_bytes:
            return _sha256_head(path)
        return file_sha256(path)
    except FileNotFoundError:
        return None
    except OSError:
        return hashlib.sha256(f"unreadable:{info.st_size}:{info.st_mtime_ns}".encode()).hexdigest()


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "một ống dẫn (FIFO)"
    if stat.S_ISSOCK(mode):
        return "một socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "một thiết bị"
    return "không phải tệp thông thường"


def received_time(path: Path) -> dt.datetime:
    """When the file arrived in the inbox: its modification time, in Viet Nam time."""
    return dt.datetime.fromtimestamp(path.stat().st_mtime, VIETNAM).replace(tzinfo=None, microsecond=0)


def parse_file(path: Path, file_name: str, reference: Reference, *, today: dt.date | None = None,
               limits: Limits | None = None, sha256: str | None = None) -> list[ParsedReport]:
    """Every report in one inbox file. Never raises for bad content: problems become issues.

    Even an unexpected failure of the parser on some odd file becomes a `file_unreadable` issue on that file
    (logged with its traceback), so one file never stops a run.
    """
    try:
        return _parse_file(path, file_name, reference, today=today, limits=limits, sha256=sha256)
    except Exception as err:  # noqa: BLE001 - the last line of defence of a run
        log.exception("parsing %s failed", file_name)
        try:
            sha = sha256 or file_sha256(path)
            received = received_time(path)
        except OSError:
            sha, received = hashlib.sha256(file_name.encode()).hexdigest(), dt.datetime.now(VIETNAM).replace(
                tzinfo=None, microsecond=0)
        report = ParsedReport(file_name, None, sha, received)
        report.issues.append(issue("file_unreadable", detail=f"lỗi khi đọc tệp ({type(err).__name__}: "
                                                             f"{str(err)[:200]})"))
        return [report]


def _parse_file(path: Path, file_name: str, reference: Reference, *, today: dt.date | None,
                limits: Limits | None, sha256: str | None) -> list[ParsedReport]:
    ctx = Context(reference, today or dt.datetime.now(VIETNAM).date(), limits or Limits())

    def file_level(code: str, sha: str, received: dt.datetime, **params: object) -> list[ParsedReport]:
        report = ParsedReport(file_name, None, sha, received)
        report.issues.append(issue(code, **params))
        return [report]

    if path.is_symlink():
        # a link may point anywhere (outside the inbox): it is never followed
        link = path.lstat()
        received = dt.datetime.fromtimestamp(link.st_mtime, VIETNAM).replace(tzinfo=None, microsecond=0)
        target = hashlib.sha256(f"symlink:{path.readlink()}".encode()).hexdigest()
        return file_level("file_unreadable", sha256 or target, received,
                          detail="đây là liên kết (symlink) tới tệp khác, không phải tệp báo cáo; gửi chính tệp đó")
    try:
        info = path.stat()
    except FileNotFoundError:  # gone since the inbox was listed (moved or deleted while the refresh ran)
        return file_level("file_unreadable", sha256 or hashlib.sha256(f"vanished:{file_name}".encode()).hexdigest(),
                          dt.datetime.now(VIETNAM).replace(tzinfo=None, microsecond=0),
                          detail="tệp đã bị xoá hoặc chuyển đi trong khi đang đọc hộp thư; gửi lại tệp")
    received = dt.datetime.fromtimestamp(info.st_mtime, VIETNAM).replace(tzinfo=None, microsecond=0)
    if not stat.S_ISREG(info.st_mode):
        # a FIFO would block a reader forever, a device could be endless: never opened
        return file_level("file_unreadable", sha256 or hashlib.sha256(f"special:{file_name}".encode()).hexdigest(),
                          received, detail=f"đây là {_special_kind(info.st_mode)}, không phải tệp báo cáo")
    size = info.st_size
    if size > ctx.limits.max_file_bytes:
        return file_level("file_too_large", sha256 or _sha256_head(path), received,
                          size_mb=mb_vi(size), limit_mb=mb_vi(ctx.limits.max_file_bytes))
    sha = sha256 or file_sha256(path)
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"PK\x03\x04"):
        try:
            with open_container(path, ctx.limits) as container:  # the guard, and the sheets listed
                if is_plan_workbook(container.members):  # the emulation plan (Kế hoạch thi đua): plan.py
                    return parse_plan(path, file_name, sha, received, ctx, container)
                return parse_workbook(path, file_name, sha, received, ctx, container)
        except FileRefused as refused:
            return file_level(refused.code, sha, received, **refused.params)
    if size == 0:
        return file_level("file_unreadable", sha, received, detail="tệp rỗng (0 byte)")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return file_level("file_unreadable", sha, received, detail=_ole_detail(path))
    if path.suffix.lower() in (".csv", ".txt"):
        return parse_csv(path, file_name, sha, received, ctx)
    what = f"tệp mang đuôi '{path.suffix}'" if path.suffix else "tệp không có phần đuôi (.xlsx, .csv)"
    return file_level("file_unreadable", sha, received, detail=f"{what} nhưng nội dung không phải sổ Excel")


def _sha256_head(path: Path) -> str:
    """Content hash of a file too large to read whole: its size and first megabyte."""
    digest = hashlib.sha256(str(path.stat().st_size).encode())
    with open(path, "rb") as f:
        digest.update(f.read(1 << 20))
    return digest.hexdigest()


def _ole_detail(path: Path) -> str:
    """An OLE2 compound file: an old .xls workbook, or an .xlsx protected by a password."""
    with open(path, "rb") as f:
        data = f.read(4 << 20)
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "sổ Excel có đặt mật khẩu; gỡ mật khẩu (File > Info > Protect Workbook) rồi lưu lại"
    return "định dạng Excel 97-2003 (.xls) cũ"
