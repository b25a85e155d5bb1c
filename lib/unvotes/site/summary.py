"""The findings page, first in the site: the key findings in plain words, then what each section found, in
its own words and numbers.

The key findings (:mod:`unvotes.site.key_findings`) come first: one sentence each, glued by the section holding the
evidence (``key_finding:<kind>``), in the order of :data:`unvotes.site.key_findings.ORDER` (a kind glued by several
runs is taken from the first in the plan), each linked to its evidence with "how we know" folded under it.
Nothing on it is typed: each section notebook glues its plain opener (:func:`unvotes.site.key_findings.publish_meaning`)
or its headline (``myst_nb.glue("headline", Markdown(...), display=False)``; the opener is shown when both are),
computed from the data when the notebook runs, and may tag one figure cell
``headline_figure`` (its figure and alt text are shown too); this page collects them in the plan's order,
grouped as in the plan, each linked to its section.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from unvotes.site import markup
from unvotes.site.build import glued, tagged_figure

HEADLINE, FIGURE = "headline", "headline_figure"


def page(header: dict, runs: list, cache: Path, built_at: str, src: Path) -> str:
    """The Markdown of the findings page; glued figures are written to ``src/_summary/``."""
    parts = [f"# {markup.md_text(header['title'])}\n"]
    executed = {run.id: nbformat.read(cache / f"{run.id}.ipynb", as_version=4) for run in runs if not run.pages}
    parts += key_findings_section(runs, executed)
    if header.get("description"):
        parts.append(markup.md_text(header["description"]) + "\n")
    pages = {run.pages for run in runs}
    explore = [link for kind, link in (("states", "**[How did my country vote?](states/index.md)**"),
                                       ("votes", "[every vote, one page each](votes/index.md)"),
                                       ("votes", "[the world map of every vote](votes/map.md)"),
                                       ("data", "[the data to download and cite](data/index.md)")) if kind in pages]
    parts.append("Explore: " + " · ".join([*explore, "every section in the sidebar"]) + ".\n")
    groups: dict[str, list] = {}
    for run in runs:
        groups.setdefault(run.group, []).append(run)
    figures_dir = src / "_summary"
    for group, members in groups.items():
        found = []
        for run in members:
            if run.pages:
                continue
            text = section_summary(glued(executed[run.id]))
            if text:
                found.append(f"- {text.strip()} ([{markup.md_text(run.title)}]({run.id}.ipynb))")
            figure = tagged_figure(executed[run.id], FIGURE)
            if figure is not None:
                png, alt = figure
                figures_dir.mkdir(exist_ok=True)
                (figures_dir / f"summary-{run.id}.png").write_bytes(png)
                found.append("\n" + markup.figure(f"_summary/summary-{run.id}.png", alt or run.summary,
                                                  f"From: {markup.md_text(run.title)}."))
        if found:
            parts += [f"## {markup.md_text(group)}\n", "\n".join(found) + "\n"]
    parts.append(f"Built {built_at}. Every number above is computed from the processed tables when the site "
                 "is built, in the section it links to.\n")
    parts += _gaps_and_release()
    for group, members in groups.items():
        entries = "\n".join(f"{r.id}/index" if r.pages else r.id for r in members)
        parts.append(f"```{{toctree}}\n:hidden:\n:caption: {group}\n:maxdepth: 1\n\n{entries}\n```\n")
    return "\n".join(parts)


def section_summary(values: dict[str, dict]) -> str | None:
    """What a section says on the findings page: its plain opener ("what this means") when it glued one, else its
    headline. The headline's statistics (effects, adjusted p-values, AUC) stay on the section's own page, one
    click away, so that the front page states findings without jargon."""
    from unvotes.site import key_findings

    _, meaning = key_findings.from_glued(values)
    return meaning or values.get(HEADLINE, {}).get("text/markdown")


def key_findings_section(runs: list, executed: dict) -> list[str]:
    """"Key findings": each key finding's sentence with a link to its evidence and "how we know" in a
    details element (plain HTML: it opens without a script)."""
    from unvotes.site import key_findings

    found: dict[str, tuple] = {}
    for run in runs:
        if run.pages:
            continue
        for finding in key_findings.from_glued(glued(executed[run.id]))[0]:
            found.setdefault(finding.kind, (finding, run))
    if not found:
        return []
    items = []
    for kind in key_findings.ORDER:
        if kind not in found:
            continue
        finding, run = found[kind]
        href = finding.link or f"{run.id}.html"
        if finding.anchor:
            href += f"#{finding.anchor}"
        items.append(f'<li><p>{markup.esc(finding.sentence)} <a href="{markup.esc(href)}">The evidence: '
                     f'{markup.esc(run.title)}</a>.</p>\n<details><summary>How we know</summary>\n'
                     f"<p>{markup.esc(finding.how)}</p>\n</details></li>")
    return ["## Key findings\n",
            markup.raw_html('<ol class="key-findings">\n' + "\n".join(items) + "\n</ol>")]


def _gaps_and_release() -> list[str]:
    """The catalogued votes without a complete roll call, and the data release the tables come from."""
    import pandas as pd

    from unvotes.tables import catalogue, labels
    from unvotes.analyses import overview
    from unvotes.errors import UnvotesError

    parts = []
    try:
        missing = catalogue.missing()
    except UnvotesError:
        missing = pd.DataFrame()
    if not missing.empty:
        parts += ["## Votes without a complete roll call\n",
                  "Votes on the war listed on this site for which no source here holds every member's vote; a partial roll call gets its page "
                  "and is never counted in shares or models.\n",
                  markup.raw_html(labels.table_html(missing[["vote_id", "label", "status", "source"]]))]
    try:
        meta = overview.build_info()
    except UnvotesError:  # no tables built (a plan without data): no release to state
        meta = None
    if meta is not None:
        pairs = dict.fromkeys((s["source"], s.get("release") or "") for s in meta.get("sources", []))
        release = pd.DataFrame(list(pairs), columns=["source", "release"])
        parts += ["## Data release\n", f"Tables built {meta.get('built_at', '?')} from:\n",
                  markup.raw_html(labels.table_html(release))]
    return parts
