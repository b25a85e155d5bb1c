"""The top-level API for one's own work (issue 24, item 4): history, agreement by year, export with a codebook,
citation, one version everywhere, and the renamed functions' old names kept with a warning."""

from __future__ import annotations

import os
import tomllib

import pandas as pd
import pytest
import yaml

import unvotes
from unvotes.analyses import alignment, shifts
from unvotes import api, paths


def test_history_is_every_vote_of_one_state_by_code_or_name(in_data_dir):
    h = unvotes.history("India")
    votes = api.load_votes()
    assert len(h) == int((votes["iso3"] == "IND").sum())
    assert h["date"].is_monotonic_increasing and set(h["body"]) == {"GA", "SC"}
    since = unvotes.history("IND", start="2022-03-01", end="2022-03-31", body="GA")
    assert since.set_index("vote_id").loc["A/RES/ES-11/1", "vote"] == unvotes.vote_of("India", "A/RES/ES-11/1")
    assert (since["body"] == "GA").all() and since["date"].between("2022-03-01", "2022-03-31").all()


def test_agreement_by_year_is_agreement_within_each_year(in_data_dir):
    years = unvotes.agreement_by_year(("Russia", "United States"), 2023, 2024, states=["Brazil", "IND"])
    assert set(years["iso3"]) == {"BRA", "IND"} and sorted(years["year"].unique()) == [2023, 2024]
    one = alignment.agreement(start="2024-01-01", end="2024-12-31", with_=("RUS", "USA")).set_index("iso3")
    row = years[(years["iso3"] == "IND") & (years["year"] == 2024)].iloc[0]
    assert row["agree_rus"] == one.loc["IND", "agree_rus"] and row["n_votes_usa"] == one.loc["IND", "n_votes_usa"]


def test_export_writes_a_merged_table_with_a_codebook_in_three_formats(in_data_dir, tmp_path):
    gaza = unvotes.find("Protection of civilians and upholding", body="GA", start="2023-01-01")
    written = unvotes.export(tmp_path, vote_ids=gaza, covariates=["un_group", "fh_total", "russian_forces"])
    table = pd.read_parquet(written["parquet"])
    votes = api.load_votes()
    assert len(table) == int(votes["vote_id"].isin(gaza["vote_id"]).sum())
    assert list(table.columns[-3:]) == ["un_group", "fh_total", "russian_forces"]
    fra = table[(table["iso3"] == "FRA") & (table["vote_id"] == "A/RES/ES-10/21")].iloc[0]
    assert fra["vote"] == unvotes.vote_of("FRA", "A/RES/ES-10/21") and fra["theme"] == "General Assembly, session ES-10"
    assert fra["fh_total"] == api.load_countries().set_index("iso3").loc["FRA", "fh_total"]
    assert len(pd.read_csv(written["csv"])) == len(table)
    with pd.io.stata.StataReader(written["dta"]) as reader:
        labels = reader.variable_labels()
        stata = reader.read()
    assert labels["fh_total"] == "Freedom House score (0-100)" and len(stata) == len(table)
    book = pd.read_csv(written["codebook"])
    assert list(book["column"]) == list(table.columns) and book["meaning"].notna().all()
    assert "Freedom House" in book.set_index("column").loc["fh_total", "citation"]
    assert written["codebook_md"].read_text().count("\n| ") == len(table.columns) + 1
    # files for co-authors: the mode the umask gives (mkstemp's 0600 would hide them on a shared server)
    umask = os.umask(0)
    os.umask(umask)
    assert {oct(p.stat().st_mode & 0o777) for p in written.values()} == {oct(0o666 & ~umask)}
    with pytest.raises(unvotes.UnvotesError, match="unknown format"):
        unvotes.export(tmp_path, formats=["xlsx"])


def test_one_version_in_the_package_the_project_file_and_the_citation(in_data_dir):
    project = tomllib.loads((paths.PROJECT_ROOT / "pyproject.toml").read_text())["project"]["version"]
    cff = yaml.safe_load((paths.PROJECT_ROOT / "CITATION.cff").read_text())["version"]
    assert unvotes.__version__ == project == str(cff)
    assert f"## [{project}]" in (paths.PROJECT_ROOT / "CHANGELOG.md").read_text()
    text = unvotes.cite()
    assert f"Version {project}." in text
    from unvotes.site import citation

    for source in {f["source"] for f in citation.build()["sources"]}:
        assert f"  - {source}: " in text
    assert unvotes.cite(["voeten-idealpoints"]).count("\n  - ") == 1


def test_renamed_functions_keep_their_old_names_with_a_warning(in_data_dir):
    ids = ["A/RES/ES-11/1", "A/RES/ES-11/4"]
    with pytest.warns(DeprecationWarning, match="unvotes.analyses.shifts.vote_matrix is renamed unvotes.analyses.shifts.vote_table"):
        old = shifts.vote_matrix(ids)
    pd.testing.assert_frame_equal(old, shifts.vote_table(ids))
    from unvotes.analyses import dynamic_alignment

    with pytest.warns(DeprecationWarning, match="session_roll_calls"):
        dynamic_alignment.select_roll_calls(78, 78, api.load_roll_calls())
    with pytest.warns(DeprecationWarning, match="validate_sessions_against_voeten"):
        alignment.validate_against_voeten((77,))


def test_the_curated_tables_are_package_data_read_through_importlib_resources():
    """An installed wheel carries data/external (the package's curated_data link in a checkout); the package
    finds them through importlib.resources, and the report does not count them as shared code."""
    from fnmatch import fnmatch
    from importlib.resources import files

    from unvotes import report

    link = paths.PROJECT_ROOT / "lib" / "unvotes" / paths.CURATED_PACKAGE_DIR
    assert link.is_symlink() and link.resolve() == (paths.PROJECT_ROOT / "data" / "external").resolve()
    assert paths.external_dir() == link.resolve() == (files("unvotes") / paths.CURATED_PACKAGE_DIR).resolve()
    globs = tomllib.loads((paths.PROJECT_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    shipped = [f for f in link.resolve().iterdir()
               if any(fnmatch(f"{paths.CURATED_PACKAGE_DIR}/{f.name}", g) for g in globs["unvotes"])]
    assert shipped and len(shipped) == len(list(link.resolve().iterdir()))  # every curated file goes in the wheel
    assert not [f for f in report.package_files() if paths.CURATED_PACKAGE_DIR in f.parts]
