"""Progress display: a rich bar with ETA and loss on a terminal, plain log lines elsewhere."""

import sys
import time


class Progress:
    """Shows training progress; `enabled=False` (non-main ranks) shows nothing."""

    def __init__(self, total: int, start: int, description: str, enabled: bool = True,
                 minutes: float | None = None) -> None:
        self.total, self.start, self.enabled = total, start, enabled
        self.minutes = minutes
        """A wall-clock budget: the ETA is whichever comes first, the steps or the budget."""
        self.description = description
        self._bar = None
        self._started = time.monotonic()
        self._next_line = 0.0
        if enabled and sys.stderr.isatty():
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[losses]}"),
                transient=False,
            )
            self._task = self._bar.add_task(description, total=total, completed=start, losses="")

    def __enter__(self) -> "Progress":
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()

    def update(self, step: int, losses: dict[str, float]) -> None:
        if not self.enabled:
            return
        text = " ".join(f"{k}={v:.4g}" for k, v in losses.items())
        if self._bar is not None:
            self._bar.update(self._task, completed=step, losses=text)
            return
        now = time.monotonic()
        if now >= self._next_line or step == self.total:
            self._next_line = now + 10.0
            done = step - self.start
            eta = (now - self._started) / done * (self.total - step) if done else 0.0
            if self.minutes is not None:
                eta = min(eta, max(0.0, self._started + 60 * self.minutes - now))
            print(f"{self.description}: step {step}/{self.total} {text} eta {eta:.0f}s",
                  file=sys.stderr, flush=True)
