"""Each exception class, raised by a real failure, with its fields; a wrong answer to the
driver is the base class."""

from __future__ import annotations

import pathlib
import socket

import pytest

import vnaccs
from conftest import PIN, update_kwargs


def token_key(softhsm: pathlib.Path, pin: str) -> vnaccs.Key:
    token = vnaccs.open_token("errors", softhsm)
    certificate = next(c for c in token.certificates() if c.label == "enterprise_new")
    return token.key(certificate, pin=pin)


def test_the_exceptions_are_a_hierarchy_of_vnaccs_error() -> None:
    for cls in (vnaccs.PinIncorrect, vnaccs.PinLocked):
        assert issubclass(cls, vnaccs.TokenError)
    assert issubclass(vnaccs.PortalRefused, vnaccs.PortalError)
    for name in vnaccs.exceptions.__all__:
        cls = getattr(vnaccs, name)
        assert issubclass(cls, vnaccs.VnaccsError) and issubclass(cls, Exception)


def test_invalid_input() -> None:
    with pytest.raises(vnaccs.InvalidInput) as caught:
        vnaccs.CertificateUpdate(tax_code="0302345459").plan()
    assert caught.value.code == "invalid_request"


def test_token_error_and_pin_incorrect(softhsm: pathlib.Path) -> None:
    with pytest.raises(vnaccs.TokenError) as missing:
        vnaccs.open_token("no such token", softhsm)
    assert missing.value.code == "token_object_not_found"
    with pytest.raises(vnaccs.PinIncorrect) as wrong:
        token_key(softhsm, "000000").sign_raw(b"data")
    assert wrong.value.code == "pin_incorrect"
    assert (wrong.value.category, wrong.value.retryable) == ("pin", False)
    assert wrong.value.status > 0 and wrong.value.hint
    assert "000000" not in str(wrong.value) + wrong.value.message_vi
    assert token_key(softhsm, PIN).sign_raw(b"data")


def test_portal_refused_for_a_wrong_admin_password(
    softhsm: pathlib.Path, portal: vnaccs.Sandbox
) -> None:
    kwargs = update_kwargs(portal) | {"admin_password": "wrong-password"}
    update = vnaccs.CertificateUpdate(**kwargs, module=softhsm, token="errors")
    with pytest.raises(vnaccs.PortalRefused) as caught:
        update.run(pin=PIN, captcha=lambda _: portal.captcha_answer())
    assert caught.value.message_vi != str(caught.value)
    assert portal.effects("send") == 0


def test_portal_error_when_the_portal_is_under_maintenance(
    softhsm: pathlib.Path, portal: vnaccs.Sandbox
) -> None:
    portal.inject("maintenance", "register_page")
    update = vnaccs.CertificateUpdate(**update_kwargs(portal), module=softhsm, token="errors")
    with pytest.raises(vnaccs.PortalError) as caught:
        update.run(pin=PIN, captcha=lambda _: portal.captcha_answer())
    assert caught.value.code == "portal_maintenance"


def test_network_error_when_nothing_listens(softhsm: pathlib.Path, portal: vnaccs.Sandbox) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    kwargs = update_kwargs(portal) | {"portal_url": f"http://127.0.0.1:{port}/"}
    update = vnaccs.CertificateUpdate(**kwargs, module=softhsm, token="errors")
    with pytest.raises(vnaccs.NetworkError) as caught:
        update.run(pin=PIN)
    assert caught.value.code == "portal_connection"
    assert caught.value.retryable and caught.value.category == "network"


def test_cancelled_when_the_captcha_is_not_answered(
    softhsm: pathlib.Path, portal: vnaccs.Sandbox
) -> None:
    update = vnaccs.CertificateUpdate(**update_kwargs(portal), module=softhsm, token="errors")
    with pytest.raises(vnaccs.Cancelled):
        update.run(pin=PIN, captcha=lambda _: None)
    with update.events() as events:
        events.cancel()
        with pytest.raises(vnaccs.Cancelled) as caught:
            list(events)
    assert caught.value.code == "cancelled"


def test_an_answer_out_of_turn_is_a_vnaccs_error(softhsm: pathlib.Path, portal: vnaccs.Sandbox) -> None:
    update = vnaccs.CertificateUpdate(**update_kwargs(portal), module=softhsm, token="errors")
    with update.events("plan") as events:
        with pytest.raises(vnaccs.VnaccsError) as caught:
            events.provide_captcha("ABCD")
        assert caught.value.code == "job_wrong_state"
        assert isinstance(list(events)[-1], vnaccs.Finished)


def test_a_panic_in_native_code_is_an_internal_error() -> None:
    from vnaccs import _vnaccs

    with pytest.raises(vnaccs.InternalError) as caught:
        _vnaccs._panic_for_test()
    assert caught.value.code == "internal"
    assert isinstance(caught.value, Exception)
