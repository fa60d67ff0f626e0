"""CPU seconds of a child process, as the benchmarks that run threadline's command line
count them: user + system time of the child (its threads included), from
``getrusage(RUSAGE_CHILDREN)`` before and after it ran."""

from __future__ import annotations

import resource
import subprocess


def run_counted(
    args: list[str], env: dict[str, str] | None = None
) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run ``args`` (output captured as text, the exit code not checked) and return the
    CPU seconds it used with what it did."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done
