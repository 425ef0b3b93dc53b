"""Claim: `artforge --help` answers at once: torch is imported only by commands that need it.

Baseline: a Python process that imports torch (what every command would pay if the CLI
imported it at the top). Printed: medians of both and the ratio.
"""

import statistics
import subprocess
import sys
import time

REPEATS = 7


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    help_times, torch_times = [], []
    timed([sys.executable, "-c", "import torch"])  # warm the file cache
    for _ in range(REPEATS):
        help_times.append(timed([sys.executable, "-m", "artforge", "--help"]))
        torch_times.append(timed([sys.executable, "-c", "import torch"]))
    h, t = statistics.median(help_times), statistics.median(torch_times)
    print(f"cli startup: {REPEATS} alternating repeats")
    print(f"  artforge --help       median {h:.3f} s")
    print(f"  python -c import torch median {t:.3f} s")
    print(f"  ratio --help / import torch = {h / t:.3f}")


if __name__ == "__main__":
    main()
