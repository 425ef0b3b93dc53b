"""`artforge style train | stylize | export-onnx`: the trained style networks (johnson's
per-style networks, the six fast styles artforge ships among them, and AdaIN decoders,
builtin:adain among them)."""

import click

from artforge.cli.options import (
    DEVICE_HELP,
    common_options,
    refuse_with_init_from,
    trainer_options,
    training_options,
)
from artforge.cli.style_options import numbers, style_option, warnings_as_lines, weights_option


@click.command()
@click.option("--method", type=click.Choice(["johnson", "adain"]), default="johnson",
              show_default=True, help="johnson: one style; adain: any style.")
@click.option("--style", required=True, help="johnson: the style picture; adain: the style "
              "set (builtin:paintings or a folder).")
@click.option("--data", default="builtin:photos", show_default=True,
              help="Content photos: a folder or builtin:photos.")
@click.option("--size", type=int, default=None,
              help="Training crop side [johnson: 128, adain: 256].")
@click.option("--count", type=int, default=400, show_default=True,
              help="Crops a builtin: set makes.")
@click.option("--channels", default="8,16,32", show_default=True,
              help="johnson: widths at full, half and quarter size.")
@click.option("--res-blocks", type=int, default=5, show_default=True)
@click.option("--width", type=float, default=None,
              help="adain: decoder width relative to the paper's [default: 1].")
@click.option("--init-from", default=None,
              help="Fine-tune this network instead of starting from nothing: johnson, a fast "
              "style (builtin:starry-night, builtin:great-wave... or a model folder) for your "
              "--style; adain, a decoder (builtin:adain or a model folder) on your paintings.")
@click.option("--style-weight", type=float, default=None, help="Style loss weight.")
@click.option("--layer", type=click.Choice(["relu4_1", "relu3_1"]), default=None,
              help="adain: the VGG layer whose statistics are swapped [default: relu4_1, "
              "the paper's; relu3_1: a shallower decoder].")
@click.option("--identity-weight", type=float, default=None,
              help="adain: weight of giving a photo back from its own features (SANet's "
              "identity loss) [default: 0, the paper's loss].")
@common_options(default_out="runs/style")
@training_options(default_steps=2000, default_batch_size=4, default_lr=1e-3)
def train(method: str, style: str, data: str, size: int | None, count: int, channels: str,
          res_blocks: int, width: float | None, init_from: str | None,
          style_weight: float | None, layer: str | None, identity_weight: float | None,
          out: str, resume: bool, **options) -> None:
    """Train a fast style network; Ctrl-C saves, --resume continues.

    adain trains with the paper's recipe unless told otherwise: --lr 1e-4, --batch-size 8,
    256 px crops, a full-width decoder. From nothing that takes a GPU (15,000 steps, about
    10 minutes on an H100); --init-from builtin:adain fine-tunes the shipped decoder (on a
    CPU about 40 s a step at these settings). johnson --init-from builtin:NAME fine-tunes a
    shipped fast style (keeping its widths and depth) for another style picture.

    \b
    Example:
      artforge style train --style builtin:van-gogh-starry-night --out runs/starry --minutes 10
      artforge style train --style my-painting.jpg --init-from builtin:starry-night \
        --out runs/mine-fast --minutes 10
      artforge style train --method adain --style my-paintings/ --init-from builtin:adain \
        --out runs/mine --minutes 30
    """
    from artforge.errors import UserError
    from artforge.style.adain_model import AdaINConfig
    from artforge.style.fast_model import FastStyleConfig
    from artforge.style.train import style_train_config, train_adain, train_fast

    if method == "adain":  # the paper's recipe where the command line says nothing
        source = click.get_current_context().get_parameter_source
        for key, value in (("lr", 1e-4), ("batch_size", 8)):
            if source(key) is click.core.ParameterSource.DEFAULT:
                options[key] = value
    train_cfg = style_train_config(**trainer_options(options))
    weight = {"style_weight": style_weight} if style_weight is not None else {}
    crops = {"size": size} if size is not None else {}  # else each method's own default

    def report(images) -> None:
        click.echo(f"{len(images.images)} pictures from {images.source}"
                   + (f"; skipped {len(images.skipped)}" if images.skipped else ""))

    with warnings_as_lines():
        if method == "johnson":
            if identity_weight is not None or layer is not None or width is not None:
                raise UserError("--identity-weight, --layer and --width are for --method "
                                "adain.")
            refuse_with_init_from(init_from, "channels", "res_blocks", kept="widths and depth")
            config = FastStyleConfig(channels=tuple(numbers(channels, int) or ()),
                                     res_blocks=res_blocks, **weight)
            result = train_fast(style, data, out, train_cfg, config, **crops, count=count,
                                resume=resume, on_data=report, init_from=init_from)
        else:
            if init_from is not None and (layer is not None or width is not None):
                raise UserError("--init-from keeps its decoder's --layer and --width; leave "
                                "them out.")
            if identity_weight is not None:
                weight["identity_weight"] = identity_weight
            if layer is not None:
                weight["layer"] = layer
            if width is not None:
                weight["width"] = width
            result = train_adain(style, data, out, train_cfg, AdaINConfig(**weight), **crops,
                                 count=count, resume=resume, on_data=report,
                                 init_from=init_from)
    click.echo(f"Trained to step {result.step} ({result.stopped_by}); model in {result.checkpoint}")


@click.command()
@click.option("--model", required=True, help="A johnson/adain/instant model or run folder, "
              "builtin:adain (the decoder artforge ships: any --style, no training), a fast "
              "style artforge ships (builtin:starry-night, builtin:great-wave, "
              "builtin:composition-viii, builtin:auvers, builtin:moulin, builtin:summertime: "
              "its own style, no --style), or an exported .onnx file (runs without torch).")
@click.option("--in", "source", required=True, help="A picture or a folder of pictures.")
@click.option("--out", required=True, help="PNG to write (a folder when --in is a folder).")
@style_option
@weights_option
@click.option("--alpha", type=float, default=1.0, show_default=True,
              help="adain: style strength, 0 (photo) to 1.")
@click.option("--preserve-colour", type=click.Choice(["none", "luminance"]), default="none",
              show_default=True)
@click.option("--mask", default=None, help="A picture, white where the style goes (the rest "
              "stays the photo).")
@click.option("--engine", type=click.Choice(["auto", "torch", "onnx"]), default="auto",
              show_default=True, help="onnx: onnxruntime on the CPU with the model's ONNX "
              "export (made once, kept in the cache; no torch after that); auto: onnx unless "
              "--device asks for a GPU.")
@click.option("--device", default="auto", show_default=True, help=DEVICE_HELP)
def stylize(model: str, source: str, out: str, styles: tuple[str, ...],
            style_weights: str | None, alpha: float, preserve_colour: str, mask: str | None,
            engine: str, device: str) -> None:
    """Apply a trained style network to pictures of any size.

    \b
    Example:
      artforge style stylize --model builtin:adain --style builtin:hokusai-great-wave \
        --in photo.jpg --out photo-wave.png
      artforge style stylize --model builtin:starry-night --in photo.jpg --out starry.png
      artforge style stylize --model runs/starry --in photo.jpg --out photo-starry.png
      artforge style stylize --model starry.onnx --in photos/ --out painted/
    """
    with warnings_as_lines():
        if model.lower().endswith(".onnx"):
            from artforge.style.onnx_run import stylize_files

            if preserve_colour != "none" or mask is not None or engine == "torch":
                raise click.BadParameter("--preserve-colour, --mask and --engine torch need a "
                                         "model folder, not .onnx")
            written = stylize_files(model, source, out, styles=styles, alpha=alpha,
                                    style_weights=numbers(style_weights))
        else:
            from artforge.style.stylize import stylize_images

            written = stylize_images(model, source, out, styles=styles, alpha=alpha,
                                     style_weights=numbers(style_weights),
                                     preserve_colour=preserve_colour, mask=mask,
                                     device=device, engine=engine)
    for path in written:
        click.echo(f"Wrote {path}")


@click.command("export-onnx")
@click.option("--model", required=True, help="A johnson or adain model or run folder.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help=".onnx to write.")
def export_onnx(model: str, out: str) -> None:
    """Export a trained style network to ONNX, checked against PyTorch.

    \b
    Example:
      artforge style export-onnx --model runs/starry --out starry.onnx
    """
    from artforge.style.onnx_export import export_onnx as export

    result = export(model, out)
    click.echo(f"Wrote {result.path} ({result.kind}); largest difference from PyTorch "
               f"{result.max_difference:.2g}")
