"""The whole update against the sandbox with the keys on a SoftHSM2 token: with Python callbacks,
through the event iterator, interrupted by a callback's exception and by an injected fault and
then resumed, then the result and a password."""

from __future__ import annotations

import json
import pathlib
import threading
from typing import List

import pytest

import vnaccs
from conftest import PIN, update_kwargs

STEPS = ["register_certificate", "update_admin_account", "update_declarants", "send_registration"]


def test_a_whole_update_with_python_callbacks(
    softhsm: pathlib.Path, portal: vnaccs.Sandbox, tmp_path: pathlib.Path
) -> None:
    update = vnaccs.CertificateUpdate(
        **update_kwargs(portal), module=softhsm, token="callbacks", state_file=tmp_path / "s.json"
    )
    plan = update.plan()
    assert plan.steps == STEPS
    assert plan.change is not None and plan.change.kind == "renewal"
    new = vnaccs.Sandbox.test_keys()["enterprise_new"].certificate
    assert plan.certificate.serial == new.serial

    started: List[str] = []
    pins: List[vnaccs.NeedPin] = []
    captchas: List[int] = []

    def on_progress(event: vnaccs.Progress) -> None:
        if event.message_vi.startswith("Bắt đầu"):
            assert event.step is not None
            started.append(event.step)

    def pin(need: vnaccs.NeedPin) -> bytes:
        pins.append(need)
        return PIN.encode()

    def captcha(need: vnaccs.NeedCaptcha) -> str | None:
        assert need.image_png.startswith(b"\x89PNG")
        captchas.append(need.attempt)
        return portal.captcha_answer()

    outcome = update.run(pin=pin, captcha=captcha, on_progress=on_progress)
    assert started == STEPS
    assert [p.token_label for p in pins] == ["callbacks"]
    assert captchas == [1]
    assert outcome.registration.certificate.serial == new.serial
    assert len(outcome.declarants_moved) == 1 and outcome.declarants_moved[0].moved
    assert outcome.to_dict()["record"]["number"] == outcome.record.number
    assert portal.effects("send") == 1

    assert portal.approve_sent() == [outcome.record.number]
    result = update.fetch_result(pin=PIN, captcha=lambda _: portal.captcha_answer())
    user = result.users[0]
    assert user.certificate_serial == new.serial
    changed = update.change_password(
        user.user_id, "MK2026AB", pin=PIN, captcha=lambda _: portal.captcha_answer()
    )
    assert isinstance(changed, vnaccs.PasswordChangeOutcome)
    assert (changed.user_id, changed.kind) == (user.user_id, "changed")
    assert portal.effects("password_change") == 1


def test_the_same_update_through_the_event_iterator(
    softhsm: pathlib.Path, portal: vnaccs.Sandbox
) -> None:
    update = vnaccs.CertificateUpdate(**update_kwargs(portal), module=softhsm, token="events")
    kinds: List[str] = []
    with update.events() as events:
        for event in events:
            kinds.append(type(event).__name__)
            if isinstance(event, vnaccs.NeedPin):
                # Answered from another thread, as a UI would.
                answer = threading.Thread(target=events.provide_pin, args=(PIN,))
                answer.start()
                answer.join()
            elif isinstance(event, vnaccs.NeedCaptcha):
                events.provide_captcha(portal.captcha_answer())
    assert kinds.count("NeedPin") == 1 and kinds.count("NeedCaptcha") == 1
    assert kinds[-1] == "Finished"
    assert isinstance(events.result, vnaccs.UpdateOutcome)
    assert events.result.record.number == portal.approve_sent()[0]
    assert next(events, None) is None


class Stop(Exception):
    """A callback's own exception."""


def test_a_callback_exception_propagates_unchanged_and_the_update_resumes(
    softhsm: pathlib.Path, portal: vnaccs.Sandbox, tmp_path: pathlib.Path
) -> None:
    state = tmp_path / "state.json"
    update = vnaccs.CertificateUpdate(
        **update_kwargs(portal), module=softhsm, token="resume", state_file=state
    )
    raised = Stop("stop at step C")

    def on_progress(event: vnaccs.Progress) -> None:
        if event.step == "update_declarants":
            raise raised

    with pytest.raises(Stop) as caught:
        update.run(pin=PIN, captcha=lambda _: portal.captcha_answer(), on_progress=on_progress)
    assert caught.value is raised
    assert state.exists(), "the completed steps are saved"
    assert portal.effects("send") == 0

    # Then a fault at the send: the error is raised, the state kept, nothing sent.
    portal.inject("status503", "send")
    with pytest.raises(vnaccs.NetworkError) as fault:
        update.resume(state, pin=PIN, captcha=lambda _: portal.captcha_answer())
    assert fault.value.step == "send_registration" and fault.value.retryable
    assert portal.effects("send") == 0

    outcome = update.resume(state, pin=PIN, captcha=lambda _: portal.captcha_answer())
    skipped = [s["step"] for s in outcome.to_dict()["skipped"] if "step" in s]
    assert skipped[:2] == STEPS[:2]
    assert portal.effects("send") == 1
    assert portal.effects("register_submit") == 1


def test_an_update_from_a_request_document(
    softhsm: pathlib.Path, portal: vnaccs.Sandbox, tmp_path: pathlib.Path
) -> None:
    document = {
        "schema_version": 1,
        "operation": "update",
        "enterprise": {
            "tax_code": portal.TAX_CODE,
            "representative_id": portal.REPRESENTATIVE_ID,
            "admin_email": portal.ADMIN_EMAIL,
            "sender_name": "Trần Thị Bình",
            "sender_email": "binh@saigontrade.vn",
            "office": portal.offices[0],
        },
        "keys": {"source": "pkcs11", "module": str(softhsm), "token": "events"},
        "portal": {"base_url": portal.url, "timeout_secs": 30},
    }
    path = tmp_path / "request.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    for source in (document, path):
        update = vnaccs.CertificateUpdate(source, admin_password=portal.ADMIN_PASSWORD)
        assert update.request == document, "the document as given, no secret added"
        assert update.plan().steps == STEPS
    with pytest.raises(vnaccs.InvalidInput) as caught:
        vnaccs.CertificateUpdate(document | {"schema_version": 99}).plan()
    assert caught.value.code == "invalid_request"
