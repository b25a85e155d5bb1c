"""unvotes: tidy, validated UN roll calls, made for research on votes about Russia's war against Ukraine and
usable for any roll call of the General Assembly or the Security Council.

Five lines to a result::

    import unvotes
    unvotes.roll_call("A/RES/ES-11/4")           # date, published totals, source
    unvotes.tally("A/RES/ES-11/4")               # counts computed from the country votes
    unvotes.vote_of("China", "A/RES/ES-11/4")    # 'abstain'
    unvotes.load_votes()                          # one row per (vote, member state)
    unvotes.find("Ukraine")                       # roll calls by symbol, title or topic

And for one's own work::

    unvotes.history("India")                                  # every vote of one state
    unvotes.agreement_by_year(("Russia", "USA"), 2014, 2025)  # agreement per state and year
    unvotes.export("out/", vote_ids=unvotes.find("Gaza"))     # parquet, CSV and Stata with a codebook
    print(unvotes.cite())                                     # software, data build and sources

This module is the public face: what it exports (``__all__``) is the stable API, changed only with a note in
CHANGELOG.md and, for a renamed function, its old name kept for a release with a DeprecationWarning. The
models are :mod:`unvotes.models`; the alignment measures :mod:`unvotes.analyses.alignment`.
"""

__version__ = "0.3.0"

from unvotes.deprecated import install_moved_module_finder  # noqa: E402

install_moved_module_finder()  # pre-0.3.0 module paths (unvotes.shifts, ...) keep importing, with a warning

from unvotes.api import (  # noqa: E402
    find, history, iso3_of, load, load_countries, load_findings, load_roll_call_issues, load_roll_calls,
    load_votes, recorded_counts, roll_call, tally, vote_of, votes_on,
)
from unvotes.errors import (  # noqa: E402
    ChecksumError, NotCataloguedError, RawFormatError, SchemaError, SourceUnavailableError, UnknownCountryError,
    UnknownVoteError, UnvotesError,
)

__all__ = ["agreement_by_year", "cite", "export", "find", "history", "iso3_of", "load", "load_countries",
           "load_findings", "load_roll_call_issues", "load_roll_calls", "load_votes", "recorded_counts", "roll_call",
           "tally", "vote_of", "votes_on", "ChecksumError", "NotCataloguedError", "RawFormatError", "SchemaError",
           "SourceUnavailableError", "UnknownCountryError", "UnknownVoteError", "UnvotesError"]


#: Public functions defined in a stage's module, loaded on first use: unvotes.analyses.alignment imports SciPy's
#: optimisers and statistics (about 1.5 s), and the publication stage imports this package back (its version), so
#: `import unvotes` (and the report's warm path) stays quick and free of import cycles.
_LAZY = {"agreement_by_year": "unvotes.analyses.alignment", "cite": "unvotes.site.citation",
         "export": "unvotes.site.export"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
