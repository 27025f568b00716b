"""The project's copies of the official unit lists and the crosswalk (seeds/reference/) say what the
reorganisation of 1 July 2025 says: counts of provinces, communes and links, Tỉnh Vĩnh Long, the former Trà Vinh."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

REFERENCE = Path(__file__).resolve().parents[2] / "seeds" / "reference"


def _rows(name: str) -> list[dict[str, str]]:
    with open(REFERENCE / name, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def before() -> list[dict[str, str]]:
    return _rows("admin_units.csv")


@pytest.fixture(scope="module")
def after() -> list[dict[str, str]]:
    return _rows("admin_units_2025-07-01.csv")


@pytest.fixture(scope="module")
def crosswalk() -> list[dict[str, str]]:
    return _rows("commune_crosswalk_2025-07-01.csv")


def test_units_before_the_reorganisation(before):
    assert len({r["province_code"] for r in before}) == 63
    assert len(before) == len({r["commune_code"] for r in before}) == 10047
    tra_vinh = [r for r in before if r["province_code"] == "84"]
    assert len(tra_vinh) == 104
    assert Counter(r["commune_type"] for r in tra_vinh) == {"Xã": 85, "Thị trấn": 10, "Phường": 9}
    assert sorted({r["district_code"] for r in tra_vinh}) == [
        "842", "844", "845", "846", "847", "848", "849", "850", "851"]


def test_units_after_the_reorganisation(after):
    provinces = [r for r in after if not r["commune_code"]]
    communes = [r for r in after if r["commune_code"]]
    assert len(provinces) == 34
    assert len(communes) == len({r["commune_code"] for r in communes}) == 3321
    assert Counter(r["commune_type"] for r in communes) == {"Xã": 2621, "Phường": 687, "Đặc khu": 13}
    vinh_long = next(r for r in provinces if r["province_code"] == "86")
    assert vinh_long["province_name"] == "Tỉnh Vĩnh Long"
    assert vinh_long["old_province_codes"] == "83;84;86"
    assert sum(r["province_code"] == "86" for r in communes) == 124


def test_crosswalk(before, after, crosswalk):
    assert Counter(r["merge_type"] for r in crosswalk) == {"full": 9592, "partial": 1012}
    assert len({r["old_commune_code"] for r in crosswalk if r["merge_type"] == "partial"}) == 460
    new_codes = {r["commune_code"] for r in after if r["commune_code"]}
    assert {r["new_commune_code"] for r in crosswalk} <= new_codes
    # every old commune is in the crosswalk; the five other old codes are island districts that became đặc khu
    old_codes = {r["commune_code"] for r in before}
    assert old_codes <= {r["old_commune_code"] for r in crosswalk}
    islands = {r["old_commune_code"] for r in crosswalk} - old_codes
    assert islands == {"318", "471", "498", "536", "755"}
    assert all(r["new_commune_name"].startswith("Đặc khu") and r["old_commune_name"].startswith("Huyện")
               for r in crosswalk if r["old_commune_code"] in islands)


def test_the_former_tra_vinh_became_41_communes_of_vinh_long(before, after, crosswalk):
    old = {r["commune_code"] for r in before if r["province_code"] == "84"}
    links = [r for r in crosswalk if r["old_commune_code"] in old]
    assert len(links) == 104 and {r["merge_type"] for r in links} == {"full"}  # each old commune whole
    new = {r["new_commune_code"] for r in links}
    assert {r["new_province_code"] for r in links} == {"86"}
    types = Counter(r["commune_type"] for r in after if r["commune_code"] in new)
    assert len(new) == 41 and types == {"Xã": 35, "Phường": 6}
