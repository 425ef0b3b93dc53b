"""`artforge image eval`: FID-VGG16, KID and a nearest-neighbour sheet for a trained GAN."""

import click

from artforge.cli.options import DEVICE


@click.command("eval")
@click.option("--model", required=True, type=click.Path(),
              help="A GAN or pix2pix run or model folder, or a shipped one (builtin:NAME).")
@click.option("--data", required=True,
              help="The pictures to compare with: a folder or builtin:NAME (usually the "
                   "training data).")
@click.option("--n", type=click.IntRange(2, 50_000), default=None,
              help="Samples to generate (GAN, default 500), or held-out crops to paint "
                   "(pix2pix, default 64).")
@click.option("--count", type=click.IntRange(min=2), default=500, show_default=True,
              help="How many images a builtin: set makes.")
@click.option("--out", default="runs/gan-eval", show_default=True,
              type=click.Path(file_okay=False), help="Folder for metrics.json and the sheet.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the samples.")
@click.option("--data-seed", type=int, default=None,
              help="Seed of a builtin: set's pictures (default: --seed). A GAN trained with "
                   "--seed 0 on builtin:abstract never saw the compositions of --data-seed 1.")
@DEVICE
@click.option("--inception", type=click.Path(dir_okay=False), default=None,
              help="pytorch-fid's pt_inception-2015-12-05-6726825d.pth, to add the standard "
                   "Inception FID.")
def image_eval(model: str, data: str, n: int | None, count: int, out: str, seed: int,
               data_seed: int | None, device: str, inception: str | None) -> None:
    """Score a GAN against real pictures and show each sample beside its nearest real one.

    FID-VGG16 and KID use VGG16 ImageNet features (lower is better); a sample much closer to
    its nearest training picture than real pictures are to each other is a copy.

    \b
    Example:
      artforge image eval --model runs/abstract --data builtin:abstract --out runs/abstract-eval
      artforge image eval --model runs/abstract --data builtin:abstract \
          --inception ~/weights/pt_inception-2015-12-05-6726825d.pth
      artforge image eval --model builtin:abstract-gan --data builtin:abstract \
          --data-seed 1 --out runs/abstract-held-out
      artforge image eval --model runs/p2p --data builtin:paintings --out runs/p2p-eval
      artforge image eval --model builtin:sketch-painting --data builtin:art-library

    A pix2pix model instead paints the line art of the pictures it was not trained on (its
    held-out split of --data) and is scored against them: L1, an LPIPS-like VGG16
    distance, FID-VGG16 and KID.
    """
    from artforge.image.gan.evaluate import SHEET_FILE, evaluate_gan
    from artforge.image.pix2pix.evaluate import is_translation_model

    if is_translation_model(model):
        _pix2pix_eval(model, data, n or 64, out, device)
        return
    n = n or 500
    result = evaluate_gan(model, data, out, n=n, count=count, seed=seed, data_seed=data_seed,
                          device=device, inception=inception)
    click.echo(f"FID-VGG16 {result['fid_vgg16']:.2f}  KID {result['kid']:.4f} "
               f"(± {result['kid_std']:.4f})  on {n} samples vs {result['n_real']} pictures")
    if "fid_inception" in result:
        click.echo(f"FID (Inception) {result['fid_inception']:.2f}")
    click.echo(f"nearest-neighbour distance: samples {result['median_nearest_distance']:.3f}, "
               f"real pictures among themselves {result['median_nearest_distance_real']:.3f}")
    click.echo(f"Wrote {out}/{SHEET_FILE} and {out}/metrics.json")


def _pix2pix_eval(model: str, data: str, n: int, out: str, device: str) -> None:
    from artforge.image.pix2pix.evaluate import SHEET_FILE, evaluate_pix2pix

    result = evaluate_pix2pix(model, data, out, n=n, device=device)
    click.echo(f"L1 {result['l1']:.4f}  VGG distance {result['perceptual']:.4f}  "
               f"FID-VGG16 {result['fid_vgg16']:.2f}  KID {result['kid']:.4f} "
               f"(± {result['kid_std']:.4f})  on {n} crops of "
               f"{len(result['held_out_pictures'])} held-out pictures")
    if "l1_hinted" in result:
        click.echo(f"With {result['dabs']} dabs of the real colours per crop as hints: L1 "
                   f"{result['l1_hinted']:.4f}  VGG distance {result['perceptual_hinted']:.4f}")
    click.echo(f"Wrote {out}/{SHEET_FILE} and {out}/metrics.json")
