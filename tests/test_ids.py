import pytest

from unvotes.ids import from_unvotes_unres, normalize_symbol, part_id, roman, session_of


@pytest.mark.parametrize("raw, canonical", [
    ("A/RES/ES-11/1", "A/RES/ES-11/1"),
    ("a/res/77/284", "A/RES/77/284"),
    ("A/RES/75/290A", "A/RES/75/290 A"),
    ("A/RES/75/290\xa0A", "A/RES/75/290 A"),
    ("A/RES/75/254 A-C", "A/RES/75/254 A-C"),
    ("A/RES/2467(XXIII)[A]", "A/RES/2467(XXIII) A"),
    ("A/RES/2467 (XXIII) A", "A/RES/2467(XXIII) A"),
    ("S/RES/2774 (2025)", "S/RES/2774"),
    ("S/RES/2774(2025)", "S/RES/2774"),     # the 2025 file's spelling
    ("A/DEC/80/506", "A/DEC/80/506"),        # a recorded vote on a decision
    ("S/2022/155", "S/2022/155"),            # a Council draft that failed: its draft symbol is its id
    ("s/2014/0189", "S/2014/189"),
])
def test_normalize_symbol(raw, canonical):
    assert normalize_symbol(raw) == canonical


def test_normalize_symbol_rejects_non_symbols():
    for not_a_vote in ("A/77/L.65", "A/80/PV.12", "S/PV.8979", "S/RES/"):
        with pytest.raises(ValueError, match="not a GA or SC resolution, decision or Council draft symbol"):
            normalize_symbol(not_a_vote)


@pytest.mark.parametrize("unres, canonical", [
    ("R/68/262", "A/RES/68/262"),          # never R/68/262
    ("R/23/2467A", "A/RES/2467(XXIII) A"),  # sessions 1-30 numbered resolutions serially
    ("R/1/66", "A/RES/66(I)"),
    ("ESS/10/19", "A/RES/ES-10/19"),
    ("SS/10/2", "A/RES/S-10/2"),
    ("A/RES/74/208", "A/RES/74/208"),
    ("", None), ("R/9/9/XII", None), ("GOAR/1/1288B", None),
])
def test_from_unvotes_unres(unres, canonical):
    assert from_unvotes_unres(unres) == canonical


@pytest.mark.parametrize("vote_id, session", [
    ("A/RES/ES-11/4", "ES-11"), ("A/RES/77/284", "77"), ("A/RES/77/284 [paragraph, rcid 1]", "77"),
    ("A/RES/2467(XXIII) A", "23"), ("A/RES/3379(XXX)", "30"), ("A/RES/S-10/2", "S-10"), ("S/RES/2774", ""),
    ("A/DEC/80/506", "80"), ("S/2022/155", ""),
])
def test_session_of(vote_id, session):
    assert session_of(vote_id) == session


def test_roman_and_part_id():
    assert [roman(n) for n in (1, 4, 9, 14, 23, 29, 30)] == ["I", "IV", "IX", "XIV", "XXIII", "XXIX", "XXX"]
    assert part_id("A/RES/77/284", "PP9") == "A/RES/77/284 [PP9]"
