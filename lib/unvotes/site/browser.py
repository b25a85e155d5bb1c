"""Pages of the site checked in headless Chromium, as a reader would open them offline: not blank, with
their title, and without a request to another host (every script, style, font and image ships with the
site)."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from unvotes.errors import UnvotesError

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Chromium's own background traffic (time, accounts, updates) is switched off where it can be; what is
#: left is told apart from the page's requests by its network isolation key (a page opened from disk has
#: ``file://``).
QUIET = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
         "--disable-extensions", "--disable-domain-reliability",
         "--virtual-time-budget=5000"]  # scripts (search, the interactive map) get time to run before the capture


class BrowserError(UnvotesError):
    """No headless browser, or a page that renders blank or reaches for another host."""


def find() -> str:
    browser = next((shutil.which(n) for n in CHROMIUM_NAMES if shutil.which(n)), None)
    if browser is None:
        raise BrowserError(f"no headless browser found (looked for {', '.join(CHROMIUM_NAMES)}); on Debian: "
                           "`apt-get install chromium`")
    return browser


def open_page(page: Path, png: Path | None = None, width: int = 1300, height: int = 1800,
              extra: list[str] | None = None) -> dict:
    """Render ``page`` in headless Chromium: a screenshot (to ``png``), the DOM after scripts ran, and every
    request the page made to another host. Returns {"png", "distinct_colours", "dom", "offsite"}."""
    import numpy as np
    from matplotlib import image

    page = Path(page)
    if not page.is_file():
        raise BrowserError(f"{page} does not exist: run `make report` first")
    browser = find()
    with tempfile.TemporaryDirectory() as tmp:
        png = Path(png or Path(tmp) / "page.png")
        net = Path(tmp) / "net.json"
        shot = subprocess.run([browser, *QUIET, f"--window-size={width},{height}", f"--screenshot={png}",
                               *(extra or []),
                               "--dump-dom", f"--log-net-log={net}", page.resolve().as_uri()],
                              capture_output=True, text=True, timeout=120)
        if shot.returncode != 0 or not png.is_file():
            raise BrowserError(f"{browser} could not render {page} (exit {shot.returncode}): {shot.stderr[-500:]}")
        dom = shot.stdout
        offsite = _page_requests_offsite(net)
        rgb = (image.imread(png)[..., :3].reshape(-1, 3) * 255).astype(np.uint8).astype(np.uint32)
        # each colour as one integer: np.unique over rows (axis=0) of 2.3 million pixels took ~4 s a page
        colours = len(np.unique((rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]))
    return {"png": png, "distinct_colours": colours, "dom": dom, "offsite": offsite}


def _page_requests_offsite(net_log: Path) -> list[str]:
    try:
        log = json.loads(net_log.read_text())
    except (OSError, ValueError):  # Chromium may leave the log unterminated when it exits
        text = net_log.read_text().rstrip().rstrip(",")
        log = json.loads(text + "]}")
    names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    urls = []
    for event in log["events"]:
        params = event.get("params", {})
        if names.get(event["type"]) == "URL_REQUEST_START_JOB" and "file://" in params.get("network_isolation_key", ""):
            if not params.get("url", "").startswith(("file:", "data:", "blob:")):
                urls.append(params["url"])
    return sorted(set(urls))


#: A page beside the page under test that shows it in a frame ``width`` CSS pixels wide (the frame's width is
#: the page's viewport, so its media queries apply: headless Chromium keeps its own window at least 500 pixels
#: wide), and after the page's scripts ran writes its width, the document's width (wider: the reader must scroll
#: sideways) and the elements that reach past the right edge outside a box that scrolls, clips or is fixed (the
#: theme's drawers, a table in its scrolling box).
_PROBE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="probe" src="{src}" style="width:{width}px;height:{height}px;border:0"></iframe>
<script>
document.getElementById("probe").addEventListener("load", () => setTimeout(() => {{
  const doc = document.getElementById("probe").contentDocument, win = doc.defaultView;
  const width = doc.documentElement.clientWidth;
  const contained = (e) => {{ for (let p = e.parentElement; p; p = p.parentElement) {{
      const s = win.getComputedStyle(p);
      if (["auto", "scroll", "hidden", "clip"].includes(s.overflowX) || s.position === "fixed"
          || s.visibility === "hidden" || s.display === "none") return true; }} return false; }};
  const wide = [...doc.querySelectorAll("body *")].filter((e) => {{
      const r = e.getBoundingClientRect(); return r.width > 0 && r.right > width + 1 && !contained(e)
        && win.getComputedStyle(e).visibility !== "hidden"; }})
    .concat(doc.documentElement.scrollWidth > width ? [...doc.querySelectorAll("body *")].filter((e) =>
        e.getBoundingClientRect().right > width + 1 && e.parentElement.getBoundingClientRect().right <= width + 1) : [])
    .slice(0, 10).map((e) => e.tagName.toLowerCase() + (typeof e.className === "string" && e.className ? "." + e.className : ""));
  // table cells allowed to break inside a word or number ("14 3- 5- 35" for 143-5-35): the table should scroll
  const brokenCells = [...doc.querySelectorAll("td, th")].filter((e) => {{ const s = win.getComputedStyle(e);
      return s.overflowWrap === "anywhere" || s.wordBreak === "break-all"; }}).length;
  document.body.setAttribute("data-layout", JSON.stringify({{width, scrollWidth: doc.documentElement.scrollWidth, wide,
                                                             brokenCells}}));
}}, 1500));
</script></body></html>"""
MIN_WINDOW = 500


def layout(page: Path, width: int = 390, height: int = 844) -> dict:
    """How ``page`` lays out in a viewport ``width`` CSS pixels wide (390: a phone): {"width" (the viewport's),
    "scrollWidth" (the page's; wider means the reader must scroll sideways), "wide" (up to 10 elements reaching
    past the right edge outside a scrolling box), "brokenCells" (table cells whose words and numbers may break
    anywhere)}. A probe page beside the page (so that its links resolve) shows
    it in a frame of that width; it is removed afterwards."""
    import html as html_lib
    import re

    page = Path(page)
    if not page.is_file():
        raise BrowserError(f"{page} does not exist: run `make report` first")
    probe = page.with_name(f".layout-probe-{page.name}")
    probe.write_text(_PROBE.format(src=page.name, width=width, height=height), encoding="utf-8")
    try:
        seen = open_page(probe, width=max(width, MIN_WINDOW) + 20, height=height + 20,
                         extra=["--allow-file-access-from-files"])  # the probe reads the framed page
    finally:
        probe.unlink(missing_ok=True)
    found = re.search(r'data-layout="([^"]*)"', seen["dom"])
    if not found:
        raise BrowserError(f"{page}: the layout probe did not run (no data-layout attribute after the scripts)")
    return json.loads(html_lib.unescape(found.group(1)))
