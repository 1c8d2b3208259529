"""searchfic: full-text search for fan fiction collections."""

__version__ = "0.1.0"
