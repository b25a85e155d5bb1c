"""The curated tables' schemas (unvotes.tables.schemas.CURATED): every CSV of data/external/ has one, the real tables pass,
and the QA report's mutations (a wrong type, a duplicate key, a conflicting duplicate, an empty citation, an
impossible date) are each an error naming the file, the line and the value."""

from __future__ import annotations

import pandas as pd
import pytest

from unvotes.tables import external, schemas
from unvotes import paths
from unvotes.errors import DataFileError

FILES = sorted(p.name for p in paths.external_dir().glob("*.csv"))
CITATION_COLUMNS = ("source", "citation", "evidence")


def _text(name: str) -> pd.DataFrame:
    return pd.read_csv(paths.external_dir() / name, dtype=str, keep_default_na=False)


def _checks(schema, column) -> set[str]:
    return {c.name for c in schema.columns[column].checks}


def test_every_curated_table_has_a_schema():
    assert FILES and set(FILES) == set(schemas.CURATED)


@pytest.mark.parametrize("name", FILES)
def test_the_real_table_passes_its_schema(name):
    df = _text(name)
    assert len(df) > 0
    schemas.validate_curated(df, name, name)


def _fails(df: pd.DataFrame, name: str, *expected: str) -> str:
    with pytest.raises(DataFileError) as err:
        schemas.validate_curated(df.reset_index(drop=True), name, f"data/external/{name}")
    msg = str(err.value)
    assert msg.startswith(f"data/external/{name}: ")
    for text in expected:
        assert text in msg, (text, msg)
    return msg


@pytest.mark.parametrize("name", FILES)
def test_a_wrong_value_in_a_typed_column(name):
    schema, df = schemas.CURATED[name], _text(name)
    typed = [c for c in df.columns if _checks(schema, c) & {"number", "allowed", "known_code", "date", "pattern"}]
    if not typed:
        pytest.skip(f"{name} has only free-text columns")
    column = typed[0]
    df.loc[0, column] = "n/a?"
    _fails(df, name, f"line 2, column {column!r}: 'n/a?'")


@pytest.mark.parametrize("name", FILES)
def test_a_duplicate_row_and_a_conflicting_duplicate(name):
    schema, df = schemas.CURATED[name], _text(name)
    key = list(schema.unique)
    copy = pd.concat([df, df.iloc[[0]]], ignore_index=True)
    last = len(copy) + 1
    _fails(copy, name, f"lines [2, {last}]", "twice, identical")
    free = [c for c in df.columns if c not in key and not _checks(schema, c) - {"not_empty"}]
    copy.loc[len(copy) - 1, free[0]] = "another text"
    _fails(copy, name, f"lines [2, {last}]", "conflicting", "'another text'")


@pytest.mark.parametrize("name", [n for n in FILES if any(
    c in schemas.CURATED[n].columns and "not_empty" in _checks(schemas.CURATED[n], c) for c in CITATION_COLUMNS)])
def test_an_empty_citation(name):
    schema, df = schemas.CURATED[name], _text(name)
    column = next(c for c in CITATION_COLUMNS if c in df.columns and "not_empty" in _checks(schema, c))
    df.loc[0, column] = " "
    _fails(df, name, f"line 2, column {column!r}: ' ' is empty")


@pytest.mark.parametrize("name", [n for n in FILES if any("date" in _checks(schemas.CURATED[n], c)
                                                          for c in _text(n).columns)])
def test_an_impossible_date(name):
    schema, df = schemas.CURATED[name], _text(name)
    column = next(c for c in df.columns if "date" in _checks(schema, c))
    for bad in ("2022-02-30", "2062-01-01", "24/02/2022"):
        df.loc[0, column] = bad
        _fails(df, name, f"line 2, column {column!r}: {bad!r} is not a YYYY-MM-DD date")


@pytest.mark.parametrize("name, first, then", [("un_membership.csv", "admitted", "left"),
                                              ("unfriendly_states.csv", "valid_from", "valid_to"),
                                              ("country_aliases.csv", "valid_from", "valid_to")])
def test_a_period_that_ends_before_it_begins(name, first, then):
    df = _text(name)
    df.loc[0, first], df.loc[0, then] = "2000-01-02", "2000-01-01"
    _fails(df, name, f"line 2, column {then!r}: '2000-01-01' is not after {first} '2000-01-02'")


def test_a_vote_compared_with_itself():
    df = _text("ukraine_votes.csv")
    df.loc[0, "compare_with"] = df.loc[0, "vote_id"]
    _fails(df, "ukraine_votes.csv", "line 2: compare_with names the vote itself")


def test_the_error_comes_from_the_one_entry_point(external_copy):
    """read_curated (every reader's entry) checks the file: the message names the file on disk."""
    path = external_copy / "regime_scores_supplement.csv"
    df = _text("regime_scores_supplement.csv")
    df.loc[len(df)] = df.loc[0]
    df.loc[len(df) - 1, "value"] = "90"
    df.to_csv(path, index=False)
    with pytest.raises(DataFileError) as err:
        external.read_curated("regime_scores_supplement.csv", list(df.columns))
    assert str(path) in str(err.value) and "conflicting" in str(err.value) and "'90'" in str(err.value)


def test_an_alias_given_two_codes_at_once_is_an_error():
    """The QA report's mutation: TÜRKÝYE -> GRC beside TÜRKÝYE -> TUR; which code wins must never be silent."""
    df = _text("country_aliases.csv")
    row = df.iloc[0].copy()
    row["valid_from"], row["iso3"] = "2000-01-01", "GRC"
    df.loc[len(df)] = row
    msg = _fails(df, "country_aliases.csv", f"line {len(df) + 1} (alias {row['alias']!r}): overlaps another row of the same alias")
    assert "line 2 (alias" in msg
