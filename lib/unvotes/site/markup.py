"""Small pieces of MyST Markdown and HTML shared by the generated pages (one home for escaping)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from .. import plotting

esc = html.escape


def slug(vote_id: str) -> str:
    """The page name of a vote: ``A/RES/ES-11/4`` -> ``a-res-es-11-4``."""
    return re.sub(r"[^A-Za-z0-9]+", "-", vote_id).strip("-").lower()


def md_text(text: str) -> str:
    """Text from a data file as literal Markdown: markup characters escaped, HTML tags neutralised."""
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", str(text))


def heading_text(text: str) -> str:
    """Text from a data file for a page's title: as :func:`md_text`, with ``<`` and ``>`` as the look-alike
    angle quotes, because the theme's print header writes the page title back unescaped."""
    return md_text(str(text).replace("<", "‹").replace(">", "›"))


def script_json(value) -> str:
    """JSON to put inside a ``<script>``: ``<``, ``>`` and ``&`` as \\u escapes (the same strings once parsed),
    so that no data string can close the script (``</script>``) or open a comment."""
    import json

    text = json.dumps(value, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def front_matter(orphan: bool = False) -> str:
    return "---\norphan: true\n---\n\n" if orphan else ""


def figure(file: str, alt: str, caption: str, width: str = "100%") -> str:
    """A MyST figure with alt text (what the figure shows, for readers who cannot see it) and a caption."""
    alt = " ".join(alt.split())
    return f"```{{figure}} {file}\n:alt: {alt}\n:width: {width}\n\n{caption}\n```\n"


def vote_badge(vote: str) -> str:
    """A vote as a coloured label (the report's vote colours, with the word itself for colour-blind readers)."""
    if vote is None or (not isinstance(vote, str) and pd.isna(vote)):
        return '<span class="vote vote-none">–</span>'
    css = re.sub(r"[^a-z]+", "-", str(vote).lower())
    return f'<span class="vote vote-{css}">{esc(str(vote))}</span>'


def state_link(iso3: str, name: str, prefix: str = "../states/") -> str:
    return f'<a href="{prefix}{esc(iso3)}.html">{esc(name)}</a>'


def vote_link(vote_id: str, text: str | None = None, prefix: str = "../votes/") -> str:
    return f'<a href="{prefix}{slug(vote_id)}.html">{esc(text or vote_id)}</a>'


def raw_html(block: str) -> str:
    """An HTML block MyST passes through as is: blank lines inside would end it, so they are removed."""
    return "\n".join(line for line in block.splitlines() if line.strip()) + "\n"


def save_figure(fig, path: Path, dpi: int = 96) -> None:
    import matplotlib.pyplot as plt

    fig.savefig(path, dpi=dpi, bbox_inches="tight")
    plt.close(fig)


def vote_css() -> str:
    """CSS classes for the vote badges, in the report's vote colours."""
    text = {"yes": "#fff", "no": "#fff", "abstain": "#000", "absent": "#000"}
    rules = [f".vote-{re.sub(r'[^a-z]+', '-', v)}{{background:{c};color:{text.get(v, '#000')}}}"
             for v, c in plotting.VOTE_COLORS.items()]
    return "\n".join(rules) + "\n"


def neighbours(rows: list, i: int, key, what: str) -> str:
    """Links to the previous and next page of a series (votes in date order, states by name) and back to the
    series' index: pages kept out of the sidebar's tree still lead on."""
    links = []
    if i > 0:
        page, text = key(rows[i - 1])
        links.append(f'<a class="series-prev" href="{esc(page)}.html">← previous {what}: {esc(text)}</a>')
    links.append(f'<a class="series-up" href="index.html">all {what}s</a>')
    if i + 1 < len(rows):
        page, text = key(rows[i + 1])
        links.append(f'<a class="series-next" href="{esc(page)}.html">next {what}: {esc(text)} →</a>')
    return "\n" + raw_html(f'<nav class="series-nav" aria-label="{what}s">' + " · ".join(links) + "</nav>")
