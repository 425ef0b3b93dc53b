"""`artforge style`: transfer | train | stylize | video | export-onnx.

Each command parses its options and calls one library function. Nothing heavy is imported
before a command runs, and `stylize --model X.onnx` never imports torch at all. The commands
that optimise a picture (transfer, video) are here; those of trained networks (train,
stylize, export-onnx) in style_networks.
"""

import click

from artforge.cli.options import DEVICE
from artforge.cli.style_networks import export_onnx, stylize, train
from artforge.cli.style_options import (
    names,
    numbers,
    style_option,
    warnings_as_lines,
    weights_option,
)

COLOUR = click.Choice(["none", "luminance", "histogram"])


@click.command()
@click.option("--content", required=True, help="Photo to paint: a file or builtin:NAME "
              "(e.g. builtin:astronaut, builtin:chelsea).")
@style_option
@weights_option
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="PNG to write.")
@click.option("--size", type=int, default=512, show_default=True, help="Longer side in px.")
@click.option("--preset", default=None, show_default="full",
              help="Named iterations: full (150 at full size) or quick (80,30,8 coarse to fine: "
                   "quicker, larger strokes, a higher loss).")
@click.option("--iterations", default=None, show_default="150",
              help="Iterations per scale, coarse to fine (each scale doubles the size); "
                   "instead of --preset.")
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
@DEVICE
def transfer(content: str, styles: tuple[str, ...], style_weights: str | None, out: str,
             iterations: str | None, content_layers: str | None, style_layers: str | None,
             style_layer_weights: str | None, mask: str | None, save_every: int,
             vgg: str | None, seed: int, device: str, **options) -> None:
    """Paint a photo in the style of one or more pictures (Gatys et al.'s optimisation).

    \b
    Example:
      artforge style transfer --content builtin:chelsea --style builtin:durer-lion --out cat.png
      artforge style transfer --content me.jpg --style a.jpg --style b.jpg --out me.png
      artforge style transfer --content me.jpg --style a.jpg --preserve-colour luminance --out c.png
    """
    from artforge.style.pipeline import transfer_image

    extra = {} if iterations is None else {"iterations": tuple(numbers(iterations, int) or ())}
    for key, value in (("content_layers", names(content_layers)),
                       ("style_layers", names(style_layers)),
                       ("style_layer_weights", numbers(style_layer_weights))):
        if value is not None:
            extra[key] = tuple(value)
    with warnings_as_lines():
        path = transfer_image(content, list(styles), out, style_weights=numbers(style_weights),
                              mask=mask, save_every=save_every, vgg=vgg, seed=seed,
                              device=device, **options, **extra)
    click.echo(f"Wrote {path}")


@click.command()
@click.option("--in", "source", required=True, help="Video clip to stylise.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="MP4 to write.")
@style_option
@weights_option
@click.option("--method", type=click.Choice(["network", "optimise"]), default="network",
              show_default=True, help="network: a trained network paints each frame "
              "(--model; seconds); optimise: Gatys optimisation on each frame (minutes).")
@click.option("--model", default=None, show_default="builtin:adain",
              help="Network: a johnson, adain or instant folder, or builtin:NAME.")
@click.option("--alpha", type=float, default=1.0, show_default=True,
              help="Network: style strength of adain and instant, 0 to 1.")
@click.option("--size", type=int, default=384, show_default=True,
              help="Longer side in px (larger clips are shrunk).")
@click.option("--no-temporal", is_flag=True, help="Stylise frames independently (flickers).")
@click.option("--flow", type=click.Choice(["dis-fast", "dis", "farneback"]), default=None,
              show_default="dis-fast for a network, dis to optimise",
              help="OpenCV optical flow.")
@click.option("--blend", type=float, default=0.6, show_default=True,
              help="Network: weight of the warped previous frame where the flow is reliable.")
@click.option("--frame-iterations", type=int, default=30, show_default=True,
              help="Optimisation: iterations for each frame after the first.")
@click.option("--iterations", default=None, help="Optimisation: the first frame's schedule.")
@click.option("--max-frames", type=int, default=None, help="Stop after this many frames.")
@click.option("--vgg", default=None, help="Optimisation: a torchvision vgg16/vgg19 state dict.")
@click.option("--seed", type=int, default=0, show_default=True)
@DEVICE
def video(source: str, out: str, styles: tuple[str, ...], style_weights: str | None,
          no_temporal: bool, iterations: str | None, **options) -> None:
    """Stylise a video clip (audio kept), steady from frame to frame.

    \b
    Example:
      artforge style video --in clip.mp4 --style builtin:hokusai-great-wave --out wave.mp4
      artforge style video --in clip.mp4 --style a.jpg --alpha 0.7 --no-temporal --out a.mp4
      artforge style video --in clip.mp4 --model runs/starry --out starry.mp4
      artforge style video --in clip.mp4 --style builtin:durer-lion --method optimise --out o.mp4
    """
    from artforge.style.video import stylize_video

    extra = {"iterations": tuple(numbers(iterations, int))} if iterations else {}
    with warnings_as_lines():
        result = stylize_video(source, out, styles=styles, style_weights=numbers(style_weights),
                               temporal=not no_temporal, **options, **extra)
    click.echo(f"Wrote {result.path}: {result.frames} frames at {result.fps:g} fps, "
               f"{result.frames / max(result.seconds, 1e-9):.2f} frames/s; flicker "
               f"{result.flicker:.2f} (mean warped-frame difference, 0-255)")


COMMANDS = (transfer, train, stylize, video, export_onnx)
