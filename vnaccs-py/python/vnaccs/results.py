"""Results of the library: records with attributes (nested records too) and ``to_dict()``
giving the core's JSON form (the form of ``vnaccs`` documents, see ``docs/schema``)."""

from __future__ import annotations

import copy
from typing import Any, Dict, List, Mapping, Optional

__all__ = [
    "Record",
    "Plan",
    "UpdateOutcome",
    "RegistrationResult",
    "PasswordChangeOutcome",
    "ProfileCheck",
]


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
    """What an update will do, checked offline. Times are RFC 3339 strings."""

    tax_code: str
    certificate: Record
    tax_code_match: Record
    passed_over: List[Record]
    old_serial: Optional[str]
    old_certificate: Optional[Record]
    change: Optional[Record]
    declarants: Record
    steps: List[str]
    warnings: List[Record]
    at: str


class UpdateOutcome(Record):
    """A finished update: the registration record sent (``record.number``, ``record.status``,
    …), when it was sent and when the new certificate can be used (RFC 3339 strings)."""

    tax_code: str
    registration: Record
    old_serial: Optional[str]
    declarants_moved: List[Record]
    record: Record
    sent_at: str
    usable_from: str
    skipped: List[Record]
    requests: int


class RegistrationResult(Record):
    """What Customs issued once it approved: the User IDs (``user_id``, ``full_name``,
    ``certificate_serial``, …) and the Terminal IDs with their access keys."""

    users: List[Record]
    terminals: List[Record]


class PasswordChangeOutcome(Record):
    """The outcome of setting a User ID's password: ``kind`` (``"changed"`` or
    ``"same_as_old"``) and when the password can be used."""

    user_id: str
    kind: str
    answered_at: str
    usable_from: str


class ProfileCheck(Record):
    """The report of a site profile check (``docs/schema/profile_check.json``): ``ok``, and
    for each saved page its ``source``, the profile's ``page`` it is (or ``None``) and its
    ``items``, each with ``kind`` (``"field"``, ``"button"``, ``"selector"``, ``"message"``),
    ``key``, ``name``, ``found`` and, for a missing field or button, ``candidates``."""

    schema_version: int
    ok: bool
    pages: List[Record]
