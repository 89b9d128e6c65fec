"""Helpers for the bench scripts: import a lesson's snippet by path (``layout.load_snippet``:
snippets/ is no package), and say how busy the machine was while a bench ran."""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "tools") not in sys.path:  # tools/ is no package
    sys.path.insert(0, str(ROOT / "tools"))
from layout import load_snippet  # noqa: E402  (re-exported: the benches import it from here)

__all__ = ["MachineLoad", "load_snippet"]

# A figure taken while other work runs is not a figure. Two thresholds, both stated in the output:
# the 1-minute load average before the run, per core, and the share of all CPU time that other
# processes used during the run (from /proc/stat, Linux only).
LOAD_PER_CORE_WARN = 0.5
OTHERS_SHARE_WARN = 0.10


def _busy_seconds() -> float | None:
    """CPU seconds every core spent busy since boot (user, system, irq, steal...), or None."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(value) for value in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    # guest time is already inside user time
    busy = sum(fields[:8]) - idle
    return busy / os.sysconf("SC_CLK_TCK")


def _own_seconds() -> float:
    """CPU seconds of this process and of the children it has waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class MachineLoad:
    """Prints the load average when a bench starts and when it ends, and warns when the
    machine was busy: a shared machine's figures are only worth quoting from quiet runs."""

    def __init__(self) -> None:
        self.cores = os.cpu_count() or 1
        self.started = time.monotonic()
        self.busy, self.own = _busy_seconds(), _own_seconds()
        self.before = os.getloadavg()
        print(f"load average before: {self._describe(self.before)}", flush=True)
        if self.before[0] > LOAD_PER_CORE_WARN * self.cores:
            print(
                f"WARNING: 1-minute load average {self.before[0]:.2f} is above "
                f"{LOAD_PER_CORE_WARN} per core ({LOAD_PER_CORE_WARN * self.cores:g} here): "
                "the machine is busy, these figures are not quiet ones",
                flush=True,
            )

    def _describe(self, load: tuple[float, float, float]) -> str:
        return f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (1, 5, 15 min) on {self.cores} cores"

    def others_share(self) -> float | None:
        """Share of all CPU time since the start that processes other than this bench used."""
        busy = _busy_seconds()
        if busy is None or self.busy is None:
            return None
        wall = time.monotonic() - self.started
        others = (busy - self.busy) - (_own_seconds() - self.own)
        return max(0.0, others) / (wall * self.cores) if wall > 0 else None

    def report(self) -> None:
        """The closing lines: load average after (this bench's own work is in it), and how
        much CPU the rest of the machine took meanwhile."""
        after = os.getloadavg()
        print(f"load average after: {self._describe(after)} (includes this bench's own work)")
        share = self.others_share()
        if share is not None:
            print(f"other processes used {share:.0%} of all CPU time during this run")
            if share > OTHERS_SHARE_WARN:
                print(
                    f"WARNING: that is above {OTHERS_SHARE_WARN:.0%}: "
                    "the figures above were taken under load; run again when the machine is quiet"
                )
