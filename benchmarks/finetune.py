"""Fine-tuning a shipped model on a small folder of a user's kind vs training the same network
from nothing, for the same CPU minutes, through the command line; held-out loss side by side.

- text: regular verse (五言/七言, every line a couplet) of one Song poet from the same npm
  package as builtin:tang (`chinese-poetry@2.0.1`, poet.song.*.json) — Song poems are not in
  the Tang corpus. The first --train poems are the user's folder, the next --held are scored
  (nats per character).
- music: tunes of O'Neill's collection (builtin:oneill, which builtin:folk never saw): the
  first --train tunes are the user's folder, the next --held are scored (nats per token).

Fine-tuning runs `train --init-from builtin:NAME` with the fine-tuning recipe; from nothing
runs the same command from a copy of the network with fresh weights (same vocabulary), at the
training recipe's rate and schedule, so that the two differ only in what the shipped weights
learnt.

    .venv/bin/python benchmarks/finetune.py text [--model builtin:tang] [--poet 苏轼] [--minutes 5]
    .venv/bin/python benchmarks/finetune.py music [--model builtin:folk] [--minutes 5]
"""

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

from artforge.data.cache import cache_path
from artforge.data.tang import HAN, TARBALL

LINE = re.compile(rf"^{HAN}{{5}}，{HAN}{{5}}。$|^{HAN}{{7}}，{HAN}{{7}}。$")


def poet_poems(poet: str, count: int) -> list[str]:
    """The first `count` regular poems of `poet` in the Song files, in simplified characters."""
    import opencc

    convert = opencc.OpenCC("t2s").convert
    name = re.compile(r"package/dist/.*poet\.song\.(\d+)\.json$")
    found: list[str] = []
    with tarfile.open(cache_path(TARBALL)) as archive:
        members = sorted((m for m in archive if name.match(m.name)),
                         key=lambda m: int(name.match(m.name).group(1)))
        for member in members:
            for poem in json.load(io.TextIOWrapper(archive.extractfile(member), "utf-8")):
                lines = [line.strip() for line in poem.get("paragraphs", []) if line.strip()]
                if convert(poem.get("author", "")) == poet and lines and all(
                        map(LINE.match, lines)) and len({len(x) for x in lines}) == 1:
                    found.append(convert("\n".join(lines)))
                    if len(found) == count:
                        return found
    raise SystemExit(f"only {len(found)} regular poems by {poet} in {TARBALL}")


def text_loss(folder: Path, poems: list[str]) -> tuple[float, str]:
    """Mean loss in nats per character over the poems (each window scored whole), and how
    many of their characters the model spells as unknown."""
    import torch
    import torch.nn.functional as F

    from artforge.data.text import Document
    from artforge.text.pipeline import encode_documents, load_text_model

    model = load_text_model(folder).eval()
    tokens = encode_documents(model.tokenizer, [Document(p) for p in poems])
    unknown = int((tokens == model.tokenizer.token_id("<|unk|>")).sum())
    block = model.config.block_size
    total, count = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(tokens) - 1, block):
            x = tokens[start:start + block][None]
            y = tokens[start + 1:start + block + 1][None]
            x = x[:, :y.shape[1]]
            total += float(F.cross_entropy(model(x)[0], y[0], reduction="sum"))
            count += y.shape[1]
    return total / count, f"nats/char ({unknown} unknown characters)"


def music_loss(folder: Path, tunes: list[Path]) -> tuple[float, str]:
    from artforge.core import checkpoint
    from artforge.music.evaluation import token_nll

    nll, tokens = token_nll(checkpoint.load(checkpoint.resolve(folder)), tunes)
    return nll, f"nats/token over {tokens} tokens"


def text_setup(args, root: Path) -> tuple[Path, Callable[[Path], tuple[float, str]], str]:
    """The user's folder, the held-out scorer, and a line saying what they are."""
    from artforge.core import checkpoint
    from artforge.text.model import GPTModel
    from artforge.text.pipeline import load_text_model

    poems = poet_poems(args.poet, args.train + args.held)
    mine = root / "mine"
    mine.mkdir()
    for i, poem in enumerate(poems[:args.train]):
        (mine / f"{i:03d}.txt").write_text(poem + "\n")
    shipped = load_text_model(args.model)
    checkpoint.save(GPTModel(shipped.config, shipped.tokenizer), root / "fresh")
    return (mine, lambda folder: text_loss(folder, poems[args.train:]),
            f"{args.poet}: {args.train} regular poems to train on, {args.held} held out")


def music_setup(args, root: Path) -> tuple[Path, Callable[[Path], tuple[float, str]], str]:
    from artforge.core import checkpoint
    from artforge.music.datasets import music_splits
    from artforge.music.pipeline import load_music_model

    tunes = sorted(music_splits("builtin:oneill").test)[:args.train + args.held]
    mine = root / "mine"
    mine.mkdir()
    for path in tunes[:args.train]:
        shutil.copy(path, mine / path.name)
    shipped = load_music_model(args.model)
    fresh = type(shipped).from_config(shipped.config)
    fresh.tokenizer = shipped.tokenizer
    checkpoint.save(fresh, root / "fresh")
    return (mine, lambda folder: music_loss(folder, tunes[args.train:]),
            f"O'Neill's collection: {args.train} tunes to train on, {args.held} held out")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("medium", choices=["text", "music"])
    parser.add_argument("--model", default=None, help="builtin:tang / builtin:folk")
    parser.add_argument("--poet", default="苏轼")
    parser.add_argument("--train", type=int, default=None, help="30 poems / 20 tunes")
    parser.add_argument("--held", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=5.0)
    args = parser.parse_args()
    text = args.medium == "text"
    args.model = args.model or ("builtin:tang" if text else "builtin:folk")
    args.train = args.train or (30 if text else 20)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        mine, score, what = (text_setup if text else music_setup)(args, root)
        rows = []
        # From nothing: the training recipe's rate and schedule (a fine-tuning rate would
        # handicap it); both keep their best validation (the fine-tuning recipe's).
        for label, source, extra in (
                (f"from {args.model}", args.model, []),
                ("from nothing", str(root / "fresh"),
                 ["--lr", "0.002", "--schedule", "cosine"])):
            out = root / re.sub(r"[^\w-]", "-", label)
            done = subprocess.run(
                [sys.executable, "-m", "artforge", args.medium, "train", "--data", str(mine),
                 "--out", str(out), "--minutes", str(args.minutes), "--init-from", source,
                 *extra], capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(done.stderr)
            loss, unit = score(out)
            rows.append((label, loss, unit, done.stdout.strip().splitlines()[-1]))
        untouched, unit = score(_shipped(args))
    print(f"{what}; {args.minutes:g} CPU minutes each through `artforge {args.medium} train "
          "--init-from` (fine-tuning recipe; from nothing with the training recipe's rate "
          "and schedule)")
    for label, loss, unit, trained in rows:
        print(f"  {label:<22} held-out {loss:.3f} {unit}; {trained}")
    print(f"held-out loss, fine-tuned / from nothing: {rows[0][1] / rows[1][1]:.3f}")
    print(f"  {args.model + ' untouched':<22} held-out {untouched:.3f} {unit}; "
          f"fine-tuned / untouched: {rows[0][1] / untouched:.3f}")


def _shipped(args) -> Path:
    from artforge.data.shipped_models import model_folder
    from artforge.media import shipped_models

    return model_folder(args.model, shipped_models(), args.medium)


if __name__ == "__main__":
    main()
