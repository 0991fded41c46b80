"""Shared test material: the test PKI's keys, a SoftHSM2 configuration with one token per test
that needs one (each holding the enterprise's old and renewed certificates with their keys), and
the standard update's keyword arguments for a sandbox."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
from typing import Any, Dict, Iterator

import pytest

import vnaccs

SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"
PIN = "246810"
SO_PIN = "13579135"
# One token per test that signs or updates with one.
TOKENS = ("callbacks", "events", "resume", "threads", "readme", "errors")


def run(*args: str, env: Dict[str, str]) -> None:
    subprocess.run(args, check=True, env=env, capture_output=True)


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """The SoftHSM2 module, its tokens made; SOFTHSM2_CONF is set for the whole process
    before the module is first loaded."""
    if not (os.path.exists(SOFTHSM) and shutil.which("softhsm2-util")):
        pytest.fail("SoftHSM2 is missing: apt-get install softhsm2 opensc (tests/run.sh does)")
    root = tmp_path_factory.mktemp("softhsm")
    (root / "tokens").mkdir()
    conf = root / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {root / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    os.environ["SOFTHSM2_CONF"] = str(conf)
    env = dict(os.environ)
    keys = vnaccs.Sandbox.test_keys()
    files = root / "files"
    files.mkdir()
    for name, ident in (("enterprise_old", "01"), ("enterprise_new", "02")):
        (files / f"{name}.crt").write_bytes(keys[name].certificate_der)
        (files / f"{name}.key").write_bytes(keys[name].key_der)
    for label in TOKENS:
        run("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", PIN,
            "--so-pin", SO_PIN, env=env)
        for name, ident in (("enterprise_old", "01"), ("enterprise_new", "02")):
            for kind, suffix in (("cert", "crt"), ("privkey", "key")):
                run("pkcs11-tool", "--module", SOFTHSM, "--token-label", label, "--login",
                    "--pin", PIN, "--write-object", str(files / f"{name}.{suffix}"),
                    "--type", kind, "--id", ident, "--label", name, env=env)
    return pathlib.Path(SOFTHSM)


@pytest.fixture
def portal() -> Iterator[vnaccs.Sandbox]:
    """A fresh sandbox with the standard scenario."""
    with vnaccs.Sandbox() as sandbox:
        yield sandbox


def update_kwargs(portal: vnaccs.Sandbox) -> Dict[str, Any]:
    """The standard enterprise's update on `portal`, without its keys."""
    return dict(
        tax_code=portal.TAX_CODE,
        representative_id=portal.REPRESENTATIVE_ID,
        admin_email=portal.ADMIN_EMAIL,
        admin_password=portal.ADMIN_PASSWORD,
        sender_name="Trần Thị Bình",
        sender_email="binh@saigontrade.vn",
        office=portal.offices[0],
        portal_url=portal.url,
        timeout=30,
    )
