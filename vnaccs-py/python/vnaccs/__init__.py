"""Register and update an enterprise's digital certificate with Vietnam Customs (VNACCS)."""

from vnaccs._vnaccs import version

__version__: str = version()

__all__ = ["__version__", "version"]
