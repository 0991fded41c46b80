"""Type stubs for the native module."""

def version() -> str:
    """The library's version, e.g. ``"0.1.0"``."""
