"""Command line: ``python -m unvotes data | fetch | add-official FILE | bench``."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .errors import UnvotesError


def cmd_data(args: argparse.Namespace) -> None:
    from . import build

    print("Building the processed tables (data/processed) from the raw sources ...", flush=True)
    built = build.build_tables(download=not args.offline)
    written = build.write_tables(built)
    print(build.summary(built))
    print("Wrote " + ", ".join(str(p) for p in written.values()))


def cmd_fetch(args: argparse.Namespace) -> None:
    from .fetch import fetch, fetch_required
    from .sources import registry

    got = fetch_required(download=not args.offline)
    if args.official:
        for f in registry().files:
            if f.optional:
                try:
                    got.append(fetch(f, download=True, progress=True))
                except UnvotesError as exc:
                    print(f"Not fetched: {exc}", file=sys.stderr)
    for g in got:
        print(f"{g.origin:<8} {g.file.relpath}  sha256 {g.sha256[:12]}…{'' if g.pinned else ' (not pinned)'}")


def cmd_add_official(args: argparse.Namespace) -> None:
    from .fetch import copy_into_raw
    from .sources import registry

    src = Path(args.file)
    matches = [f for f in registry().files if f.optional and f.name == src.name]
    if not matches:
        names = ", ".join(f.name for f in registry().files if f.optional)
        raise UnvotesError(f"{src.name!r} is not a registered official file; expected one of: {names}. "
                           "Keep the file name as downloaded.")
    got = copy_into_raw(src, matches[0])
    print(f"Copied {src} to {got.path} (sha256 {got.sha256}{'' if got.pinned else ', not pinned'}). "
          "Run `make data` to rebuild the tables with it.")


def cmd_bench(args: argparse.Namespace) -> None:
    """Benchmarks print figures; they assert nothing. Each runs in its own process for a clean peak RSS."""
    from . import paths

    rows = []
    with tempfile.TemporaryDirectory(prefix="unvotes-bench-") as tmp:
        env = dict(os.environ, **{paths.DATA_ENV: tmp})
        print("(a) building every processed table from the raw files (fetch from mirror included) ...", flush=True)
        wall, peak = _measure_isolated("from unvotes import build; build.write_tables(build.build_tables(say=lambda *a: None))", env)
        rows.append(("(a) build all tables from the mirror", wall, peak, "< 10 s"))
        wall, peak = _measure_isolated("import unvotes; unvotes.load_roll_calls(); unvotes.load_votes(); unvotes.load_countries()", env)
        rows.append(("    load the processed tables (fresh process, incl. imports)", wall, peak, "well under 1 s of loading"))
        path = Path(tmp) / "2026_02_06_ga_voting.csv"
        print(f"(b) generating a synthetic UN Digital Library GA file of {args.rows:,} rows ...", flush=True)
        from .synthetic import write_synthetic_undl_ga

        start = time.perf_counter()
        write_synthetic_undl_ga(path, n_rows=args.rows)
        gen = time.perf_counter() - start
        size = path.stat().st_size / 1e6
        print(f"    written in {gen:.1f} s ({size:,.0f} MB); reading it ...", flush=True)
        wall, peak = _measure_isolated(f"from unvotes.readers.undl import read_undl_ga; read_undl_ga({str(path)!r})", env)
        rows.append((f"(b) ingest a synthetic UNDL GA file ({args.rows:,} rows, {size:,.0f} MB)", wall, peak, "< 10 s, < 2 GB"))
    print()
    print(f"{'benchmark':<66}{'wall s':>8}{'peak MB':>10}  target")
    for name, wall, peak, target in rows:
        print(f"{name:<66}{wall:>8.2f}{peak:>10.0f}  {target}")


def _measure_isolated(code: str, env: dict) -> tuple[float, float]:
    """Run the measurement itself in a child, so each figure's peak RSS is that child's own."""
    probe = (
        "import resource, subprocess, sys, time, json\n"
        f"code = {code!r}\n"
        "t = time.perf_counter()\n"
        "subprocess.run([sys.executable, '-c', code], check=True)\n"
        "w = time.perf_counter() - t\n"
        "print(json.dumps([w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], env=env, check=True, capture_output=True, text=True)
    import json

    wall, peak = json.loads(out.stdout.strip().splitlines()[-1])
    return wall, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="unvotes", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("data", help="build data/processed from the raw sources")
    p.add_argument("--offline", action="store_true", help="never download; use data/raw and the mirror only")
    p.set_defaults(func=cmd_data)
    p = sub.add_parser("fetch", help="fetch and verify the registered raw files")
    p.add_argument("--offline", action="store_true")
    p.add_argument("--official", action="store_true", help="also download the official UN Digital Library files")
    p.set_defaults(func=cmd_fetch)
    p = sub.add_parser("add-official", help="copy a downloaded official UN Digital Library file into data/raw")
    p.add_argument("file")
    p.set_defaults(func=cmd_add_official)
    p = sub.add_parser("bench", help="measure build time, load time and ingest of a full-size synthetic UNDL file")
    p.add_argument("--rows", type=int, default=947_434)
    p.set_defaults(func=cmd_bench)
    args = parser.parse_args(argv)
    try:
        args.func(args)
    except UnvotesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
