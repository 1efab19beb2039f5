"""Interleaved measurements, ratios with their spread, and verdicts that say how sure they are.

On a shared machine a single measurement of each contender can be off by
tens of percent, in either direction, for reasons that have nothing to do
with the code: another process takes a core for a second. So contenders are
measured in rounds: every round runs each contender's batch once, in an
order that rotates from round to round (nobody always runs first, on a cold
cache, or right after another's garbage), and each ratio is computed within
a round, between batches that ran seconds apart under the same load. The
median of those per-round ratios is the result; their range and
interquartile range say how much to trust it.
"""

from __future__ import annotations

import gc
import os
import statistics
import time
from typing import Callable, NamedTuple, Optional


def rounds_of(batches: dict[str, Callable[[], float]], rounds: int) -> dict[str, list[float]]:
    """Run each batch once per round, rotating their order; return each one's measurements.

    A batch returns one number (CPU seconds per call, wall seconds,
    requests per second...). One warm-up round runs first and is dropped.
    """
    names = list(batches)
    results: dict[str, list[float]] = {name: [] for name in names}
    for index in range(-1, rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            gc.collect()  # nobody pays for garbage another one left
            value = batches[name]()
            if index >= 0:
                results[name].append(value)
    return results


def cpu_per_call(call: Callable[[], object], calls: int) -> Callable[[], float]:
    """A batch: CPU seconds of this process per call, over ``calls`` calls."""

    def batch() -> float:
        started = time.process_time()
        for _ in range(calls):
            call()
        return (time.process_time() - started) / calls

    return batch


class Spread(NamedTuple):
    median: float
    low: float
    high: float
    q1: float
    q3: float
    count: int

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        if len(values) >= 2:
            q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
        else:
            q1 = q3 = values[0]
        return cls(statistics.median(values), min(values), max(values), q1, q3, len(values))

    def format(self, digits: int = 2) -> str:
        """``median (range low-high; IQR q1-q3)``."""
        low, high, q1, q3, median = (
            f"{value:,.{digits}f}" for value in (self.low, self.high, self.q1, self.q3, self.median)
        )
        return f"{median} ({low}-{high}; IQR {q1}-{q3})"


def ratios(numerators: list[float], denominators: list[float]) -> Spread:
    """The per-round ratios of two contenders measured in the same rounds."""
    return Spread.of([top / bottom for top, bottom in zip(numerators, denominators)])


class Target(NamedTuple):
    operator: str  # "<=" or ">="
    bound: float
    label: str = ""  # how to print the bound, e.g. "2/3"

    def __str__(self) -> str:
        return f"{self.operator} {self.label or format(self.bound, 'g')}"

    def met_by(self, value: float) -> bool:
        return value <= self.bound if self.operator == "<=" else value >= self.bound

    def verdict(self, spread: Spread) -> tuple[bool, str]:
        """Met or not by the median, and a note when the spread says the verdict is shaky."""
        ok = self.met_by(spread.median)
        if self.met_by(spread.low) == self.met_by(spread.high):
            return ok, ""
        inner = self.met_by(spread.q1) != self.met_by(spread.q3)
        return ok, "the IQR crosses the target" if inner else "the range crosses the target"


class MachineLoad(NamedTuple):
    load: tuple[float, float, float]
    busy: Optional[tuple[int, int]]  # (busy, total) jiffies since boot, if /proc/stat exists

    @classmethod
    def now(cls) -> MachineLoad:
        busy = None
        try:
            with open("/proc/stat", encoding="ascii") as stat:
                fields = [int(value) for value in stat.readline().split()[1:]]
            idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
            busy = (sum(fields) - idle, sum(fields))
        except (OSError, ValueError, IndexError):
            pass
        load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
        return cls(tuple(load), busy)  # type: ignore[arg-type]

    def describe(self, since: Optional[MachineLoad] = None) -> str:
        cpus = os.cpu_count() or 1
        one, five, fifteen = self.load
        text = f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {cpus} CPUs"
        if since is not None and since.busy and self.busy:
            busy = self.busy[0] - since.busy[0]
            total = self.busy[1] - since.busy[1]
            if total > 0:
                text += (
                    f"; all processes kept {busy / total * cpus:.2f} of {cpus} CPUs busy"
                    " during the run (this benchmark and its servers included)"
                )
        return text
