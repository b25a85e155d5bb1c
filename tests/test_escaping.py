"""Escaping by construction: curated text reaches the pages as text, never as markup or script (issue 26).
Each curated text column that a generator writes is injected with markup; what it writes must hold none live."""

import json
import re

import pandas as pd
import pytest

from unvotes.analyses import claims
from unvotes.models import published
from unvotes.site import markup

INJECTED = '<script>qaX()</script><img src=x onerror="qaX()"><b onmouseover="qaX()">b</b>'
LIVE = re.compile(r"(?<!\\)<(script|img|b |/script)", re.I)  # an unescaped tag (md_text writes \<)


def test_the_one_escaper_leaves_no_tag_and_the_script_json_cannot_close_its_script():
    assert not LIVE.search(markup.md_text(INJECTED))
    assert "<" not in markup.heading_text(INJECTED).replace("\\<", "")  # the theme's print header unescapes titles
    payload = {"labels": [INJECTED + "</script><!--"], "n": 1}
    text = markup.script_json(payload)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == payload  # the same strings once parsed


def test_the_map_page_writes_its_json_through_the_escaper(monkeypatch):
    from unvotes.site import world_map

    monkeypatch.setattr(world_map, "spec", lambda cat: {
        "labels": [INJECTED + "</script>"], "votes": [INJECTED], "default": 0, "colors": {"m": "#FFFFFF"},
        "words": {"m": INJECTED},
        "states": [{"iso3": "KEN", "name": INJECTED, "codes": "m", "href": "../states/KEN.html", "path": "M0,0L1,1L0,1Z"}]})
    page = world_map.page(pd.DataFrame())
    script = page[page.index("<script>(function (data)"):]
    assert script.count("</script>") == 1 and "qaX" in script and "<script>qaX" not in script
    # the names in the drawn map (titles, options, the noscript line) are escaped text too
    assert "qaX" in page[:page.index("<script>(function (data)")]
    assert not LIVE.search(page[:page.index("<script>(function (data)")])


@pytest.mark.parametrize("column", ["quote", "claim", "notes", "claim_id", "article"])
def test_claim_texts_reach_the_claims_page_as_text(column):
    evaluated = claims.load().head(3).assign(kind="tally", verdict=claims.CONFIRMED, evidence="e")
    evaluated.loc[0, column] = INJECTED + evaluated.loc[0, column]
    text = claims.report_markdown(evaluated)
    # a code span (the seed file name, the check) shows its text as is: only text outside one must be escaped
    assert "qaX" in text and not LIVE.search(re.sub(r"`[^`]*`", "", text))


def test_published_findings_reach_the_page_as_text():
    table = pd.DataFrame({"study": [INJECTED], "finding": [INJECTED], "proxy": ["x"], "verdict": ["same sign"],
                          "ame": [0.1], "ci_low": [0.0], "ci_high": [0.2]})
    text = published.published_summary(table)
    assert "qaX" in text and not LIVE.search(text)


def test_the_vote_page_title_cannot_carry_a_tag():
    import inspect

    from unvotes.site import vote_pages

    source = inspect.getsource(vote_pages.vote_page)
    assert "markup.heading_text(row['label'])" in source
