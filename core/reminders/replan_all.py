"""Every case's alerts planned again after a change of the rules (`pctby replan`, and at start-up
when `rules_fingerprint` changed), batch by batch in worker processes, safe while the bot runs
(the steps of one batch: `core.reminders.replan_batches`)."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing as mp
from collections import deque
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from core.reminders.next_alert import Planner
from core.reminders.replan_batches import (
    FINGERPRINT_KEY,
    PlannedCase,
    default_workers,
    plan_snapshot,
    rules_fingerprint,
    write_plans,
)
from core.schedule import install_documents, installed_documents
from core.storage.models import PlanningSnapshot

log = logging.getLogger(__name__)


class BulkReplan(Planner):
    """Replans every case of every user in batches."""

    async def replan_all(
        self,
        *,
        batch: int = 5000,
        workers: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Replans every case of every user (after an upgrade of the rules or the fee schedule;
        `pctby replan`). Safe while the bot runs: see `core.reminders.replan_batches`.

        `workers`: processes that plan batches in parallel (default: one per core; 1 plans in
        a thread of this process). Returns the number of cases planned.
        """
        workers = default_workers() if workers is None else max(1, workers)
        now = self._now()
        pool: ProcessPoolExecutor | None = None
        loop = asyncio.get_running_loop()
        # (snapshot, its plans being made) — a few batches ahead, so the pool never waits
        queue: deque[tuple[PlanningSnapshot, asyncio.Future[list[PlannedCase]]]] = deque()
        done = 0
        last_id = 0
        try:
            while True:
                async with self.store.transaction() as tx:
                    snapshot = await tx.cases.system_planning_batch(last_id, batch)
                if snapshot is None:
                    break
                last_id = snapshot.last
                if pool is None and workers > 1 and len(snapshot.cases) == batch:
                    # more than one batch: worth starting the processes
                    pool = ProcessPoolExecutor(
                        workers,
                        mp_context=mp.get_context("spawn"),
                        # the staff's fee schedules, in each worker too
                        initializer=install_documents,
                        initargs=(installed_documents(),),
                    )
                # without a pool, in a thread: the bot's event loop stays responsive meanwhile
                future = loop.run_in_executor(pool, plan_snapshot, snapshot, self.default_tz, now)
                queue.append((snapshot, future))
                if len(queue) > workers:
                    done += await self._write_planned(*queue.popleft())
                    if progress is not None:
                        progress(done)
            while queue:
                done += await self._write_planned(*queue.popleft())
                if progress is not None:
                    progress(done)
        finally:
            for _, future in queue:
                future.cancel()
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        async with self.store.transaction() as tx:
            await tx.meta.set(FINGERPRINT_KEY, rules_fingerprint())
        self._changed()
        return done

    async def replan_if_rules_changed(
        self, *, workers: int | None = None, progress: Callable[[int], None] | None = None
    ) -> int | None:
        """`replan_all` where the plans were made by other rules, fee schedules or holidays
        than this code's (a deploy changed them); the number of cases planned, or None."""
        async with self.store.transaction() as tx:
            if await tx.meta.get(FINGERPRINT_KEY) == rules_fingerprint():
                return None
        return await self.replan_all(workers=workers, progress=progress)

    async def _write_planned(
        self, snapshot: PlanningSnapshot, future: asyncio.Future[list[PlannedCase]]
    ) -> int:
        """Writes one planned batch; cases changed since `snapshot` are planned again here."""
        planned = await future
        async with self.store.transaction() as tx:
            current = await tx.cases.system_planning_range(snapshot.first, snapshot.last)
            ready: list[PlannedCase] = []
            for p in planned:
                if p.error is not None:
                    log.error("case %d could not be planned: %s", p.case_id, p.error)
                elif not snapshot.same_case(current, p.case_id):
                    await self.replan(tx, p.owner, p.case_id)  # a no-op for a deleted case
                else:
                    ready.append(p)
            await write_plans(tx, ready)
        return len(planned)
