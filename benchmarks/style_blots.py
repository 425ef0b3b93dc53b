"""Round blots in fast-style (Johnson) networks, two sets of models side by side.

A Johnson network with instance norms learns to steer a channel's statistics with one local
spike of its features, which the output carries as a round blot (the "droplets" of Karras et
al. 2020). This measures the spike where it is made: on --photos held-out photos (every tenth
of builtin:photo-library, which the fast styles did not train on) at --size px, the largest
spatial z-score (|x - mean| / std over the picture, per channel, the largest over channels) of
each residual block's output, as a mean over the photos; a blot shows as a z-score far above
the others'. Each model of --styles is measured beside the model of --against in the same
place (e.g. the shipped styles against a run's exports), with the share of photos on which
the last block's largest z-score is lower for the --against model.

    .venv/bin/python benchmarks/style_blots.py [--styles starry-night,...]
        --against DIR/starry-night,... [--photos 8] [--size 512]
(A name is a folder, or a shipped fast style: builtin:NAME.)
"""

import argparse
import time

import torch
from _style_bench import held_out_photos  # benchmarks/ is on sys.path

from artforge.core.device import set_threads
from artforge.style.networks import ResidualBlock

STYLES = ("starry-night", "great-wave", "composition-viii", "auvers", "moulin", "summertime")


def load(name: str):
    from artforge.style.stylize import load_style_model

    model, _ = load_style_model(name if "/" in name else f"builtin:{name}")
    return model


def block_z_scores(net: torch.nn.Module, photos: torch.Tensor) -> torch.Tensor:
    """(photos, blocks): each residual block's largest spatial z-score over its channels."""
    found: list[torch.Tensor] = []

    def keep(module, inputs, output):
        mean = output.mean((2, 3), keepdim=True)
        std = output.std((2, 3), keepdim=True) + 1e-5
        found.append(((output - mean).abs() / std).amax((1, 2, 3)))

    blocks = [m for m in net.modules() if isinstance(m, ResidualBlock)]
    hooks = [block.register_forward_hook(keep) for block in blocks]
    try:
        rows = []
        for photo in photos:
            found.clear()
            with torch.no_grad():
                net(photo[None])
            rows.append(torch.cat(found))
    finally:
        for hook in hooks:
            hook.remove()
    return torch.stack(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--styles", default=",".join(STYLES))
    parser.add_argument("--against", required=True)
    parser.add_argument("--photos", type=int, default=8)
    parser.add_argument("--size", type=int, default=512)
    args = parser.parse_args()
    threads = set_threads(None)
    styles, against = args.styles.split(","), args.against.split(",")
    if len(styles) != len(against):
        raise SystemExit("give as many --against models as --styles")
    photos = held_out_photos(args.size)[:args.photos]
    print(f"style_blots: {threads} threads, torch {torch.__version__}, {len(photos)} held-out "
          f"photos at {args.size} px")
    print("  largest spatial z-score per residual block (mean over photos), and on how many "
          "photos the last block's is lower for the second model")
    start = time.perf_counter()
    for first, second in zip(styles, against, strict=True):
        scores = [block_z_scores(load(name).net, photos) for name in (first, second)]
        for name, score in zip((first, second), scores, strict=True):
            blocks = " ".join(f"{value:5.1f}" for value in score.mean(0).tolist())
            print(f"  {name[-40:]:40s} {blocks}")
        lower = int((scores[1][:, -1] < scores[0][:, -1]).sum())
        print(f"  {'':40s} last block lower for the second on {lower} of {len(photos)}")
    print(f"  {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
