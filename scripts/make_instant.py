"""Re-make builtin:instant, the light arbitrary-style network, by distillation from builtin:adain.

    .venv/bin/python scripts/make_instant.py teach DIR [--count 1536]
    .venv/bin/python scripts/make_instant.py train DIR RUN [--minutes 60] [--resume]
        [--crop 128] [--perceptual 1.0] [--style 1.0] [--init-from CHECKPOINT]
    .venv/bin/python scripts/ship_model.py RUN instant

`teach`: builtin:adain paints `count` (photo, painting) pairs at 256 px and writes them to DIR
in shards of 64 (resumable: finished shards are kept). Photos: builtin:photo-library, except
every tenth (kept for evaluation); paintings: builtin:art-library (103).

`train`: the instant network learns to paint each pair as the teacher did (core Trainer:
resumable, JSONL metrics, --minutes), on random `--crop` squares of each pair (the same square
of photo and painting; the style picture whole): L1 of pixels and edges, and with
`--perceptual` / `--style` the VGG terms of InstantModel (the style's VGG statistics are
computed once per painting here). `--init-from` starts from another run's weights (a new
optimiser). Pairs whose painting is one of the 19 built-in paintings (the library has copies
of them) are left out: those are the held-out styles of the evaluation
(benchmarks/instant_style.py).
"""

import argparse
import io
from pathlib import Path

import numpy as np
import torch

SIZE = 256
SHARD = 64
PHOTOS, PAINTINGS = "builtin:photo-library", ("builtin:art-library",)
HELD_EVERY = 10
"""Every tenth photo of the library is held out of training."""


def training_photos() -> torch.Tensor:
    from artforge.data.image_folders import load_image_set

    photos = load_image_set(PHOTOS, SIZE).images
    keep = [i for i in range(len(photos)) if i % HELD_EVERY]
    return photos[keep]


def held_out_photos() -> torch.Tensor:
    from artforge.data.image_folders import load_image_set

    photos = load_image_set(PHOTOS, SIZE).images
    return photos[::HELD_EVERY]


def style_pictures() -> torch.Tensor:
    from artforge.data.image_folders import load_image_set

    return torch.cat([load_image_set(spec, SIZE).images for spec in PAINTINGS])


ALIASES = {"bruegel": "brugel"}
"""Spellings of the built-in paintings' names that differ in the library's file names."""


def held_out_styles() -> set[int]:
    """Indices (in style_pictures' order) of the library's copies of the built-in paintings:
    a file whose name holds every word of a built-in painting's name."""
    from artforge.data.image_folders import scan_folder
    from artforge.data.images import paintings_dir
    from artforge.data.libraries import library_folder

    files, _ = scan_folder(library_folder(PAINTINGS[0]))
    builtin = [[ALIASES.get(w, w) for w in p.stem.split("-")]
               for p in paintings_dir().glob("*.jpg")]
    held = {i for i, path in enumerate(files)
            if any(all(w in path.stem.split("-") for w in words) for words in builtin)}
    if len(held) != len(builtin) or len(files) != len(style_pictures()):
        raise SystemExit(f"found {len(held)} copies of the {len(builtin)} built-in paintings "
                         f"among {len(files)} library files; the library changed?")
    return held


def _save(path: Path, **arrays: np.ndarray) -> None:
    from artforge.core.atomic import write_bytes

    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    write_bytes(path, buffer.getvalue())


def teach(folder: Path, count: int) -> None:
    from artforge.core.checkpoint import load
    from artforge.core.device import set_threads
    from artforge.data.shipped_models import model_folder
    from artforge.style.medium import MEDIUM

    set_threads()
    folder.mkdir(parents=True, exist_ok=True)
    photos, styles = training_photos(), style_pictures()
    if not (folder / "styles.npz").is_file():
        _save(folder / "styles.npz", styles=styles.numpy())
    device = "cuda" if torch.cuda.is_available() else "cpu"
    teacher = load(model_folder("builtin:adain", MEDIUM.shipped, "style"), device).eval()
    generator = torch.Generator().manual_seed(0)
    order = torch.randint(0, len(styles), (count,), generator=generator)
    for first in range(0, count, SHARD):
        path = folder / f"shard-{first // SHARD:04d}.npz"
        if path.is_file():
            continue
        index = list(range(first, min(count, first + SHARD)))
        content = photos[[i % len(photos) for i in index]]
        targets = []
        for i, picture in zip(index, content, strict=True):
            style = styles[int(order[i])][None].to(device).float() / 255
            made = teacher.stylize(picture[None].to(device).float() / 255, [style])
            targets.append((made[0] * 255).round().clamp(0, 255).byte().cpu())
        _save(path, content=content.numpy(), style=order[index].numpy(),
              target=torch.stack(targets).numpy())
        print(f"{path.name}: pairs {index[0]}-{index[-1]}", flush=True)


class Triples(torch.utils.data.Dataset):
    """(photo, painting, teacher's painting) as floats in [0, 1]: the same random `crop`
    square of photo and result, flipped together at random (torch's seeded RNG), and the
    painting's VGG statistics when `statistics` are given."""

    def __init__(self, folder: Path, held: set[int], crop: int = SIZE,
                 statistics: dict[str, torch.Tensor] | None = None) -> None:
        self.crop, self.statistics = crop, statistics
        shards = [np.load(p) for p in sorted(folder.glob("shard-*.npz"))]
        if not shards:
            raise SystemExit(f"{folder} has no shards; run `teach` first.")
        style = np.concatenate([s["style"] for s in shards])
        keep = torch.from_numpy(~np.isin(style, sorted(held)))
        self.style = torch.from_numpy(style)[keep]
        self.content = torch.from_numpy(np.concatenate([s["content"] for s in shards]))[keep]
        self.target = torch.from_numpy(np.concatenate([s["target"] for s in shards]))[keep]
        self.styles = torch.from_numpy(np.load(folder / "styles.npz")["styles"])

    def __len__(self) -> int:
        return len(self.content)

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        batch = self.__getitems__([index])
        return {key: value[0] for key, value in batch.items()}

    def __getitems__(self, indices: list[int]) -> dict[str, torch.Tensor]:
        at = torch.as_tensor(indices)
        top, left = torch.randint(0, SIZE - self.crop + 1, (2,)).tolist()
        window = (..., slice(top, top + self.crop), slice(left, left + self.crop))
        content = self.content[at][window].float() / 255
        target = self.target[at][window].float() / 255
        flip = torch.rand(len(indices)) < 0.5
        content[flip], target[flip] = content[flip].flip(-1), target[flip].flip(-1)
        painting = self.style[at].long()
        batch = {"content": content, "target": target,
                 "style": self.styles[painting].float() / 255}
        if self.statistics is not None:
            batch |= {name: value[painting] for name, value in self.statistics.items()}
        return batch


def style_statistics(model, styles: torch.Tensor, chunk: int = 8) -> dict[str, torch.Tensor]:
    """Every painting's VGG statistics (InstantModel.style_statistics), in chunks."""
    parts = [model.style_statistics(styles[i:i + chunk].float() / 255)
             for i in range(0, len(styles), chunk)]
    return {name: torch.cat([part[name] for part in parts]) for name in parts[0]}


def train(folder: Path, run: Path, args: argparse.Namespace) -> None:
    from artforge.core import checkpoint
    from artforge.core.seeding import seeded
    from artforge.core.train_config import TrainConfig
    from artforge.core.trainer import Trainer
    from artforge.style.instant_model import InstantConfig, InstantModel

    with seeded(0):
        model = InstantModel(InstantConfig(perceptual_weight=args.perceptual,
                                           style_weight=args.style))
    if args.init_from and not args.resume:
        checkpoint.load_weights(model, checkpoint.read_weights(args.init_from), args.init_from)
    statistics = None
    if args.style:
        statistics = style_statistics(model, Triples(folder, set()).styles)
    data = Triples(folder, held_out_styles(), args.crop, statistics)
    config = TrainConfig(steps=1_000_000, batch_size=args.batch_size, lr=args.lr,
                         minutes=args.minutes, device=args.device,
                         save_every=100, log_every=10, warmup_steps=100)
    note = (f"{len(data)} pairs painted by builtin:adain ({folder}), {args.crop} px crops"
            + (f", from {args.init_from}" if args.init_from else ""))
    resume = args.resume
    result = Trainer(model, config, run, data, resume=resume, data_note=note).fit()
    print(f"step {result.step} ({result.stopped_by}); model in {result.checkpoint}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    teach_args = commands.add_parser("teach")
    teach_args.add_argument("folder", type=Path)
    teach_args.add_argument("--count", type=int, default=1536)
    train_args = commands.add_parser("train")
    train_args.add_argument("folder", type=Path)
    train_args.add_argument("run", type=Path)
    train_args.add_argument("--minutes", type=float, default=60.0)
    train_args.add_argument("--resume", action="store_true")
    train_args.add_argument("--crop", type=int, default=SIZE)
    train_args.add_argument("--lr", type=float, default=1e-3)
    train_args.add_argument("--perceptual", type=float, default=0.0)
    train_args.add_argument("--style", type=float, default=0.0)
    train_args.add_argument("--init-from", type=Path)
    train_args.add_argument("--batch-size", type=int, default=8)
    train_args.add_argument("--device", default="auto", help="auto: a GPU when there is one")
    args = parser.parse_args()
    if args.command == "teach":
        teach(args.folder, args.count)
    else:
        train(args.folder, args.run, args)


if __name__ == "__main__":
    main()
