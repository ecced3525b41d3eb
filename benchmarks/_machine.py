"""What every benchmark prints beside its figures: the machine's cores and load, and memory.

Timings on a shared machine are noisy; a figure means something only next
to the load it was measured under (``os.getloadavg``: runnable processes
averaged over 1, 5 and 15 minutes; above the core count, processes queue for
a core and every wall-clock figure stretches).  Ratios measured in one run
stretch on both sides and stay comparable; CPU seconds stretch less.
"""

from __future__ import annotations

import os
import resource
import time


def machine() -> dict:
    """Cores, load averages, and whether the load says the timings are unreliable."""
    cores = os.cpu_count() or 1
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:  # not on every platform
        load = []
    return {"cores": cores, "load_1_5_15": load,
            "busy": bool(load) and load[0] > cores,  # more runnable processes than cores: wall times stretch
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def peak_rss_mb(children: bool = False) -> float:
    """Peak resident memory of this process (or of its finished children), in MB."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # kB on Linux


def cpu_seconds(children: bool = False) -> float:
    """User + system CPU time of this process (all its threads), or of its finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
