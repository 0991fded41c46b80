"""Identifiers and certificates on the fixture PKI, checked against openssl and hashlib."""

from __future__ import annotations

import datetime
import hashlib
import pathlib
import subprocess

import pytest

import vnaccs


def test_tax_code_parts_and_canonical_form() -> None:
    plain = vnaccs.TaxCode("0302345459")
    assert (str(plain), plain.base, plain.branch) == ("0302345459", "0302345459", None)
    branch = vnaccs.TaxCode("0106869738-012")
    assert (branch.base, branch.branch) == ("0106869738", "012")
    assert vnaccs.TaxCode(" 0302345459 ") == plain
    assert len({plain, vnaccs.TaxCode("0302345459"), branch}) == 2
    assert repr(plain) == 'TaxCode("0302345459")'


@pytest.mark.parametrize(
    ("cls", "good", "bad"),
    [
        (vnaccs.TaxCode, "0100112437", "0100112438"),
        (vnaccs.UserId, "V2060001", "V2"),
        (vnaccs.TerminalId, "T3A9K2", "T3A9K2XX"),
        (vnaccs.CustomsOfficeCode, "02CI", "!!"),
        (vnaccs.Email, "binh@saigontrade.vn", "binh"),
        (vnaccs.PersonalId, "079085000101", "12"),
    ],
)
def test_identifiers_accept_valid_and_refuse_invalid(cls: type, good: str, bad: str) -> None:
    assert str(cls(good)) == good
    with pytest.raises(vnaccs.InvalidInput) as caught:
        cls(bad)
    assert caught.value.code.startswith("invalid_")
    assert caught.value.category == "input"
    assert caught.value.message_vi and caught.value.message_vi != str(caught.value)


def openssl(args: list[str], pem: str) -> str:
    return subprocess.run(
        ["openssl", *args], input=pem, capture_output=True, text=True, check=True
    ).stdout


def test_certificate_properties_match_openssl() -> None:
    key = vnaccs.Sandbox.test_keys()["enterprise_new"]
    cert = vnaccs.Certificate.from_der(key.certificate_der)
    der = key.certificate_der
    assert cert.der == der
    assert cert.serial == openssl(["x509", "-noout", "-serial"], key.certificate_pem).split("=")[
        1
    ].strip()
    assert cert.sha256_thumbprint == hashlib.sha256(der).hexdigest().upper()
    assert cert.sha1_thumbprint == hashlib.sha1(der).hexdigest().upper()
    assert cert.subject_cn == "CÔNG TY TNHH THƯƠNG MẠI SÀI GÒN"
    assert cert.issuer_cn == "Test VNPT Certification Authority"
    assert cert.ca == "VNPT-CA"
    assert cert.identities == [("MST", "0302345459")]
    assert cert.tax_code == "0302345459"
    assert (cert.key_algorithm, cert.key_bits, cert.is_ca) == ("RSA", 2048, False)
    assert cert.not_before.tzinfo is not None and cert.not_after.utcoffset() == datetime.timedelta(0)
    end = openssl(["x509", "-noout", "-enddate", "-dateopt", "iso_8601"], key.certificate_pem)
    assert cert.not_after.strftime("%Y-%m-%d %H:%M:%S") in end
    summary = cert.to_dict()
    assert summary["serial"] == cert.serial and summary["tax_code"] == "0302345459"
    assert summary["identities"][0]["value"] == "0302345459"


def test_certificates_from_pem_text_bytes_and_files(tmp_path: pathlib.Path) -> None:
    keys = vnaccs.Sandbox.test_keys()
    pem = keys["enterprise_old"].certificate_pem + keys["branch"].certificate_pem
    from_text = vnaccs.Certificate.from_pem(pem)
    assert [c.tax_code for c in from_text] == ["0302345459", "0106869738-012"]
    assert vnaccs.Certificate.from_pem(pem.encode()) == from_text
    path = tmp_path / "two.pem"
    path.write_text(pem)
    assert vnaccs.Certificate.from_file(path) == from_text
    assert vnaccs.Certificate.from_file(str(path))[1].tax_code == "0106869738-012"
    cas = vnaccs.Sandbox.ca_certificates()
    assert all(c.is_ca for c in cas)


def test_unreadable_certificates_raise_certificate_error(tmp_path: pathlib.Path) -> None:
    with pytest.raises(vnaccs.CertificateError) as caught:
        vnaccs.Certificate.from_der(b"\x30\x03\x02\x01\x01")
    assert caught.value.code == "invalid_certificate"
    with pytest.raises(vnaccs.VnaccsError) as missing:
        vnaccs.Certificate.from_file(tmp_path / "missing.pem")
    assert missing.value.code == "io_error"
