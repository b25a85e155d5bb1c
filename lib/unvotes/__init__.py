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

from typing import TYPE_CHECKING  # noqa: E402

from unvotes.errors import (  # noqa: E402
    ChecksumError, NotCataloguedError, RawFormatError, SchemaError, SourceUnavailableError, UnknownCountryError,
    UnknownVoteError, UnvotesError,
)

__all__ = ["agreement_by_year", "cite", "export", "find", "history", "iso3_of", "load", "load_countries",
           "load_findings", "load_roll_call_issues", "load_roll_calls", "load_votes", "recorded_counts", "roll_call",
           "tally", "vote_of", "votes_on", "ChecksumError", "NotCataloguedError", "RawFormatError", "SchemaError",
           "SourceUnavailableError", "UnknownCountryError", "UnknownVoteError", "UnvotesError"]


#: Public functions defined in a stage's module, loaded on first use: the tables' reading face (unvotes.api) imports
#: pandas (about 0.6 s, which every process importing any module of the package paid, the report's workers and
#: a warm `make report` included, whether it read a table or not), unvotes.analyses.alignment SciPy's optimisers
#: and statistics (about 1.5 s), and the publication stage imports this package back (its version), so
#: `import unvotes` stays quick and free of import cycles. ``from unvotes import load_votes`` works as before.
_API = ("find", "history", "iso3_of", "load", "load_countries", "load_findings", "load_roll_call_issues",
        "load_roll_calls", "load_votes", "recorded_counts", "roll_call", "tally", "vote_of", "votes_on")
_LAZY = {**dict.fromkeys(_API, "unvotes.api"), "agreement_by_year": "unvotes.analyses.alignment",
         "cite": "unvotes.site.citation", "export": "unvotes.site.export"}

if TYPE_CHECKING:  # what editors and type checkers see; at run time these load on first use (above)
    from unvotes.api import (  # noqa: F401
        find, history, iso3_of, load, load_countries, load_findings, load_roll_call_issues, load_roll_calls,
        load_votes, recorded_counts, roll_call, tally, vote_of, votes_on,
    )


def __getattr__(name: str):
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name == "api":  # `import unvotes; unvotes.api.load_votes()` worked when the package imported it eagerly
        return importlib.import_module("unvotes.api")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
