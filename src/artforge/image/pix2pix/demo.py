"""The sketch-to-painting part of `artforge demo`. First builtin:sketch-painting, the model
artforge ships, paints at once the line art of a painting and a sketch drawn as on the
studio's canvas (no training). Then, as a second part, a small pix2pix learns to paint the
line art of builtin:paintings crops for about a minute per call and paints the line art of a
painting it never saw. Each call continues the run under `out_dir`, so that painting gets
better every time the demo is run again."""

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from artforge.core.medium import Work
from artforge.data.pictures import side_by_side
from artforge.errors import UserError
from artforge.image.pix2pix.pairs import split_files, working_side

RUN_NAME = "pix2pix-paintings"
DEMO_DATA = "builtin:paintings"
DEMO_MINUTES = 1.0
DEMO_DABS = 40
SHIPPED_MODEL = "builtin:sketch-painting"
SHIPPED_DATA = "builtin:art-library"
"""What SHIPPED_MODEL learned from (its card): the pictures its training held out are those
the demo paints when the library is built on this machine."""
CANVAS_SIDE, CANVAS_PEN = 256, 4
"""The studio's canvas and its pen's default width, in pixels."""
CANVAS_STROKES = (
    ((0.02, 0.66), (0.22, 0.52), (0.40, 0.60), (0.62, 0.45), (0.80, 0.55), (0.98, 0.50)),
    ((0.02, 0.88), (0.35, 0.80), (0.65, 0.84), (0.98, 0.78)),
    ((0.20, 0.78), (0.20, 0.60)), ((0.24, 0.78), (0.24, 0.60)),
    ((0.55, 0.80), (0.55, 0.66), (0.75, 0.66), (0.75, 0.80)),
    ((0.52, 0.67), (0.65, 0.57), (0.78, 0.67)),
)
"""A landscape as a hand draws it on the canvas: hills, a shore, a tree's trunk, a house and
its roof (polylines, in fractions of the side); the tree's crown and the sun are rings."""
CANVAS_RINGS = ((0.22, 0.50, 0.10), (0.80, 0.20, 0.07))
"""(centre x, centre y, radius) of each ring, in fractions of the side."""


def demo_setup():
    """The demo's model and training options: 64-pixel crops and a narrow U-Net, so that a
    minute of two CPU cores is a few hundred crops rather than a few dozen; the package's
    defaults otherwise (resize upsampling, no dropout, Adam 1e-3, colour hints)."""
    from artforge.image.pix2pix.architectures import Pix2PixConfig

    config = Pix2PixConfig(size=64, ngf=16, ndf=16)
    return config, dict(batch_size=4, save_every=100, log_every=20)


def make_demo_painting(out_dir: Path, *, seed: int = 0, device: str = "auto",
                       minutes: float = DEMO_MINUTES) -> list[Work]:
    """Train (or continue) the demo model, draw the line art of a held-out painting, paint
    it bare and with dabs of the original's colours, and return a Work showing line art, the
    two paintings and the original."""
    from artforge.catalog.provenance import read_png_provenance
    from artforge.core import checkpoint, distributed
    from artforge.data.images import load_rgb
    from artforge.image.pix2pix.pairs import split_names
    from artforge.image.pix2pix.train import pix2pix_train_config, train_pix2pix
    from artforge.image.pix2pix.translate import translate
    from artforge.image.sketch.pipeline import extract_sketch

    # 1. Train for about a minute; a second demo continues the same run.
    out_dir = Path(out_dir)
    run = out_dir / RUN_NAME
    config, options = demo_setup()
    resume = checkpoint.latest_checkpoint(run) is not None
    train = pix2pix_train_config(steps=1_000_000, minutes=minutes, seed=seed, device=device,
                                 **options)
    names = []
    result = train_pix2pix(DEMO_DATA, run, train, "pix2pix", config, resume=resume,
                           on_data=lambda pairs: names.extend(pairs.names))
    if not distributed.is_main():
        return []
    # 2. The line art of a painting it has not seen, at the scale it trained on.
    _, held = split_names(names, config.holdout)
    name = Path(names[held[seed % len(held)]]).stem
    spec = f"builtin:paintings/{name}"
    original = load_rgb(spec)
    longer = round(max(original.size) * 2 * config.size / min(original.size))
    works_dir = out_dir / "works"
    sketch = extract_sketch(spec, works_dir / f"{name}-lines.png", config.sketch,
                            max_side=longer)
    # 3. Paint it, bare and with dabs of the original's colours; show them side by side.
    painting = translate(result.checkpoint, sketch, works_dir / f"{name}-painted.png",
                         device="cpu", engine="torch")[0]
    hinted = translate(result.checkpoint, sketch, works_dir / f"{name}-painted-dabs.png",
                       device="cpu", engine="torch", hints_from=spec, dabs=DEMO_DABS)[0]
    target = works_dir / f"{name}-original.png"
    original.resize(load_rgb(str(sketch)).size).save(target)
    sheet = side_by_side([sketch, painting, hinted, target], 2 * config.size,
                          works_dir / f"{name}-sketch-to-painting.png")
    return [Work("Sketch to painting by a pix2pix trained here in a minute", "image", sheet,
                 caption=f"Left: line art that HED drew from {name} (public domain, see "
                         f"SOURCES.md), a painting the model never saw. Second: what a small "
                         f"pix2pix painted from those lines after {result.step} training steps "
                         f"on {config.size}-pixel crops of the other built-in paintings and "
                         "their line art (about a minute of CPU per demo run; run the demo "
                         f"again to keep training). Third: the same lines with {DEMO_DABS} "
                         "dabs of the original's colours as hints, as an artist would put "
                         "them. Right: the original.",
                 provenance=read_png_provenance(painting) or {})]


def shipped_paintings(out_dir: Path, *, seed: int = 0, device: str = "auto") -> list[Work]:
    """SHIPPED_MODEL paints, with no training, the line art of a painting (a sheet of line
    art, painting and original) and a sketch drawn as on the studio's canvas (sketch and
    painting). The paintings are made on the CPU, as `catalog reproduce` makes them again."""
    from artforge.catalog.provenance import read_png_provenance
    from artforge.core import checkpoint
    from artforge.data.images import load_rgb
    from artforge.image.pix2pix.translate import painting_model_folder, translate
    from artforge.image.sketch.methods import SketchConfig
    from artforge.image.sketch.pipeline import extract_sketch

    # 1. A painting's line art, drawn as the model's training drew it, at its scale.
    config = checkpoint.read_header(painting_model_folder(SHIPPED_MODEL))["config"]
    side = working_side(config["size"])
    source, held = _painting_to_paint(config["holdout"], seed)
    name, original = Path(source).stem, load_rgb(source)
    works_dir = Path(out_dir) / "works"
    lines = extract_sketch(source, works_dir / f"shipped-{name}-lines.png",
                           SketchConfig.from_dict(config["sketch"]),
                           max_side=round(max(original.size) * side / min(original.size)))
    # 2. Paint it and a canvas sketch; show each beside what it was painted from.
    painted = translate(SHIPPED_MODEL, lines, works_dir / f"shipped-{name}-painted.png")[0]
    target = works_dir / f"shipped-{name}-original.png"
    original.resize(load_rgb(str(lines)).size).save(target)
    sheet = side_by_side([lines, painted, target], side,
                         works_dir / f"shipped-{name}-sketch-to-painting.png")
    drawn = canvas_sketch(works_dir / "shipped-canvas-sketch.png", seed)
    canvas = translate(SHIPPED_MODEL, drawn, works_dir / "shipped-canvas-painted.png")[0]
    canvas_sheet = side_by_side([drawn, canvas], CANVAS_SIDE,
                                works_dir / "shipped-canvas-sketch-to-painting.png")
    made = (f"Middle: what {SHIPPED_MODEL}, the sketch-to-painting model artforge ships, "
            "painted from those lines (no training on this machine; a pix2pix that learned "
            f"on {config['size']}-pixel crops of {SHIPPED_DATA}, its card says how). Right: "
            "the original.")
    seen = (f"one of the {held} pictures of {SHIPPED_DATA} that its training held out, so a "
            "picture it never saw" if held else
            f"one of builtin:paintings (public domain, see SOURCES.md). {SHIPPED_DATA}, which "
            "the model learned from, holds these paintings too and is not built on this "
            "machine, so this may be one it was trained on")
    return [Work(f"Sketch to painting by {SHIPPED_MODEL}", "image", sheet,
                 caption=f"Left: line art that HED drew from {name}, {seen}. {made}",
                 provenance=read_png_provenance(painted) or {}),
            Work(f"A canvas sketch painted by {SHIPPED_MODEL}", "image", canvas_sheet,
                 caption=f"Left: a landscape drawn in a few strokes, as on the studio's "
                         f"{CANVAS_SIDE}-pixel canvas. Right: what {SHIPPED_MODEL} painted "
                         "from it at once (no training on this machine).",
                 provenance=read_png_provenance(canvas) or {})]


def _painting_to_paint(holdout: float, seed: int) -> tuple[str, int]:
    """The picture SHIPPED_MODEL paints (a file, or builtin:paintings/NAME when SHIPPED_DATA
    is not built here) and how many pictures of SHIPPED_DATA its training held out (0: the
    picture is not known to be one of them)."""
    from artforge.data.images import BUILTIN_PREFIX, PAINTINGS, builtin_paintings
    from artforge.data.libraries import library_folder

    try:
        folder = library_folder(SHIPPED_DATA)
    except UserError:
        names = builtin_paintings()
        return f"{BUILTIN_PREFIX}{PAINTINGS}/{names[seed % len(names)]}", 0
    _, held = split_files(folder, holdout)
    return str(held[seed % len(held)]), len(held)


def canvas_sketch(out: Path, seed: int = 0, side: int = CANVAS_SIDE) -> Path:
    """CANVAS_STROKES and CANVAS_RINGS drawn with the studio's pen on a white canvas, each
    point moved a little by a seeded hand, saved as a PNG. A `side` other than the canvas's
    draws the same sketch enlarged (or shrunk), the pen with it."""
    rng = np.random.default_rng(seed)
    canvas = Image.new("RGB", (side, side), "white")
    pen = ImageDraw.Draw(canvas)
    turns = np.linspace(0, 2 * np.pi, 25)
    rings = [tuple(zip(x + r * np.cos(turns), y + r * np.sin(turns), strict=True))
             for x, y, r in CANVAS_RINGS]
    for stroke in (*CANVAS_STROKES, *rings):
        points = np.asarray(stroke) + rng.normal(0, 0.006, (len(stroke), 2))
        pen.line([tuple(p) for p in (points * side).tolist()], fill="black",
                 width=max(1, round(CANVAS_PEN * side / CANVAS_SIDE)), joint="curve")
    out.parent.mkdir(parents=True, exist_ok=True)
    canvas.save(out)
    return out
