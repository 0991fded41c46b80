"""The exceptions of vnaccs. Every error of the library is a :class:`VnaccsError`; catch a
subclass for the cases you handle on their own (a wrong PIN, a refusal by the portal, a network
failure worth retrying, …). The native module raises them, filled from the core's error."""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple, Type

__all__ = [
    "VnaccsError",
    "InvalidInput",
    "CertificateError",
    "TokenError",
    "PinIncorrect",
    "PinLocked",
    "PortalError",
    "PortalRefused",
    "NetworkError",
    "Cancelled",
    "InternalError",
]


class VnaccsError(Exception):
    """An error of vnaccs.

    ``str(error)`` is the English message; ``message_vi`` the Vietnamese one. ``code`` is stable
    (snake_case) and ``status`` its number (1xxx–7xxx by area), ``category`` its area
    (``"input"``, ``"certificate"``, ``"token"``, ``"pin"``, ``"signing"``, ``"portal"``,
    ``"network"``, ``"workflow"``, ``"sandbox"``, ``"internal"``), ``hint`` / ``hint_vi`` what to
    do next, ``retryable`` whether the same call may succeed later, ``step`` the update's step
    that failed (``"send_registration"``, …) when there is one.
    """

    code: str
    status: int
    category: str
    message: str
    message_vi: str
    hint: Optional[str]
    hint_vi: Optional[str]
    retryable: bool
    step: Optional[str]

    def __init__(
        self,
        message: str,
        *,
        code: str = "internal",
        status: int = 0,
        category: str = "other",
        message_vi: Optional[str] = None,
        hint: Optional[str] = None,
        hint_vi: Optional[str] = None,
        retryable: bool = False,
        step: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.category = category
        self.message_vi = message if message_vi is None else message_vi
        self.hint = hint
        self.hint_vi = hint_vi
        self.retryable = retryable
        self.step = step

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"

    def __reduce__(self) -> Tuple[Any, ...]:
        fields = {
            name: getattr(self, name)
            for name in (
                "code", "status", "category", "message_vi", "hint", "hint_vi", "retryable", "step"
            )
        }
        return (_rebuild, (type(self), self.message, fields))


def _rebuild(cls: Type[VnaccsError], message: str, fields: Dict[str, Any]) -> VnaccsError:
    """An exception from its pickled form."""
    return cls(message, **fields)


class InvalidInput(VnaccsError):
    """A value given to the library is not valid (an identifier, a request document, …)."""


class CertificateError(VnaccsError):
    """A certificate, key or signature cannot be used: unreadable, of another tax code,
    expired, a wrong key file password, a signature that does not verify, …"""


class TokenError(VnaccsError):
    """The token, its module or its PIN: a failure, or the object sought is not on it."""


class PinIncorrect(TokenError):
    """The token refused the PIN."""


class PinLocked(TokenError):
    """The PIN is locked, or one try is left and the caller did not allow it."""


class PortalError(VnaccsError):
    """The customs portal answered in a way that stops the step."""


class PortalRefused(PortalError):
    """The portal refused the request, with its reason (wrong password, captcha, …)."""


class NetworkError(VnaccsError):
    """The portal could not be reached, did not answer in time, or is unavailable."""


class Cancelled(VnaccsError):
    """The operation was cancelled (by the caller, or a PIN or captcha not given)."""


class InternalError(VnaccsError):
    """A bug in vnaccs (a panic in its native code becomes this)."""
