"""Peak resident memory of a process and its children, from /proc (Linux; standard library).

The kernel keeps each process's own high-water mark of resident memory, ``VmHWM`` in
/proc/<pid>/status, so one reading at the end of a measurement is enough for a process that
is still alive. ``PeakMemory`` also reads every half second, so that a child that exits
during the measurement (a prefork pool process replaced, a gunicorn worker restarted) is
still counted with its last reading, and it resets the marks when it starts (writing ``5`` to
/proc/<pid>/clear_refs), so the peak is that of the measurement and not of start-up. Each
reading also adds up what the process and its children hold at that moment (``VmRSS``): the
largest sum is the most the tree held together, as far as the readings saw it (a spike between
two readings is missed, unlike the kernel's own marks).

    with PeakMemory(server.process.pid) as memory:
        ...  # the measurement
    memory.result()  # {"parent": {...}, "children": [...], "peak_child_mb": ...}

Megabytes here are MiB (1024 × 1024 bytes), as ps and top count them.
"""

from __future__ import annotations

import threading
from pathlib import Path

PROC = Path("/proc")
SAMPLE_EVERY_SECONDS = 0.5


def _status(pid: int) -> dict[str, str]:
    """The fields of /proc/<pid>/status; empty once the process has gone."""
    try:
        text = (PROC / str(pid) / "status").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return {}
    return dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)


def _kib(value: str | None) -> int | None:
    return int(value.split()[0]) if value else None  # "123456 kB"


def children_of(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (children, their children, ...), by walking the
    parent pid of every process: /proc/<pid>/task/*/children is not on every kernel."""
    parents: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        ppid = _status(int(entry.name)).get("PPid")
        if ppid is not None:
            parents.setdefault(int(ppid), []).append(int(entry.name))
    found, waiting = [], list(parents.get(pid, []))
    while waiting:
        child = waiting.pop()
        found.append(child)
        waiting.extend(parents.get(child, []))
    return sorted(found)


def peak_rss_mb(pid: int) -> dict[int, float]:
    """The peak resident memory (VmHWM) of ``pid`` and of each live descendant, in MiB, by
    pid; a process that has gone (or a kernel thread, with no VmHWM) is left out."""
    return {each: peak for each, (peak, _now) in _tree_rss_mb(pid).items()}


def _tree_rss_mb(pid: int) -> dict[int, tuple[float, float]]:
    """(peak, current) resident memory (VmHWM, VmRSS) of ``pid`` and each live descendant, in
    MiB, by pid, from one reading of each status file."""
    found = {}
    for each in [pid, *children_of(pid)]:
        status = _status(each)
        peak, now = _kib(status.get("VmHWM")), _kib(status.get("VmRSS"))
        if peak is not None:
            found[each] = (round(peak / 1024, 1), round((now or 0) / 1024, 1))
    return found


def reset_peaks(pid: int) -> bool:
    """Set the high-water mark of ``pid`` and its descendants back to what each holds now
    (Linux 4.0 and later). False if any could not be reset: its peak then counts from its
    start."""
    done = True
    for each in [pid, *children_of(pid)]:
        try:
            (PROC / str(each) / "clear_refs").write_text("5")
        except OSError:
            done = False
    return done


def _name(pid: int) -> str:
    return _status(pid).get("Name", "?").strip()


class PeakMemory:
    """Sample the peak resident memory of ``pid`` and its children in a background thread
    while the ``with`` block runs; ``result()`` afterwards."""

    def __init__(self, pid: int, *, every: float = SAMPLE_EVERY_SECONDS, reset: bool = True):
        self.pid = pid
        self.every = every
        self.reset = reset
        self.reset_done: bool | None = None
        self.peaks: dict[int, float] = {}
        self.names: dict[int, str] = {}
        self.peak_together = 0.0  # the largest sum of VmRSS over the tree at one reading
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"peak-memory-{pid}", daemon=True)

    def __enter__(self) -> PeakMemory:
        if self.reset:
            self.reset_done = reset_peaks(self.pid)
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.sample()

    def sample(self) -> None:
        tree = _tree_rss_mb(self.pid)
        for pid, (mb, _now) in tree.items():
            if mb >= self.peaks.get(pid, 0):
                self.peaks[pid] = mb
            self.names.setdefault(pid, _name(pid))
        self.peak_together = max(self.peak_together, sum(now for _mb, now in tree.values()))

    def result(self) -> dict:
        """The parent's peak, each child's (largest first) and the largest child's, in MiB;
        ``together_mb`` the most the parent and its children held at one reading (sampled
        every ``every`` seconds). ``since`` says whether the peaks count from the ``with``
        block or from each process's start (when the marks could not be reset)."""
        children = [
            {"pid": pid, "name": self.names.get(pid, "?"), "peak_rss_mb": mb}
            for pid, mb in sorted(self.peaks.items(), key=lambda item: -item[1])
            if pid != self.pid
        ]
        return {
            "parent": {
                "pid": self.pid,
                "name": self.names.get(self.pid, "?"),
                "peak_rss_mb": self.peaks.get(self.pid),
            },
            "children": children,
            "peak_child_mb": max((child["peak_rss_mb"] for child in children), default=None),
            "together_mb": round(self.peak_together, 1),
            "sampled_every_s": self.every,
            "since": "the measurement" if self.reset_done else "each process's start",
        }


def summary_line(label: str, result: dict) -> str:
    """One line for a printed report: the largest child, every child, the parent, and the
    most they held together at one reading."""
    children = result["children"]
    each = ", ".join(f"{child['peak_rss_mb']:.0f}" for child in children) or "none"
    together = result.get("together_mb")
    together = "" if together is None else f"; together at most {together:.0f} MiB (sampled)"
    return (
        f"{label}: peak RSS {result['peak_child_mb'] or 0:.0f} MiB in the largest of "
        f"{len(children)} ({each} MiB); the parent {result['parent']['peak_rss_mb'] or 0:.0f} "
        f"MiB{together} (since {result['since']})"
    )
