"""The published site: the executed section notebooks and the generated pages, built by Sphinx.

Why Sphinx with MyST-NB and the book theme: it reads the executed notebooks as they are (no second
conversion), gives every page its title, a sidebar grouped as in the report plan, previous/next links and a
full-text search, ships its scripts, styles and fonts with the site (it works offline, from a folder), and
builds the ~250 pages here in seconds. A page per vote and per state is written by one process each
(``vote_pages``, ``state_pages``), never a kernel per page; the state pages stay out of the sidebar's tree
(they are reached from the states' table and from every vote page), because a tree of 193 entries drawn on
every page costs Sphinx a quadratic 15 s.

Layout of ``reports/html/``: ``index.html`` (the findings, first), ``<section-id>.html`` (one per notebook
run), ``votes/<vote>.html``, ``states/<ISO3>.html``, ``data/`` (the tables to download, the data package
and how to cite them), ``glossary.html``, ``colophon.html`` (the one reader page naming files, modules and
commands), ``api.html`` (the package's API for researchers, from its docstrings), ``search.html``.
"""

from __future__ import annotations

from unvotes.site.build import GENERATORS, INDEX_WEIGHT_LIMIT, SiteError, assemble, build_html, generate, page_weight

__all__ = ["GENERATORS", "INDEX_WEIGHT_LIMIT", "SiteError", "assemble", "build_html", "generate", "page_weight"]
