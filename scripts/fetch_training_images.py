#!/usr/bin/env python3
"""Build artforge's picture libraries from Debian packages: the same as
`artforge data fetch-libraries`, kept for the docs and scripts that name this script.

Usage:  .venv/bin/python scripts/fetch_training_images.py [OUTDIR] [--cache DIR] [--keep-cache]
        [--skip SOURCE]...
"""

import sys

from artforge.cli import main

if __name__ == "__main__":
    args = sys.argv[1:]
    if args and not args[0].startswith("-"):  # the old positional OUTDIR
        args = ["--out", *args]
    sys.argv = ["artforge", "data", "fetch-libraries", *args]
    main()
