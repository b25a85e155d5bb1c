"""One look for every figure of the report: vote colours, vote order, and the source line."""

from __future__ import annotations

VOTE_ORDER = ["yes", "abstain", "no", "absent"]
#: Colour-blind-safe (Okabe–Ito) colours, the same vote always in the same colour across sections.
VOTE_COLORS = {"yes": "#0072B2", "abstain": "#E69F00", "no": "#D55E00", "absent": "#999999",
               "unknown": "#FFFFFF", "not a member": "#E8E8E8"}


def add_source(fig, text: str) -> None:
    """Write the figure's data source under it (every figure in the report says where its data came from).
    Wrapped to the figure's width here: matplotlib's own wrapping re-measures the text at every draw, which
    made it the slowest part of a page of maps."""
    import textwrap

    width = max(40, int(fig.get_figwidth() * 15))  # characters of 8 pt text per line
    fig.text(0.01, -0.02, textwrap.fill(f"Source: {text}", width), ha="left", va="top", fontsize=8, color="#444444")


def vote_data_source(vote_ids) -> str:
    """The source line for figures drawn from the given roll calls (their data sources, named once each)."""
    from unvotes import api

    rc = api.load_roll_calls().set_index("vote_id")
    names = {"dgacm-ga": "UN DGACM General Assembly voting data", "unvotes-r": "R unvotes dataset (Voeten et al.)",
             "undl-ga": "UN Digital Library GA voting data", "undl-sc": "UN Digital Library SC voting data",
             "undl-records": "UN Digital Library voting records (added with add-vote)",
             "unga-2025": "UN Digital Library voting records of 2025 (as extracted by HZloto/unga-2025)",
             "derived": "derived from the UN Digital Library's annual vote counts (HZloto/unga-2025) and DGACM",
             "curated": "hand-curated roll calls (each cited per row)"}
    used = dict.fromkeys(rc.loc[[v for v in vote_ids if v in rc.index], "source"])
    return "; ".join(names.get(s, s) for s in used) + "; processed by the unvotes package"
