"""An interactive world map of every catalogued vote, for the site: choose a vote, see how each state voted,
hover for its name and vote, click to open its page. It works offline: Vega, Vega-Lite and Vega-Embed ship
with the site as one script (``vl_convert.javascript_bundle``), and the map's data (Natural Earth 1:110m
shapes, each state's votes) are written into the page. The static map on each vote's page remains the
version to print or cite.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from unvotes.analyses import plotting, profile, shifts
from unvotes.site import markup

BUNDLE = "vega-bundle.js"
CATEGORIES = [*plotting.VOTE_ORDER, "unknown", "not a member"]
LABELS = {"unknown": "not recorded (partial roll call)", "not a member": "not a member / not on the Council"}


def write_bundle(static_dir: Path) -> Path:
    """The JavaScript that draws the map, into the site's ``_static`` (one file for every page that needs it)."""
    import vl_convert

    path = static_dir / BUNDLE
    # wrapped in a function: its top-level names (`_` among them) would clash with the theme's globals, and a
    # module script (which would scope them) is refused on pages opened from disk
    path.write_text("(function () {\n" + vl_convert.javascript_bundle() + "\n})();\n", encoding="utf-8")
    return path


def spec(cat: pd.DataFrame, state_prefix: str = "../states/") -> dict:
    """The Vega-Lite specification of the map over the votes of ``cat`` (the catalogue rows with pages):
    a geoshape layer whose colour is the selected vote, a drop-down of the votes, tooltips and links. Written
    as the JSON it is (Altair would build the same in seconds of imports)."""
    import shapely

    shapes = profile.world_shapes()
    shapes = shapes[shapes["iso3"] != "ATA"].copy()
    shapes["geometry"] = shapely.set_precision(shapes.geometry.simplify(0.05).values, grid_size=0.01)
    matrix = shifts.known_matrix(cat["vote_id"].tolist())
    features = []
    for row in json.loads(shapes.to_json(drop_id=True))["features"]:
        iso3 = row["properties"]["iso3"]
        votes = matrix.loc[iso3] if iso3 in matrix.index else pd.Series(dtype=object)
        row["properties"] = {"iso3": iso3, "name": row["properties"]["NAME"],
                             **{f"v{i}": (votes.get(v) if isinstance(votes.get(v), str) else "not a member")
                                for i, v in enumerate(cat["vote_id"])},
                             "href": f"{state_prefix}{iso3}.html" if iso3 in matrix.index else ""}
        features.append(row)
    names = [f"{v} ({d:%Y}): {label}" for v, d, label in zip(cat["vote_id"], cat["date"], cat["label"])]
    default = int(cat.index[cat["complete"]].max()) if cat["complete"].any() else len(cat) - 1
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",  # an identifier, never fetched
        "width": "container", "height": 430,
        "data": {"values": features},
        "params": [{"name": "vote_index", "value": default,
                    "bind": {"input": "select", "options": list(range(len(cat))), "labels": names, "name": "Vote: "}}],
        "transform": [{"calculate": "datum.properties['v' + vote_index]", "as": "vote"},
                      {"calculate": "datum.properties.name", "as": "state"},
                      {"calculate": "datum.properties.href", "as": "link"}],
        "projection": {"type": "equalEarth"},
        "mark": {"type": "geoshape", "stroke": "#555555", "strokeWidth": 0.3},
        "encoding": {
            "color": {"field": "vote", "type": "nominal",
                      "scale": {"domain": CATEGORIES, "range": [plotting.VOTE_COLORS[c] for c in CATEGORIES]},
                      "legend": {"title": "Vote", "orient": "bottom-left", "labelExpr": _legend_labels(),
                                 "symbolStrokeColor": "#555555", "symbolStrokeWidth": 0.6}},
            "tooltip": [{"field": "state", "type": "nominal", "title": "State"},
                        {"field": "vote", "type": "nominal", "title": "Vote"}],
            "href": {"field": "link", "type": "nominal"},
        },
    }


def _legend_labels() -> str:
    """A Vega expression giving the legend's longer labels for the grey categories."""
    expr = "datum.label"
    for key, text in LABELS.items():
        expr = f"datum.label == '{key}' ? '{text}' : ({expr})"
    return expr


def page(cat: pd.DataFrame) -> str:
    """The map's page (MyST Markdown with the chart's HTML)."""
    chart = markup.script_json(spec(cat))
    return ("# The world map of every vote\n\n"
            "Choose a vote: each member state is coloured by how it voted (dark grey: absent; light grey: not a member "
            "that day, or not on the Security Council). Hover over a state for its name and vote; click it to open its page. Boundaries: "
            "Natural Earth 1:110m (public domain), which leaves out many small states: every state is in the "
            "[table of votes](index.md) and on its own page. The static map on each vote's page is the one to print.\n\n"
            + markup.raw_html(
                f'<div id="vote-map" style="width:100%" role="img" aria-label="Interactive world map of the votes">'
                "</div>\n"
                f'<script src="../_static/{BUNDLE}"></script>\n'
                f"<script>vegaEmbed('#vote-map', {chart}, {{actions: false}});</script>\n"
                "<noscript>The interactive map needs JavaScript; each vote's page has a static map.</noscript>"))
