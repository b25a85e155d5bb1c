"""Small pieces of MyST Markdown and HTML shared by the generated pages (one home for escaping)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from unvotes.analyses import plotting

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


#: A draft tabled by Russia (alone or with China), as the catalogue's label or citation names it.
RUSSIAN_DRAFT = re.compile(r"\bRussian(?:/Chinese)? (?:\w+[ -])*?draft", re.I)


def russian_draft(label: str, source: str = "") -> bool:
    """True when the catalogue names the text as a Russian draft: a yes on it is not a yes for Ukraine."""
    return bool(RUSSIAN_DRAFT.search(f"{label} {source}"))


def _missing(value) -> bool:
    # pandas is imported here, not with the module: the report's plan loads this module, and its warm path (nothing
    # to re-run) does without pandas (half a second); a value that is not a string comes from a table anyway
    import pandas as pd

    return bool(pd.isna(value))


def vote_badge(vote: str, russian_draft: bool = False) -> str:
    """A vote as a coloured label (the report's vote colours, with the word itself for colour-blind readers). A
    vote on a Russian draft wears a hatched badge that says so: in the vote colours a yes on it would read as
    support for Ukraine."""
    if vote is None or not isinstance(vote, str) and _missing(vote):
        return '<span class="vote vote-none">–</span>'
    css = re.sub(r"[^a-z]+", "-", str(vote).lower())
    if russian_draft and vote in ("yes", "no", "abstain"):
        return (f'<span class="vote vote-{css} vote-russian-draft" title="a vote on a draft tabled by Russia">'
                f"{esc(str(vote))} (Russian draft)</span>")
    return f'<span class="vote vote-{css}">{esc(str(vote))}</span>'


def glossary_link(term: str, text: str, prefix: str = "../") -> str:
    """A word linked to its entry in the glossary (``lib/unvotes/site/static/glossary.md``, its labels)."""
    return f'<a class="glossary" href="{prefix}glossary.html#{esc(term)}">{esc(text)}</a>'


def state_link(iso3: str, name: str, prefix: str = "../states/") -> str:
    return f'<a href="{prefix}{esc(iso3)}.html">{esc(name)}</a>'


def vote_link(vote_id: str, text: str | None = None, prefix: str = "../votes/") -> str:
    return f'<a href="{prefix}{slug(vote_id)}.html">{esc(text or vote_id)}</a>'


def scrolling(table_html: str) -> str:
    """A wide table in a box that scrolls sideways on a narrow screen instead of widening the page."""
    return f'<div class="table-scroll">{table_html}</div>'


def raw_html(block: str) -> str:
    """An HTML block MyST passes through as is: blank lines inside would end it, so they are removed."""
    return "\n".join(line for line in block.splitlines() if line.strip()) + "\n"


def save_figure(fig, path: Path, dpi: int = 96) -> None:
    import matplotlib.pyplot as plt

    fig.savefig(path, dpi=dpi, bbox_inches="tight")
    plt.close(fig)


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a ``#rrggbb`` (or ``#rgb``) colour."""
    hex_ = colour.lstrip("#")
    hex_ = "".join(c * 2 for c in hex_) if len(hex_) == 3 else hex_
    channels = [int(hex_[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21; AA asks 4.5 for normal text)."""
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def badge_text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (white on the vermillion "no" is only 3.9:1)."""
    return max(("#000", "#fff"), key=lambda text: contrast_ratio(text, background))


def vote_css() -> str:
    """CSS classes for the vote badges and bars, in the report's vote colours, each with the text colour of
    higher contrast."""
    rules = [f".vote-{re.sub(r'[^a-z]+', '-', v)}{{background:{c};color:{badge_text_colour(c)}}}"
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


# ---------------------------------------------------------------- developer text (issue 23)

#: Text for developers, not readers: file paths, module names, commands, internal terms. It belongs on the
#: colophon (``static/colophon.md``); a test scans every other page for it.
DEVELOPER_TEXT = re.compile(
    r"data/(?:external|processed|raw)\b|lib/unvotes|forecasts/|shared/seeds|sources\.toml|\b\w+\.py\b"
    r"|\bunvotes\.(?!css\b)[a-z_]+|\bmake (?:data|report|test|install|bench|screenshot|lab)\b|python -m"
    r"|\badd-vote\b|\badd-official\b|papermill|seed articles?|\b\w+\.csv:\d+|\bunvotes package\b"
    r"|catalogue citation", re.I)


def developer_text(text: str) -> list[str]:
    """Each piece of developer text in ``text`` (see :data:`DEVELOPER_TEXT`), with a little context."""
    return [text[max(0, m.start() - 40):m.end() + 20] for m in DEVELOPER_TEXT.finditer(text)]


#: A parenthesis that only names code or files, e.g. "(`unvotes.analyses.absence`)" or "(`lib/unvotes/analyses/trends.py`)".
_CODE_ASIDE = re.compile(r" ?\((?:`[^`]+`(?:, | and )?)+\)")


def without_code_asides(markdown: str) -> str:
    """A notebook's Markdown with the parentheses that only name modules or files removed (the colophon says
    where the code is); an aside naming anything else stays."""
    return _CODE_ASIDE.sub(lambda m: "" if DEVELOPER_TEXT.search(m.group(0)) else m.group(0), markdown)


def reader_source(source: str) -> str:
    """A source or note as the data name it, in reader wording: the project's file paths become what they are
    (a curated, cited table; a computation of the project), seed articles news articles, and a sentence giving
    a command is dropped (the colophon has the commands)."""
    text = re.sub(r"computed \(lib/unvotes/[\w/]+\.py\)", "computed by the project from the recorded votes", str(source))
    text = re.sub(r"\bseed articles? \d{3}(?:(?:,| and) \d{3})*", "the news articles checked on the claims page", text)
    text = re.sub(r"\bseed article(s?)\b", r"news article\1", text)
    # the package and the source ids are the colophon's business: "processed by this project", no `dgacm-ga`
    text = re.sub(r"processed by the unvotes package(?: \(`[\w-]+`\))?", "processed by this project", text)
    text = re.sub(r"\s*\(added with add-vote\)", "", text)
    text = re.sub(r"\bcatalogue citation\b", "where this vote's details come from", text)
    # the data overview's tables name the code and files each column comes from: the colophon names them
    text = re.sub(r"\s*\(see (?:lib/unvotes/[\w/]+\.py|unvotes\.[\w.]+)\)", "", text)
    text = re.sub(r"\blib/unvotes/[\w/]+\.py:?(?: \([A-Za-z_, ]+\))?", "the project's code", text)
    text = re.sub(r"\b(?:see )?(?:lib/unvotes/(?:sources/)?)?sources\.toml\b", "the project's list of sources", text)
    text = re.sub(r"\(([\w-]+), added with add-vote\)", r"(\1, added one by one)", text)
    text = re.sub(r"\badd-vote records\b", "records added one by one", text)
    text = re.sub(r"\bdata/raw\b", "the raw files", text)
    text = re.sub(r"\bdata/processed/?", "the processed tables", text)
    text = re.sub(r"\b(?:[\w-]|\\_)+\.csv:\d+", "a curated table, cited per row", text)
    # a sentence giving a command goes (the colophon has them); never across an HTML tag
    text = re.sub(r"\s*[^.;()<>]*\bpython -m unvotes\b[^.;()<>]*(?:\([^)<>]*\))?[^.;<>]*[.;]?", "", text)
    # a name may come Markdown-escaped (ukraine\_votes)
    return re.sub(r"data/external/((?:\w|\\_)+)\.csv",
                  lambda m: f"the project's curated table of {m.group(1).replace(chr(92), '').replace('_', ' ')} "
                            "(each row cites its source)", text)
