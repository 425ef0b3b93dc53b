"""Where artforge keeps a user's things: `$ARTFORGE_HOME`, else `~/.artforge`."""

import os
from pathlib import Path


def artforge_home() -> Path:
    return Path(os.environ.get("ARTFORGE_HOME") or Path.home() / ".artforge").expanduser()
