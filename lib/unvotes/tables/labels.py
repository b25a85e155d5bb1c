"""One label dictionary for every table and figure a reader sees: column -> (label, kind).

The *kind* says how a value is written: ``count`` (an integer), ``share`` (a proportion written as a
percentage), ``number`` (two decimals), ``score`` (one decimal; percentage points), ``p`` (a p-value), ``tiv`` (SIPRI trend-indicator values,
thousands separated), ``usd``, ``flag`` (yes / no), ``date``, ``text``. The data dictionary
(``data/external/data_dictionary.csv``) says what each column means and where it comes from; this module
only says how to show it.

``readable(df)`` turns a table into what a reader should see: labelled columns, no index column, integers
as integers, shares as percentages, gaps as a dash (a note under the table says so).
"""

from __future__ import annotations

import html

import pandas as pd

GAP = "–"
GAP_NOTE = f"{GAP}: no value in the source."

#: column -> (label, kind). Columns not listed keep their name, with underscores as spaces.
LABELS: dict[str, tuple[str, str]] = {
    # identity and groups
    "iso3": ("ISO code", "text"), "name": ("State", "text"), "display_name": ("State", "text"),
    "un_group": ("UN regional group", "text"), "continent": ("Continent (UN M49)", "text"),
    "un_subregion": ("Sub-region (UN M49)", "text"), "former_soviet": ("Former Soviet republic", "flag"),
    "colonial_ruler": ("Former colonial ruler", "text"),
    "un_member_from": ("UN member since", "date"), "un_member_to": ("UN member until", "date"),
    "member_au": ("African Union member", "flag"), "member_nam": ("Non-Aligned Movement member", "flag"),
    "member_g77": ("Group of 77 member", "flag"), "member_csto": ("CSTO member", "flag"),
    "member_sco": ("SCO member", "flag"), "member_eaeu": ("Eurasian Economic Union member", "flag"),
    "member_cis": ("CIS member", "flag"), "member_brics": ("BRICS member", "flag"), "member_nato": ("NATO member", "flag"),
    "member_eu": ("European Union member", "flag"),
    "member_oic": ("Organisation of Islamic Cooperation member", "flag"),
    "member_arab_league": ("Arab League member", "flag"), "member_commonwealth": ("Commonwealth member", "flag"),
    # regime, economy, arms (pre-war)
    "vdem_libdem": ("V-Dem liberal democracy index (0-1)", "number"),
    "vdem_polyarchy": ("V-Dem electoral democracy index (0-1)", "number"),
    "fh_total": ("Freedom House score (0-100)", "count"), "fh_status": ("Freedom House status", "text"),
    "gdp_pc_ppp": ("GDP per capita (PPP, US$)", "usd"), "log_gdp_pc_ppp": ("GDP per capita (log, PPP)", "number"),
    "population": ("Population", "count"), "trade_pct_gdp": ("Trade (% of GDP)", "score"),
    "milex_pct_gdp": ("Military spending (% of GDP)", "score"),
    "ru_arms_share_2010_2021": ("Russian share of major-arms imports, 2010-21", "share"),
    "arms_imports_tiv_2010_2021": ("Major-arms imports 2010-21 (SIPRI TIV, millions)", "tiv"),
    "ru_arms_tiv_2010_2021": ("Major arms from Russia 2010-21 (SIPRI TIV, millions)", "tiv"),
    "log_ru_arms_tiv_2010_2021": ("Russian arms imports 2010-21 (log TIV)", "number"),
    "no_arms_imports_2010_2021": ("No major-arms imports 2010-21", "flag"),
    "cn_arms_share_2010_2021": ("Chinese share of major-arms imports, 2010-21", "share"),
    "cn_arms_tiv_2010_2021": ("Major arms from China 2010-21 (SIPRI TIV, millions)", "tiv"),
    "log_cn_arms_tiv_2010_2021": ("Chinese arms imports 2010-21 (log TIV)", "number"),
    "arms_imports_tiv_2021": ("Major-arms imports 2021 (SIPRI TIV, millions)", "tiv"),
    "soviet_arms_tiv_1950_1991": ("Major arms from the USSR 1950-91 (SIPRI TIV, millions)", "tiv"),
    "soviet_arms_share_1950_1991": ("Soviet share of major-arms imports, 1950-91", "share"),
    "log_soviet_arms_tiv_1950_1991": ("Soviet arms imports 1950-91 (log TIV)", "number"),
    # dated covariates, at each vote's date (unvotes.tables.dated)
    "russian_forces": ("Wagner or Africa Corps present", "flag"),
    "coup_within_3y": ("Coup in the previous three years", "flag"),
    "liberation_movement_gov": ("Former liberation movement in government", "flag"),
    "flmsa_party_gov": ("FLMSA party in government", "flag"),
    "soviet_treaty": ("Friendship treaty with the USSR (ever)", "flag"),
    "russia_treaty": ("Friendship treaty with Russia in force", "flag"),
    "bri_signatory": ("Belt and Road memorandum signed", "flag"),
    "ru_arms_share_4y_before": ("Russian share of major-arms imports, 4 years before the vote", "share"),
    "log_ru_arms_tiv_4y_before": ("Russian arms imports, 4 years before the vote (log TIV)", "number"),
    "cn_arms_share_4y_before": ("Chinese share of major-arms imports, 4 years before the vote", "share"),
    "log_cn_arms_tiv_4y_before": ("Chinese arms imports, 4 years before the vote (log TIV)", "number"),
    **{f"member_{org.lower()}_at_vote": (f"{name} member at the vote", "flag") for org, name in (
        ("SADC", "SADC"), ("ECOWAS", "ECOWAS"), ("EAC", "EAC"), ("ECCAS", "ECCAS"), ("IGAD", "IGAD"),
        ("COMESA", "COMESA"), ("UMA", "Arab Maghreb Union"), ("CENSAD", "CEN-SAD"), ("AES", "Alliance of Sahel States"),
        ("BRICS", "BRICS"), ("ARAB_LEAGUE", "Arab League"), ("OIC", "OIC"), ("NAM", "NAM"), ("AU", "African Union"))},
    # absence, movers, regions (unvotes.analyses.absence, unvotes.analyses.movers, unvotes.analyses.regions)
    "reason": ("Why absent", "text"), "other_roll_calls": ("Other roll calls that day", "count"),
    "voted_on": ("Of them, voted on", "count"), "share_present_not_voting": ("Present, not voting (share)", "share"),
    "ukraine_votes": ("Ukraine votes", "count"), "ukraine_absent": ("Absent on Ukraine votes", "count"),
    "ukraine_rate": ("Rate on the Ukraine votes", "share"), "other_votes": ("Other votes", "count"),
    "other_absent": ("Absent on other votes", "count"), "baseline_rate": ("Baseline rate (other votes)", "share"),
    "benchmark_votes": ("Benchmark votes", "count"), "benchmark_not_yes": ("Not yes on them", "count"),
    "ukraine_not_yes": ("Not yes on Ukraine", "count"), "benchmark_rate": ("Not yes, benchmark", "share"),
    "more_on_ukraine": ("More reluctant on Ukraine", "count"), "about_the_same": ("About the same", "count"),
    "less_on_ukraine": ("Less reluctant on Ukraine", "count"),
    "direction": ("Direction", "text"), "first_vote": ("First vote", "text"), "last_vote": ("Last vote", "text"),
    "event": ("Event", "text"),
    "moves": ("Changes along the chain", "count"), "events": ("Events in between", "text"),
    "states_with": ("States with it", "count"), "moved_with": ("Moved, with it", "count"),
    "share_moved_with": ("Moved (share), with", "share"), "states_without": ("States without it", "count"),
    "moved_without": ("Moved, without it", "count"), "share_moved_without": ("Moved (share), without", "share"),
    "votes_cast": ("Votes cast", "count"), "with_china": ("With China", "count"), "with_russia": ("With Russia", "count"),
    "share_china": ("With China (share)", "share"), "share_russia": ("With Russia (share)", "share"),
    "china_net": ("China net of Russia", "share"),
    "state_votes": ("State-votes", "count"),
    # alignment
    "voeten_idealpoint_s75": ("Ideal point, session 75 (Voeten)", "number"),
    "voeten_agree_rus_s75": ("Agreement with Russia, session 75 (Voeten)", "share"),
    "voeten_agree_usa_s75": ("Agreement with the US, session 75 (Voeten)", "share"),
    "voeten_agree_chn_s75": ("Agreement with China, session 75 (Voeten)", "share"),
    "voeten_nvotes_s75": ("Votes counted, session 75 (Voeten)", "count"),
    "agree_rus_prewar": ("Pre-war agreement with Russia", "share"),
    "agree_usa_prewar": ("Pre-war agreement with the US", "share"),
    "agree_chn_prewar": ("Pre-war agreement with China", "share"),
    "n_prewar_votes": ("Pre-war votes counted", "count"),
    "ideal_point_prewar": ("Pre-war ideal point (towards the US)", "number"),
    "agree_rus": ("Agreement with Russia", "share"), "agree_usa": ("Agreement with the US", "share"),
    "agree_chn": ("Agreement with China", "share"), "n_votes": ("Roll calls counted", "count"),
    # votes
    "vote_id": ("Resolution or draft", "text"), "date": ("Date", "date"), "label": ("Subject", "text"), "theme": ("Theme", "text"),
    "body": ("Body", "text"), "vote": ("Vote", "text"), "yes": ("Yes", "count"), "no": ("No", "count"),
    "abstain": ("Abstain", "count"), "absent": ("Absent", "count"), "total": ("Total", "count"),
    "outcome": ("Outcome", "text"), "year": ("Year", "text"), "source": ("Source", "text"),
    "share_yes": ("Yes (share)", "share"), "share_abstain": ("Abstain (share)", "share"),
    "share_no": ("No (share)", "share"), "share_absent": ("Absent (share)", "share"),
}


def label(column: str) -> str:
    """The reader's label of ``column`` (its name with spaces when the dictionary has none)."""
    return LABELS.get(column, (str(column).replace("_", " "), ""))[0]


def kind(column: str) -> str:
    return LABELS.get(column, ("", "text"))[1]


def format_value(value, how: str) -> str:
    """One value as a reader should see it (a dash for a gap; a value that is not of the column's kind, such
    as a note in a date column, as it is)."""
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return GAP
    try:
        return _format(value, how)
    except (TypeError, ValueError):
        return str(value)


def _format(value, how: str) -> str:
    if how == "flag":
        return "yes" if bool(value) else "no"
    if how == "count":
        return f"{int(round(float(value))):,}"
    if how == "share":
        return f"{100 * float(value):.0f}%"
    if how == "number":  # two decimals, but small values (p-values, shares of a share) keep three significant digits
        x = float(value)
        return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.2f}" if abs(x) >= 0.1 or x == 0 else f"{x:.3g}"
    if how == "p":  # a p-value: three decimals, and no 0.000 for a very small one
        x = float(value)
        return "<0.001" if x < 0.001 else f"{x:.3f}"
    if how == "score":
        return f"{float(value):.1f}"
    if how in ("tiv", "usd"):
        return f"{float(value):,.0f}"
    if how == "date":
        stamp = pd.Timestamp(value)
        return f"{stamp.day} {stamp:%b %Y}"
    return str(value)


def readable(df: pd.DataFrame, kinds: dict[str, str] | None = None, index: bool = False) -> pd.DataFrame:
    """``df`` with labelled columns and every value written out as text (see the module's docstring).

    ``kinds`` overrides the dictionary's kind of some columns; ``index=True`` keeps a meaningful index as
    the first column (with its name as label)."""
    frame = df.reset_index() if index else df.reset_index(drop=True)
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [" · ".join(str(part) for part in c if str(part)) for c in frame.columns]
    kinds = kinds or {}
    shown = [label(c) for c in frame.columns]
    # two columns with one label (name and display_name) keep both, told apart by their names
    shown = [f"{text} ({column})" if shown.count(text) > 1 else text for text, column in zip(shown, frame.columns)]
    out = pd.DataFrame(index=frame.index)
    for column, text in zip(frame.columns, shown):
        how = kinds.get(column) or _infer(frame[column], column)
        out[text] = [format_value(v, how) for v in frame[column]]
    return out


def _infer(series: pd.Series, column) -> str:
    if column in LABELS:
        return LABELS[column][1]
    name = str(column).lower()
    if pd.api.types.is_float_dtype(series):
        if "share" in name:
            return "share"
        if name == "p" or name.startswith(("p (", "p-value")) or name.endswith(" p"):
            return "p"
        if "(pp)" in name:
            return "score"
    if pd.api.types.is_bool_dtype(series):
        return "flag"
    if pd.api.types.is_integer_dtype(series):
        return "count"
    if pd.api.types.is_float_dtype(series):
        whole = series.dropna()
        return "count" if len(whole) and (whole == whole.round()).all() else "number"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    return "text"


def table_html(df: pd.DataFrame, *, kinds: dict[str, str] | None = None, index: bool = False,
               escape: bool = True, caption: str | None = None, css_class: str = "unvotes-table") -> str:
    """``readable(df)`` as an HTML table without an index column, with a note when a gap is shown.
    ``escape=False`` keeps markup the caller built (links); text from data files must be escaped first."""
    shown = readable(df, kinds, index)
    body = _html(shown, escape, css_class)
    if caption:
        body = body.replace(">\n  <thead>", f">\n  <caption>{html.escape(caption)}</caption>\n  <thead>", 1)
    if (shown == GAP).to_numpy().any():
        body += f'\n<p class="table-note">{html.escape(GAP_NOTE)}</p>'
    return body


def _html(shown: pd.DataFrame, escape: bool, css_class: str) -> str:
    """The table of text cells ``shown`` as ``DataFrame.to_html(index=False, border=0)`` writes it, byte for byte
    (tests/test_site.py compares the two), at about a sixth of its cost (0.5 against 2.9 ms for 30 rows): the site
    writes about a thousand tables."""
    def cell(text: str) -> str:
        if escape:
            text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return text.strip()

    def value(v) -> str:  # pandas writes a cell's tabs and line breaks as backslash sequences, a header's as they are
        return cell(str(v).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r"))

    head = "".join(f"      <th>{cell(str(c))}</th>\n" for c in shown.columns)
    rows = "".join("    <tr>\n" + "".join(f"      <td>{value(v)}</td>\n" for v in row) + "    </tr>\n"
                   for row in shown.itertuples(index=False, name=None))
    return (f'<table class="dataframe {css_class}">\n  <thead>\n    <tr style="text-align: right;">\n{head}'
            f"    </tr>\n  </thead>\n  <tbody>\n{rows}  </tbody>\n</table>")


def _meaningful_index(df: pd.DataFrame) -> bool:
    """Row numbers (0, 1, 2 ..., or what is left of them after a filter) say nothing to a reader; a named index
    (states, votes) does."""
    return any(name is not None for name in df.index.names)


def show_readable_tables() -> None:
    """In a notebook, show every DataFrame as :func:`table_html` does (labelled columns, a meaningful index as
    the first column and no other, values written out, gaps as a dash). The report's kernels undo it between
    runs (``unvotes.report.RESET_KERNEL``)."""
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/html"].for_type(
            pd.DataFrame, lambda df: table_html(df, index=_meaningful_index(df)))
