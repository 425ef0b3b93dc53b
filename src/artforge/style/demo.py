"""The style part of `artforge demo`. First, at once, a built-in photo painted by each of the
six fast styles artforge ships (`shipped_fast_styles`); then that photo painted like a built-in
painting by optimisation, and another painted in three styles by the shipped AdaIN decoder.

A fast style takes a fraction of a second at 256 px; optimisation-based transfer at 320 px,
coarse to fine, well under a minute on two CPU cores; the decoder seconds. None needs training,
so they look the same on the first demo run as on later ones.
"""

from pathlib import Path

from artforge.core.medium import Work
from artforge.data.pictures import side_by_side

DEMO_CONTENT = "builtin:chelsea"
DEMO_STYLE = "builtin:van-gogh-starry-night"
DEMO_SIZE = 320
DEMO_ITERATIONS = (60, 25, 8)
INSTANT_CONTENT = "builtin:astronaut"
INSTANT_STYLES = ("builtin:hokusai-great-wave", "builtin:van-gogh-starry-night",
                  "builtin:kandinsky-composition-viii")
INSTANT_SIZE = 256
FAST_SIZE = 256


def make_demo_style(out_dir: Path, *, seed: int = 0, device: str = "auto") -> list[Work]:
    """Write the stylised photo and a strip of its two sources under `out_dir`/works."""
    from artforge.catalog.provenance import read_png_provenance
    from artforge.data.pictures import fit_long_side, open_picture
    from artforge.style.pipeline import transfer_image

    works_dir = Path(out_dir) / "works"
    painted = transfer_image(DEMO_CONTENT, DEMO_STYLE, works_dir / "style-chelsea-starry.png",
                             size=DEMO_SIZE, iterations=DEMO_ITERATIONS, seed=seed,
                             device=device)
    sources = [fit_long_side(open_picture(spec), DEMO_SIZE) for spec in (DEMO_CONTENT,
                                                                         DEMO_STYLE)]
    strip_path = side_by_side(sources, min(p.height for p in sources),
                              works_dir / "style-sources.png", gap=8)
    instant = make_instant_strip(works_dir, device)
    return [
        Work("Chelsea the cat, painted like The Starry Night", "image", painted,
             caption=f"Neural style transfer (Gatys et al.) at {DEMO_SIZE} px: the picture is "
                     f"optimised, {sum(DEMO_ITERATIONS)} L-BFGS steps from coarse to fine, "
                     "until its VGG16 features match the photo and its feature correlations "
                     "match the painting.",
             provenance=read_png_provenance(painted) or {}),
        Work("The photo and the painting", "image", strip_path,
             caption="scikit-image's sample photo 'chelsea' and Van Gogh's The Starry Night "
                     "(1889, public domain; see SOURCES.md)."),
        Work("The astronaut in three styles, in one pass each", "image", instant,
             caption="builtin:adain, the arbitrary-style decoder artforge ships (Huang & "
                     "Belongie's AdaIN): the photo, then the Great Wave, the Starry Night and "
                     "Kandinsky's Composition VIII, each a few seconds on a CPU, no training "
                     "(artforge style stylize --model builtin:adain --style PICTURE).",
             provenance=read_png_provenance(works_dir / "style-instant-1.png") or {}),
    ]


def make_instant_strip(works_dir: Path, device: str) -> Path:
    """The photo and its three stylisations side by side (each also a catalogued work)."""
    from artforge.data.pictures import fit_long_side, open_picture
    from artforge.style.stylize import stylize_images

    photo = fit_long_side(open_picture(INSTANT_CONTENT), INSTANT_SIZE)
    photo_path = works_dir / "style-instant-0.png"
    photo.save(photo_path)
    panels = [photo_path]
    for index, style in enumerate(INSTANT_STYLES, start=1):
        panels += stylize_images("builtin:adain", photo_path, works_dir / f"style-instant-"
                                 f"{index}.png", styles=[style], device=device)
    return side_by_side(panels, photo.height, works_dir / "style-instant.png", gap=8)


def shipped_fast_styles(out_dir: Path, *, seed: int = 0, device: str = "auto") -> list[Work]:
    """DEMO_CONTENT painted by each fast style artforge ships (each a catalogued work), in a
    strip after the photo. `seed` is unused: a fast style paints the same picture every time."""
    from artforge.catalog.provenance import read_png_provenance
    from artforge.data.pictures import fit_long_side, open_picture
    from artforge.style.medium import FAST_STYLES
    from artforge.style.stylize import stylize_images

    works_dir = Path(out_dir) / "works"
    works_dir.mkdir(parents=True, exist_ok=True)
    photo = fit_long_side(open_picture(DEMO_CONTENT), FAST_SIZE)
    photo_path = works_dir / "style-fast-photo.png"
    photo.save(photo_path)
    panels = [photo_path]
    for style in FAST_STYLES:
        panels += stylize_images(style.name, photo_path, works_dir / f"style-fast-"
                                 f"{style.folder}.png", device=device)
    strip = side_by_side(panels, photo.height, works_dir / "style-fast.png", gap=8)
    which = "; ".join(f"{style.name} ({style.label.removeprefix('fast style: ')})"
                      for style in FAST_STYLES)
    return [Work("Chelsea the cat, painted at once by the fast styles artforge ships", "image",
                 strip,
                 caption=f"The photo, then {which}: Johnson networks, one per painting, "
                         "trained by the project; each paints in a fraction of a second on a "
                         "CPU, no training here (artforge style stylize --model "
                         "builtin:starry-night --in PHOTO --out PICTURE).",
                 provenance=read_png_provenance(panels[1]) or {})]
