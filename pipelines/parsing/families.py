"""The report families as typed data: which sheet, which period, which columns (and their accepted labels).

This is the one place that describes a family. The parser reads its columns from here, the raw tables are typed
from here (`storage/landing.py`), the template writes its header from here and the Dagster assets take their
descriptions from here. Adding a family starts with an entry in `FAMILIES` (see docs/adding-a-family.md).
"""

from __future__ import annotations

from dataclasses import dataclass

NUMBER_KINDS = ("count", "km", "money")
VALUE_KINDS = NUMBER_KINDS + ("yesno",)
PERIOD_TYPE_VI = {"year": "năm", "half": "6 tháng", "quarter": "quý", "month": "tháng"}
PERIOD_TYPE_EN = {"year": "a year", "half": "a half-year", "quarter": "a quarter", "month": "a month"}


@dataclass(frozen=True)
class Column:
    name: str
    labels: tuple[str, ...]
    kind: str  # 'name' | 'code' | 'count' | 'km' | 'money' | 'yesno' | 'category'
    required: bool = False
    hint: str = ""  # for the template's instructions, in Vietnamese, beyond what the kind says

    @property
    def noun_vi(self) -> str:
        """The column's label as a noun inside a sentence: 'số hộ nghèo', 'tổng số hộ', 'số hộ DTTS'."""
        label = self.labels[0]
        return label[:1].lower() + label[1:]


@dataclass(frozen=True)
class AtMost:
    """A row rule between two columns: `column` ≤ `limit` (a sub-count never exceeds its total).

    The parser checks it (rule `rule`) and the template's data validation stops it being typed in.
    """

    column: str
    limit: str
    rule: str


@dataclass(frozen=True)
class Family:
    name: str  # 'poverty': the raw table is raw.<name>_rows
    sheet: str  # the data sheet's name in a workbook
    period_type: str  # 'year' | 'quarter'
    vi: str  # the family's name in Vietnamese messages
    grain: str  # 'commune': a row per commune | 'category': a row per savings category
    columns: tuple[Column, ...]
    description: str  # of its raw table, in English
    title: str  # the template's title row, before the period: 'BÁO CÁO KẾT QUẢ …'
    at_most: tuple[AtMost, ...] = ()  # sub-counts and their totals

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def value_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.kind in VALUE_KINDS)

    @property
    def key_column(self) -> str:
        return "category" if self.grain == "category" else "commune_name"


_NAME = Column("commune_name", ("Xã, phường, thị trấn", "Tên xã", "Đơn vị", "Tên đơn vị"), "name", True)
_CODE = Column("commune_code", ("Mã xã", "Mã đơn vị"), "code")

FAMILIES: dict[str, Family] = {f.name: f for f in (
    Family(
        "poverty", sheet="Giảm nghèo", period_type="year", vi="giảm nghèo", grain="commune",
        description="Commune rows of accepted poverty reports (households).",
        title="BÁO CÁO KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO",
        columns=(
            _NAME, _CODE,
            Column("total_households", ("Tổng số hộ", "Tổng số hộ dân cư"), "count", True),
            Column("poor_households", ("Số hộ nghèo", "Hộ nghèo"), "count", True),
            Column("near_poor_households", ("Số hộ cận nghèo", "Hộ cận nghèo"), "count", True),
            Column("em_households", ("Số hộ DTTS", "Tổng số hộ dân tộc thiểu số"), "count"),
            Column("em_poor_households", ("Số hộ nghèo DTTS", "Hộ nghèo dân tộc thiểu số"), "count"),
            Column("em_near_poor_households", ("Số hộ cận nghèo DTTS", "Hộ cận nghèo dân tộc thiểu số"), "count"),
        ),
        at_most=(
            AtMost("poor_households", "total_households", "poor_exceeds_total"),
            AtMost("near_poor_households", "total_households", "near_poor_exceeds_total"),
            AtMost("em_households", "total_households", "em_exceeds_total"),
            AtMost("em_poor_households", "em_households", "em_exceeds_total"),
            AtMost("em_poor_households", "poor_households", "em_exceeds_total"),
            AtMost("em_near_poor_households", "em_households", "em_exceeds_total"),
            AtMost("em_near_poor_households", "near_poor_households", "em_exceeds_total"),
        ),
    ),
    Family(
        "infrastructure", sheet="Hạ tầng", period_type="quarter", vi="hạ tầng", grain="commune",
        description="Commune rows of accepted infrastructure reports (km, VND, NTM flags, OCOP).",
        title="BÁO CÁO KẾT QUẢ XÂY DỰNG NÔNG THÔN MỚI, KẾT CẤU HẠ TẦNG",
        columns=(
            _NAME, _CODE,
            Column("rural_road_km", ("Đường GTNT xây mới, nâng cấp (km)", "Đường giao thông nông thôn (km)"),
                   "km", True),
            Column("green_road_km", ("Tuyến đường xanh - sạch - đẹp (km)", "Đường xanh sạch đẹp (km)"), "km"),
            Column("lit_road_km", ("Thắp sáng đường quê (km)", "Đường được thắp sáng (km)"), "km"),
            Column("investment_vnd", ("Vốn đầu tư (triệu đồng)", "Tổng vốn đầu tư (triệu đồng)"), "money"),
            Column("people_contribution_vnd",
                   ("Nhân dân đóng góp (triệu đồng)", "Trong đó: nhân dân đóng góp (triệu đồng)"), "money"),
            Column("ntm_standard", ("Đạt chuẩn NTM",), "yesno"),
            Column("ntm_advanced", ("Đạt chuẩn NTM nâng cao",), "yesno",
                   hint="chỉ đánh dấu khi xã cũng đạt chuẩn NTM"),
            Column("ntm_model", ("Đạt chuẩn NTM kiểu mẫu",), "yesno", hint="chỉ đánh dấu khi xã cũng đạt chuẩn NTM"),
            Column("ocop_products", ("Sản phẩm OCOP (lũy kế)", "Số sản phẩm OCOP"), "count",
                   hint="lũy kế đến cuối kỳ, không chỉ sản phẩm mới trong kỳ"),
        ),
    ),
    Family(
        "savings", sheet="Tiết kiệm", period_type="year", vi="tiết kiệm, chống lãng phí", grain="category",
        description="Category rows of accepted savings reports (VND).",
        title="BÁO CÁO KẾT QUẢ THỰC HÀNH TIẾT KIỆM, CHỐNG LÃNG PHÍ",
        columns=(
            Column("category", ("Nội dung", "Lĩnh vực"), "category", True),
            Column("budget_vnd", ("Dự toán (triệu đồng)", "Dự toán chi (triệu đồng)"), "money"),
            Column("planned_savings_vnd", ("Kế hoạch tiết kiệm (triệu đồng)", "Chỉ tiêu tiết kiệm (triệu đồng)"),
                   "money", True),
            Column("achieved_savings_vnd", ("Thực hiện tiết kiệm (triệu đồng)", "Kết quả tiết kiệm (triệu đồng)"),
                   "money", True),
        ),
    ),
)}


def family_names() -> str:
    """'poverty, infrastructure, savings': the families' names for messages."""
    return ", ".join(FAMILIES)
