"""Quality per CPU minute of the command line's default text recipe, against a bare
nanoGPT-style loop given the same minutes.

Both run at once, one thread each, for the same wall-clock time on the same machine (so a busy
spell slows both alike):
  - artforge: `artforge text train --data DATA --minutes M --out RUN` with every other option
    at its default (character tokenizer, `tiny` GPT, batch 32, rate 2e-3 after 50 warm-up
    steps, falling to a tenth over the budget's last fifth, the budget counted from the
    command's start), in a subprocess;
  - reference: text_train.py's plain GPT of the same shape (4 layers, 4 heads, 128 wide,
    block 128) in a plain loop: AdamW 2e-3, betas 0.9/0.99, weight decay 0.1, 50 warm-up
    steps then a constant rate, batch 32, clipping at 1.
Both are then scored on the validation part of DATA as `artforge text train` splits it (never
trained on): bits per character, windows of the model's context overlapping by half.

    .venv/bin/python benchmarks/text_defaults.py [--data builtin:english-poetry] [--minutes 2]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parent))
from english_verse import stream_bits_per_char as bits_per_char  # noqa: E402
from text_train import PlainLoop, RefGPT  # noqa: E402

from artforge.data.text import load_corpus  # noqa: E402
from artforge.text.model import PRESETS, TokenWindows  # noqa: E402
from artforge.text.pipeline import encode_documents, load_text_model  # noqa: E402
from artforge.text.tokenizer import TextTokenizer  # noqa: E402


def reference_run(data: str, seconds: float) -> tuple[float, int]:
    """Train the plain loop for `seconds`; its validation bits per character and steps."""
    corpus = load_corpus(data)
    tokenizer = TextTokenizer.train([d.text for d in corpus.train], "char")
    shape = PRESETS["tiny"]
    torch.manual_seed(0)
    model = RefGPT(tokenizer.vocab_size, shape.block_size, shape.n_layer, shape.n_head,
                   shape.n_embd)
    windows = TokenWindows(encode_documents(tokenizer, corpus.train), shape.block_size)
    loop = PlainLoop(model, lambda m, x: m(x), windows)
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        loop.step()
    model.eval()
    text = "".join(d.text for d in corpus.validation)
    ids = encode_documents(tokenizer, corpus.validation)
    return bits_per_char(model, ids, shape.block_size, len(text)), loop.steps


def artforge_score(run: Path, data: str) -> float:
    model = load_text_model(run)
    corpus = load_corpus(data)
    text = "".join(d.text for d in corpus.validation)
    ids = encode_documents(model.tokenizer, corpus.validation)
    return bits_per_char(lambda x: model(x), ids, model.config.block_size, len(text))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="builtin:english-poetry")
    parser.add_argument("--minutes", type=float, default=2.0)
    args = parser.parse_args()
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as tmp:
        run = Path(tmp) / "run"
        env = {**os.environ, "ARTFORGE_THREADS": "1", "ARTFORGE_HOME": str(Path(tmp) / "home")}
        command = [sys.executable, "-m", "artforge", "text", "train", "--data", args.data,
                   "--minutes", str(args.minutes), "--out", str(run)]
        started = time.monotonic()
        cli = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
        ref_bits, ref_steps = reference_run(args.data, args.minutes * 60)
        output = cli.communicate()[0]
        wall = time.monotonic() - started
        if cli.returncode != 0:
            raise SystemExit(output[-2000:])
        last = [line for line in output.splitlines() if line.startswith("Trained to step")]
        ours = artforge_score(run, args.data)
    print(f"text_defaults: {args.data}, {args.minutes:g} min each, side by side, 1 thread each "
          f"({wall:.0f} s wall), torch {torch.__version__}")
    print(f"  artforge text train (defaults)  {ours:.3f} bits/char   {last[-1] if last else ''}")
    print(f"  plain nanoGPT-style loop        {ref_bits:.3f} bits/char   {ref_steps} steps")
    print(f"  ratio artforge / reference = {ours / ref_bits:.3f} (below 1: artforge learns more)")


if __name__ == "__main__":
    main()
