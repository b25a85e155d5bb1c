"""unvotes: tidy, validated UN roll calls for research on votes about Russia's war against Ukraine."""

__version__ = "0.1.0"
