"""`transfer_image`: a photo painted in the style of one or more pictures (Gatys et al.).

The library call behind `artforge style transfer` and the studio:

    from artforge.style.pipeline import transfer_image
    transfer_image("builtin:chelsea", "builtin:van-gogh-starry-night", "cat.png",
                   size=512, progress=lambda step, total, loss: print(step, total, loss))

Options (keywords; the fields of `TransferOptions` plus the inputs):
- `size` (512): longer side of the result; `iterations` ((150,)): iterations per scale,
  coarsest first (one number: a single scale), or `preset` "full" (150) or "quick"
  ((80, 30, 8)) instead; `optimizer` "lbfgs" or "adam" (`lr`); `init` "content", "style" or
  "noise";
- `content_weight`, `style_weight`, `tv_weight`, `content_layers`, `style_layers`,
  `style_layer_weights`, `pool` ("max" or "avg"): the objective;
- `style_weights`: blend weights of several styles (normalised to sum 1);
  `style_scale`: style picture size relative to the content (>1: larger strokes);
- `preserve_colour`: "none", "luminance" or "histogram";
- `mask`: a picture, white where the style goes (resized to the content);
- `progress(step, total, loss)`: called after every iteration; `save_every` N with
  `snapshots_dir`: the picture every N iterations as `<out stem>-NNNN.png`;
- `seed`, `device` ("auto"), `vgg` (a torchvision vgg16/vgg19 state dict instead of the
  built-in VGG16), `catalog` (record the work; default True), `show_progress` (bar on
  stderr; default True).
Returns the path of the PNG, which carries its provenance; `artforge catalog reproduce`
makes it again.
"""

import dataclasses
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from artforge.core.registry import PIPELINES
from artforge.errors import UserError
from artforge.style.options import TransferOptions, preset_iterations

TRANSFER_PIPELINE = "style.transfer"
StyleSpec = str | Path | Sequence[str | Path] | Mapping[str, float]


def parse_styles(styles: StyleSpec, weights: Sequence[float] | None = None
                 ) -> list[tuple[str, float]]:
    """(picture, weight) pairs with the weights summing to 1, from one picture, a list (equal
    weights unless `weights` says otherwise) or a {picture: weight} mapping."""
    if isinstance(styles, Mapping):
        names, given = [str(s) for s in styles], [float(w) for w in styles.values()]
    else:
        names = [str(styles)] if isinstance(styles, str | Path) else [str(s) for s in styles]
        given = [float(w) for w in weights] if weights else [1.0] * len(names)
    if not names:
        raise UserError("give at least one style picture (--style).")
    if len(given) != len(names):
        raise UserError(f"{len(names)} style pictures but {len(given)} blend weights; give one "
                        "weight per --style.")
    if any(w < 0 for w in given) or sum(given) <= 0:
        raise UserError("style blend weights must be 0 or more and not all 0.")
    return [(name, w / sum(given)) for name, w in zip(names, given, strict=True)]


def _options(overrides: dict[str, Any]) -> TransferOptions:
    fields = {f.name for f in dataclasses.fields(TransferOptions)}
    unknown = sorted(set(overrides) - fields - {"preset"})
    if unknown:
        raise UserError(f"unknown style transfer option(s) {', '.join(unknown)}; known: "
                        f"preset, {', '.join(sorted(fields))}.")
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in overrides.items()}
    preset = values.pop("preset", None)
    if preset is not None:
        iterations = preset_iterations(preset)
        if "iterations" in values:
            raise UserError("give --preset or --iterations, not both.")
        values["iterations"] = iterations
    if isinstance(values.get("iterations"), int):
        values["iterations"] = (values["iterations"],)
    options = TransferOptions.from_dict(values)
    return options


def transfer_image(content: str | Path, styles: StyleSpec, out: str | Path, *,
                   style_weights: Sequence[float] | None = None, mask: str | Path | None = None,
                   progress=None, save_every: int = 0, snapshots_dir: str | Path | None = None,
                   seed: int = 0, device: str = "auto", vgg: str | Path | None = None,
                   catalog: bool = True, show_progress: bool = True, **options: Any) -> Path:
    """Stylise the picture `content` with `styles`; write a PNG at `out` (see the module
    docstring for every option)."""
    from artforge.core.device import pick_device, set_threads
    from artforge.style.saved_works import check_out, save_work

    # 1. Check inputs before any heavy work.
    out = check_out(Path(out))
    opts = _options(options)
    pairs = parse_styles(styles, style_weights)
    if save_every < 0:
        raise UserError("--save-every must be 0 (never) or more.")
    set_threads()
    torch_device = pick_device(device)
    # 2. Read the pictures and run the optimisation.
    result = stylise_pictures(str(content), pairs, opts, mask=mask, device=torch_device,
                              vgg=vgg, seed=seed, progress=progress, show_progress=show_progress,
                              snapshots=_snapshot_writer(out, save_every, snapshots_dir))
    # 3. Save with provenance and catalogue.
    params = {"content": str(content), "styles": [[name, w] for name, w in pairs],
              "mask": None if mask is None else str(mask), "options": opts.to_dict(),
              "vgg": None if vgg is None else str(vgg)}
    return save_work(result, out, TRANSFER_PIPELINE, params, seed, catalog=catalog)


def stylise_pictures(content: str, styles: list[tuple[str, float]], opts: TransferOptions, *,
                     mask: str | Path | None, device, vgg=None, seed: int = 0, progress=None,
                     show_progress: bool = True, snapshots=None):
    """The stylised picture (PIL) of `content` with the (spec, weight) `styles`."""
    import torch

    from artforge.core.progress import Progress
    from artforge.data.pictures import fit_long_side, open_mask, open_picture, to_array
    from artforge.encoders.vgg16 import load_vgg
    from artforge.style import colour
    from artforge.style.gatys import GatysTransfer
    from artforge.style.works import to_numpy, to_picture, to_tensor

    photo = to_array(fit_long_side(open_picture(content, what="content picture"), opts.size))
    paintings = [(to_array(open_picture(spec, what="style picture")), w) for spec, w in styles]
    if opts.preserve_colour == "histogram":
        paintings = [(colour.match_histogram(p, photo), w) for p, w in paintings]
    seen = photo
    if opts.preserve_colour == "luminance":
        paintings = [(colour.match_luminance(p, photo), w) for p, w in paintings]
        seen = colour.grey(photo)
    region = None
    if mask is not None:
        pixels = open_mask(mask, (photo.shape[1], photo.shape[0]))
        region = torch.from_numpy(pixels)[None, None]
    layers = tuple(dict.fromkeys(opts.content_layers + opts.style_layers))
    encoder = load_vgg(layers, vgg, opts.pool) if vgg is not None else None
    engine = GatysTransfer(opts, device, encoder)
    bar = Progress(sum(opts.iterations), 0, "style transfer", enabled=show_progress)

    def report(step: int, total: int, loss: float) -> None:
        bar.update(step, {"loss": loss})
        if progress is not None:
            progress(step, total, loss)

    with bar:
        result = engine.run(to_tensor(seen), [(to_tensor(p), w) for p, w in paintings],
                            mask=region, progress=report, snapshot=snapshots, seed=seed)
    if opts.preserve_colour == "luminance":
        return to_picture(to_tensor(colour.with_content_chroma(to_numpy(result), photo)))
    return to_picture(result)


def _snapshot_writer(out: Path, every: int, folder: str | Path | None):
    """(every, fn) writing the picture every `every` iterations beside `out` (or in folder)."""
    if not every:
        return None
    target = Path(folder) if folder is not None else out.parent

    def write(step: int, images) -> None:
        from artforge.core.atomic import write_bytes
        from artforge.style.works import to_picture

        buffer = io.BytesIO()
        to_picture(images).save(buffer, format="PNG")
        write_bytes(target / f"{out.stem}-{step:04d}.png", buffer.getvalue())

    return every, write


def _reproduce(params: dict[str, Any], seed: int, model_path: str | None, out: Path) -> Path:
    styles = {name: weight for name, weight in params["styles"]}
    return transfer_image(params["content"], styles, out, mask=params["mask"], seed=seed,
                          vgg=params.get("vgg"), device="cpu", show_progress=False,
                          catalog=False, **params["options"])


PIPELINES.register(TRANSFER_PIPELINE)(_reproduce)
