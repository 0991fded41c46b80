"""The site profile checked against pages saved from the portal, as ``vnaccs profile check``
does: see the README's "When the portal changes"."""

from __future__ import annotations

import os
from typing import Optional, Sequence, Union

from vnaccs._vnaccs import check_profile as _check_profile
from vnaccs.results import ProfileCheck

__all__ = ["check_profile"]

PathLike = Union[str, "os.PathLike[str]"]


def check_profile(
    pages: Union[PathLike, Sequence[PathLike]], profile: Optional[PathLike] = None
) -> ProfileCheck:
    """Checks the built-in site profile, with the TOML overlay ``profile`` merged over it,
    against ``pages``: files saved from the portal (HTML saved from a browser, or HAR files,
    such as one an update wrote with ``portal.har``). The report says, page by page, which
    fields, buttons, selectors and messages were found or are missing, with candidates for a
    missing field or button (best first); ``ok`` is false when anything is missing. Raises
    ``VnaccsError`` (code ``io_error`` or ``site_profile``) when a file cannot be read or the
    overlay is not a valid profile."""
    if isinstance(pages, (str, os.PathLike)):
        pages = [pages]
    paths = [os.fspath(p) for p in pages]
    return ProfileCheck(
        _check_profile(paths, None if profile is None else os.fspath(profile))
    )
