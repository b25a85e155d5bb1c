"""An interactive world map of every catalogued vote, for the site: choose a vote, see how each state voted,
hover (or tap) for its name and vote, click to open its page. It is one SVG drawn when the site is built (Natural
Earth 1:110m shapes in the Equal Earth projection, coloured by the latest complete vote, so that it reads without
scripts) and a script of a few lines that recolours it when another vote is chosen: no charting library, so the
page stays light (the Vega bundle it replaced weighed 0.9 MB). The static map on each vote's page remains the
version to print or cite.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from unvotes.analyses import plotting, shifts
from unvotes.site import markup
from unvotes.site.markup import esc

CATEGORIES = [*plotting.VOTE_ORDER, "unknown", "not a member"]
LABELS = {"unknown": "not recorded (partial roll call)", "not a member": "not a member / not on the Council"}
#: One letter per vote in the page's data (a state's votes are one string, a letter per vote).
CODES = {"yes": "y", "abstain": "a", "no": "n", "absent": "x", "unknown": "u", "not a member": "m"}
#: SVG units per unit of the projection, and the decimals kept (0.1 unit: about 0.06 degrees at the equator).
SCALE, DECIMALS = 100, 1


def equal_earth(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Equal Earth projection (Šavrič, Patterson & Jenny 2018) of degrees, in units of the earth's radius."""
    a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
    lam, phi = np.radians(lon), np.radians(lat)
    theta = np.arcsin(np.sqrt(3) / 2 * np.sin(phi))
    t2 = theta ** 2
    t6 = t2 ** 3
    x = 2 * np.sqrt(3) * lam * np.cos(theta) / (3 * (9 * a4 * t6 * t2 + 7 * a3 * t6 + 3 * a2 * t2 + a1))
    y = theta * (a4 * t6 * t2 + a3 * t6 + a2 * t2 + a1)
    return x, y


def _ring(coords) -> str:
    xy = np.asarray(coords)[:, :2]
    x, y = equal_earth(xy[:, 0], xy[:, 1])
    points = [f"{px:.{DECIMALS}f},{py:.{DECIMALS}f}" for px, py in zip(x * SCALE, -y * SCALE)]
    points = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]  # rounding merges neighbours
    return "M" + "L".join(points) + "Z" if len(points) > 2 else ""


def svg_path(geometry) -> str:
    """A (multi)polygon as an SVG path in Equal Earth coordinates (holes as rings: drawn with evenodd)."""
    polygons = getattr(geometry, "geoms", [geometry])
    return "".join(_ring(r.coords) for p in polygons for r in (p.exterior, *p.interiors))


def spec(cat: pd.DataFrame, state_prefix: str = "../states/") -> dict:
    """What the map shows over the votes of ``cat`` (the catalogue rows with pages): ``votes`` (the selector's
    labels), ``default`` (the latest complete vote), ``words`` and ``colors`` per letter of :data:`CODES`, and
    ``states``: every member state (``iso3``, ``name``, ``codes``: a letter per vote, ``href``) with its SVG
    ``path`` where the 1:110m shapes draw it ("" for a state too small to show)."""
    import shapely

    from unvotes.analyses import profile

    shapes = profile.world_shapes()
    shapes = shapes[shapes["iso3"] != "ATA"].copy()
    shapes["geometry"] = shapely.set_precision(shapes.geometry.simplify(0.05).values, grid_size=0.01)
    paths = {r.iso3: svg_path(r.geometry) for r in shapes.itertuples() if r.geometry is not None and not r.geometry.is_empty}
    names = shapes.set_index("iso3")["NAME"].to_dict()
    matrix = shifts.known_matrix(cat["vote_id"].tolist())
    from unvotes import api

    members = api.load_countries().set_index("iso3")["name"]
    states = []
    for iso3 in sorted(set(matrix.index) | set(paths)):
        votes = matrix.loc[iso3] if iso3 in matrix.index else pd.Series(dtype=object)
        codes = "".join(CODES.get(votes.get(v) if isinstance(votes.get(v), str) else "not a member", "m")
                        for v in cat["vote_id"])
        states.append({"iso3": iso3, "name": str(members.get(iso3, names.get(iso3, iso3))), "codes": codes,
                       "href": f"{state_prefix}{iso3}.html" if iso3 in matrix.index else "",
                       "path": paths.get(iso3, "")})
    default = int(np.flatnonzero(cat["complete"].astype(bool).to_numpy()).max()) if cat["complete"].any() else len(cat) - 1
    return {"votes": [f"{v} ({d:%Y}): {label}" for v, d, label in zip(cat["vote_id"], cat["date"], cat["label"])],
            "default": default, "states": states,
            "words": {CODES[c]: LABELS.get(c, c) for c in CATEGORIES},
            "colors": {CODES[c]: plotting.VOTE_COLORS[c] for c in CATEGORIES}}


#: The script that recolours the map for the chosen vote and counts each kind of vote (no library).
SCRIPT = """(function (data) {
  var select = document.getElementById('map-vote');
  if (!select) { return; }
  function draw(i) {
    var counts = {};
    data.states.forEach(function (s) {
      var c = s.codes.charAt(i) || 'm';
      counts[c] = (counts[c] || 0) + 1;
      var path = document.getElementById('map-' + s.iso3);
      if (path) {
        path.setAttribute('fill', data.colors[c]);
        path.querySelector('title').textContent = s.name + ': ' + data.words[c];
      }
    });
    document.querySelectorAll('#vote-map-legend [data-code]').forEach(function (el) {
      el.textContent = counts[el.getAttribute('data-code')] || 0;
    });
  }
  select.addEventListener('change', function () { draw(Number(select.value)); });
  select.disabled = false;
  draw(Number(select.value));
})"""


def page(cat: pd.DataFrame) -> str:
    """The map's page (MyST Markdown with the map's HTML: the SVG coloured by the default vote, the selector, the
    legend with counts, and the script with its data written through :func:`unvotes.site.markup.script_json`)."""
    sp = spec(cat)
    states, votes, default = sp.get("states", []), sp.get("votes", []), int(sp.get("default", 0))
    colors, words = sp.get("colors", {}), sp.get("words", {})
    counts: dict[str, int] = {}
    shapes = []
    for s in states:
        code = s["codes"][default] if len(s.get("codes", "")) > default else "m"
        counts[code] = counts.get(code, 0) + 1
        if not s.get("path"):
            continue
        shape = (f'<path id="map-{esc(s["iso3"])}" d="{s["path"]}" fill="{colors.get(code, "#FFFFFF")}">'
                 f'<title>{esc(s["name"])}: {esc(words.get(code, ""))}</title></path>')
        shapes.append(f'<a href="{esc(s["href"])}">{shape}</a>' if s.get("href") else shape)
    options = "".join(f'<option value="{i}"{" selected" if i == default else ""}>{esc(v)}</option>'
                      for i, v in enumerate(votes))
    legend = "".join(f'<li><span class="swatch" style="background:{colors.get(CODES[c], "#FFF")}"></span>'
                     f'{esc(LABELS.get(c, c))}: <span data-code="{CODES[c]}">{counts.get(CODES[c], 0)}</span></li>'
                     for c in CATEGORIES)
    data = {k: v for k, v in sp.items() if k != "states"} | {
        "states": [{k: v for k, v in s.items() if k in ("iso3", "name", "codes")} for s in states]}
    chosen = esc(votes[default]) if votes else ""
    return ("# The world map of every vote\n\n"
            "Choose a vote: each member state is coloured by how it voted (dark grey: absent; light grey: not a member "
            "that day, or not on the Security Council), and the legend counts the states of each kind. Hover over or "
            "tap a state for its name and vote; click it to open its page. Boundaries: "
            "Natural Earth 1:110m (public domain), which leaves out many small states: every state is in the "
            "[table of votes](index.md) and on its own page. The static map on each vote's page is the one to print.\n\n"
            + markup.raw_html(
                '<form class="vote-map-choice" onsubmit="return false"><label for="map-vote">Vote: </label>'
                f'<select id="map-vote" disabled>{options}</select></form>\n'
                '<svg id="vote-map" viewBox="-268 -133 536 238" role="group" fill-rule="evenodd" stroke="#555555" '
                f'stroke-width="0.3" aria-label="World map of the votes, coloured by each state\'s vote">{"".join(shapes)}</svg>\n'
                f'<ul id="vote-map-legend">{legend}</ul>\n'
                f"<noscript>Without JavaScript the map shows {chosen}; each vote's page has its own map.</noscript>\n"
                f"<script>{SCRIPT}({markup.script_json(data)});</script>\n"))
