"""`artforge image eval`: FID-VGG16, KID and a nearest-neighbour sheet for a trained GAN."""

import click


@click.command("eval")
@click.option("--model", required=True, type=click.Path(), help="A GAN run or model folder.")
@click.option("--data", required=True,
              help="The pictures to compare with: a folder or builtin:NAME (usually the "
                   "training data).")
@click.option("--n", type=click.IntRange(2, 50_000), default=500, show_default=True,
              help="Samples to generate.")
@click.option("--count", type=click.IntRange(min=2), default=500, show_default=True,
              help="How many images a builtin: set makes.")
@click.option("--out", default="runs/gan-eval", show_default=True,
              type=click.Path(file_okay=False), help="Folder for metrics.json and the sheet.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed of the samples.")
@click.option("--device", default="cpu", show_default=True, help="cpu, cuda, cuda:N or mps.")
def image_eval(model: str, data: str, n: int, count: int, out: str, seed: int,
               device: str) -> None:
    """Score a GAN against real pictures and show each sample beside its nearest real one.

    FID-VGG16 and KID use VGG16 ImageNet features (lower is better); a sample much closer to
    its nearest training picture than real pictures are to each other is a copy.

    \b
    Example:
      artforge image eval --model runs/abstract --data builtin:abstract --out runs/abstract-eval
    """
    from artforge.image.gan.evaluate import SHEET_FILE, evaluate_gan

    result = evaluate_gan(model, data, out, n=n, count=count, seed=seed, device=device)
    click.echo(f"FID-VGG16 {result['fid_vgg16']:.2f}  KID {result['kid']:.4f} "
               f"(± {result['kid_std']:.4f})  on {n} samples vs {result['n_real']} pictures")
    click.echo(f"nearest-neighbour distance: samples {result['median_nearest_distance']:.3f}, "
               f"real pictures among themselves {result['median_nearest_distance_real']:.3f}")
    click.echo(f"Wrote {out}/{SHEET_FILE} and {out}/metrics.json")
