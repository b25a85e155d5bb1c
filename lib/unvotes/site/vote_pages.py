"""A page per catalogued Ukraine vote, all written in one process (no kernel per page).

The pages are reached from the table of votes (``votes/index``), from every state's page, and from each
other (previous and next vote in date order); they stay out of the sidebar's tree, which Sphinx would
otherwise draw in full on every page of the site.

Each page holds what the interactive ``resolution_profile`` notebook shows for one vote: the description
and published totals, the votes of each UN regional group and continent, a world map, who voted no,
abstained or was absent (each state linked to its page), and the comparison with an earlier vote.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from .. import api, catalogue, labels, overview, plotting, profile, shifts  # noqa: E402
from . import markup, world_map  # noqa: E402
from .markup import esc  # noqa: E402


def catalogued(vote_ids: list[str] | None = None) -> pd.DataFrame:
    """The catalogued votes with a roll call in the data (or only ``vote_ids``), in date order, with their
    page names."""
    cat = catalogue.load()
    keep = cat["available"] if vote_ids is None else cat["vote_id"].isin(vote_ids)
    cat = cat[keep].sort_values(["date", "vote_id"]).reset_index(drop=True)
    cat["slug"] = cat["vote_id"].map(markup.slug)
    return cat


def write(out_dir: Path, vote_ids: list[str] | None = None) -> list[str]:
    """Write ``index.md`` and one page per catalogued vote (or per vote of ``vote_ids``) into ``out_dir``;
    returns the page names."""
    out_dir.mkdir(parents=True, exist_ok=True)
    cat = catalogued(vote_ids)
    names = []
    rows = cat.to_dict("records")
    world = profile.VoteMap()
    for i, row in enumerate(rows):
        around = markup.neighbours(rows, i, lambda r: (r["slug"], r["vote_id"]), "vote")
        page = vote_page(row, out_dir, world, set(cat["vote_id"]))
        (out_dir / f"{row['slug']}.md").write_text(page + around, encoding="utf-8")
        names.append(row["slug"])
    (out_dir / "index.md").write_text(index_page(cat), encoding="utf-8")
    (out_dir / "map.md").write_text(world_map.page(cat), encoding="utf-8")
    (out_dir / "static").mkdir()
    world_map.write_bundle(out_dir / "static")
    return ["index", "map", *names]


def index_page(cat: pd.DataFrame) -> str:
    flags = overview.totals_flags(list(cat["vote_id"]))
    table = pd.DataFrame({
        "date": cat["date"],
        "vote_id": [markup.vote_link(v, prefix="") for v in cat["vote_id"]],
        "label": cat["label"].map(esc),
        "theme": cat["theme"].map(esc),
        "result": [_result(r, flags.get(r["vote_id"], "")) for r in cat.to_dict("records")],
    })
    return (f"# Every Ukraine vote, one page each\n\n"
            f"The {len(cat)} catalogued votes on Russia's war against Ukraine whose roll call is in the data "
            "(General Assembly and Security Council, 2014 to today), oldest first. Each page shows how every "
            "member voted, by group and on a map, and how states moved since a comparable earlier vote. "
            "The catalogue and its citation per vote: `data/external/ukraine_votes.csv`. **[Explore them on an "
            "interactive world map](map.md)**: choose a vote, click a state for its page.\n\n"
            + markup.raw_html(labels.table_html(table, escape=False, kinds={"result": "text"})))


def _result(row: dict, flag: str = "") -> str:
    counts = [row[c] for c in ("yes", "no", "abstain")]
    totals = "-".join(str(int(c)) for c in counts) if all(pd.notna(c) for c in counts) else "totals not published"
    partial = "; partial roll call" if not row["complete"] else ""
    differ = f" (flagged: the published and computed totals differ, {flag.split(':', 1)[0]})" if flag else ""
    return esc(f"{row['outcome']}, {totals}{partial}{differ}")


def vote_page(row: dict, out_dir: Path, world: profile.VoteMap, with_pages: set[str]) -> str:
    """One vote's page; ``with_pages``: the votes that have a page (linked to from this one)."""
    vote_id, slug = row["vote_id"], row["slug"]
    council = api.roll_call(vote_id)["body"] == "SC"
    parts = [markup.front_matter(orphan=True), f"# {markup.heading_text(vote_id)}: {markup.heading_text(row['label'])}\n",
             profile.describe(vote_id).split("\n", 2)[2] + "\n",  # the bold title line is the page title
             "## Published and computed totals\n",
             "The totals the source publishes beside the counts computed from the country votes; *absent* "
             "counts members on the date that cast no vote (the UN's result counts only yes, no and abstain). "
             "Where a published total (the source's, or one cited in data/external/published_totals.csv) differs "
             "from the computed one, *totals differ* says how and why (a quality finding).\n",
             markup.raw_html(labels.table_html(overview.published_vs_computed([vote_id]),
                                               kinds={"absent (computed)": "count"}))]
    parts += ["## Votes by UN regional group and by continent\n",
              "Each bar is one group, split into its members' votes (counts in the bars); groups are the UN's "
              "electoral groups (Türkiye in the Western European and Others Group) and the UN M49 continents.\n",
              _group_bars(vote_id, "un_group"), _group_bars(vote_id, "continent")]
    parts += ["## World map\n", _map_figure(vote_id, slug, out_dir, council, world)]
    small = profile.too_small_to_show(vote_id)
    parts.append(f"Member states too small to show on this map ({len(small)}; their votes are in the lists below): "
                 + (", ".join(markup.md_text(s) for s in small) or "none") + ".\n")
    parts += ["## Who voted no, abstained, or was absent\n",
              profile.vote_lists(vote_id, link=markup.state_link, name_yes=True) + "\n"]
    parts.append(_comparison(vote_id, row["compare_with"], row["compare_with"] in with_pages))
    return "\n".join(parts)


def _group_bars(vote_id: str, by: str) -> str:
    """Each group's votes as a stacked bar drawn in HTML (a figure per group and vote would cost a second of
    drawing per page); the counts are written in each bar and in its tooltip, so nothing is colour only."""
    table = profile.by_group(vote_id, by)
    rows = [f'<figure class="group-bars" aria-label="Votes on {esc(vote_id)} by {esc(profile.GROUPINGS[by])}">',
            f"<figcaption>{esc(profile.GROUPINGS[by])}: share of each group's members</figcaption>"]
    for group, counts in table.iterrows():
        total = int(counts["total"])
        segments = "".join(
            f'<span class="seg vote-{v}" style="width:{100 * counts[v] / total:.2f}%" '
            f'title="{esc(str(group))}: {int(counts[v])} of {total} {v}">{int(counts[v]) if counts[v] else ""}</span>'
            for v in plotting.VOTE_ORDER if counts[v])
        rows.append(f'<div class="bar-row"><span class="bar-label">{esc(str(group))} ({total})</span>'
                    f'<span class="bar">{segments}</span></div>')
    legend = "".join(f'<span class="seg vote-{v}">{v}</span>' for v in plotting.VOTE_ORDER)
    rows.append(f'<div class="bar-legend">{legend}</div></figure>')
    return markup.raw_html("\n".join(rows))


def _map_figure(vote_id: str, slug: str, out_dir: Path, council: bool, world: profile.VoteMap) -> str:
    world.show(vote_id)
    world.ax.figure.savefig(out_dir / f"{slug}-map.png", dpi=80, bbox_inches="tight")
    counts = api.recorded_counts(vote_id)
    alt = (f"World map of {vote_id}, each {'Council member' if council else 'member state'} coloured by its vote: "
           + ", ".join(f"{int(counts[v])} {v}" for v in plotting.VOTE_ORDER if v in counts)
           + ". The lists below name every state that did not vote yes.")
    return markup.figure(f"{slug}-map.png", alt, f"How each state voted on {vote_id}. Boundaries: Natural Earth "
                         "1:110m (public domain); grey: not a member on that date"
                         + (" (off the Council)" if council else "") + ".")


def _comparison(vote_id: str, compare_with: str, linked: bool) -> str:
    if not compare_with:
        return "## Compared with an earlier vote\n\nThe catalogue names no comparable earlier vote for this one.\n"
    table = shifts.transition_table(compare_with, vote_id)
    table.index = [str(i) for i in table.index]
    table.index.name = f"{compare_with} (rows) → {vote_id} (columns)"
    moved = shifts.switchers(compare_with, vote_id)
    partial = [v for v in (compare_with, vote_id) if not shifts.is_complete(v)]
    text = [f"## Compared with {esc(compare_with)}\n",
            f"States that were members at both dates, by their vote on "
            f"{markup.vote_link(compare_with, prefix='') if linked else esc(compare_with)} "
            "(rows) and on this one (columns). *Towards yes* is a move along yes ← abstain ← absent ← no; a move "
            "between abstaining and absence is a change of form more than of position.\n"]
    if partial:
        text.append(f"Partial roll call ({', '.join(partial)}): only states recorded in both are compared.\n")
    text.append(markup.raw_html(labels.table_html(table, index=True)))
    if moved.empty:
        text.append("No state changed its vote.\n")
    else:
        shown = pd.DataFrame({"name": [markup.state_link(i, n) for i, n in zip(moved["iso3"], moved["name"])],
                              compare_with: moved[compare_with], vote_id: moved[vote_id],
                              "direction": moved["direction"]})
        text += [f"{len(moved)} states changed their vote:\n",
                 markup.raw_html(labels.table_html(shown, escape=False))]
    return "\n".join(text)
