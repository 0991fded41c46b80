"""Results of the library: records with attributes (nested records too) and ``to_dict()``
giving the core's JSON form (the form of ``vnaccs`` documents, see ``docs/schema``)."""

from __future__ import annotations

import copy
from typing import Any, Dict, List, Mapping

__all__ = ["Record", "Plan", "UpdateOutcome", "RegistrationResult", "PasswordChangeOutcome"]


def _wrap(value: Any) -> Any:
    if isinstance(value, Mapping):
        return Record(value)
    if isinstance(value, list):
        return [_wrap(item) for item in value]
    return value


class Record:
    """A result: each field of its JSON form is an attribute (objects become records, lists
    lists); ``to_dict()`` gives the JSON form itself."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        object.__setattr__(self, "_data", dict(data))

    def __getattr__(self, name: str) -> Any:
        data: Dict[str, Any] = object.__getattribute__(self, "_data")
        try:
            return _wrap(data[name])
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __dir__(self) -> List[str]:
        return sorted(self._data)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Record) and self._data == other._data

    def __hash__(self) -> int:
        return hash(repr(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._data!r})"

    def to_dict(self) -> Dict[str, Any]:
        """The JSON form, as a new dict."""
        return copy.deepcopy(self._data)


class Plan(Record):
    """What an update will do, checked offline: ``tax_code``, ``certificate``, ``old_serial``,
    ``change``, ``steps``, ``warnings`` (each with ``message`` and ``message_vi``), …"""


class UpdateOutcome(Record):
    """A finished update: ``tax_code``, ``registration``, ``old_serial``, ``declarants_moved``,
    ``record`` (the registration record sent: ``number``, ``status``, …), ``sent_at``,
    ``usable_from``, ``skipped``, …"""


class RegistrationResult(Record):
    """What Customs issued once it approved: ``users`` and ``terminals``."""


class PasswordChangeOutcome(Record):
    """The outcome of setting a User ID's password."""
