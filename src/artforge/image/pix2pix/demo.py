"""The sketch-to-painting part of `artforge demo`: a small pix2pix learns to paint the line
art of builtin:paintings crops for about a minute per call, then paints the line art of a
painting it never saw. Each call continues the run under `out_dir`, so the painting gets
better every time the demo is run again."""

from pathlib import Path

from artforge.core.medium import Work
from artforge.data.pictures import side_by_side

RUN_NAME = "pix2pix-paintings"
DEMO_DATA = "builtin:paintings"
DEMO_MINUTES = 1.0
DEMO_DABS = 40


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
    return [Work("Sketch to painting (pix2pix)", "image", sheet,
                 caption=f"Left: line art that HED drew from {name} (public domain, see "
                         f"SOURCES.md), a painting the model never saw. Second: what a small "
                         f"pix2pix painted from those lines after {result.step} training steps "
                         f"on {config.size}-pixel crops of the other built-in paintings and "
                         "their line art (about a minute of CPU per demo run; run the demo "
                         f"again to keep training). Third: the same lines with {DEMO_DABS} "
                         "dabs of the original's colours as hints, as an artist would put "
                         "them. Right: the original.",
                 provenance=read_png_provenance(painting) or {})]
