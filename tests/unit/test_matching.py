"""District and commune matching as clerks write names: properties over every unit of Trà Vinh.

Any Unicode form (NFC, NFD), any case, with or without the type ('Xã', 'X.', 'Phường', 'P.', 'TT.'), with the
tone mark on either vowel ('Hoà'/'Hòa', 'Thuỷ'/'Thủy'), with stray spaces: the name matches its code. A name
that fits two units of the district without its type (Trà Cú's 'Định An') is an error naming both.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.parsing.reference import load_reference
from pipelines.parsing.units import MatchError
from pipelines.parsing.text import fold, tone_key
from pipelines.settings import DEFAULT_REFERENCE

REFERENCE = load_reference(DEFAULT_REFERENCE)
UNITS = REFERENCE.units
PROVINCES = REFERENCE.provinces
TRA_VINH = sorted((u for u in UNITS.communes.values() if UNITS.districts[u.parent_code].parent_code == "84"),
                  key=lambda u: u.code)
DISTRICTS = sorted((u for u in UNITS.districts.values() if u.parent_code == "84"), key=lambda u: u.code)
COMMUNE_PREFIXES = {"Xã": ["Xã ", "xã ", "XÃ ", "X. ", "Xa "], "Phường": ["Phường ", "P.", "P. ", "P", "phuong "],
                    "Thị trấn": ["Thị trấn ", "TT. ", "TT.", "TT ", "thi tran "]}
DISTRICT_PREFIXES = {"Huyện": ["Huyện ", "H. ", "huyen "], "Thị xã": ["Thị xã ", "TX ", "TX. ", "thi xa "],
                     "Thành phố": ["Thành phố ", "TP ", "TP. ", "TP.", "thanh pho "]}
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
VOWELS = set("aeiouyAEIOUY")


def ambiguous_in_district(unit) -> bool:
    return sum(1 for u in UNITS.communes_by_district[unit.parent_code] if tone_key(u.name) == tone_key(unit.name)) > 1


def move_tone(word: str, choice: int) -> str:
    """The word with its tone mark moved to another vowel ('hoà' <-> 'hòa'), NFC."""
    chars = list(unicodedata.normalize("NFD", word))
    tones = [c for c in chars if c in TONES]
    if len(tones) != 1:
        return word
    chars = [c for c in chars if c not in TONES]
    vowels = [i for i, c in enumerate(chars) if c in VOWELS]
    if not vowels:
        return word
    at = vowels[choice % len(vowels)] + 1
    while at < len(chars) and unicodedata.combining(chars[at]):
        at += 1  # after the vowel's own marks (circumflex, breve, horn)
    chars.insert(at, tones[0])
    return unicodedata.normalize("NFC", "".join(chars))


@st.composite
def written_name(draw, unit, prefixes: dict[str, list[str]]):
    """A unit's name as a clerk might type it."""
    name = unit.name
    words = name.split(" ")
    name = " ".join(move_tone(w, draw(st.integers(0, 3))) for w in words)
    prefix = draw(st.sampled_from([""] + prefixes.get(unit.type, [])))
    if name.isdigit() and prefix == "":
        name = draw(st.sampled_from([name, name.zfill(2)]))
    text = prefix + name
    text = draw(st.sampled_from([text, text.upper(), text.lower(), text.title()]))
    text = unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD"])), text)
    pad = draw(st.sampled_from(["", " ", "  ", "\u00a0"]))
    return pad + text.replace(" ", draw(st.sampled_from([" ", "  "]))) + pad, bool(prefix)


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_every_commune_name_matches_its_code(data):
    unit = data.draw(st.sampled_from(TRA_VINH))
    text, typed = data.draw(written_name(unit, COMMUNE_PREFIXES))
    if not typed and ambiguous_in_district(unit):
        with pytest.raises(MatchError) as err:
            UNITS.match_commune(unit.parent_code, text, None)
        assert err.value.kind == "ambiguous" and unit in err.value.candidates
    else:
        assert UNITS.match_commune(unit.parent_code, text, None) == unit, text


@pytest.mark.parametrize("unit", TRA_VINH, ids=lambda u: u.code)
def test_every_commune_matches_by_full_name_and_code(unit):
    assert UNITS.match_commune(unit.parent_code, unit.full_name, None) == unit
    assert UNITS.match_commune(unit.parent_code, unicodedata.normalize("NFD", unit.full_name.upper()), None) == unit
    assert UNITS.match_commune(unit.parent_code, None, unit.code) == unit
    assert UNITS.match_commune(unit.parent_code, "tên sai", f"{int(unit.code)}.0") == unit  # the code wins


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_every_district_name_matches_its_code(data):
    unit = data.draw(st.sampled_from(DISTRICTS))
    text, typed = data.draw(written_name(unit, DISTRICT_PREFIXES))
    twins = [d for d in DISTRICTS if fold(d.name) == fold(unit.name)]
    if not typed and len(twins) > 1:
        with pytest.raises(MatchError) as err:
            UNITS.match_district(text, None, PROVINCES)
        assert err.value.kind == "ambiguous" and set(err.value.candidates) == set(twins)
    else:
        assert UNITS.match_district(text, None, PROVINCES) == unit, text
    assert UNITS.match_district("anything", unit.code, PROVINCES) == unit  # the code wins


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(TRA_VINH), st.sampled_from(DISTRICTS))
def test_a_commune_of_another_district_is_named_as_such(unit, district):
    if unit.parent_code == district.code or any(tone_key(u.name) == tone_key(unit.name)
                                                for u in UNITS.communes_by_district[district.code]):
        return
    with pytest.raises(MatchError) as err:
        UNITS.match_commune(district.code, unit.full_name, None)
    if unit.name.isdigit():
        assert err.value.kind == "unknown"  # 'Phường 1' of another town: just not here
    else:
        assert err.value.kind == "other_district" and unit in err.value.candidates
    with pytest.raises(MatchError) as err:
        UNITS.match_commune(district.code, None, unit.code)
    assert err.value.kind == "other_district" and err.value.candidates == [unit]


def test_known_hard_cases():
    tra_cu = "849"
    with pytest.raises(MatchError) as err:
        UNITS.match_commune(tra_cu, "Định An", None)
    assert {u.code for u in err.value.candidates} == {"29462", "29494"}
    assert UNITS.match_commune(tra_cu, "TT Định An", None).code == "29462"
    assert UNITS.match_commune(tra_cu, "xã định an", None).code == "29494"
    assert UNITS.match_commune("845", "Hòa Tân", None).code == "29320"  # the list writes 'Hoà Tân'
    assert UNITS.match_commune("845", "Hoà Ân", None).code == "29311"  # the list writes 'Hòa Ân'
    assert UNITS.match_commune("845", "Hoa An", None).code == "29311"  # no diacritics: still unique
    assert UNITS.match_commune("842", "P.1", None).code == "29239"
    assert UNITS.match_commune("842", "Phường 01", None).code == "29239"
    assert UNITS.match_commune("851", "2", None).code == "29516"
    with pytest.raises(MatchError) as err:
        UNITS.match_district("Duyên Hải", None, PROVINCES)
    assert {u.code for u in err.value.candidates} == {"850", "851"}
    assert UNITS.match_district("TX Duyên Hải", None, PROVINCES).code == "851"
    assert UNITS.match_district("H. Duyên Hải", None, PROVINCES).code == "850"
    assert UNITS.match_district("TP. Trà Vinh", None, PROVINCES).code == "842"
    assert UNITS.match_district("H. Cầu Ngang", None, PROVINCES).code == "848"
    with pytest.raises(MatchError) as err:
        UNITS.match_district(None, "886", PROVINCES)  # An Phú, An Giang: not a district of the province
    assert err.value.kind == "other_province"
