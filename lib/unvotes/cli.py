"""Command line: ``python -m unvotes data | fetch | add-official FILE | add-vote SYMBOL | add-separate-vote RECORD |
bench``."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from unvotes.errors import UnvotesError


def cmd_data(args: argparse.Namespace) -> None:
    from unvotes.tables import build, curated_reads
    from unvotes import paths

    curated_reads.start(paths.external_dir())  # from the start, for the Makefile's list of the build's inputs
    with build.tables_lock("a data build (python -m unvotes data)", exclusive=True):
        print("Building the processed tables (data/processed) from the raw sources ...", flush=True)
        built = build.build_tables(download=not args.offline)
        written = build.write_tables(built)
    print(build.summary(built))
    print("Wrote " + ", ".join(str(p) for p in written.values()))


def cmd_fetch(args: argparse.Namespace) -> None:
    from unvotes.sources.fetch import fetch, fetch_required
    from unvotes.sources.raw_files import registry

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
    from unvotes.sources.fetch import copy_into_raw
    from unvotes.sources.raw_files import registry

    src = Path(args.file)
    matches = [f for f in registry().files if f.optional and f.name == src.name]
    if not matches:
        names = ", ".join(f.name for f in registry().files if f.optional)
        raise UnvotesError(f"{src.name!r} is not a registered official file; expected one of: {names}. "
                           "Keep the file name as downloaded.")
    got = copy_into_raw(src, matches[0])
    print(f"Copied {src} to {got.path} (sha256 {got.sha256}{'' if got.pinned else ', not pinned'}). "
          "Run `make data` to rebuild the tables with it.")


def cmd_add_separate_vote(args: argparse.Namespace) -> None:
    """Parse a roll call pasted from a meeting record or press release and add it to the curated tables."""
    from unvotes.tables import curated_votes
    from unvotes.sources import meeting_record

    text = sys.stdin.read() if args.record == "-" else Path(args.record).read_text(encoding="utf-8")
    record = meeting_record.parse(text, date=args.date)
    given = {"yes": args.yes, "no": args.no, "abstain": args.abstain}
    totals = given if any(v is not None for v in given.values()) else None
    roll_call, votes = meeting_record.curated_rows(
        record, vote_id=args.vote_id or "", date=args.date, source=args.source, body=args.body,
        part_of=args.part_of or "", what=args.what or "", kind=args.kind, draft=args.draft, title=args.title,
        note=args.note, complete=not args.partial, totals=totals)
    counts = record.counts()
    print(f"{roll_call['vote_id']}: {len(votes)} states listed (yes {counts['yes']}, no {counts['no']}, abstain "
          f"{counts['abstain']}, absent {counts['absent']}); totals "
          f"{roll_call['yes_total'] or '?'}-{roll_call['no_total'] or '?'}-{roll_call['abstain_total'] or '?'}")
    if args.dry_run:
        print(votes[["iso3", "vote"]].to_string(index=False))
        return
    written = curated_votes.append(roll_call, votes, replace=args.replace)
    print("Wrote " + ", ".join(str(p) for p in written) + ". Run `make data` to rebuild the tables with it.")


def cmd_add_vote(args: argparse.Namespace) -> None:
    from unvotes.sources.add_vote import add_vote

    add_vote(args.vote, file=Path(args.file) if args.file else None, replace=args.replace)


def cmd_forecast(args: argparse.Namespace) -> None:
    """Fit the report's model and publish the forecast of :data:`unvotes.models.forecast.NEXT_VOTE`."""
    from unvotes.models import forecast, hierarchical

    settings = hierarchical.settings_named(args.sampler)
    print(f"Fitting the hierarchical model ({settings.describe()}) ...", flush=True)
    fit = hierarchical.sample(hierarchical.prepare(), settings)
    table, meta = forecast.make(fit)
    path = forecast.write(table, meta)
    print(f"Sampling took {fit.seconds:.0f} s. Wrote {path} and its .json: {len(table)} states, for "
          f"{meta['description']}")


def cmd_bench(args: argparse.Namespace) -> None:
    """Benchmarks print figures; they assert nothing. Each runs in its own process for a clean peak RSS."""
    from unvotes import paths

    rows = [(f"this machine: {os.cpu_count()} cores; a 10-million-step Python loop (median of 3)", _loop_seconds(),
             float("nan"), "for comparing machines")]
    with tempfile.TemporaryDirectory(prefix="unvotes-bench-") as tmp:
        from unvotes.models import hierarchical

        # cold means compiled too: an empty JAX compilation cache of its own for the report, another for (d)
        env = dict(os.environ, **{paths.DATA_ENV: tmp, hierarchical.JAX_CACHE_ENV: str(Path(tmp) / "jax-report")})
        print("(a) building every processed table from the raw files (fetch from mirror included) ...", flush=True)
        wall, peak = _measure_isolated("from unvotes.tables import build; build.write_tables(build.build_tables(say=lambda *a: None))", env)
        rows.append(("(a) build all tables from the mirror", wall, peak, "< 10 s"))
        wall, peak = _measure_isolated("import unvotes; unvotes.load_roll_calls(); unvotes.load_votes(); unvotes.load_countries()", env)
        rows.append(("    load the processed tables (fresh process, incl. imports)", wall, peak, "well under 1 s of loading"))
        path = Path(tmp) / "2026_02_06_ga_voting.csv"
        print(f"(b) generating a synthetic UN Digital Library GA file of {args.rows:,} rows ...", flush=True)
        from unvotes.sources.synthetic import write_synthetic_undl_ga

        start = time.perf_counter()
        write_synthetic_undl_ga(path, n_rows=args.rows)
        gen = time.perf_counter() - start
        size = path.stat().st_size / 1e6
        print(f"    written in {gen:.1f} s ({size:,.0f} MB); reading it ...", flush=True)
        wall, peak = _measure_isolated(f"from unvotes.sources.readers.undl import read_undl_ga; read_undl_ga({str(path)!r})", env)
        rows.append((f"(b) ingest a synthetic UNDL GA file ({args.rows:,} rows, {size:,.0f} MB)", wall, peak, "< 10 s, < 2 GB"))
        print(f"(d) sampling the hierarchical model: {hierarchical.REPORT.describe()} ...", flush=True)
        wall, peak = _measure_isolated("from unvotes.models import hierarchical as h; h.sample(h.prepare(), h.REPORT, "
                                       "progress=False)", dict(env, **{hierarchical.JAX_CACHE_ENV: str(Path(tmp) / "jax-d")}))
        rows.append(("(d) hierarchical model, report settings (data, JIT, NUTS, log-lik)", wall, peak, "one core"))
        if not args.skip_report:
            rows += _bench_report(Path(tmp), env, build_seconds=rows[1][1])
    if not args.skip_tests:
        rows.insert(1, _bench_tests())  # beside the machine-speed reference
    print()
    print(f"{'benchmark':<66}{'wall s':>8}{'peak MB':>10}  target")
    for name, wall, peak, target in rows:
        print(f"{name:<66}{'' if wall != wall else f'{wall:.2f}':>8}{'' if peak != peak else f'{peak:.0f}':>10}  {target}")


def _loop_seconds() -> float:
    """The speed of this machine's cores on plain Python: the same code's timings differ by a factor of two
    between machines of the same kind (and on one machine between days), so figures come with this one."""
    times = []
    for _ in range(3):  # at module level in a fresh interpreter, as the README's earlier figures were taken
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "s = 0\nfor i in range(10_000_000): s += i"], check=True)
        times.append(time.perf_counter() - start)
    return sorted(times)[1]


def _bench_tests() -> tuple:
    """(e) ``make test`` as CI runs it: the suite builds its own tables from the mirror (the repository's data/ is
    not read), executes every notebook and fits the models, on one worker per core, with an empty JAX
    compilation cache (a fresh machine's)."""
    from unvotes import paths
    from unvotes.models import hierarchical

    print("(e) make test (the suite from nothing: its own tables, every notebook, the model fits) ...", flush=True)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="unvotes-bench-jax-") as jax_cache:
        done = subprocess.run(["make", "--no-print-directory", "test"], cwd=paths.PROJECT_ROOT, capture_output=True,
                              text=True, env=dict(os.environ, **{hierarchical.JAX_CACHE_ENV: jax_cache}))
    wall = time.perf_counter() - start
    return (f"(e) make test, {os.cpu_count()} workers: {_test_counts(done.stdout, done.returncode)}", wall,
            float("nan"), "<= 120 s on 2 cores")


def _test_counts(output: str, returncode: int) -> str:
    """pytest's closing counts ("931 passed, 13 skipped"), or why there are none."""
    import re

    counts = re.findall(r"(\d+ (?:passed|failed|skipped|errors?))\b", (output.strip().splitlines() or [""])[-1])
    text = ", ".join(counts) or "no counts in its output"
    return text if returncode == 0 else f"FAILED (exit {returncode}): {text}"


def _bench_report(tmp: Path, env: dict, build_seconds: float) -> list[tuple]:
    """(c) the report on the tables built in (a): cold (nothing cached), then warm (nothing changed), and the
    published site's size and page count."""
    reports = tmp / "reports"
    env = dict(env, UNVOTES_REPORTS=str(reports))
    code = "from unvotes import report; report.build()"
    print("(c) the report and its site, cold (every run executed, the site built) ...", flush=True)
    cold, peak = _measure_isolated(code, env)
    print("    and warm (nothing changed) ...", flush=True)
    warm, warm_peak = _measure_isolated(code, env)
    site = reports / "html"
    files = [f for f in site.rglob("*") if f.is_file()]
    pages = sum(f.suffix == ".html" for f in files)
    size = sum(f.stat().st_size for f in files) / 1e6
    downloads = sum(f.stat().st_size for f in (site / "data" / "files").glob("*")) / 1e6 if (site / "data").is_dir() else 0
    from unvotes.site.build import INDEX_WEIGHT_LIMIT, page_weight

    index = sum(page_weight(site / "index.html").values()) / 1e6 if (site / "index.html").is_file() else float("nan")
    return [("(c) make report, cold, tables already built", cold, peak, ""),
            ("    make report cold from nothing = (a) + (c)", build_seconds + cold, float("nan"), "<= 90 s on 2 cores"),
            ("    make report, warm (nothing changed)", warm, warm_peak, "<= 1 s"),
            (f"    site: {pages} pages, {size:,.1f} MB ({downloads:,.1f} MB of it data downloads)", float("nan"),
             float("nan"), ""),
            (f"    the findings page with its scripts, styles and images: {index:,.2f} MB", float("nan"), float("nan"),
             f"< {INDEX_WEIGHT_LIMIT / 1e6:.1f} MB")]


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
    p = sub.add_parser("add-separate-vote", help="add a roll call pasted from a meeting record or press release "
                       "to data/external/separate_roll_calls.csv and separate_votes.csv")
    p.add_argument("record", help="text file with the pasted 'In favour: ... Against: ... Abstaining: ...' ('-': stdin)")
    p.add_argument("--date", required=True, help="date of the vote, YYYY-MM-DD")
    p.add_argument("--source", required=True, help="citation: document symbol and page, or the press release")
    p.add_argument("--vote-id", help="id of a vote on a whole text, e.g. A/RES/ES-11/7")
    p.add_argument("--part-of", help="for a vote on part of a text: the whole text's id, e.g. A/RES/77/284")
    p.add_argument("--what", help="the part voted on, e.g. 'preambular paragraph 9' (with --part-of)")
    p.add_argument("--kind", choices=["resolution", "paragraph", "amendment", "motion", "other"],
                   help="default: paragraph with --part-of, else resolution")
    p.add_argument("--body", choices=["GA", "SC"], default="GA")
    p.add_argument("--draft", default="")
    p.add_argument("--title", default="")
    p.add_argument("--note", default="")
    p.add_argument("--yes", type=int, help="published total (default: the totals stated in the record)")
    p.add_argument("--no", type=int)
    p.add_argument("--abstain", type=int)
    p.add_argument("--partial", action="store_true", help="the lists are not the whole roll call (complete=false)")
    p.add_argument("--replace", action="store_true", help="replace the rows of a vote id already curated")
    p.add_argument("--dry-run", action="store_true", help="parse and check only; print the rows")
    p.set_defaults(func=cmd_add_separate_vote)
    p = sub.add_parser("add-vote", help="fetch one vote's voting record from the UN Digital Library (MARC21 XML), "
                       "check its counts and store it in data/raw/undl-records")
    p.add_argument("vote", help="the vote's symbol (A/RES/ES-11/10, S/RES/2774) or its record id (digits)")
    p.add_argument("--file", help="a record saved from the library (/record/<id>/export/xm) instead of downloading")
    p.add_argument("--replace", action="store_true", help="replace a stored copy of the same record")
    p.set_defaults(func=cmd_add_vote)
    p = sub.add_parser("bench", help="measure the build, loading, the ingest of a full-size synthetic UNDL file, "
                                      "the report cold and warm with the site's size, and make test")
    p.add_argument("--rows", type=int, default=947_434)
    p.add_argument("--skip-report", action="store_true", help="leave out the report's cold and warm builds (~80 s)")
    p.add_argument("--skip-tests", action="store_true", help="leave out the timing of make test (two to four minutes)")
    p.set_defaults(func=cmd_bench)
    p = sub.add_parser("forecast", help="fit the main model and store the forecast of the next Ukraine vote under "
                                         "forecasts/ (never replaces a stored forecast)")
    p.add_argument("--sampler", choices=["report", "fast"], default="report")
    p.set_defaults(func=cmd_forecast)
    args = parser.parse_args(argv)
    try:
        args.func(args)
    except UnvotesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
