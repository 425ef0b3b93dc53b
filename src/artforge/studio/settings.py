"""Studio settings: the artforge home it works in, its limits, and who may connect."""

import dataclasses
import ipaddress
import secrets
from pathlib import Path

from artforge.catalog.db import CATALOG_FILE
from artforge.errors import UserError

LANES = ("create", "train")
"""Worker processes, one per lane: making things stays quick while a model trains."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(24)


@dataclasses.dataclass(frozen=True)
class StudioSettings:
    home: Path
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    """Required on every request when set; always set when bound beyond loopback."""
    max_upload_mb: float = 200.0
    max_unpacked_mb: float = 2000.0
    """What a zip may unpack to."""
    max_pixels: int = 40_000_000
    allow_origins: tuple[str, ...] = ()
    """Cross-origin callers allowed (CORS); none by default."""
    warm_up: bool = True
    """Start the workers of lanes with a warm-up (tasks.WARM_UPS) with the studio, so that
    what their first job needs is loaded before it is asked for."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "home", Path(self.home).expanduser().resolve())
        if not is_loopback(self.host) and not self.token:
            raise UserError(f"binding to {self.host} lets other machines connect; the studio "
                            "needs a token for that (--token, or let it make one).")
        if self.max_upload_mb <= 0 or self.max_unpacked_mb <= 0:
            raise UserError("upload limits must be positive numbers of megabytes.")

    @property
    def studio_dir(self) -> Path:
        return self.home / "studio"

    @property
    def uploads_dir(self) -> Path:
        return self.studio_dir / "uploads"

    @property
    def jobs_dir(self) -> Path:
        return self.studio_dir / "jobs"

    @property
    def works_dir(self) -> Path:
        return self.studio_dir / "works"

    @property
    def logs_dir(self) -> Path:
        return self.studio_dir / "logs"

    @property
    def catalog_path(self) -> Path:
        return self.home / CATALOG_FILE

    def job_dir(self, job_id: int) -> Path:
        return self.jobs_dir / str(int(job_id))

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def max_unpacked_bytes(self) -> int:
        return int(self.max_unpacked_mb * 1024 * 1024)
