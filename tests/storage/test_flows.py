"""Guided flows in the store (core/flows.py, migration 0008): per user, JSON as it is, stamped
with the clock, stale ones deleted at start-up, gone with the user (`Reminders.forget`)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.flows import MAX_AGE, Flows, dump, expired
from core.reminders import Reminders
from core.storage import Store
from tests.reminders.fakes import FakeClock

A, B = 1001, 2002
FLOW = {"name": "addcase", "step": "filing", "ref": "A-1", "priority": "2024-03-15"}


async def users(store: Store, *ids: int) -> None:
    async with store.transaction() as tx:
        for user in ids:
            await tx.users.ensure(user)


def test_dump_is_canonical_and_refuses_what_json_would_change() -> None:
    assert dump({"b": 1, "a": [None, True, "ж"]}) == '{"a":[null,true,"ж"],"b":1}'
    assert dump(dict(reversed(FLOW.items()))) == dump(FLOW)
    for bad in (
        {"priority": dt.date(2024, 3, 15)},  # a date: as ISO text
        {"people": ("a", "b")},  # a tuple comes back a list
        {"basis": {1: "original"}},  # an int key comes back a string
        {"data": {"n": {1.5}}},
    ):
        with pytest.raises(TypeError):
            dump(bad)


async def test_saved_per_user_and_stamped_with_the_clock(store: Store, clock: FakeClock) -> None:
    await users(store, A, B)
    flows = Flows(store)
    assert await flows.save(A, dump(FLOW))
    clock.advance(60)
    assert await flows.save(B, dump({"name": "fees", "step": "kind"}))
    saved = await flows.load(A)
    assert saved is not None
    assert (saved.owner, saved.state, saved.at) == (A, FLOW, clock.now() - dt.timedelta(minutes=1))
    assert (await flows.load(B)).state == {"name": "fees", "step": "kind"}  # type: ignore[union-attr]
    assert await flows.save(A, None)
    assert await flows.load(A) is None
    assert await flows.load(B) is not None  # another user's flow is untouched
    assert not await flows.save(A, None)  # nothing left to delete


async def test_no_flow_without_the_users_record(store: Store) -> None:
    assert not await Flows(store).save(A, dump(FLOW))
    assert await Flows(store).load(A) is None


async def test_restore_returns_fresh_flows_and_deletes_stale_ones(
    store: Store, clock: FakeClock
) -> None:
    await users(store, A, B)
    flows = Flows(store)
    await flows.save(A, dump(FLOW))
    clock.advance(3600)
    await flows.save(B, dump({"name": "fees", "step": "kind"}))
    clock.advance(MAX_AGE.total_seconds() - 1800)  # A's last step 24.5 h ago, B's 23.5 h
    assert expired(clock.now() - MAX_AGE - dt.timedelta(seconds=1), clock.now())
    assert not expired(clock.now() - MAX_AGE, clock.now())
    assert await flows.load(A) is None
    restored = await flows.restore()
    assert [(f.owner, f.state["name"]) for f in restored] == [(B, "fees")]
    async with store.transaction() as tx:
        assert await tx.flows.get(A) is None  # deleted, not only skipped
        assert await tx.flows.get(B) is not None


async def test_forget_deletes_the_users_flow(store: Store) -> None:
    await users(store, A, B)
    flows = Flows(store)
    await flows.save(A, dump(FLOW))
    await flows.save(B, dump(FLOW))
    assert await Reminders(store).forget(A)
    async with store.transaction() as tx:
        assert await tx.flows.get(A) is None
        assert await tx.flows.get(B) is not None
