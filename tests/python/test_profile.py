"""The site profile check from Python (``vnaccs.check_profile``): a saved page with a renamed
field, the overlay that fixes it; and the HARs of a whole update and its result, valid HAR 1.2
(checked against the vendored schema, ``tests/data/har-1.2``), free of the Terminal Access Keys,
and accepted by the check."""

from __future__ import annotations

import json
import pathlib
import urllib.request
from typing import Any, Dict

import jsonschema  # type: ignore[import-untyped]
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT6

import vnaccs
from conftest import update_kwargs

HAR_SCHEMA = pathlib.Path(__file__).resolve().parent.parent / "data" / "har-1.2"
CHALLENGE = "ctl00$MainContent$hdChallenge"
RENAMED = "ctl00$MainContent$hdChallengeKy"


def har_validator() -> Any:
    """A validator of HAR 1.2's ``har.json``, its references resolved among the vendored files."""
    schemas = [json.loads(p.read_text(encoding="utf-8")) for p in HAR_SCHEMA.glob("*.json")]
    registry: Registry[Any] = Registry().with_resources(
        (s["$id"].rstrip("#"), Resource.from_contents(s, default_specification=DRAFT6))
        for s in schemas
    )
    root = next(s for s in schemas if s["$id"] == "har.json#")
    return jsonschema.Draft6Validator(root, registry=registry)


def item(report: vnaccs.ProfileCheck, key: str) -> Dict[str, Any]:
    items = report.to_dict()["pages"][0]["items"]
    found: Dict[str, Any] = next(i for i in items if i["key"] == key)
    return found


def test_a_renamed_field_is_reported_with_its_candidate_and_an_overlay_fixes_it(
    portal: vnaccs.Sandbox, tmp_path: pathlib.Path
) -> None:
    with urllib.request.urlopen(f"{portal.url}Pages/DangNhap.aspx") as answer:
        html = answer.read().decode("utf-8")
    assert f'name="{CHALLENGE}"' in html
    saved = tmp_path / "DangNhap.html"
    saved.write_text(html.replace(f'name="{CHALLENGE}"', f'name="{RENAMED}"'), encoding="utf-8")

    report = vnaccs.check_profile(saved)
    assert isinstance(report, vnaccs.ProfileCheck)
    assert report.schema_version == vnaccs._vnaccs.SCHEMA_VERSION
    assert report.ok is False
    assert report.pages[0].page == "login"
    missing = [i.key for i in report.pages[0].items if not i.found]
    assert missing == ["challenge"]
    assert item(report, "challenge")["candidates"][0] == RENAMED

    overlay = tmp_path / "fix.toml"
    overlay.write_text(f'[pages.login]\nchallenge = "{RENAMED}"\n', encoding="utf-8")
    fixed = vnaccs.check_profile([str(saved)], profile=overlay)
    assert fixed.ok is True
    assert all(i.found for i in fixed.pages[0].items)

    with pytest.raises(vnaccs.VnaccsError) as caught:
        vnaccs.check_profile([saved], profile=saved)
    assert caught.value.code == "site_profile"
    with pytest.raises(vnaccs.VnaccsError) as caught:
        vnaccs.check_profile([tmp_path / "none.html"])
    assert caught.value.code == "io_error"


def test_the_hars_of_an_update_and_its_result_are_valid_har_1_2_without_access_keys(
    portal: vnaccs.Sandbox, tmp_path: pathlib.Path
) -> None:
    keys = vnaccs.Sandbox.test_keys()
    pem = []
    for name in ("enterprise_old", "enterprise_new"):
        cert, key = tmp_path / f"{name}.pem", tmp_path / f"{name}.key.pem"
        cert.write_text(keys[name].certificate_pem, encoding="ascii")
        key.write_text(keys[name].key_pem, encoding="ascii")
        pem.append((cert, key))
    update_har, result_har = tmp_path / "update.har", tmp_path / "result.har"
    update = vnaccs.CertificateUpdate(**update_kwargs(portal), pem=pem, har=update_har)
    outcome = update.run(captcha=lambda _: portal.captcha_answer())
    assert portal.approve_sent() == [outcome.record.number]
    result = vnaccs.CertificateUpdate(
        **update_kwargs(portal), pem=pem, har=result_har
    ).fetch_result(captcha=lambda _: portal.captcha_answer())
    access_keys = [t.access_key for t in result.terminals]
    assert access_keys

    validator = har_validator()
    for har in (update_har, result_har):
        document = json.loads(har.read_text(encoding="utf-8"))
        errors = [e.message for e in validator.iter_errors(document)]
        assert errors == [], f"{har.name}: {errors[:5]}"
        text = har.read_text(encoding="utf-8")
        for secret in [portal.ADMIN_PASSWORD, *access_keys]:
            assert secret not in text, f"{secret!r} is in {har.name}"
        report = vnaccs.check_profile(har)
        assert {p.page for p in report.pages} >= {"login"}
    pages = {p.page for p in vnaccs.check_profile(update_har).pages}
    assert {"register", "login", "admin", "oe2102", "oe4001"} <= pages
    assert "oe4002" in {p.page for p in vnaccs.check_profile(result_har).pages}

    # The schema is no formality: a HAR lacking what HAR 1.2 requires is refused.
    broken = json.loads(update_har.read_text(encoding="utf-8"))
    del broken["log"]["entries"][0]["response"]["redirectURL"]
    broken["log"]["entries"][1]["timings"].pop("wait")
    assert len(list(validator.iter_errors(broken))) == 2
