"""The published site: readable tables (one label dictionary), a page per vote and per state from the real
data, the data package validated with Frictionless, and the built site opened in headless Chromium.

A small site is built once for the module: three votes' pages, every state's page, the data page and the
findings page (the report's notebooks are tested in test_notebooks.py and test_report.py)."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from unvotes import api, report, site
from unvotes.tables import labels
from unvotes.site import browser

VOTES = ["A/RES/ES-11/1", "A/RES/ES-11/4", "S/RES/2774", "A/RES/79/284", "S/2022/231", "A/RES/78/316"]


# ---------------------------------------------------------------- the label dictionary

def test_readable_tables_label_columns_and_write_values_as_a_reader_expects():
    df = pd.DataFrame({"fh_total": [30.0, None], "agree_rus_prewar": [0.6256, 0.1], "member_au": [True, False],
                       "yes": pd.array([141, None], dtype="Int64"), "date": pd.to_datetime(["2022-03-02", "2025-02-24"]),
                       "other_column": ["a", None]}, index=[7, 9])
    shown = labels.readable(df)
    assert list(shown.columns) == ["Freedom House score (0-100)", "Pre-war agreement with Russia", "African Union member",
                                   "Yes", "Date", "other column"]
    assert shown.iloc[0].tolist() == ["30", "63%", "yes", "141", "2 Mar 2022", "a"]
    assert shown.iloc[1].tolist() == ["–", "10%", "no", "–", "24 Feb 2025", "–"]
    assert list(shown.index) == [0, 1]  # no index column carried over
    html = labels.table_html(df)
    assert "<th>Freedom House score (0-100)</th>" in html and "no value in the source" in html
    assert 'class="dataframe' in html and "<th></th>" not in html


def test_two_columns_with_one_label_are_both_kept():
    shown = labels.readable(pd.DataFrame({"name": ["a"], "display_name": ["b"], "p (Holm)": [0.00023], "x": [0.00123]}))
    assert list(shown.columns) == ["State (name)", "State (display_name)", "p (Holm)", "x"]
    assert shown.iloc[0, 2:].tolist() == ["<0.001", "0.00123"]  # a p-value is never 0.000; a small number keeps its digits


def test_tables_are_written_as_pandas_writes_them():
    """labels._html writes the site's tables itself (pandas' to_html cost ~10 ms a table, a thousand of them):
    the same bytes for cells and headers with markup, ampersands, tabs, line breaks and outer spaces."""
    import itertools

    values = ["a\nb", " sp ", "<i>&", "\ttab\r", " \n lead", "x&amp;", "", "–", "1,234", "\\n", "é ✓", " a\tb "]
    for escape in (True, False):
        for first, second in itertools.permutations(values, 2):
            shown = pd.DataFrame({first: [second, first], second + "x": [first, ""]})
            assert labels._html(shown, escape, "c") == shown.to_html(index=False, escape=escape, border=0, classes="c")
    empty = pd.DataFrame({"a": []})
    assert labels._html(empty, True, "c") == empty.to_html(index=False, escape=True, border=0, classes="c")
    real = pd.DataFrame({"fh_total": [30.0, None], "date": pd.to_datetime(["2022-03-02", None])})
    shown = labels.readable(real)
    assert labels.table_html(real).startswith(shown.to_html(index=False, border=0, classes="unvotes-table"))


def test_html_in_data_is_escaped_in_tables():
    assert "<b>" not in labels.table_html(pd.DataFrame({"label": ["<b>bold</b>"]}))


# ---------------------------------------------------------------- a small site from the real data

@pytest.fixture(scope="module")
def small_site(data_dir, tmp_path_factory):
    import os

    os.environ.setdefault("MPLBACKEND", "Agg")
    tmp = tmp_path_factory.mktemp("site")
    cache = tmp / "executed"
    from unvotes.site import downloads, state_pages, vote_pages

    vote_pages.write(cache / "votes", VOTES)
    state_pages.write(cache / "states", VOTES)
    downloads.write(cache / "data")
    runs = [report.Run(id=name, notebook=None, pages=name, group="Pages", title=name.title(), summary=f"The {name}.")
            for name in ("votes", "states", "data")]
    src, out = tmp / "src", tmp / "html"
    site.assemble(src, {"title": "Small site", "description": "For tests."}, runs, cache, "today")
    warnings = site.build_html(src, out, tmp / "sphinx.log")
    return {"out": out, "cache": cache, "warnings": warnings, "log": tmp / "sphinx.log"}


def _links(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return re.findall(r"""(?:href|src)=["']([^"'#?]+)""", text)


def test_the_site_builds_without_warnings_and_every_internal_link_and_image_resolves(small_site):
    out = small_site["out"]
    assert small_site["warnings"] == 0, small_site["log"].read_text()[-2000:]
    pages = [p for p in out.rglob("*.html") if "_static" not in p.parts]
    assert len(pages) > 193
    broken = []
    for page in pages:
        for target in _links(page):
            if target.startswith(("http://", "https://", "mailto:", "data:", "javascript:")):
                continue
            if not (page.parent / target).resolve().exists():
                broken.append(f"{page.relative_to(out)} -> {target}")
    assert broken == []


def test_a_vote_page_lists_every_state_by_vote_with_links_and_describes_its_figures(small_site):
    page = (small_site["out"] / "votes" / "a-res-es-11-4.html").read_text(encoding="utf-8")
    assert "<title>A/RES/ES-11/4: Territorial integrity" in page
    no = api.votes_on("A/RES/ES-11/4").query("vote == 'no'")
    assert f"Voted no ({len(no)}):" in page
    for iso3, name in zip(no["iso3"], no["name"]):
        start = re.escape(name.split("'")[0])  # Markdown turns a straight apostrophe into a typographic one
        assert re.search(rf'href="../states/{iso3}.html">{start}', page)
    images = re.findall(r"<img [^>]+>", page)
    assert images and all(re.search(r'alt="[^"]{40,}"', img) for img in images)  # alt text that says something
    assert "143 yes" in page  # the map's alt text counts the votes
    assert 'href="a-res-es-11-1.html"' in page  # its comparison vote, and the previous vote in the series


def test_a_state_page_gives_its_vote_on_every_vote_from_the_data(small_site):
    page = (small_site["out"] / "states" / "KEN.html").read_text(encoding="utf-8")
    assert "<title>Kenya: votes on Russia" in page
    for vote_id in VOTES:
        slug = re.sub(r"[^a-z0-9]+", "-", vote_id.lower()).strip("-")
        row = re.search(rf'href="../votes/{slug}.html">{re.escape(vote_id)}</a></td>\s*<td>(.*?)</td>', page, re.S)
        assert row, vote_id
        expected = api.vote_of("KEN", vote_id) or "not on the Council"
        assert re.search(rf">{expected}( \(Russian draft\))?<", row.group(1))
    assert "Agreement with the United States, Russia and China" in page and "2019" in page
    # the memberships are those of the countries table, dated; the dated facts say which models use them
    assert "membership on 23 February 2022, the eve of the invasion" in page and "membership today" not in page
    assert "The models and the movers section take them" not in page and "pre-specified model of the African" in page


def test_every_member_state_has_a_page_two_clicks_from_the_start(small_site):
    out = small_site["out"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="states/index.html"' in index
    states = (out / "states" / "index.html").read_text(encoding="utf-8")
    members = api.load_countries().query("un_member_to.isna()")["iso3"]
    assert len(members) == 193
    assert all(f'href="{iso3}.html"' in states for iso3 in members)


def test_the_data_package_validates_and_publishes_only_what_the_licences_allow(small_site):
    from frictionless import Package, validate

    files = small_site["cache"] / "data" / "files"
    report_ = validate(str(files / "datapackage.json"), limit_rows=5000)
    assert report_.valid, report_.flatten(["taskName", "rowNumber", "fieldName", "note"])[:5]
    package = Package(str(files / "datapackage.json"))
    names = [r.name for r in package.resources]
    assert names == ["ukraine-votes", "ukraine-votes-wide", "ukraine-catalogue",
                     "roll_calls", "votes", "roll_call_issues", "countries", "quality_findings"]
    countries = pd.read_parquet(files / "countries.parquet")
    assert "fh_total" not in countries and "vdem_libdem" not in countries  # QoG's terms: left out, and said so
    assert "ru_arms_tiv_2010_2021" in countries
    vote = next(r for r in package.resources if r.name == "votes")
    assert any(f.name == "vote" and f.description for f in vote.schema.fields)
    page = (small_site["out"] / "data" / "index.html").read_text(encoding="utf-8")
    assert "fh_total" in page and "not checked here for redistribution" in page


@pytest.mark.parametrize("page, title", [("index.html", "Small site"), ("votes/a-res-es-11-4.html", "A/RES/ES-11/4"),
                                         ("states/KEN.html", "Kenya")])
def test_pages_render_in_chromium_offline(small_site, page, title, tmp_path, chromium):
    seen = browser.open_page(small_site["out"] / page, tmp_path / "page.png")
    assert seen["distinct_colours"] >= 50, "blank page"
    assert seen["offsite"] == [], "a request to another host"
    assert f"<title>{title}" in seen["dom"]
    assert "Search" in seen["dom"]  # the theme's scripts ran: search and navigation are there


def test_citation_file_is_valid_cff():
    import yaml

    cff = yaml.safe_load((Path(__file__).resolve().parents[1] / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    assert {"message", "title", "authors", "version", "license"} <= set(cff)
    assert all("name" in a or "family-names" in a for a in cff["authors"])


def test_the_interactive_map_draws_offline(small_site, chromium, tmp_path):
    seen = browser.open_page(small_site["out"] / "votes" / "map.html", tmp_path / "map.png")
    assert seen["offsite"] == []
    assert re.search(r'<svg id="vote-map"[^>]*>(?:<a [^>]*>)?<path id="map-\w{3}" d="M', seen["dom"])  # the map is drawn
    assert "A/RES/ES-11/4 (2022): Territorial integrity" in seen["dom"]  # the vote selector lists the votes
    assert re.search(r'<select id="map-vote"(?! disabled)', seen["dom"])  # the script ran: the selector is live


def test_the_findings_page_collects_each_sections_headline_and_tagged_figure(tmp_path):
    """A section's glued headline and its figure cell tagged headline_figure reach the findings page, linked to
    the section; a section that glues nothing adds nothing."""
    import base64

    import nbformat

    from unvotes.site import summary

    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
    figure = nbformat.v4.new_code_cell("plot()", metadata={"tags": ["headline_figure"],
                                                           "mystnb": {"image": {"alt": "Bars of the votes, one per vote."}}})
    figure.outputs = [nbformat.v4.new_output("display_data", data={"image/png": base64.b64encode(png).decode()})]
    glued = nbformat.v4.new_code_cell("glue(...)")
    glued.outputs = [nbformat.v4.new_output("display_data", data={"application/papermill.record/text/markdown": "**41** votes."},
                                            metadata={"scrapbook": {"name": "headline", "mime_prefix": "application/papermill.record/"}})]
    nb = nbformat.v4.new_notebook(cells=[figure, glued])
    nbformat.write(nb, tmp_path / "overview.ipynb")
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "quiet.ipynb")
    runs = [report.Run(id="overview", notebook=Path("x.ipynb"), group="Overview", title="The overview", summary="s"),
            report.Run(id="quiet", notebook=Path("y.ipynb"), group="Other", title="Quiet", summary="s")]
    src = tmp_path / "src"
    src.mkdir()
    page = summary.page({"title": "T", "description": "D"}, runs, tmp_path, "today", src)
    assert "- **41** votes. ([The overview](overview.ipynb))" in page
    assert ":alt: Bars of the votes, one per vote." in page and (src / "_summary" / "summary-overview.png").read_bytes() == png
    assert "## Other" not in page  # nothing found, no heading
    # a plain opener, when a section glues one, stands in for its statistical headline on the front page
    opener = nbformat.v4.new_code_cell("publish_meaning(...)")
    opener.outputs = [nbformat.v4.new_output("display_data", data={"application/papermill.record/text/markdown": "Most states voted yes."},
                                             metadata={"scrapbook": {"name": "what_this_means", "mime_prefix": "application/papermill.record/"}})]
    nbformat.write(nbformat.v4.new_notebook(cells=[figure, glued, opener]), tmp_path / "overview.ipynb")
    page = summary.page({"title": "T", "description": "D"}, runs, tmp_path, "today", src)
    assert "- Most states voted yes. ([The overview](overview.ipynb))" in page and "**41** votes." not in page


# ---------------------------------------------------------------- reader review (issue 23)

def test_a_vote_page_links_its_primary_sources(small_site):
    page = (small_site["out"] / "votes" / "a-res-es-11-4.html").read_text(encoding="utf-8")
    assert 'href="https://undocs.org/A/RES/ES-11/4"' in page  # the official text
    assert 'href="https://press.un.org/en/2022/ga12458.doc.htm"' in page  # the press release its totals cite
    assert 'href="https://digitallibrary.un.org/search?ln=en&amp;p=A/RES/ES-11/4"' in page
    other = (small_site["out"] / "votes" / "s-2022-231.html").read_text(encoding="utf-8")
    assert "A draft tabled by Russia." in other and 'href="https://undocs.org/S/2022/231"' in other


def test_primary_sources_come_from_the_citations():
    from unvotes.site import vote_pages

    links = vote_pages.primary_sources("A/RES/77/284", "2023-04-26")
    assert ("draft A/77/L.65", "https://undocs.org/A/77/L.65") in links["Text"]  # the catalogue names the draft
    council = vote_pages.primary_sources("S/2014/189", "2014-03-15")
    assert ("meeting record S/PV.7138", "https://undocs.org/S/PV.7138") in council["Meeting record"]
    assert vote_pages.primary_sources("A/RES/ES-11/9", "2025-12-03")["UN press release"] == [
        ("press release GA/12738", "https://press.un.org/en/2025/ga12738.doc.htm")]
    # A press report's draft symbol that the UN's own release contradicts is reported, not linked as the draft.
    crimea = vote_pages.primary_sources("A/RES/73/194", "2018-12-17")
    assert [text for text, _ in crimea["Text"]] == ["A/RES/73/194 (official text)", "draft A/73/L.47"]
    assert crimea["UN press release"] == [("press release GA/12108", "https://press.un.org/en/2018/ga12108.doc.htm")]


def test_a_vote_page_names_the_absent_and_whether_they_were_there_that_day(small_site):
    from unvotes.analyses import absence

    page = (small_site["out"] / "votes" / "a-res-79-284.html").read_text(encoding="utf-8")
    presence = absence.same_day_presence(["A/RES/79/284"])
    in_hall = presence[presence["reason"] == "present, not voting"]
    assert len(in_hall) > 0
    block = re.search(r"In the Assembly that day but did not vote.*?\((\d+)\):</strong>(.*?)</p>", page, re.S)
    assert block and int(block.group(1)) == len(in_hall)
    assert sorted(re.findall(r'states/([A-Z]{3})\.html', block.group(2))) == sorted(in_hall["iso3"])
    assert 'glossary.html#article-19' in page


def test_a_yes_on_a_russian_draft_is_marked_and_not_in_the_yes_colour(small_site):
    page = (small_site["out"] / "states" / "CHN.html").read_text(encoding="utf-8")
    vote = api.vote_of("CHN", "S/2022/231")
    row = re.search(r'href="../votes/s-2022-231.html">S/2022/231</a></td>\s*<td>(.*?)</td>', page, re.S).group(1)
    assert f">{vote} (Russian draft)<" in row and "vote-russian-draft" in row
    css = (small_site["out"] / "_static" / "unvotes.css").read_text(encoding="utf-8")
    hatched = re.search(r"\.vote\.vote-russian-draft \{([^}]*)\}", css).group(1)
    assert "background: repeating-linear-gradient" in hatched  # overrides the blue of .vote-yes


def test_every_vote_badge_passes_wcag_aa_contrast(small_site):
    from unvotes.site import markup

    css = (small_site["out"] / "_static" / "unvotes.css").read_text(encoding="utf-8")
    rules = re.findall(r"\.vote-([a-z-]+)\{background:(#[0-9A-Fa-f]{3,6});color:(#[0-9A-Fa-f]{3,6})\}", css)
    assert {"yes", "no", "abstain", "absent"} <= {name for name, _, _ in rules}
    for name, background, text in rules:
        assert markup.contrast_ratio(text, background) >= 4.5, (name, background, text)
    assert round(markup.contrast_ratio("#fff", "#D55E00"), 2) == 3.87  # white on vermillion: why the text is black


def test_the_newsroom_files_hold_every_ukraine_vote_with_state_names(small_site):
    files = small_site["cache"] / "data" / "files"
    votes = pd.read_csv(files / "ukraine_votes.csv")
    assert {"vote_id", "label", "date", "iso3", "state", "un_group", "vote", "absence"} <= set(votes.columns)
    es4 = votes[votes["vote_id"] == "A/RES/ES-11/4"]
    expected = api.votes_on("A/RES/ES-11/4")
    assert len(es4) == len(expected) and (es4["vote"] == "yes").sum() == (expected["vote"] == "yes").sum()
    assert es4.loc[es4["iso3"] == "KEN", "state"].item() == "Kenya"
    in_hall = votes[(votes["vote_id"] == "A/RES/79/284") & (votes["absence"] == "present, not voting")]
    assert len(in_hall) > 0
    wide = pd.read_csv(files / "ukraine_votes_wide.csv")
    assert len(wide) == 193 and list(wide.columns[:3]) == ["state", "iso3", "un_group"]
    assert wide.set_index("iso3").at["KEN", "A/RES/ES-11/7"] == api.vote_of("KEN", "A/RES/ES-11/7")
    catalogue_ = pd.read_csv(files / "ukraine_catalogue.csv")
    assert set(catalogue_["vote_id"]) == set(votes["vote_id"])
    codebook = (files / "README_ukraine_votes.txt").read_text(encoding="utf-8")
    assert all(f"  {c}:" in codebook for c in ("vote_id", "state", "un_group", "vote", "absence"))


def test_the_data_page_cites_a_file_on_the_site_and_only_the_sources_that_supplied_rows(small_site):
    from unvotes.site import downloads

    out = small_site["out"] / "data"
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="files/CITATION.cff"' in page and (out / "files" / "CITATION.cff").is_file()
    assert "@misc{unvotes_ukraine" in page and "Data current to" in page
    assert "url = {" in page or "gives no web address" in page  # the address, or the gap stated
    assert 'href="files/ukraine_votes.csv"' in page
    used = set(api.load_roll_calls()["source"].astype(str)) - set(downloads.NON_COMMERCIAL)
    for source in downloads.NON_COMMERCIAL:  # read but supplied no published row: not cited
        assert f"<strong>{source}</strong>" not in page
    assert all(f"<strong>{s}</strong>" in page for s in used)


def test_the_findings_page_weighs_under_the_limit_with_everything_it_loads(small_site):
    """Issue 23: the theme's 1.5 MB icon script is emptied (its web font draws the icons) and the search index
    loads on the search page only."""
    out = small_site["out"]
    weight = site.page_weight(out / "index.html")
    assert sum(weight.values()) < site.INDEX_WEIGHT_LIMIT, sorted(weight.items(), key=lambda kv: -kv[1])[:5]
    icons = out / "_static" / "scripts" / "fontawesome.js"
    assert str(icons.resolve()) in weight and icons.stat().st_size < 1000
    assert not any(name.endswith("searchindex.js") for name in weight)
    assert "searchindex.js" in (out / "search.html").read_text(encoding="utf-8")
    # the icons are still drawn: by the theme's stylesheet, with Font Awesome's web font, which the weight counts
    assert any(name.endswith(".woff2") for name in weight)
    assert "content:var(--fa)" in (out / "_static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")


def test_page_weight_counts_each_local_asset_once_with_what_its_stylesheet_loads(tmp_path):
    (tmp_path / "a.js").write_bytes(b"x" * 100)
    (tmp_path / "font.woff2").write_bytes(b"f" * 50)
    (tmp_path / "s.css").write_text('@font-face { src: url("font.woff2") } .i { background: url(data:image/png;base64,AA) }')
    page = tmp_path / "p.html"
    page.write_text('<script src="a.js?v=1"></script><script src="a.js"></script><link rel="stylesheet" href="s.css">'
                    '<img src="https://elsewhere.example/x.png"><img src="missing.png">')
    weight = site.page_weight(page)
    assert sum(weight.values()) == page.stat().st_size + 100 + (tmp_path / "s.css").stat().st_size + 50
    assert len(weight) == 4


def test_public_pages_carry_no_developer_text_and_say_how_current_the_data_are(small_site):
    from unvotes.site import downloads

    index = (small_site["out"] / "index.html").read_text(encoding="utf-8")
    assert f"Data current to {downloads.data_current_to()}" in index
    for page in ("index.html", "votes/a-res-es-11-4.html", "states/KEN.html", "data/index.html"):
        text = (small_site["out"] / page).read_text(encoding="utf-8")
        assert "make report" not in text and "seed article" not in text, page
    assert 'href="votes/map.html"' in index and 'href="glossary.html"' in index  # both in the sidebar
    glossary = (small_site["out"] / "glossary.html").read_text(encoding="utf-8")
    assert all(f'id="{term}"' in glossary for term in ("ideal-point", "abstain-vs-absent", "article-19",
                                                        "marginal-effect", "adjusted-p-value", "roll-call",
                                                        "emergency-special-session"))


def _reader_text(page: Path) -> str:
    """What a reader sees of a page: its text without scripts, styles and tags."""
    import html

    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page.read_text(encoding="utf-8"), flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def test_no_page_but_the_colophon_carries_developer_text(small_site):
    """Issue 23: file paths, module names, commands and "seed articles" are on the colophon only."""
    from unvotes.site import markup

    out = small_site["out"]
    pages = [p for p in out.rglob("*.html") if p.relative_to(out).parts[0] != "_static"
             and p.name not in ("colophon.html", "genindex.html", "api.html", "py-modindex.html")]
    assert len(pages) > 190
    found = {str(p.relative_to(out)): hits for p in pages if (hits := markup.developer_text(_reader_text(p)))}
    assert not found, dict(list(found.items())[:5])
    colophon = _reader_text(out / "colophon.html")
    colophon = " ".join(colophon.split())
    assert [s for s in ("make report", "data/external/", "add-vote", "seed articles", "forecasts/") if s not in colophon] == []
    assert 'href="colophon.html"' in (out / "index.html").read_text(encoding="utf-8")  # in the sidebar


def test_the_api_page_documents_the_public_functions_from_their_docstrings(small_site):
    """Issue 24: an API reference on the site, built by sphinx.ext.autodoc from the docstrings of the code that
    built the site (so a renamed or undocumented function shows here at the next build)."""
    import unvotes
    from unvotes.analyses import alignment

    out = small_site["out"]
    page = (out / "api.html").read_text(encoding="utf-8")
    text = " ".join(_reader_text(out / "api.html").split())
    for name in unvotes.__all__:
        assert f'id="unvotes.{name}"' in page, f"unvotes.{name} is not on the API page"
    assert 'id="unvotes.analyses.alignment.agreement"' in page and 'id="unvotes.models.fit"' in page
    first_line = alignment.agreement.__doc__.strip().splitlines()[0]
    assert " ".join(first_line.replace("``", "").split()[:6]) in text
    assert 'href="api.html"' in (out / "index.html").read_text(encoding="utf-8")  # in the sidebar


def test_the_section_notebooks_text_names_no_files_modules_or_commands():
    """The Markdown of every notebook the site publishes, as the site shows it (asides that only name code are
    dropped by the build), the data overview included: its files and code are named on the colophon."""
    import nbformat

    from unvotes.site import markup

    header, runs = report.load_plan()
    notebooks = {r.notebook for r in runs if r.notebook is not None}
    found = {}
    for path in sorted(notebooks):
        for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type == "markdown" and (hits := markup.developer_text(markup.without_code_asides(cell.source))):
                found[f"{path.name} cell {i}"] = hits
    assert not found, found


def test_reader_wording_of_sources_and_code_asides():
    from unvotes.site import markup

    for developer in ("lib/unvotes/analyses/trends.py", "`make report`", "unvotes.analyses.absence", "seed article 001", "votes.csv:2",
                      "python -m unvotes add-vote X", "data/external/"):
        assert markup.developer_text(f"see {developer} here"), developer
    assert not markup.developer_text("the stylesheet unvotes.css; make a note; the data page")
    assert markup.without_code_asides("A model (`unvotes.models.x`) here; votes (`yes`, `no`).") == \
        "A model here; votes (`yes`, `no`)."
    reader = markup.reader_source("computed (lib/unvotes/analyses/alignment.py); data/external/un_membership.csv; seed articles "
                                  "001 and 003; data/external/ukraine\\_votes.csv; separate\\_roll\\_calls.csv:2")
    assert not markup.developer_text(reader) and "curated table of un membership" in reader
    # a vote page's data line: the package and its source ids are the colophon's
    line = ("Data: UN DGACM General Assembly voting data; processed by the unvotes package (`dgacm-ga`); catalogue "
            "citation: x; UN Digital Library voting records (added with add-vote)")
    assert markup.developer_text(line)
    # the data overview's tables: the code and files each column comes from
    overview = markup.reader_source("computed lib/unvotes/ids.py; see sources.toml; the lists (see lib/unvotes/memberships.py); "
                                    "curated lib/unvotes/dated.py (SOURCE_GRADES); (undl-records, added with add-vote); "
                                    "not in data/raw; incomplete (see unvotes.dated.NOT_FOR_MODELS)")
    assert not markup.developer_text(overview), overview
    assert "computed the project's code; the project's list of sources; the lists;" in overview
    # the registry's path since 0.3.0 (the data dictionary names it): no "lib/unvotes/sources/" left over
    assert markup.reader_source("computed, lib/unvotes/sources/sources.toml") == "computed, the project's list of sources"
    reader = markup.reader_source(line)
    assert reader == ("Data: UN DGACM General Assembly voting data; processed by this project; where this vote's details "
                      "come from: x; UN Digital Library voting records") and not markup.developer_text(reader)


def test_search_finds_other_spellings_and_ranks_state_pages_last(small_site):
    page = (small_site["out"] / "votes" / "a-res-78-316.html").read_text(encoding="utf-8")
    assert "Zaporizhia" in page and "Zaporozhye" in page
    index = (small_site["out"] / "searchindex.js").read_text(encoding="utf-8")
    assert "zaporozhy" in index.lower()
    scorer = (small_site["out"] / "_static" / "language_data.js").read_text(encoding="utf-8")  # Sphinx puts it there
    assert 'docname.startsWith("states/")' in scorer


@pytest.mark.parametrize("page", ["index.html", "votes/a-res-es-11-4.html", "states/KEN.html", "votes/map.html",
                                  "data/index.html"])
def test_pages_fit_a_phone_390_px_wide(small_site, page, chromium):
    seen = browser.layout(small_site["out"] / page, width=390)
    assert seen["width"] <= 390
    assert seen["wide"] == [] and seen["scrollWidth"] <= seen["width"], seen
    assert seen["brokenCells"] == 0, f"{page}: table cells break inside words or numbers at 390 px; let the table scroll"


def test_the_citation_carries_the_projects_address_or_says_it_has_none():
    """Issue 23: the site's citation (APA and BibTeX) includes the web address CITATION.cff gives; when it gives
    none, the page states the gap instead of inventing one."""
    from unvotes.site import downloads

    cff = {"title": "unvotes", "version": "0.2.0", "authors": [{"name": "The unvotes project contributors"}]}
    bare = downloads.citation_text(cff, "4 June 2026", year=2026)
    assert "http" not in bare["apa"] + bare["bibtex"] and "url =" not in bare["bibtex"]
    assert bare["gap"].startswith("The project's citation file gives no web address")
    with_address = downloads.citation_text({**cff, "repository-code": "https://example.org/unvotes"}, "4 June 2026",
                                           year=2026)
    assert with_address["apa"].endswith("Data current to 4 June 2026. https://example.org/unvotes")
    assert "  url = {https://example.org/unvotes},\n" in with_address["bibtex"] and not with_address["gap"]
    assert "https://doi.org/10.1/x" in downloads.citation_text({**cff, "doi": "10.1/x"}, "today")["apa"]
    # the project's own file: the address it gives, or the stated gap
    import yaml

    real = yaml.safe_load((Path(__file__).resolve().parents[1] / "CITATION.cff").read_text())
    text = downloads.citation_text(real, "today")
    assert (text["url"] and text["url"] in text["apa"]) or text["gap"]


def test_how_did_my_country_vote_has_a_picker_and_stays_light(small_site):
    """Issue 23: a country picker at the top of "How did my country vote?" that opens the state's page, and the page
    under 1.5 MB: the states x votes table (its script weighs about 1 MB) is on a page of its own, linked."""
    from unvotes.site import state_pages

    out = small_site["out"] / "states"
    page = (out / "index.html").read_text(encoding="utf-8")
    picker = page[page.index('<select id="country-picker"'):page.index("</select>")]
    assert '<option value="KEN.html">Kenya</option>' in picker and picker.count("<option") == 194
    assert page.index('id="country-picker"') < page.index('href="KEN.html"')  # above the table of states
    assert f'href="{state_pages.MATRIX_PAGE}.html"' in page
    assert sum(site.page_weight(out / "index.html").values()) < site.INDEX_WEIGHT_LIMIT
    matrix = (out / f"{state_pages.MATRIX_PAGE}.html").read_text(encoding="utf-8")
    assert "Every state, every vote" in matrix and "itables" in matrix


def test_the_world_map_is_one_light_page_coloured_by_the_latest_complete_vote(small_site):
    """Issue 23: the map page under 1.5 MB with everything it loads (the Vega bundle alone weighed 0.9 MB): an SVG
    coloured when the site is built (it reads without scripts), each state linked to its page, with a selector of
    the votes and a legend that counts each kind of vote."""
    from unvotes.analyses import shifts
    from unvotes.site import world_map

    out = small_site["out"] / "votes"
    page = (out / "map.html").read_text(encoding="utf-8")
    assert sum(site.page_weight(out / "map.html").values()) < site.INDEX_WEIGHT_LIMIT
    assert "vega" not in page.lower()
    kenya = re.search(r'<a href="../states/KEN.html"><path id="map-KEN" d="M[^"]+" fill="(#\w+)"><title>Kenya: (\w+)</title>',
                      page)
    assert kenya, "Kenya drawn, linked to its page"
    chosen = re.search(r'<option value="(\d+)" selected>([^<]+)</option>', page)
    vote_id = chosen.group(2).split(" (")[0]
    vote = shifts.known_matrix([vote_id]).at["KEN", vote_id]
    assert kenya.group(2) == vote and kenya.group(1) == world_map.plotting.VOTE_COLORS[vote]
    yes = re.search(r'yes: <span data-code="y">(\d+)</span>', page)
    assert int(yes.group(1)) == int((shifts.known_matrix([vote_id])[vote_id] == "yes").sum())
    x, y = world_map.equal_earth(np.array([0.0, 180.0]), np.array([0.0, 0.0]))
    assert x[0] == 0 and abs(x[1] - 2.7066) < 1e-3 and y[1] == 0  # Equal Earth's half-width at the equator
