"""The top entries of a py-spy profile in its `raw` (collapsed stacks) format.

    .venv/bin/python bench/profile_top.py /tmp/relevo.txt [--top 15]

Own time: samples whose innermost frame is the function. Total time: samples with
the function anywhere on the stack (counted once per sample). Idle samples (the
event loop waiting in epoll/select, threads waiting for work) are left out of both.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

IDLE = re.compile(r"^(select|poll|_worker|wait|_wait_for_tstate_lock|run_forever|_run_once) \(")
FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^:()]+)(:\d+)?\)$")


def short(frame: str) -> str:
    """`function (path/to/module.py:12)` → `function (to/module.py)`."""
    match = FRAME.match(frame)
    if not match:
        return frame
    parts = Path(match["file"]).parts
    where = "/".join(parts[-2:])
    for marker in ("site-packages", "python3.11"):
        if marker in parts:
            where = "/".join(parts[parts.index(marker) + 1 :])
    return f"{match['function']} ({where})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    own, total, busy = Counter(), Counter(), 0
    for raw_line in args.profile.read_text().splitlines():
        stack, _, count = raw_line.rpartition(" ")
        frames = [short(frame) for frame in stack.split(";") if frame]
        if not frames or IDLE.match(frames[-1]) or not count.isdigit():
            continue  # idle, or a line py-spy left half-written when it was stopped
        count = int(count)
        busy += count
        own[frames[-1]] += count
        for frame in set(frames[1:]):
            total[frame] += count
    print(f"{busy} busy samples")
    for title, counter in (("own time", own), ("total time", total)):
        print(f"-- {title}")
        for frame, count in counter.most_common(args.top):
            print(f"{100 * count / busy:5.1f}%  {frame}")


if __name__ == "__main__":
    main()
