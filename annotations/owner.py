"""Which process owns a training run, and whether that process still lives.

A run records its owner (host name, process id and, on Linux, the process's start time and the
boot it belongs to) when it starts. A run still ``queued`` or ``running`` whose owner is gone was
left by a killed process: the store marks it ``interrupted`` the next time it is opened. A run
whose owner cannot be checked (another machine; a platform without ``/proc`` or ``kill(pid, 0)``)
is left as it is, so a run another program is working on is never marked by mistake.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from typing import Any

OWNER_KEY = "process"
_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


def _start_token(pid: int) -> str | None:
    """``boot-id:start-ticks`` of process ``pid`` (Linux), None where /proc cannot tell."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = _BOOT_ID.read_text().strip()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (name) "; name may hold spaces
    return f"{boot}:{fields[19]}"  # field 22 of stat: start time in clock ticks after boot


def current_owner() -> dict[str, Any]:
    """This process, as a run records its owner."""
    pid = os.getpid()
    return {"host": socket.gethostname(), "pid": pid, "start": _start_token(pid)}


def owner_alive(owner: Any) -> bool | None:
    """True when the recorded ``owner`` process is still running, False when it is gone, None
    when that cannot be told (no owner recorded, another host, an unsupported platform)."""
    if not isinstance(owner, dict) or owner.get("host") != socket.gethostname():
        return None
    pid = owner.get("pid")
    if isinstance(pid, bool) or not isinstance(pid, int) or pid <= 0:
        return None
    if pid == os.getpid():
        return True
    if Path("/proc/self/stat").exists():
        if not Path(f"/proc/{pid}").exists():
            return False
        recorded, now = owner.get("start"), _start_token(pid)
        return recorded is None or now is None or recorded == now  # else: pid reused, or reboot
    if sys.platform == "win32":
        return None  # os.kill would terminate the process there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, belongs to another user
    except OSError:
        return None
    return True
