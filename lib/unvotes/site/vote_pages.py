"""A page per catalogued Ukraine vote, all written in one process (no kernel per page).

The pages are reached from the table of votes (``votes/index``), from every state's page, and from each
other (previous and next vote in date order); they stay out of the sidebar's tree, which Sphinx would
otherwise draw in full on every page of the site.

Each page holds what the interactive ``resolution_profile`` notebook shows for one vote: the description
and published totals, the votes of each UN regional group and continent, a world map, who voted no,
abstained or was absent (each state linked to its page), and the comparison with an earlier vote.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from unvotes.analyses import absence, overview, plotting, profile, shifts  # noqa: E402
from unvotes import api  # noqa: E402
from unvotes.tables import catalogue, curated_votes, labels  # noqa: E402
from unvotes.tables.external import read_curated  # noqa: E402
from unvotes.site import markup, world_map  # noqa: E402
from unvotes.site.markup import esc  # noqa: E402


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
            f"The {len(cat)} votes on Russia's war against Ukraine listed on this site whose roll call is in the data "
            "(General Assembly and Security Council, 2014 to today), oldest first. Each page shows how every "
            "member voted, by group and on a map, and how states moved since a comparable earlier vote. "
            "The list of votes with each one's citation is [on the data page](../data/index.md). **[Explore them on an "
            "interactive world map](map.md)**: choose a vote, click a state for its page.\n\n"
            + markup.raw_html(markup.scrolling(labels.table_html(table, escape=False, kinds={"result": "text"}))))


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
             markup.reader_source(profile.describe(vote_id).split("\n", 2)[2]) + "\n",  # the bold title line is the page title
             sources_section(vote_id, row["date"]),
             *([other_spellings(row["label"])] if other_spellings(row["label"]) else []),
             *(["> **A draft tabled by Russia.** A yes here is a vote for Russia's text, not for Ukraine's side; "
                "state pages mark these votes *(Russian draft)*.\n"] if markup.russian_draft(row["label"], row["source"])
               else []),
             "## Published and computed totals\n",
             "The totals the source publishes beside the counts computed from the country votes; *absent* "
             "counts members on the date that cast no vote (the UN's result counts only yes, no and abstain). "
             "Where a published total (the source's, or one cited by the project) differs from the computed one, "
             "*totals differ* says how and why.\n",
             markup.raw_html(markup.scrolling(labels.table_html(overview.published_vs_computed([vote_id]),
                                                                kinds={"absent (computed)": "count"})))]
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
    if not council and row["complete"]:
        parts.append(absences_named(vote_id))
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
        return "## Compared with an earlier vote\n\nNo comparable earlier vote is named for this one.\n"
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
    text.append(markup.raw_html(markup.scrolling(labels.table_html(table, index=True))))
    if moved.empty:
        text.append("No state changed its vote.\n")
    else:
        shown = pd.DataFrame({"name": [markup.state_link(i, n) for i, n in zip(moved["iso3"], moved["name"])],
                              compare_with: moved[compare_with], vote_id: moved[vote_id],
                              "direction": moved["direction"]})
        text += [f"{len(moved)} states changed their vote:\n",
                 markup.raw_html(markup.scrolling(labels.table_html(shown, escape=False)))]
    return "\n".join(text)


# ---------------------------------------------------------------- primary sources, one click away

UNDOCS = "https://undocs.org/"
#: Symbols of UN documents as the curated citations write them: a meeting record (A/77/PV.86, S/PV.9866),
#: a press release (GA/12458, SC/15603) and a draft ("draft A/77/L.65").
MEETING_RECORD = re.compile(r"\b(?:A/(?:ES-\d+/|\d+/)?|S/)PV\.\d+\b")
PRESS_RELEASE = re.compile(r"\b(GA|SC)/(\d{4,5})\b")
DRAFT = re.compile(r"\bdraft (?:resolution )?([AS]/[A-Z0-9.-]+(?:/[A-Z0-9.-]+)*\d(?:/Rev\.\d)?)")
URL = re.compile(r"https?://[^\s;,)\"'<>]+[^\s;,.)\"'<>]")


def _citations(vote_id: str) -> str:
    """Every citation the curated tables give for ``vote_id``: the catalogue's, the published totals' (with
    their notes) and the separate or curated roll call's (with its draft symbol)."""
    from unvotes.tables import published_totals

    texts = [str(t) for t in catalogue.curated().query("vote_id == @vote_id")["source"]]
    totals = published_totals.load()
    texts += [f"{r.source} {getattr(r, 'note', '')}" for r in totals[totals["vote_id"] == vote_id].itertuples()]
    separate = read_curated(curated_votes.ROLL_CALLS_FILE, curated_votes.ROLL_CALL_COLUMNS)
    mine = separate[(separate["vote_id"] == vote_id) | (separate["part_of"] == vote_id)]
    texts += [f"draft {r.draft} {r.source}" if r.draft else r.source for r in mine.itertuples()]
    return " ; ".join(texts)


def primary_sources(vote_id: str, date) -> dict[str, list[tuple[str, str]]]:
    """Links to the vote's primary sources, as (text, url) pairs under four headings: the text (the resolution
    or draft at undocs.org, which resolves any UN symbol to its official document), the UN Digital Library
    record, the meeting record and the UN press release where a curated citation names them, and every other
    web source the citations quote (press reports of the totals or the roll call)."""
    text = _citations(vote_id)
    documents = [(f"{vote_id} (official text)", UNDOCS + vote_id)]
    for draft in dict.fromkeys(DRAFT.findall(text)):
        if draft != vote_id:
            documents.append((f"draft {draft}", UNDOCS + draft))
    urls = list(dict.fromkeys(URL.findall(text)))
    library = [(u.removeprefix("https://"), u) for u in urls if "digitallibrary.un.org/record/" in u]
    if not library:  # the Library's own search by symbol finds the resolution and its voting record
        library = [(f"search the UN Digital Library for {vote_id}",
                    f"https://digitallibrary.un.org/search?ln=en&p={vote_id}")]
    meetings = [(f"meeting record {m}", UNDOCS + m) for m in dict.fromkeys(MEETING_RECORD.findall(text))]
    year = pd.Timestamp(date).year
    press = {f"{body}/{number}": f"https://press.un.org/en/{year}/{body.lower()}{number}.doc.htm"
             for body, number in PRESS_RELEASE.findall(text)}
    for u in urls:  # a release cited by address (its year may differ from the vote's)
        found = re.search(r"press\.un\.org/en/\d{4}/(ga|sc)(\d+)\.doc\.htm", u)
        if found:
            press[f"{found.group(1).upper()}/{found.group(2)}"] = u
    others = [(urlparse(u).netloc.removeprefix("www."), u) for u in urls
              if "digitallibrary.un.org/record/" not in u and "press.un.org" not in u]
    return {"Text": documents, "UN Digital Library": library, "Meeting record": meetings,
            "UN press release": [(f"press release {k}", u) for k, u in press.items()], "Other sources cited": others}


def sources_section(vote_id: str, date) -> str:
    """The vote's primary sources as a list of links (a heading without a source is left out)."""
    items = []
    for heading, links in primary_sources(vote_id, date).items():
        if links:
            items.append(f"<li><strong>{esc(heading)}:</strong> "
                         + ", ".join(f'<a href="{esc(url)}">{esc(text)}</a>' for text, url in links) + "</li>")
    return ("## Primary sources\n\nThe documents this vote is recorded in, and the other sources the project's "
            "citations for it quote (each opens on the source's own site).\n\n"
            + markup.raw_html('<ul class="primary-sources">' + "".join(items) + "</ul>"))


# ---------------------------------------------------------------- absences, named

ABSENCE_HEADINGS = {
    "present, not voting": "In the Assembly that day but did not vote (cast a vote on another recorded vote of the "
                           "same day)",
    "absent all day": "Away all day (no vote on the day's other recorded votes)",
    "no vote right": "Without a vote right (Article 19 of the Charter: arrears)",
    "not observable": "Presence not known (no other recorded vote that day shows it)",
}


def absences_named(vote_id: str) -> str:
    """The absent members of a complete General Assembly vote, sorted by whether they were present that day
    (:func:`unvotes.analyses.absence.same_day_presence`) and named, each linked to its page."""
    presence = absence.same_day_presence([vote_id]).sort_values("name")
    if presence.empty:
        return "### Who was absent, and were they there that day?\n\nNo member was absent.\n"
    others = int(presence["other_roll_calls"].iloc[0])
    lines = ["### Who was absent, and were they there that day?\n",
             f"The data hold {others} other recorded vote{'s' if others != 1 else ''} of the Assembly on "
             f"{pd.Timestamp(presence['date'].iloc[0]):%-d %B %Y}. A member that voted on "
             f"{'it' if others == 1 else 'one of them'} was in the building that day, so its absence here may have "
             "been a choice (a sign, not proof: the votes may have been at different meetings).\n"]
    for reason in ABSENCE_HEADINGS:  # the absences that may be a choice first
        states = presence[presence["reason"] == reason]
        if len(states):
            names = ", ".join(markup.state_link(i, n) for i, n in zip(states["iso3"], states["name"]))
            lines.append(f"**{esc(ABSENCE_HEADINGS[reason])} ({len(states)}):** {names}.\n")
    lines.append("What the words mean: " + ", ".join(
        markup.glossary_link(term, text) for term, text in (("abstain-vs-absent", "abstain and absent"),
                                                            ("present-not-voting", "present, not voting"),
                                                            ("article-19", "Article 19"))) + ".\n")
    return "\n".join(lines)


#: Other spellings of the places in the votes' labels, written on their pages so that the site's search
#: finds them under any of them.
OTHER_SPELLINGS = {"Zaporizhzhia": ["Zaporizhia", "Zaporozhye", "Zaporozhe", "Zaporijia"],
                   "Chornobyl": ["Chernobyl", "Tchernobyl"], "Crimea": ["Krym"],
                   "Kyiv": ["Kiev"], "Luhansk": ["Lugansk"], "Kherson": ["Cherson"]}


def other_spellings(label: str) -> str:
    """A line giving the other spellings of the places a vote's label names ("" when it names none)."""
    found = [f"{place}: also spelt {', '.join(variants)}" for place, variants in OTHER_SPELLINGS.items()
             if place.lower() in label.lower()]
    return ("*" + "; ".join(found) + ".*\n") if found else ""
