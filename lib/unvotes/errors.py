"""Errors the package raises on bad input. Each message names the file, row or value and what to do."""


class UnvotesError(Exception):
    """Base class: every error this package raises on purpose."""


class SourceUnavailableError(UnvotesError):
    """A registered raw file is neither in data/raw, nor in the mirror, nor downloadable."""


class ChecksumError(UnvotesError):
    """A raw file's sha256 differs from the registry's."""


class DataFileError(UnvotesError, ValueError):
    """A curated table or a mirrored list has a bad row or layout; the message names the file and row."""


class BadArgumentError(UnvotesError, ValueError):
    """An argument given to a function (an organisation, a date, a state) is not one it can use."""


class RawFormatError(UnvotesError):
    """A raw file does not have the layout its reader expects (truncated, renamed column, ...)."""


class UnknownCountryError(UnvotesError):
    """Country names or codes that cannot be reconciled to ISO3."""


class SchemaError(UnvotesError):
    """A processed table violates its declared schema."""


class UnknownVoteError(UnvotesError, KeyError):
    """A vote id that is not in the processed tables."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class NotCataloguedError(UnknownVoteError):
    """A roll call that is in the data but not in the catalogue of Ukraine votes (``data/external/ukraine_votes.csv``):
    it has no curated label, theme or comparison; the functions that take any roll call use its title and session."""
