"""The sandbox's controls from Python: its clock, approval and rejection, faults, its state,
and a stopped sandbox; exceptions survive pickling."""

from __future__ import annotations

import datetime
import json
import pathlib
import pickle

import pytest

import vnaccs


def test_the_sandbox_clock_is_set_and_advanced(portal: vnaccs.Sandbox) -> None:
    start = portal.now
    assert start.tzinfo is not None
    later = portal.advance(datetime.timedelta(days=2, hours=3))
    assert later - start == datetime.timedelta(days=2, hours=3) and portal.now == later
    moment = datetime.datetime(2027, 1, 4, 9, 30, tzinfo=datetime.timezone.utc)
    portal.set_time(moment)
    assert portal.now == moment


def test_approval_rejection_faults_and_state(portal: vnaccs.Sandbox) -> None:
    assert portal.approve_sent() == []
    with pytest.raises(vnaccs.VnaccsError) as unknown:
        portal.approve("999999999999")
    assert unknown.value.code == "sandbox_record_not_found"
    with pytest.raises(vnaccs.VnaccsError):
        portal.reject("999999999999", "Sai thông tin")
    portal.inject("status500", "login", times=2)
    assert portal.faults_pending() == 2
    with pytest.raises(ValueError):
        portal.inject("status500", "no_such_operation")
    state = portal.snapshot()
    assert isinstance(state, dict) and state
    assert portal.effects("send") == 0


def test_a_stopped_sandbox_refuses_use() -> None:
    with vnaccs.Sandbox() as portal:
        url = portal.url
        assert url.startswith("http://127.0.0.1:")
    with pytest.raises(ValueError):
        portal.url
    portal.stop()


def test_exceptions_survive_pickling() -> None:
    with pytest.raises(vnaccs.InvalidInput) as caught:
        vnaccs.TaxCode("0302345450")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is vnaccs.InvalidInput
    assert (copy.code, copy.message_vi, str(copy)) == (
        caught.value.code,
        caught.value.message_vi,
        str(caught.value),
    )


def test_a_scenario_given_as_a_dict_or_a_file(tmp_path: pathlib.Path) -> None:
    scenario = {"offices": ["02CI"], "now": "2027-01-04T02:00:00Z"}
    with vnaccs.Sandbox(scenario) as portal:
        assert portal.now == datetime.datetime(2027, 1, 4, 2, tzinfo=datetime.timezone.utc)
        assert portal.snapshot()["enterprises"] == []
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario))
    with vnaccs.Sandbox(path) as portal:
        assert portal.now.year == 2027
    with pytest.raises(vnaccs.VnaccsError) as caught:
        vnaccs.Sandbox({"no_such_field": 1})
    assert caught.value.code == "sandbox_scenario"
