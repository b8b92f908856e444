"""crosswire: cross-check news across languages."""
__version__ = "0.1.0"
