"""hall.toml validation (the same machinery as kiosk.toml's: every problem named) and the pure
policy: hours, the priority rule table, limits, the one order of service, 过号 positions."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.queue import policy
from kiosk.queue.hallconfig import HallConfigError, load_hall, parse_hall
from kiosk.queue.model import NORMAL_LANE, Priority, Refusal


def problems_of(data: dict[str, object]) -> list[str]:
    with pytest.raises(HallConfigError) as info:
        parse_hall(data)
    return info.value.problems


def test_the_demo_hall_loads(repo: Path) -> None:
    h = load_hall(repo / "hall.toml")
    assert [s.prefix for s in h.services] == ["A", "B", "D", "C", "E", "F"]
    five = h.window(5)
    assert five is not None and five.services == ["C", "A"] and five.label == "5号窗口"
    assert "残疾人" in policy.declared_classes(h)


def test_a_missing_file_is_the_demo_hall_only_when_allowed(tmp_path: Path) -> None:
    assert load_hall(tmp_path / "hall.toml", missing_ok=True).base_dir == str(tmp_path)
    with pytest.raises(HallConfigError, match="file not found"):
        load_hall(tmp_path / "hall.toml")


@pytest.mark.parametrize(("data", "expected"), [
    ({"services": [{"name": "a", "prefix": "AB"}]},
     'services[0].prefix: expected a string matching [A-Z], got "AB"'),
    ({"services": [{"prefix": "A"}]}, "services[0].name: required key is missing"),
    ({"queue": {"priority_run": 0}}, "queue.priority_run: expected an integer from 1 to 50"),
    ({"no_show": {"policy": "forget"}}, 'no_show.policy: expected one of "back", "end", '
                                        '"void"'),
    ({"windows": [{"number": 100, "services": ["A"]}]}, "windows[0].number: expected an "
                                                        "integer from 1 to 99"),
    ({"server": {"database": "mysql://x"}}, "server.database: expected a string matching"),
    ({"wat": 1}, "wat: unknown key"),
    ({"services": [{"name": "", "prefix": "A"}], "windows": [{"number": 1, "services": ["A"]}]},
     "services[0].name: expected some text"),
    ({"services": [{"name": "社保", "prefix": "A"}, {"name": "社保", "prefix": "B"}],
      "windows": [{"number": 1, "services": ["A", "B"]}]},
     'services[1].name: "社保" is already the name of services[0]'),
])
def test_each_kind_of_bad_value(data: dict[str, object], expected: str) -> None:
    problems = problems_of(data)
    assert any(p.startswith(expected) for p in problems), problems


def test_cross_checks_name_every_problem() -> None:
    problems = problems_of({
        "services": [{"name": "a", "prefix": "A"},
                     {"name": "b", "prefix": "A", "hours": ["12:00-08:00"]},
                     {"name": "c", "prefix": "C"}],
        "windows": [{"number": 1, "services": ["A", "Z"]}, {"number": 1, "services": ["A"]}],
        "queue": {"priority_mode": "prefix", "priority_prefix": "A"},
    })
    assert any(p.startswith("services[1].prefix") for p in problems)
    assert any(p.startswith("services[1].hours[0]: expected start before end") for p in problems)
    assert 'services[2]: no window serves "C" (add it to a [[windows]] services list)' in problems
    assert 'windows[0].services: "Z" is not a service prefix' in problems
    assert "windows[1].number: 1 is used twice" in problems
    assert any(p.startswith("queue.priority_prefix") for p in problems)


def test_hours_and_the_staff_override() -> None:
    rule = parse_hall({}).services[0]          # 08:30-12:00, 14:00-17:30

    def at(h: int, m: int) -> datetime:
        return datetime(2026, 11, 23, h, m)

    assert policy.open_by_hours(rule, at(8, 30)) and policy.open_by_hours(rule, at(17, 29))
    assert not policy.open_by_hours(rule, at(12, 0)) and not policy.open_by_hours(rule, at(13, 59))
    assert policy.is_open(rule, True, at(13, 0)) and not policy.is_open(rule, False, at(9, 0))


def test_a_service_open_until_midnight() -> None:
    """'24:00' ends a period at midnight: '00:00-23:59' left the last minute of every day
    closed (a test suite running then failed)."""
    hall = parse_hall({"services": [{"name": "全天", "prefix": "A", "hours": ["00:00-24:00"]}],
                       "windows": [{"number": 1, "services": ["A"]}]})
    rule = hall.services[0]
    assert policy.open_by_hours(rule, datetime(2026, 12, 2, 23, 59, 59))
    assert policy.open_by_hours(rule, datetime(2026, 12, 2, 0, 0))
    assert any(p.startswith("services[0].hours[0]: expected a string matching")
               for p in problems_of({"services": [{"name": "x", "prefix": "A",
                                                   "hours": ["24:00-24:00"]}],
                                     "windows": [{"number": 1, "services": ["A"]}]}))


def test_the_rule_table_classifies() -> None:
    h = parse_hall({})
    assert policy.classify(h, None, "") == policy.NO_PRIORITY
    assert policy.classify(h, 70, "").priority is Priority.AGE
    assert policy.classify(h, 69, "").priority is Priority.NONE
    d = policy.classify(h, 30, "军人")
    assert (d.priority, d.name) == (Priority.DECLARED, "军人")
    assert d.check == "核验军人证或退役军人优待证"
    assert policy.classify(h, 75, "军人").priority is Priority.AGE, "nothing to verify wins a tie"
    with pytest.raises(policy.PolicyError, match="总经理"):
        policy.classify(h, None, "总经理")


def test_limits() -> None:
    rule = parse_hall({"services": [{"name": "a", "prefix": "A", "requires_id": True,
                                     "daily_limit": 2, "per_person_daily_limit": 2}],
                       "windows": [{"number": 1, "services": ["A"]}]}).services[0]

    def why(**kw: object) -> Refusal | None:
        base: dict[str, object] = dict(open_now=True, override=None, issued=0, has_card=True,
                                       person_states=[])
        base.update(kw)
        return policy.refusal(rule, **base)  # type: ignore[arg-type]

    assert why() is None
    assert why(has_card=False) is Refusal.NEEDS_CARD
    assert why(open_now=False) is Refusal.CLOSED
    assert why(open_now=False, override=False) is Refusal.PAUSED
    assert why(issued=2) is Refusal.DAILY_LIMIT
    assert why(person_states=["waiting"]) is Refusal.PERSON_WAITING
    assert why(person_states=["called"]) is Refusal.PERSON_WAITING
    assert why(person_states=["done"]) is None
    assert why(person_states=["done", "done"]) is Refusal.PERSON_DAILY_LIMIT


def test_lane_order_switches_after_k_priority_calls() -> None:
    h = parse_hall({"queue": {"priority_run": 3}})
    assert policy.lane_order(h, 0) == [1, NORMAL_LANE]
    assert policy.lane_order(h, 3) == [NORMAL_LANE, 1]
    assert policy.next_run(2, 1) == 3 and policy.next_run(3, NORMAL_LANE) == 0


queued = st.lists(st.tuples(st.sampled_from([1, NORMAL_LANE]), st.integers(1, 500)),
                  max_size=40, unique_by=lambda t: t[1])


@settings(deadline=None)        # a loaded CI machine is slow, not wrong
@given(queued, st.integers(0, 5))
def test_service_order_keeps_arrival_within_a_lane_and_never_starves(
        items: list[tuple[int, int]], run: int) -> None:
    h = parse_hall({"queue": {"priority_run": 2}})
    waiting = [policy.Queued(lane, float(pos), str(pos)) for lane, pos in items]
    order = policy.service_order(h, waiting, run)
    assert sorted(order, key=lambda q: q.key) == sorted(waiting, key=lambda q: q.key)
    for lane in (1, NORMAL_LANE):
        mine = [q.pos for q in order if q.lane == lane]
        assert mine == sorted(mine), "arrival order within a lane"
    lanes = [q.lane for q in order]
    normals_left = lanes.count(NORMAL_LANE)
    streak = run
    for lane in lanes:                        # at most priority_run priority calls in a row
        if lane == NORMAL_LANE:
            normals_left -= 1
            streak = 0
        else:
            assert not (streak >= 2 and normals_left > 0), lanes
            streak += 1


def test_people_ahead_of_a_new_ticket() -> None:
    h = parse_hall({})
    waiting = [policy.Queued(NORMAL_LANE, 1.0, "a"), policy.Queued(NORMAL_LANE, 2.0, "b"),
               policy.Queued(1, 3.0, "c")]
    assert policy.people_ahead(h, waiting, policy.Queued(NORMAL_LANE, 4.0, "n"), 0) == 3
    assert policy.people_ahead(h, waiting, policy.Queued(1, 4.0, "p"), 0) == 1


def test_no_show_positions() -> None:
    back = parse_hall({"no_show": {"policy": "back", "places": 2}})
    end = parse_hall({"no_show": {"policy": "end"}})
    behind = [2.0, 3.0, 4.0]
    assert policy.requeue_pos(back, 1.0, behind) == 3.5      # after two, before the third
    assert policy.requeue_pos(back, 1.0, [2.0]) == 3.0       # fewer than N behind: the end
    assert policy.requeue_pos(end, 1.0, behind) == 5.0
    assert policy.requeue_pos(back, 1.0, []) == 1.0          # nobody behind: stays first
    assert policy.void_after_no_show(back, 2) and not policy.void_after_no_show(back, 1)
    assert policy.void_after_no_show(parse_hall({"no_show": {"policy": "void"}}), 1)


def test_transfer_position() -> None:
    front = parse_hall({})
    arrival = parse_hall({"transfer": {"position": "arrival"}})
    assert policy.transfer_pos(front, 5.0, [7.0, 9.0]) == 4.0
    assert policy.transfer_pos(arrival, 5.0, [7.0, 9.0]) == 5.0


def test_wait_rates() -> None:
    assert policy.handling_minutes(8.0, [1.0, 2.0]) == (8.0, "typical")
    assert policy.handling_minutes(8.0, [1.0, 2.0, 300.0]) == (2.0, "observed")
    assert policy.minutes_per_ticket(6.0, 2, 4) == (3.0, "open")
    assert policy.minutes_per_ticket(6.0, 0, 3) == (2.0, "configured")


def test_cli_hall_keys_lists_every_key(run_kiosk, repo: Path) -> None:  # type: ignore[no-untyped-def]
    r = run_kiosk("--config", str(repo / "kiosk.toml"), "hall", "--hall-config",
                  str(repo / "hall.toml"), "keys", "--markdown")
    assert r.returncode == 0, r.stderr
    docs = (repo / "docs" / "hall.md").read_text(encoding="utf-8")
    for line in r.stdout.splitlines()[2:]:
        key = line.split("`")[1]
        assert f"`{key}`" in docs, f"docs/hall.md lacks hall.toml key {key}"
