"""Reading a saved OE4001 result page offline: the page the sandbox served during an update,
recorded in the update's HAR, read as the workflow read it."""

from __future__ import annotations

import json
import pathlib
import re

import pytest

import vnaccs
from conftest import update_kwargs


def oe4001_pages(har: pathlib.Path) -> list[str]:
    """The OE4001 HTML answers of a HAR, in order."""
    entries = json.loads(har.read_text(encoding="utf-8"))["log"]["entries"]
    return [
        e["response"]["content"]["text"]
        for e in entries
        if "OE4001" in e["request"]["url"] and "text" in e["response"]["content"]
    ]


def test_an_oe4001_page_of_the_sandbox_is_read_as_the_workflow_read_it(
    portal: vnaccs.Sandbox, tmp_path: pathlib.Path
) -> None:
    keys = vnaccs.Sandbox.test_keys()
    pem = []
    for name in ("enterprise_old", "enterprise_new"):
        cert, key = tmp_path / f"{name}.pem", tmp_path / f"{name}.key.pem"
        cert.write_text(keys[name].certificate_pem)
        key.write_text(keys[name].key_pem)
        pem.append((cert, key))
    har = tmp_path / "update.har"
    update = vnaccs.CertificateUpdate(
        {"schema_version": 1, "operation": "update", "portal": {"har": str(har)}},
        **update_kwargs(portal), pem=pem
    )
    outcome = update.run(captcha=lambda _: portal.captcha_answer())
    html = oe4001_pages(har)[-1]

    page = vnaccs.read_search_page(html, portal.TAX_CODE)
    records = {r["number"]: r for r in page["records"]}
    sent = outcome.record.to_dict()
    # The grid does not show the office the record was sent to.
    sent.pop("office", None)
    assert records[outcome.record.number] == sent
    assert records[outcome.record.number]["status"] == "sent"
    assert records["102500000001"]["status"] == "approved"
    assert len(records) == 2
    # The hidden fields with the values the page carries.
    assert list(page["hidden_fields"]) == [
        "__VIEWSTATE", "__VIEWSTATEGENERATOR", "__EVENTVALIDATION"
    ]
    for name, value in page["hidden_fields"].items():
        shown = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
        assert shown is not None and value and shown.group(1) == value

    with pytest.raises(vnaccs.PortalError) as changed:
        vnaccs.read_search_page(html.replace("__EVENTVALIDATION", "__OTHER"), portal.TAX_CODE)
    assert changed.value.code == "portal_layout_changed"
    with pytest.raises(vnaccs.InvalidInput):
        vnaccs.read_search_page(html, "12345")
