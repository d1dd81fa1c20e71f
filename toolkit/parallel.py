"""Share a list of tasks between this process and forked workers, each taking the next task when free.

Used where one command's work is split over the cores: the parse of a cold check
(:mod:`toolkit.sourcecache`) and the check families (:mod:`toolkit.checks`).  A fixed
split (half the tasks each) ends when the slower side ends, and on a shared machine
one core is often slower than the other for seconds at a time; here every process
takes the next task from one counter in shared memory, so both stay busy until the
list is empty and neither waits for the other for longer than one task.  Tasks are
therefore best given largest first.

The workers are forked (they share everything this process has loaded, copy-on-write)
and die with this process (``PR_SET_PDEATHSIG`` on Linux).  Imports nothing of stdkit.
"""
from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Callable
from typing import Any

_SHARED: dict[str, Any] = {}
"""What forked workers inherit: the task counter, the number of tasks and the worker-side function."""


def die_with_parent(parent: int) -> None:
    """In a forked worker: be killed when the process ``parent`` dies (Linux ``PR_SET_PDEATHSIG``).

    Exits at once when ``parent`` is already gone.  Elsewhere than on Linux it does nothing
    (the parent's pool is still shut down on every exit path it takes).
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _worker_init(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    die_with_parent(parent)


def _take() -> int | None:
    """The next task's number, or ``None`` when every task is taken."""
    counter = _SHARED["counter"]
    with counter.get_lock():
        k = counter.value
        if k >= _SHARED["n"]:
            return None
        counter.value = k + 1
    return k


def _remote_one(_slot: int) -> tuple[int, Any] | None:
    k = _take()
    return None if k is None else (k, _SHARED["remote"](k))


def share(n: int, local: Callable[[int], None], remote: Callable[[int], Any],
          receive: Callable[[int, Any], None], workers: int) -> None:
    """Run tasks ``0 … n-1``, each once, in this process and ``workers - 1`` forked workers.

    ``local(k)`` runs task ``k`` here; ``remote(k)`` runs it in a worker and returns a
    picklable value, which this process hands to ``receive(k, value)`` (as soon as it is
    back, between its own tasks, so results are taken in while the workers go on).  Every
    task runs exactly once, on one side.  ``remote`` is called in the worker with the state
    this process had at the call (forked), so it must be reachable from there: a module-level
    function, or a closure over data loaded before the call.  An exception in a task is
    raised here (after the workers stopped).  With ``workers <= 1`` every task runs here.
    """
    if workers <= 1 or n <= 1:
        for k in range(n):
            local(k)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("fork")
    _SHARED.update(counter=ctx.Value("q", 0), n=n, remote=remote)
    try:
        with ProcessPoolExecutor(max_workers=workers - 1, mp_context=ctx,
                                 initializer=_worker_init, initargs=(os.getpid(),)) as pool:
            # one submission per task: a worker asks for the next one whenever it is free, and each
            # takes whichever task is next on the shared counter (or none, once all are taken)
            pending = deque(pool.submit(_remote_one, j) for j in range(n))

            def collect(block: bool) -> None:
                while pending and (block or pending[0].done()):
                    fut = pending.popleft()
                    if fut.cancel():
                        continue
                    got = fut.result()
                    if got is not None:
                        receive(*got)

            try:
                while (k := _take()) is not None:
                    local(k)
                    collect(block=False)
            finally:
                for fut in pending:
                    fut.cancel()  # not yet sent to a worker: nothing left for it to take (or we failed)
            collect(block=True)
    finally:
        _SHARED.clear()
