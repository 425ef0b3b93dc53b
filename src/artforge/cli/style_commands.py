"""`artforge style`: transfer | train | stylize | video | export-onnx.

Each command parses its options and calls one library function. Nothing heavy is imported
before a command runs, and `stylize --model X.onnx` never imports torch at all.
"""

import contextlib
import warnings
from collections.abc import Iterator

import click

from artforge.cli.options import common_options, trainer_options, training_options

COLOUR = click.Choice(["none", "luminance", "histogram"])


def _numbers(text: str | None, kind=float) -> list | None:
    if text is None or not text.strip():
        return None
    try:
        return [kind(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a comma-separated list of numbers") from None


def _names(text: str | None) -> tuple[str, ...] | None:
    return tuple(p.strip() for p in text.split(",") if p.strip()) if text else None


@contextlib.contextmanager
def _warnings_as_lines() -> Iterator[None]:
    """Show the library's adjustments (a picture shrunk, a mask stretched) as one line each."""
    from artforge.style.picture import StyleWarning

    with warnings.catch_warnings():
        warnings.simplefilter("always", StyleWarning)
        shown = warnings.showwarning

        def show(message, category, *args, **kwargs) -> None:
            if issubclass(category, StyleWarning):
                click.echo(f"warning: {message}", err=True)
            else:
                shown(message, category, *args, **kwargs)

        warnings.showwarning = show
        yield


_style_option = click.option(
    "--style", "styles", multiple=True,
    help="Style picture: a file or builtin:NAME (e.g. builtin:van-gogh-starry-night); "
         "repeat to blend several.")
_weights_option = click.option("--style-weights", default=None,
                               help="Blend weights of the --style pictures, e.g. 0.7,0.3.")


@click.command()
@click.option("--content", required=True, help="Photo to paint: a file or builtin:NAME "
              "(e.g. builtin:astronaut, builtin:chelsea).")
@_style_option
@_weights_option
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="PNG to write.")
@click.option("--size", type=int, default=512, show_default=True, help="Longer side in px.")
@click.option("--iterations", default="80,30,8", show_default=True,
              help="Iterations per scale, coarse to fine (each scale doubles the size).")
@click.option("--optimizer", type=click.Choice(["lbfgs", "adam"]), default="lbfgs",
              show_default=True)
@click.option("--lr", type=float, default=0.02, show_default=True, help="Adam's step size.")
@click.option("--init", type=click.Choice(["content", "style", "noise"]), default="content",
              show_default=True, help="Starting picture.")
@click.option("--content-weight", type=float, default=1.0, show_default=True)
@click.option("--style-weight", type=float, default=1.0, show_default=True)
@click.option("--tv-weight", type=float, default=0.5, show_default=True,
              help="Total variation: higher is smoother.")
@click.option("--content-layers", default=None, help="VGG layers, e.g. relu4_2.")
@click.option("--style-layers", default=None, help="VGG layers, e.g. relu1_1,relu2_1.")
@click.option("--style-layer-weights", default=None, help="One weight per style layer.")
@click.option("--style-scale", type=float, default=1.0, show_default=True,
              help="Style picture size relative to the content; >1 gives larger strokes.")
@click.option("--preserve-colour", type=COLOUR, default="none", show_default=True,
              help="Keep the photo's colours: luminance-only transfer or histogram matching.")
@click.option("--pool", type=click.Choice(["max", "avg"]), default="max", show_default=True)
@click.option("--padding", type=click.Choice(["reflect", "zeros"]), default="reflect",
              show_default=True, help="VGG padding; zeros paints a frame along the borders.")
@click.option("--mask", default=None, help="Picture, white where the style goes.")
@click.option("--save-every", type=int, default=0, show_default=True,
              help="Also write the picture every N iterations (OUT-NNNN.png).")
@click.option("--vgg", default=None, help="A torchvision vgg16/vgg19 state dict to use.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--device", default="auto", show_default=True)
def transfer(content: str, styles: tuple[str, ...], style_weights: str | None, out: str,
             iterations: str, content_layers: str | None, style_layers: str | None,
             style_layer_weights: str | None, mask: str | None, save_every: int,
             vgg: str | None, seed: int, device: str, **options) -> None:
    """Paint a photo in the style of one or more pictures (Gatys et al., coarse to fine).

    \b
    Example:
      artforge style transfer --content builtin:chelsea --style builtin:durer-lion --out cat.png
      artforge style transfer --content me.jpg --style a.jpg --style b.jpg --out me.png
      artforge style transfer --content me.jpg --style a.jpg --preserve-colour luminance --out c.png
    """
    from artforge.style.pipeline import transfer_image

    extra = {"iterations": tuple(_numbers(iterations, int) or ())}
    for key, value in (("content_layers", _names(content_layers)),
                       ("style_layers", _names(style_layers)),
                       ("style_layer_weights", _numbers(style_layer_weights))):
        if value is not None:
            extra[key] = tuple(value)
    with _warnings_as_lines():
        path = transfer_image(content, list(styles), out, style_weights=_numbers(style_weights),
                              mask=mask, save_every=save_every, vgg=vgg, seed=seed,
                              device=device, **options, **extra)
    click.echo(f"Wrote {path}")


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
              help="adain: fine-tune this decoder (builtin:adain or a model folder) on your "
              "paintings instead of starting from nothing.")
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
    CPU about 40 s a step at these settings).

    \b
    Example:
      artforge style train --style builtin:van-gogh-starry-night --out runs/starry --minutes 10
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

    with _warnings_as_lines():
        if method == "johnson":
            if identity_weight is not None or layer is not None or width is not None \
                    or init_from is not None:
                raise UserError("--identity-weight, --layer, --width and --init-from are for "
                                "--method adain.")
            config = FastStyleConfig(channels=tuple(_numbers(channels, int) or ()),
                                     res_blocks=res_blocks, **weight)
            result = train_fast(style, data, out, train_cfg, config, **crops, count=count,
                                resume=resume, on_data=report)
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
@click.option("--model", required=True, help="A johnson/adain model or run folder, "
              "builtin:adain (the decoder artforge ships: any --style, no training), or an "
              "exported .onnx file (runs without torch).")
@click.option("--in", "source", required=True, help="A picture or a folder of pictures.")
@click.option("--out", required=True, help="PNG to write (a folder when --in is a folder).")
@_style_option
@_weights_option
@click.option("--alpha", type=float, default=1.0, show_default=True,
              help="adain: style strength, 0 (photo) to 1.")
@click.option("--preserve-colour", type=click.Choice(["none", "luminance"]), default="none",
              show_default=True)
@click.option("--mask", default=None, help="A picture, white where the style goes (the rest "
              "stays the photo).")
@click.option("--device", default="auto", show_default=True)
def stylize(model: str, source: str, out: str, styles: tuple[str, ...],
            style_weights: str | None, alpha: float, preserve_colour: str, mask: str | None,
            device: str) -> None:
    """Apply a trained style network to pictures of any size.

    \b
    Example:
      artforge style stylize --model builtin:adain --style builtin:hokusai-great-wave \
        --in photo.jpg --out photo-wave.png
      artforge style stylize --model runs/starry --in photo.jpg --out photo-starry.png
      artforge style stylize --model starry.onnx --in photos/ --out painted/
    """
    with _warnings_as_lines():
        if model.lower().endswith(".onnx"):
            from artforge.style.onnx_run import stylize_files

            if preserve_colour != "none" or mask is not None:
                raise click.BadParameter("--preserve-colour and --mask need a model folder, "
                                         "not .onnx")
            written = stylize_files(model, source, out, styles=styles, alpha=alpha,
                                    style_weights=_numbers(style_weights))
        else:
            from artforge.style.stylize import stylize_images

            written = stylize_images(model, source, out, styles=styles, alpha=alpha,
                                     style_weights=_numbers(style_weights),
                                     preserve_colour=preserve_colour, mask=mask,
                                     device=device)
    for path in written:
        click.echo(f"Wrote {path}")


@click.command()
@click.option("--in", "source", required=True, help="Video clip to stylise.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="MP4 to write.")
@_style_option
@_weights_option
@click.option("--model", default=None, help="A johnson/adain model folder instead of "
              "optimisation.")
@click.option("--alpha", type=float, default=1.0, show_default=True, help="adain strength.")
@click.option("--size", type=int, default=384, show_default=True,
              help="Longer side in px (larger clips are shrunk).")
@click.option("--no-temporal", is_flag=True, help="Stylise frames independently (flickers).")
@click.option("--flow", type=click.Choice(["dis", "farneback"]), default="dis",
              show_default=True, help="OpenCV optical flow.")
@click.option("--blend", type=float, default=0.6, show_default=True,
              help="Networks: weight of the warped previous frame where the flow is reliable.")
@click.option("--frame-iterations", type=int, default=30, show_default=True,
              help="Optimisation: iterations for each frame after the first.")
@click.option("--iterations", default=None, help="Optimisation: the first frame's schedule.")
@click.option("--max-frames", type=int, default=None, help="Stop after this many frames.")
@click.option("--vgg", default=None, help="Optimisation: a torchvision vgg16/vgg19 state dict.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--device", default="auto", show_default=True)
def video(source: str, out: str, styles: tuple[str, ...], style_weights: str | None,
          model: str | None, no_temporal: bool, iterations: str | None, **options) -> None:
    """Stylise a video clip (audio kept), steady from frame to frame.

    \b
    Example:
      artforge style video --in clip.mp4 --style builtin:hokusai-great-wave --out wave.mp4
      artforge style video --in clip.mp4 --model runs/starry --out starry.mp4
    """
    from artforge.style.video import stylize_video

    extra = {"iterations": tuple(_numbers(iterations, int))} if iterations else {}
    with _warnings_as_lines():
        result = stylize_video(source, out, styles=styles, model=model,
                               style_weights=_numbers(style_weights), temporal=not no_temporal,
                               **options, **extra)
    click.echo(f"Wrote {result.path}: {result.frames} frames at {result.fps:g} fps, "
               f"{result.frames / max(result.seconds, 1e-9):.2f} frames/s; flicker "
               f"{result.flicker:.2f} (mean warped-frame difference, 0-255)")


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


COMMANDS = (transfer, train, stylize, video, export_onnx)
