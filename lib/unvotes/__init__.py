"""unvotes: tidy, validated UN roll calls for research on votes about Russia's war against Ukraine.

Five lines to a result::

    import unvotes
    unvotes.roll_call("A/RES/ES-11/4")           # date, published totals, source
    unvotes.tally("A/RES/ES-11/4")               # counts computed from the country votes
    unvotes.vote_of("China", "A/RES/ES-11/4")    # 'abstain'
    unvotes.load_votes()                          # one row per (vote, member state)
    unvotes.find("Ukraine")                       # roll calls by symbol, title or topic
"""

__version__ = "0.1.0"

from .api import (  # noqa: E402
    find, load, load_countries, load_findings, load_roll_call_issues, load_roll_calls, load_votes, roll_call, tally,
    vote_of, votes_on,
)
from .errors import (  # noqa: E402
    ChecksumError, RawFormatError, SchemaError, SourceUnavailableError, UnknownCountryError, UnknownVoteError,
    UnvotesError,
)

__all__ = ["find", "load", "load_countries", "load_findings", "load_roll_call_issues", "load_roll_calls", "load_votes",
           "roll_call", "tally",
           "vote_of", "votes_on", "ChecksumError", "RawFormatError", "SchemaError", "SourceUnavailableError",
           "UnknownCountryError", "UnknownVoteError", "UnvotesError"]
