"""Eight threads inspecting and signing at once (token and file keys, the GIL released), and
the core's log records reaching `logging` from its worker threads."""

from __future__ import annotations

import logging
import pathlib
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import vnaccs
from conftest import PIN, update_kwargs


def openssl_verifies(signature: bytes, content: bytes, tmp: pathlib.Path) -> bool:
    (tmp / "sig.der").write_bytes(signature)
    (tmp / "data.bin").write_bytes(content)
    cas = "".join(
        subprocess.run(
            ["openssl", "x509", "-inform", "DER"], input=c.der, capture_output=True, check=True
        ).stdout.decode()
        for c in vnaccs.Sandbox.ca_certificates()
    )
    (tmp / "cas.pem").write_text(cas)
    done = subprocess.run(
        ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any",
         "-in", str(tmp / "sig.der"), "-content", str(tmp / "data.bin"),
         "-CAfile", str(tmp / "cas.pem"), "-out", str(tmp / "out.bin")],
        capture_output=True,
    )
    return done.returncode == 0


def test_keys_from_pem_and_pfx_sign_what_openssl_verifies(tmp_path: pathlib.Path) -> None:
    test = vnaccs.Sandbox.test_keys()["enterprise_new"]
    from_pem = vnaccs.Key.from_pem(test.certificate_pem, test.key_pem.encode())
    (tmp_path / "c.pem").write_text(test.certificate_pem)
    (tmp_path / "k.pem").write_text(test.key_pem)
    subprocess.run(
        ["openssl", "pkcs12", "-export", "-in", str(tmp_path / "c.pem"), "-inkey",
         str(tmp_path / "k.pem"), "-out", str(tmp_path / "k.pfx"), "-passout", "pass:Mật khẩu"],
        check=True, capture_output=True,
    )
    from_pfx = vnaccs.Key.from_pfx(tmp_path / "k.pfx", "Mật khẩu".encode())
    assert from_pfx.certificate == from_pem.certificate == test.certificate
    content = "Đăng ký chữ ký số MST 0302345459".encode()
    for key in (from_pem, from_pfx):
        cms = key.sign_cms(content)
        assert openssl_verifies(cms, content, tmp_path)
        assert not openssl_verifies(cms, content + b".", tmp_path)
        assert vnaccs.verify_cms(cms, content, test.certificate) == "SHA-256"
    with pytest.raises(vnaccs.CertificateError):
        vnaccs.verify_cms(from_pem.sign_cms(content, "sha1"), b"other", test.certificate)
    with pytest.raises(vnaccs.CertificateError) as wrong:
        vnaccs.Key.from_pfx((tmp_path / "k.pfx").read_bytes(), "sai")
    assert wrong.value.code == "key_file_password"


def test_eight_threads_inspect_and_sign_at_once(softhsm: pathlib.Path) -> None:
    token = vnaccs.open_token("threads", softhsm)
    listed = {c.label: c for c in token.certificates()}
    on_token = token.key(listed["enterprise_new"], pin=PIN)
    test = vnaccs.Sandbox.test_keys()["enterprise_old"]
    in_file = vnaccs.Key.from_pem(test.certificate_pem, test.key_pem)
    start = threading.Barrier(8)

    def work(n: int) -> int:
        start.wait()
        verified = 0
        for i in range(6):
            certificate = vnaccs.Certificate.from_der(test.certificate_der)
            assert certificate.tax_code == "0302345459"
            assert [c.certificate.serial for c in token.certificates()]
            key = on_token if (n + i) % 2 else in_file
            content = f"thread {n} round {i}".encode()
            signature = key.sign_cms(content)
            assert vnaccs.verify_cms(signature, content, key.certificate)
            verified += 1
        return verified

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert sum(pool.map(work, range(8))) == 48


def test_core_log_records_reach_the_vnaccs_logger_from_worker_threads(
    softhsm: pathlib.Path, portal: vnaccs.Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="vnaccs")
    update = vnaccs.CertificateUpdate(**update_kwargs(portal), module=softhsm, token="threads")
    outcome: list[vnaccs.UpdateOutcome] = []

    def in_a_thread() -> None:
        # Python logs meanwhile from this thread while the core logs from its own.
        logging.getLogger("vnaccs.test").info("update starting")
        outcome.append(update.run(pin=PIN, captcha=lambda _: portal.captcha_answer()))

    thread = threading.Thread(target=in_a_thread)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive() and outcome
    vnaccs.flush_logs()
    names = {r.name for r in caplog.records}
    assert "vnaccs.portal.register" in names
    messages = [r.getMessage() for r in caplog.records]
    assert any("certificate registered" in m for m in messages)
    assert not any(PIN in m or portal.ADMIN_PASSWORD in m for m in messages)


def test_tokens_are_discovered_with_their_certificates(softhsm: pathlib.Path) -> None:
    assert all(isinstance(m, pathlib.Path) for m in vnaccs.modules())
    found = {t.label: t for t in vnaccs.tokens(softhsm)}
    assert {"callbacks", "events", "threads"} <= set(found)
    token = found["threads"]
    assert token.login_required and token.manufacturer == "SoftHSM project"
    certificates = {c.label: c for c in token.certificates()}
    assert certificates["enterprise_new"].certificate.tax_code == "0302345459"
    assert certificates["enterprise_new"].id == b"\x02"


def test_signing_releases_the_gil() -> None:
    test = vnaccs.Sandbox.test_keys()["enterprise_new"]
    key = vnaccs.Key.from_pem(test.certificate_pem, test.key_pem)
    content = bytes(96 * 1024 * 1024)
    counted = [0]
    running = threading.Event()
    stop = threading.Event()

    def count() -> None:
        running.set()
        while not stop.is_set():
            counted[0] += 1

    counter = threading.Thread(target=count)
    counter.start()
    running.wait()
    before = counted[0]
    start = time.perf_counter()
    key.sign_cms(content)
    elapsed = time.perf_counter() - start
    during = counted[0] - before
    stop.set()
    counter.join()
    # Holding the GIL for the whole signature would leave the counter nearly still.
    assert elapsed > 0.02 and during > 10_000 * elapsed, (elapsed, during)


def test_a_log_handler_may_call_vnaccs() -> None:
    logger = logging.getLogger("vnaccs")
    test = vnaccs.Sandbox.test_keys()["enterprise_old"]
    seen: list[str] = []

    class Reentrant(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            # Calls into the core, which logs and emits again, from inside an emit.
            vnaccs.Certificate.from_der(test.certificate_der)
            seen.append(record.getMessage())

    handler = Reentrant(level=logging.DEBUG)
    logger.addHandler(handler)
    old = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        key = vnaccs.Key.from_pem(test.certificate_pem, test.key_pem)
        with vnaccs.Sandbox() as portal:
            portal.approve_sent()
        key.sign_cms(b"x")
        vnaccs.flush_logs()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)
    assert any("sandbox" in m for m in seen), seen
