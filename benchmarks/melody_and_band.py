"""Melody VAE and band models for a fixed wall clock each, against simple baselines measured in
the same run.

Claims: (1) the VAE's latent code carries the melody: held-out reconstruction beats a plain LSTM
melody model of the same decoder (no latent) trained as long, and latent interpolation moves
in small, even steps whose melodies stay as plausible as real ones (scored by that LSTM), where
MusicVAE's data-space interpolation does not; (2) the band models' tracks fit together: tonal
distance between tracks well below that of tracks drawn from unrelated passages, and MuseGAN's
statistics close to the real chorales'. The architecture with the statistics closer to the
real chorales becomes the default.

    .venv/bin/python benchmarks/melody_and_band.py [--minutes 5] [--band-minutes 6]
"""

import argparse
import math
import os
import random
import tempfile
from pathlib import Path

import torch

from artforge.core import checkpoint
from artforge.core.train_config import TrainConfig
from artforge.music.band.model import TransformerBandConfig
from artforge.music.band.musegan import GANBandConfig
from artforge.music.band.train import train_band
from artforge.music.band_metrics import band_statistics
from artforge.music.vae.latent import interpolation_codes
from artforge.music.vae.metrics import data_space_interpolation, neighbour_distances, reconstruction
from artforge.music.vae.model import MelodyVAEConfig
from artforge.music.vae.train import train_vae

PAIRS, STEPS, PASSAGES = 24, 8, 24
STATS = ("empty_bar_rate", "pitch_classes_per_bar", "qualified_note_rate", "tonal_distance",
         "in_key_rate", "polyphony")


def vae_runs(data: str, bars: int, minutes: float, root: Path, seed: int) -> tuple:
    """The VAE and the no-latent baseline, each trained for `minutes` on `data`."""
    models = {}
    for name, latent in (("vae", 64), ("lstm", 0)):
        config = MelodyVAEConfig(bars=bars, latent=latent, encoder_hidden=192,
                                 conductor_hidden=192, decoder_hidden=192, kl_anneal_steps=500,
                                 free_bits=32.0 if bars <= 2 else 128.0)
        train = TrainConfig(steps=10**6, minutes=minutes, batch_size=32, lr=3e-3,
                            save_every=10**6, log_every=50, seed=seed, device="cpu")
        run = root / f"{name}-{bars}"
        done = train_vae(data, run, train, model_config=config, catalog=False)
        models[name] = (checkpoint.load(run), done.result.step, done.data.validation)
    return models


def smoothness(vae, lstm, held: torch.Tensor, seed: int) -> dict[str, dict[str, float]]:
    """Latent vs data-space interpolation between random held-out pairs: neighbour distance
    (mean and largest step) and the LSTM's NLL per step of the intermediate melodies."""
    rng = random.Random(seed)
    rows = held.tolist()
    found: dict[str, dict[str, list[float]]] = {"latent": {}, "data space": {}}
    for pair in range(PAIRS):
        a, b = rng.sample(rows, 2)
        mu = vae.mean_codes(torch.tensor([a, b]))
        latent = vae.decode(interpolation_codes(mu[0], mu[1], STEPS), greedy=True).tolist()
        latent = [a, *latent[1:-1], b]  # both paths join the same real endpoints
        data_space = data_space_interpolation(a, b, STEPS, seed=seed + pair)
        for name, path in (("latent", latent), ("data space", data_space)):
            steps = neighbour_distances(path)
            nll = lstm.validation_step(torch.tensor(path[1:-1]))["loss"]
            row = found[name]
            row.setdefault("mean_step", []).append(sum(steps) / len(steps))
            row.setdefault("largest_step", []).append(max(steps))
            row.setdefault("lstm_nll", []).append(nll)
    real = lstm.validation_step(held[:256])["loss"]
    out = {name: {k: sum(v) / len(v) for k, v in row.items()} for name, row in found.items()}
    out["real melodies"] = {"lstm_nll": real}
    return out


def melody_part(data: str, bars: int, minutes: float, root: Path, seed: int) -> None:
    models = vae_runs(data, bars, minutes, root, seed)
    (vae, vae_steps, held), (lstm, lstm_steps, _) = models["vae"], models["lstm"]
    held = held[torch.randperm(len(held), generator=torch.Generator().manual_seed(seed))[:512]]
    print(f"\n{bars}-bar melodies of {data}: {len(held)} held-out windows; "
          f"{minutes:g} min each: VAE {vae_steps} steps, LSTM {lstm_steps} steps")
    print(f"  {'model':<22}{'NLL/step':>10}{'accuracy':>10}{'KL nats':>9}{'greedy acc':>12}"
          f"{'greedy events':>15}")
    results = {}
    for name, model in (("VAE (z = mean)", vae), ("LSTM, no latent", lstm)):
        r = reconstruction(model, held)
        results[name] = r
        greedy = (f"{r['greedy_accuracy']:>12.3f}{r['greedy_event_accuracy']:>15.3f}"
                  if model.encoder is not None else f"{'-':>12}{'-':>15}")
        print(f"  {name:<22}{r['nll']:>10.3f}{r['accuracy']:>10.3f}{r['kl']:>9.1f}{greedy}")
    base, cand = results["LSTM, no latent"], results["VAE (z = mean)"]
    errors = (1 - base["accuracy"]) / (1 - cand["accuracy"])
    print(f"  ratio LSTM / VAE held-out NLL: {base['nll'] / cand['nll']:.2f}; errors per "
          f"16th (teacher forced) LSTM / VAE: {errors:.2f}")
    print(f"  interpolation, {PAIRS} held-out pairs, {STEPS} steps (neighbour distance = share "
          "of 16ths that change; NLL = the LSTM's, nats/step):")
    for name, row in smoothness(vae, lstm, held, seed).items():
        parts = [f"{key} {value:.3f}" for key, value in row.items()]
        print(f"    {name:<14}" + "  ".join(parts))


def band_sets(model, held: list, seed: int) -> dict[str, list]:
    generator = torch.Generator().manual_seed(seed)
    made = model.generate(PASSAGES, generator, 1.0)
    backed = [model.accompany(p[0], 1, generator, 1.0)[0] for p in held[:PASSAGES]]
    return {"generated": made, "accompanied": backed}


def band_part(minutes: float, root: Path, seed: int) -> None:
    configs = {"transformer": TransformerBandConfig(), "musegan": GANBandConfig()}
    lrs = {"transformer": 2e-3, "musegan": 2e-4}
    sets, held, names = {}, None, None
    for arch, config in configs.items():
        train = TrainConfig(steps=10**6, minutes=minutes, batch_size=8 if arch == "transformer"
                            else 16, lr=lrs[arch], warmup_steps=30, save_every=10**6,
                            log_every=50, seed=seed, device="cpu")
        done = train_band("builtin:bach", root / arch, train, arch=arch, model_config=config,
                          catalog=False)
        held, names = done.data.validation, config.tracks
        model = checkpoint.load(root / arch)
        print(f"\nband {arch}: {done.result.step} steps in {minutes:g} min on "
              f"{len(done.data.train)} passages")
        for kind, passages in band_sets(model, held, seed).items():
            sets[f"{arch} {kind}"] = passages
    rng = random.Random(seed)
    real = held[:PASSAGES]
    mixed = [[rng.choice(held)[i] for i in range(len(names))] for _ in range(PASSAGES)]
    table = {"real (held out)": real, "independent tracks": mixed, **sets}
    print(f"\nbands of {'/'.join(names)}, 4 bars, {PASSAGES} passages each "
          "(accompanied: the held-out soprano given):")
    print(f"  {'':<26}" + "".join(f"{s[:12]:>13}" for s in STATS))
    rows = {name: band_statistics(p, names, 4) for name, p in table.items()}
    for name, row in rows.items():
        print(f"  {name:<26}" + "".join(f"{row[s]:>13.3f}" for s in STATS))
    gaps = {}
    for arch in configs:
        # Relative to the real value, floored at 0.1 so that a real rate of 0 stays finite.
        gap = [abs(rows[f"{arch} {k}"][s] - rows["real (held out)"][s]) /
               max(0.1, abs(rows["real (held out)"][s])) for k in ("generated", "accompanied")
               for s in STATS if not math.isnan(rows["real (held out)"][s])]
        gaps[arch] = sum(gap) / len(gap)
    print("  mean relative distance to the real statistics: " +
          ", ".join(f"{arch} {gap:.3f}" for arch, gap in gaps.items()))
    independent = rows["independent tracks"]["tonal_distance"]
    for arch in configs:
        print(f"  tonal distance ratio independent / {arch} accompanied: "
              f"{independent / rows[f'{arch} accompanied']['tonal_distance']:.2f}")
    print(f"  pick: {min(gaps, key=gaps.get)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="per melody model")
    parser.add_argument("--band-minutes", type=float, default=6.0, help="per band model")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--parts", default="vae2,vae16,band")
    args = parser.parse_args()
    os.environ["ARTFORGE_THREADS"] = str(args.threads)
    torch.set_num_threads(args.threads)
    print(f"melody-and-band benchmark: seed {args.seed}, {torch.get_num_threads()} torch thread(s)")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        parts = args.parts.split(",")
        if "vae2" in parts:
            melody_part("builtin:folk", 2, args.minutes, root, args.seed)
        if "vae16" in parts:
            melody_part("builtin:bach", 16, args.minutes, root, args.seed)
        if "band" in parts:
            band_part(args.band_minutes, root, args.seed)


if __name__ == "__main__":
    main()
