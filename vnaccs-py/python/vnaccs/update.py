"""The certificate update: ``CertificateUpdate`` runs the core's job (steps A → D, the result E,
a password F) with Python callbacks, or lets you pull its events yourself (``events()``)."""

from __future__ import annotations

import datetime
import json
import os
from dataclasses import dataclass
from typing import (
    Any,
    Callable,
    Dict,
    Iterator,

    Mapping,
    Optional,
    Sequence,
    Tuple,
    Type,
    Union,
)

from vnaccs._vnaccs import SCHEMA_VERSION, Job
from vnaccs.results import (
    PasswordChangeOutcome,
    Plan,
    Record,
    RegistrationResult,
    UpdateOutcome,
)

__all__ = [
    "CertificateUpdate",
    "Events",
    "Progress",
    "NeedCaptcha",
    "NeedPin",
    "Finished",
    "Event",
    "Secret",
    "PinAnswer",
    "CaptchaAnswer",
]

Secret = Union[str, bytes]
"""A PIN or password: ``str``, or ``bytes`` in UTF-8."""
PathLike = Union[str, "os.PathLike[str]"]

# Seconds between checks for Ctrl-C while waiting for the job.
_POLL = 0.25


@dataclass(frozen=True)
class Progress:
    """Something happened: ``step`` (``"register"``, ``"admin"``, …, or ``None``), the message
    in English and Vietnamese, and the core's event as a record (``detail``)."""

    step: Optional[str]
    message: str
    message_vi: str
    detail: Record


@dataclass(frozen=True)
class NeedCaptcha:
    """The portal shows a captcha: answer it with the text in ``image_png``."""

    image_png: bytes
    attempt: int


@dataclass(frozen=True)
class NeedPin:
    """A token's PIN is needed; ``tries`` is what the token says (``"unknown"``, ``"few"``,
    ``"last"``)."""

    token_label: str
    tries: str


@dataclass(frozen=True)
class Finished:
    """The job ended with ``result``; nothing follows."""

    result: Record


Event = Union[Progress, NeedCaptcha, NeedPin, Finished]
"""One event of a job, as ``Events`` yields it (a failure is raised instead)."""

PinAnswer = Union[Secret, Callable[[NeedPin], Optional[Secret]], None]
"""A PIN, or a callable asked when the token needs it (``None`` gives up)."""
CaptchaAnswer = Optional[Callable[[NeedCaptcha], Optional[str]]]
"""A callable asked for each captcha's text (``None`` gives up)."""

_OUTPUTS: Dict[str, Type[Record]] = {
    "plan": Plan,
    "outcome": UpdateOutcome,
    "result": RegistrationResult,
    "password_outcome": PasswordChangeOutcome,
}


class Events:
    """The events of a running job, for a caller that drives it from its own loop::

        with update.events() as events:
            for event in events:
                if isinstance(event, vnaccs.NeedPin):
                    events.provide_pin(pin)
                elif isinstance(event, vnaccs.NeedCaptcha):
                    events.provide_captcha(ask_user(event.image_png))
        outcome = events.result

    Iteration ends after :class:`Finished`; a failure is raised as its :class:`VnaccsError`.
    Answers may come from any thread. Leaving the ``with`` block (or ``close()``) cancels a job
    still running and waits for it to stop; its state file stays, to resume.
    """

    def __init__(self, job: Job) -> None:
        self._job = job
        self._result: Optional[Record] = None
        self._ended = False

    def __iter__(self) -> Iterator[Event]:
        return self

    def __next__(self) -> Event:
        if self._ended:
            raise StopIteration
        raw: Optional[Dict[str, Any]] = None
        while raw is None:
            raw = self._job.next_event(_POLL)
        kind = raw["event"]
        if kind == "progress":
            return Progress(
                step=raw.get("step"),
                message=raw["message"],
                message_vi=raw["message_vi"],
                detail=Record(raw["progress"]),
            )
        if kind == "need_captcha":
            return NeedCaptcha(image_png=raw["image_png"], attempt=raw["attempt"])
        if kind == "need_pin":
            return NeedPin(token_label=raw["token_label"], tries=raw["tries"])
        self._ended = True
        if kind == "failed":
            error: BaseException = raw["error"]
            raise error
        output: Dict[str, Any] = raw["output"]
        self._result = _OUTPUTS.get(output["output"], Record)(output)
        return Finished(result=self._result)

    @property
    def result(self) -> Optional[Record]:
        """The job's result once :class:`Finished` was yielded, else ``None``."""
        return self._result

    def provide_captcha(self, answer: Optional[str]) -> None:
        """Answers :class:`NeedCaptcha`; ``None`` gives up (the job raises ``Cancelled``)."""
        self._job.provide_captcha(answer)

    def provide_pin(self, pin: Optional[Secret]) -> None:
        """Answers :class:`NeedPin`; ``None`` gives up (the job raises ``Cancelled``)."""
        self._job.provide_pin(pin)

    def cancel(self) -> None:
        """Cancels the job (from any thread): it stops before its next request."""
        self._job.cancel()

    def close(self) -> None:
        """Cancels the job if still running and waits until it stopped."""
        self._job.close()

    def __enter__(self) -> Events:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _text(value: Any) -> Optional[str]:
    return None if value is None else str(value)


def _pin(answer: PinAnswer, need: NeedPin) -> Optional[Secret]:
    if answer is None or isinstance(answer, (str, bytes)):
        return answer
    return answer(need)


class CertificateUpdate:
    """The update of an enterprise's certificate with Vietnam Customs (steps A → D), then its
    result (E) and the User IDs' passwords (F).

    Give either a request document (a dict, or the path of a JSON file; see
    ``docs/schema``) or keyword arguments; secrets (``admin_password``, ``key_password``) are
    given apart, never in the document. Keys: a PKCS#11 token (``token``, ``module``), or files
    (``pfx``, ``pem`` as ``(certificate, key)`` paths). With a ``state_file``, each completed
    step is saved there and a later run resumes from it. With ``har``, every exchange with the
    portal is recorded in that file as HAR 1.2 for support, secrets redacted.
    """

    def __init__(
        self,
        request: Union[Mapping[str, Any], PathLike, None] = None,
        *,
        tax_code: Any = None,
        representative_id: Any = None,
        admin_email: Any = None,
        admin_password: Optional[Secret] = None,
        sender_name: Optional[str] = None,
        sender_email: Any = None,
        office: Any = None,
        old_serial: Any = None,
        declarants: Optional[Sequence[Mapping[str, Any]]] = None,
        next_clearance: Optional[datetime.date] = None,
        accept_branch: bool = False,
        token: Optional[str] = None,
        module: Optional[PathLike] = None,
        token_serial: Optional[str] = None,
        allow_final_try: bool = False,
        pfx: Sequence[PathLike] = (),
        pem: Sequence[Tuple[PathLike, PathLike]] = (),
        key_password: Optional[Secret] = None,
        portal_url: Optional[str] = None,
        timeout: Optional[float] = None,
        proxy: Optional[str] = None,
        har: Optional[PathLike] = None,
        state_file: Optional[PathLike] = None,
    ) -> None:
        if request is None:
            document: Dict[str, Any] = {"schema_version": SCHEMA_VERSION, "operation": "update"}
        elif isinstance(request, Mapping):
            document = json.loads(json.dumps(request))
        else:
            with open(request, encoding="utf-8") as file:
                document = json.load(file)
        enterprise: Dict[str, Any] = document.setdefault("enterprise", {})
        fields = {
            "tax_code": _text(tax_code),
            "representative_id": _text(representative_id),
            "admin_email": _text(admin_email),
            "sender_name": sender_name,
            "sender_email": _text(sender_email),
            "office": _text(office),
            "old_serial": _text(old_serial),
            "declarants": None if declarants is None else [dict(d) for d in declarants],
            "next_clearance": None if next_clearance is None else next_clearance.isoformat(),
        }
        enterprise.update({k: v for k, v in fields.items() if v is not None})
        if accept_branch:
            enterprise["accept_branch"] = True
        if pfx or pem:
            document["keys"] = {
                "source": "files",
                "pfx": [os.fspath(p) for p in pfx],
                "pem": [
                    {"certificate": os.fspath(c), "key": os.fspath(k)} for c, k in pem
                ],
            }
        elif token is not None or module is not None or "keys" not in document:
            keys: Dict[str, Any] = {"source": "pkcs11", "allow_final_try": allow_final_try}
            if module is not None:
                keys["module"] = os.fspath(module)
            if token is not None:
                keys["token"] = token
            if token_serial is not None:
                keys["serial"] = token_serial
            document["keys"] = keys
        portal: Dict[str, Any] = document.setdefault("portal", {})
        if portal_url is not None:
            portal["base_url"] = portal_url
        if timeout is not None:
            portal["timeout_secs"] = max(1, round(timeout))
        if proxy is not None:
            portal["proxy"] = proxy
        if har is not None:
            portal["har"] = os.fspath(har)
        if state_file is not None:
            document["state_file"] = os.fspath(state_file)
        self._document = document
        self._admin_password = admin_password
        self._key_password = key_password

    @property
    def request(self) -> Dict[str, Any]:
        """The request document (no secrets in it), as a new dict."""
        document: Dict[str, Any] = json.loads(json.dumps(self._document))
        return document

    def _start(
        self, operation: str, new_password: Optional[Secret] = None, **extra: Any
    ) -> Events:
        document = self.request
        document["operation"] = operation
        document.update({k: v for k, v in extra.items() if v is not None})
        job = Job(
            json.dumps(document),
            admin_password=self._admin_password,
            key_password=self._key_password,
            new_password=new_password,
        )
        return Events(job)

    def _drive(
        self,
        events: Events,
        pin: PinAnswer,
        captcha: CaptchaAnswer,
        on_progress: Optional[Callable[[Progress], object]],
    ) -> Record:
        # A callback's exception cancels the job, waits for it to stop (its state file keeps
        # the completed steps) and propagates unchanged.
        with events:
            for event in events:
                if isinstance(event, Progress):
                    if on_progress is not None:
                        on_progress(event)
                elif isinstance(event, NeedCaptcha):
                    events.provide_captcha(None if captcha is None else captcha(event))
                elif isinstance(event, NeedPin):
                    events.provide_pin(_pin(pin, event))
                else:
                    return event.result
        raise AssertionError("a job ends with Finished or an exception")  # pragma: no cover

    def events(self, operation: str = "update") -> Events:
        """Starts the job of ``operation`` (``"update"``, ``"resume"``, ``"plan"``,
        ``"result"``) and returns its events to pull."""
        return self._start(operation)

    def plan(self, pin: PinAnswer = None) -> Plan:
        """What the update will do, checked offline: which certificate, its tax code, what
        changed, the steps and the timing warnings. Sends nothing."""
        result = self._drive(self._start("plan"), pin, None, None)
        assert isinstance(result, Plan)
        return result

    def run(
        self,
        pin: PinAnswer = None,
        captcha: CaptchaAnswer = None,
        on_progress: Optional[Callable[[Progress], object]] = None,
    ) -> UpdateOutcome:
        """Runs steps A → D (resuming from the state file when it exists). ``pin``: the token's
        PIN or a callable asked for it; ``captcha``: a callable given each captcha;
        ``on_progress``: a callable given each :class:`Progress`."""
        result = self._drive(self._start("update"), pin, captcha, on_progress)
        assert isinstance(result, UpdateOutcome)
        return result

    def resume(
        self,
        state_path: PathLike,
        pin: PinAnswer = None,
        captcha: CaptchaAnswer = None,
        on_progress: Optional[Callable[[Progress], object]] = None,
    ) -> UpdateOutcome:
        """Continues the update saved in ``state_path`` (which must exist); a registration
        already sent is never sent again."""
        events = self._start("resume", state_file=os.fspath(state_path))
        result = self._drive(events, pin, captcha, on_progress)
        assert isinstance(result, UpdateOutcome)
        return result

    def fetch_result(
        self, pin: PinAnswer = None, captcha: CaptchaAnswer = None
    ) -> RegistrationResult:
        """Step E, once Customs approved: the User IDs, Terminal IDs and access keys."""
        result = self._drive(self._start("result"), pin, captcha, None)
        assert isinstance(result, RegistrationResult)
        return result

    def change_password(
        self,
        user_id: Any,
        new_password: Secret,
        pin: PinAnswer = None,
        captcha: CaptchaAnswer = None,
    ) -> PasswordChangeOutcome:
        """Step F: sets the password of ``user_id``."""
        events = self._start("change_password", new_password, user_id=str(user_id))
        result = self._drive(events, pin, captcha, None)
        assert isinstance(result, PasswordChangeOutcome)
        return result


