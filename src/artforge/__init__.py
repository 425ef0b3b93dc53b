"""artforge: a local-first studio for making art with deep learning."""

import os

# OpenMP threads that spin while waiting steal the cores other threads (and other programs)
# need: on a busy 2-core machine a GAN step measured 3.7x faster with passive waiting. It only
# takes effect when set before torch is imported; a value the user set is kept.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"

# Every medium's descriptor (plain data, no torch): wires the registries to the media, so a
# saved folder or a catalogued work finds its class from any entry point.
from artforge import media as media  # noqa: E402
