"""Split a picture folder (or builtin picture library) into OUT/train and OUT/held of symbolic
links, holding out the share of pictures whose names hash lowest: the split pix2pix's
`--holdout` makes of the same folder, so a GAN and a sketch-to-painting model trained on one
library keep the same pictures out.

    .venv/bin/python scripts/split_library.py builtin:art-library OUT [--holdout 0.1]
"""

import argparse
from pathlib import Path

from artforge.data.libraries import is_library, library_folder
from artforge.image.pix2pix.pairs import split_files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("out", type=Path)
    parser.add_argument("--holdout", type=float, default=0.1)
    args = parser.parse_args()
    folder = library_folder(args.data) if is_library(args.data) else Path(args.data)
    parts = split_files(folder, args.holdout)
    for part, files in zip(("train", "held"), parts, strict=True):
        target = args.out / part
        target.mkdir(parents=True, exist_ok=True)
        for path in files:
            link = target / str(path.relative_to(folder)).replace("/", "--")
            if not link.exists():
                link.symlink_to(path.resolve())
    print(f"{args.out}: {len(parts[0])} training and {len(parts[1])} held-out pictures")


if __name__ == "__main__":
    main()
