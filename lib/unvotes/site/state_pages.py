""""How did my country vote?": a page per UN member state and one table of all states x votes, written in
one process (no kernel per page).

A state's page gives its vote on every catalogued Ukraine vote (General Assembly and Security Council), its
groups and memberships, its pre-war covariates with their sources, and its agreement with the United
States, Russia and China in each year's General Assembly resolutions.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from unvotes.analyses import alignment, plotting, shifts
from unvotes import api
from unvotes.tables import dated, dictionary, labels
from unvotes.tables.covariates import MEMBERS_ON as _MEMBERS_ON
from unvotes.site import markup
from unvotes.site.markup import esc
from unvotes.site.vote_pages import catalogued

GROUP_COLUMNS = ["un_group", "continent", "un_subregion", "former_soviet", "colonial_ruler", "un_member_from"]
MEMBERSHIP_COLUMNS = ["member_au", "member_nam", "member_g77", "member_oic", "member_arab_league", "member_brics",
                      "member_sco", "member_csto", "member_cis", "member_eaeu", "member_commonwealth", "member_eu",
                      "member_nato"]
COVARIATE_COLUMNS = ["fh_total", "fh_status", "vdem_libdem", "gdp_pc_ppp", "population",
                     "arms_imports_tiv_2010_2021", "ru_arms_tiv_2010_2021", "ru_arms_share_2010_2021",
                     "agree_usa_prewar", "agree_rus_prewar", "agree_chn_prewar", "ideal_point_prewar"]
REFERENCES = {"usa": "the United States", "rus": "Russia", "chn": "China"}
#: Years of General Assembly resolutions for the alignment table (the catalogue's span).
FIRST_YEAR = 2014


def members() -> pd.DataFrame:
    """The current UN member states (countries table rows without an end of membership), by name."""
    c = api.load_countries()
    return c[c["un_member_to"].isna()].sort_values("name").reset_index(drop=True)


def yearly_agreement(last_year: int | None = None) -> pd.DataFrame:
    """Each state's agreement with the US, Russia and China over each year's General Assembly resolutions
    (Voeten's exact-agreement rule, absences left out pairwise): iso3, year, agree_usa, agree_rus, agree_chn,
    n_votes (roll calls counted with the US). The page's view of :func:`unvotes.analyses.alignment.agreement_by_year`."""
    out = alignment.agreement_by_year(["USA", "RUS", "CHN"], FIRST_YEAR, last_year)
    out = out.rename(columns={"n_votes_usa": "n_votes"})
    return out[["iso3", "year", "agree_usa", "agree_rus", "agree_chn", "n_votes"]]


def yearly_roll_calls(first_year: int = FIRST_YEAR, last_year: int | None = None) -> pd.DataFrame:
    """Per year, what the yearly agreement is computed over: ``year, roll_calls`` (the General Assembly
    resolution roll calls in the data) and ``us_isolated`` (those on which the United States voted no nearly
    alone against its own regional group, :func:`unvotes.analyses.dynamic_alignment.us_isolated`)."""
    from unvotes.analyses import dynamic_alignment

    rc = api.load_roll_calls()
    last_year = last_year or int(rc.loc[rc["body"] == "GA", "date"].max().year)
    m = alignment.vote_matrix(start=f"{first_year}-01-01", end=f"{last_year}-12-31")
    isolated = dynamic_alignment.us_isolated(m)
    dates = pd.to_datetime(m.columns.map(rc.set_index("vote_id")["date"]))
    out = pd.DataFrame({"year": dates.year, "date": dates, "us_isolated": isolated.to_numpy()}).groupby("year") \
        .agg(roll_calls=("us_isolated", "size"), us_isolated=("us_isolated", "sum"), last_date=("date", "max")) \
        .reset_index()
    return out


#: A year whose last roll call in the data falls before this day of it is partial: the Assembly adopts most of a
#: year's resolutions in December, so a year the data leave before December is not comparable with the others.
PARTIAL_BEFORE = (12, 1)


def _unusual(counts: pd.DataFrame) -> pd.DataFrame:
    """The years whose roll calls changed in number or kind (see :func:`changed_years_note`)."""
    med_n, med_iso = counts["roll_calls"].median(), counts["us_isolated"].median()
    return counts[(counts["roll_calls"] >= 1.5 * med_n) | (counts["us_isolated"] >= 2 * max(med_iso, 1))]


def _partial(counts: pd.DataFrame) -> pd.DataFrame:
    """The last year, if the data leave it before December (:data:`PARTIAL_BEFORE`); else no row."""
    if "last_date" not in counts or counts.empty:
        return counts.iloc[:0]
    last = counts.loc[counts["year"].idxmax()]
    end = pd.Timestamp(int(last["year"]), *PARTIAL_BEFORE)
    return counts[counts["year"] == last["year"]] if pd.Timestamp(last["last_date"]) < end else counts.iloc[:0]


def year_flags(counts: pd.DataFrame) -> dict[int, str]:
    """Per year that a reader should not compare as is, the words shown beside its agreement numbers: a partial
    year (the data end before December: "partial year: votes to 4 June 2026 only, 11 roll calls") and a year whose
    roll calls changed in number or kind ("191 roll calls (a usual year: 89), 123 with the United States nearly
    alone"). ``counts``: :func:`yearly_roll_calls`."""
    flags: dict[int, list[str]] = {}
    med_n = counts["roll_calls"].median()
    for r in _partial(counts).itertuples():
        d = pd.Timestamp(r.last_date)
        flags.setdefault(int(r.year), []).append(
            f"partial year: votes to {d.day} {d:%B %Y} only, {int(r.roll_calls)} roll calls")
    for r in _unusual(counts).itertuples():
        flags.setdefault(int(r.year), []).append(
            f"{int(r.roll_calls)} roll calls (a usual year: {med_n:.0f}), {int(r.us_isolated)} with the United States "
            "nearly alone: not comparable with other years")
    return {year: "; ".join(words) for year, words in flags.items()}


def changed_years_note(counts: pd.DataFrame) -> str:
    """A sentence naming the years whose roll calls changed in number or kind: at least 1.5 times the median
    number of roll calls of the years, or twice the median number on which the United States stood nearly
    alone; empty when none did."""
    med_n, med_iso = counts["roll_calls"].median(), counts["us_isolated"].median()
    odd, partial = _unusual(counts), _partial(counts)
    if odd.empty and partial.empty:
        return ""
    text = "**The years are not alike.**"
    if not odd.empty:
        years = "; ".join(f"{int(r.year)}: {int(r.roll_calls)} roll calls, {int(r.us_isolated)} with the United "
                          "States nearly alone" for r in odd.itertuples())
        text += (f" The years {int(counts['year'].min())}-{int(counts['year'].max())} had a median of {med_n:.0f} "
                 f"resolution roll calls, on {med_iso:.0f} of which the United States voted no nearly alone against "
                 f"its own regional group; {years}. A change of agreement in such a year reflects what was put to the "
                 "vote as well as how this state voted.")
    for r in partial.itertuples():
        d = pd.Timestamp(r.last_date)
        text += (f" {int(r.year)} is a partial year: the data hold its votes to {d.day} {d:%B %Y} only "
                 f"({int(r.roll_calls)} roll calls; the Assembly adopts most of a year's resolutions in December), so "
                 "its agreement is not comparable with a whole year's.")
    return text + "\n"


def write(out_dir: Path, vote_ids: list[str] | None = None) -> list[str]:
    """Write ``index.md`` (every state, and the searchable states x votes table) and one page per member
    state into ``out_dir``, over every catalogued vote (or only ``vote_ids``); returns the page names."""
    out_dir.mkdir(parents=True, exist_ok=True)
    states = members()
    cat = catalogued(vote_ids)
    matrix = shifts.known_matrix(cat["vote_id"].tolist())
    agreement = yearly_agreement()
    counts = yearly_roll_calls()
    year_note, flags = changed_years_note(counts), year_flags(counts)
    sources = dictionary.load().query("table == 'countries'").set_index("column")["source"]
    council = _council_sentences()
    counted = counted_votes(cat)
    events = dict(list(dated.facts().groupby("iso3")))
    rows = states.to_dict("records")
    for i, state in enumerate(rows):
        page = state_page(state, cat, counted, matrix.loc[state["iso3"]] if state["iso3"] in matrix.index else None,
                          agreement[agreement["iso3"] == state["iso3"]], sources, council.get(state["iso3"], ""),
                          events.get(state["iso3"]), year_note, flags)
        around = markup.neighbours(rows, i, lambda r: (r["iso3"], r["name"]), "state")
        (out_dir / f"{state['iso3']}.md").write_text(page + around, encoding="utf-8")
    (out_dir / "index.md").write_text(index_page(states, cat, counted, matrix), encoding="utf-8")
    (out_dir / f"{MATRIX_PAGE}.md").write_text(matrix_page(states, cat, matrix), encoding="utf-8")
    return ["index", MATRIX_PAGE, *states["iso3"]]


def counted_votes(cat: pd.DataFrame) -> pd.DataFrame:
    """The votes a state's totals count: the complete General Assembly votes on the war (shifts.ukraine_votes;
    a related vote, such as Chornobyl's, is listed but not counted, nor is a partial roll call), as in the
    overview's figures."""
    return cat[cat["vote_id"].isin(shifts.ukraine_votes(body="GA", complete_only=True))]


def _council_sentences() -> dict[str, str]:
    """Per state that sat on the Security Council: a sentence saying when (or that it is permanent)."""
    from unvotes.tables import membership

    council = membership.council()
    out = {}
    for iso3, seats in council.groupby("iso3"):
        out[iso3] = (" It is a permanent member of the Security Council." if seats["permanent"].any() else
                     f" It sat on the Security Council in {', '.join(str(int(y)) for y in sorted(seats['year']))}.")
    return out


def _counts(votes: pd.Series) -> dict[str, int]:
    return {v: int((votes == v).sum()) for v in plotting.VOTE_ORDER}


def state_page(state: dict, cat: pd.DataFrame, counted: pd.DataFrame, votes: pd.Series | None,
               agreement: pd.DataFrame, sources: pd.Series, council_sentence: str,
               events: pd.DataFrame | None = None, year_note: str = "", flags: dict[int, str] | None = None) -> str:
    """A state's page (Markdown). ``flags``: words beside a year's agreement numbers (:func:`year_flags`), in the
    table's column "note on the year"."""
    name = state["name"]
    votes = votes if votes is not None else pd.Series(dtype=object)
    ga_votes = votes.reindex(counted["vote_id"]).dropna()
    counts = _counts(ga_votes)
    parts = [markup.front_matter(orphan=True), f"# {markup.md_text(name)}: votes on Russia's war against Ukraine\n",
             f"{markup.md_text(name)} ({state['iso3']}) is in the {esc(str(state['un_group']))} group at the UN. "
             f"On the {len(ga_votes)} complete General Assembly votes on the war since 2014 listed on this site that it "
             f"could cast (related votes such as Chornobyl's are listed below but not counted), it voted "
             f"**yes {counts['yes']}** times, **abstained {counts['abstain']}**, voted **no {counts['no']}** and was "
             f"**absent {counts['absent']}** times." + council_sentence
             + " Every vote is linked to its page, which shows how all states voted.\n"]
    parts += ["## Every vote\n", markup.raw_html(_vote_table(cat, votes))]
    parts += ["## Groups and memberships\n",
              markup.raw_html(_facts_table(state, GROUP_COLUMNS, sources)),
              "Memberships: " + (", ".join(labels.label(c).removesuffix(" member") for c in MEMBERSHIP_COLUMNS
                                           if state.get(c) is True)
                                 or "none of those recorded") + " (as in the countries table: membership on "
                                 f"{_MEMBERS_ON:%-d %B %Y}, the eve of the invasion, not at each vote's date; see "
                                 "the data dictionary).\n"]
    parts += ["## Dated facts: coups, Russian forces, treaties, communities\n",
              "From the project's dated tables (each row cites its source; a period without an end still "
              "held at its latest source). The main hierarchical model, the pre-specified model of the African Group "
              "and the movers section's panel take them at each vote's date; the report's pooled models use the "
              "pre-war values below. The Belt and Road memoranda come from the Green Finance & Development Center's "
              "list (December 2023) and cited rows for what it lacks; a state in neither is a non-signatory.\n",
              markup.raw_html(_events_table(events)) if events is not None and len(events)
              else "None of the dated tables has a row for this state.\n"]
    parts += ["## Before the war: regime, economy, arms and alignment\n",
              "Values for the years before the full-scale invasion, with each one's source (a dash: no value in "
              "the source).\n", markup.raw_html(_facts_table(state, COVARIATE_COLUMNS, sources))]
    parts += ["## Agreement with the United States, Russia and China, year by year\n",
              "The share of the year's General Assembly resolutions on which this state voted as each of the three "
              "did, over the roll calls both cast a vote on (absences left out; abstaining together counts as "
              "agreement, as in Voeten's measure; see the " + markup.glossary_link("agreement", "glossary") + ").\n",
              markup.raw_html(labels.table_html(
                  agreement.drop(columns=["iso3", f"agree_{state['iso3'].lower()}"], errors="ignore")
                  .assign(**{"note on the year": agreement["year"].map(lambda y: (flags or {}).get(int(y), ""))}),
                  kinds={"year": "text", "note on the year": "text"}))
              if not agreement.empty else "No General Assembly roll calls for this state in these years.\n"]
    if year_note and not agreement.empty:
        parts.append(year_note)
    return "\n".join(parts)


def _vote_table(cat: pd.DataFrame, votes: pd.Series) -> str:
    rows = []
    for row in cat.to_dict("records"):
        vote = votes.get(row["vote_id"])
        if not isinstance(vote, str):
            vote = "not on the Council" if row["vote_id"].startswith("S/") else "not a member"
        elif vote == "unknown":
            vote = "not recorded (partial roll call)"
        # the vote second, so that a phone shows it beside the symbol before the table scrolls sideways
        rows.append({"vote_id": markup.vote_link(row["vote_id"]),
                     "vote": markup.vote_badge(vote, markup.russian_draft(row["label"], row["source"])),
                     "label": esc(row["label"]), "date": row["date"], "outcome": esc(row["outcome"])})
    return markup.scrolling(labels.table_html(pd.DataFrame(rows), escape=False,
                                              kinds={"vote_id": "text", "vote": "text"}))


def _events_table(events: pd.DataFrame) -> str:
    def cut(text: str, width: int = 160) -> str:
        return text if len(text) <= width else text[:width].rsplit(" ", 1)[0] + " …"

    ended = events["valid_to"].dt.strftime("%Y-%m-%d").fillna("still held at the latest source")
    shown = pd.DataFrame({
        "What": events["what"], "Detail": events["detail"], "From": events["valid_from"].dt.strftime("%Y-%m-%d"),
        "Ended (first day it no longer held)": ended.where(events["what"] != "Coup d'etat", "a one-day event"),
        "Source (abridged)": events["source"].map(cut)})
    return labels.table_html(shown, kinds={c: "text" for c in shown.columns})


def _facts_table(state: dict, columns: list[str], sources: pd.Series) -> str:
    rows = [{"what": labels.label(c), "value": labels.format_value(state.get(c), labels.kind(c)),
             "source": markup.reader_source(sources.get(c, ""))} for c in columns]
    return labels.table_html(pd.DataFrame(rows), kinds={"value": "text"})


def index_page(states: pd.DataFrame, cat: pd.DataFrame, counted: pd.DataFrame, matrix: pd.DataFrame) -> str:
    ga = counted["vote_id"]
    rows = []
    for state in states.to_dict("records"):
        votes = matrix.loc[state["iso3"], ga].dropna() if state["iso3"] in matrix.index else pd.Series(dtype=object)
        counts = _counts(votes)
        rows.append({"name": markup.state_link(state["iso3"], state["name"], prefix=""),
                     "un_group": esc(str(state["un_group"])), **counts, "n_votes": len(votes)})
    table = pd.DataFrame(rows)
    # nosearch: the states x votes table would fill the search index with a million cells and its script
    return ("---\nnosearch: true\n---\n\n# How did my country vote?\n\n"
            f"Every UN member state ({len(states)}), with its votes on the {len(ga)} complete General Assembly votes "
            "on the war listed on this site (2014 to today; a state counts only the votes it could cast as a member; "
            "related votes such as Chornobyl's are left out, as in the overview). "
            "Click a state for its page: every vote, its groups and memberships, its pre-war covariates, and its "
            "agreement with the US, Russia and China year by year. Every state's vote on every vote is in "
            f"[one searchable, sortable table]({MATRIX_PAGE}.md) (a heavier page).\n\n"
            + markup.raw_html(picker(states))
            + markup.raw_html(labels.table_html(table, escape=False, kinds={"n_votes": "count"})))


#: The page of the states x votes table (its DataTables script weighs about 1 MB: kept off the states' index).
MATRIX_PAGE = "every-state-every-vote"


def picker(states: pd.DataFrame) -> str:
    """A country picker: a plain ``<select>`` of the member states that opens the chosen state's page (a script
    of one line; without scripts the table under it links every state)."""
    options = "".join(f'<option value="{esc(r["iso3"])}.html">{esc(r["name"])}</option>'
                      for r in states.sort_values("name").to_dict("records"))
    return ('<form class="country-picker" onsubmit="return false">'
            '<label for="country-picker">Go to a country: </label>'
            '<select id="country-picker" onchange="if (this.value) window.location.href = this.value">'
            f'<option value="">choose a member state…</option>{options}</select></form>\n')


def matrix_page(states: pd.DataFrame, cat: pd.DataFrame, matrix: pd.DataFrame) -> str:
    """Every state's vote on every vote, as one searchable, sortable table (its own page: see :data:`MATRIX_PAGE`)."""
    # nosearch: the states x votes table would fill the search index with a million cells and its script
    return ("---\norphan: true\nnosearch: true\n---\n\n# Every state, every vote\n\n"
            "Back to [How did my country vote?](index.md).\n\n" + _interactive_matrix(states, cat, matrix))


def _interactive_matrix(states: pd.DataFrame, cat: pd.DataFrame, matrix: pd.DataFrame) -> str:
    """The states x votes table as a searchable, sortable DataTable that works offline (itables inlines its
    JavaScript once in this page)."""
    from itables import options, to_html_datatable
    from itables.javascript import generate_init_offline_itables_html

    shown = matrix.reindex(states["iso3"]).reindex(columns=cat["vote_id"])
    shown = shown.fillna("–").replace({"unknown": "not recorded"})
    shown.columns = [f"{v} ({d:%Y})" for v, d in zip(cat["vote_id"], cat["date"])]
    shown.insert(0, "UN group", states["un_group"].to_numpy())
    shown.insert(0, "State", states["name"].to_numpy())
    html_table = to_html_datatable(shown.reset_index(drop=True), connected=False, showIndex=False, pageLength=25,
                                   scrollX=True, classes="display compact nowrap")
    return ("Each cell is the state's vote; – means not a member of the body that day (for the Security Council: "
            "not on the Council); *not recorded* marks a partial roll call. Type in the search box to filter "
            "(for example a state or 'abstain').\n\n"
            # the DataTables library itself, inlined once (offline mode), before the table that uses it
            + markup.raw_html(generate_init_offline_itables_html(options.dt_bundle) + html_table))
