"""The style part of `artforge demo`: a built-in photo painted like a built-in painting.

Optimisation-based transfer at 320 px, coarse to fine, takes well under a minute on two
CPU cores; it needs no training, so it looks the same on the first demo run as on later ones.
"""

from pathlib import Path

from artforge.demo.page import Work

DEMO_CONTENT = "builtin:chelsea"
DEMO_STYLE = "builtin:van-gogh-starry-night"
DEMO_SIZE = 320
DEMO_ITERATIONS = (60, 25, 8)


def make_demo_style(out_dir: Path, *, seed: int = 0, device: str = "auto") -> list[Work]:
    """Write the stylised photo and a strip of its two sources under `out_dir`/works."""
    from PIL import Image

    from artforge.catalog.provenance import read_png_provenance
    from artforge.style.picture import fit_long_side, open_picture
    from artforge.style.pipeline import transfer_image

    works_dir = Path(out_dir) / "works"
    painted = transfer_image(DEMO_CONTENT, DEMO_STYLE, works_dir / "style-chelsea-starry.png",
                             size=DEMO_SIZE, iterations=DEMO_ITERATIONS, seed=seed,
                             device=device)
    sources = [fit_long_side(open_picture(spec), DEMO_SIZE) for spec in (DEMO_CONTENT,
                                                                         DEMO_STYLE)]
    height = min(p.height for p in sources)
    sources = [p.resize((round(p.width * height / p.height), height)) for p in sources]
    strip = Image.new("RGB", (sum(p.width for p in sources) + 8, height), "white")
    strip.paste(sources[0], (0, 0))
    strip.paste(sources[1], (sources[0].width + 8, 0))
    strip_path = works_dir / "style-sources.png"
    strip.save(strip_path)
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
    ]
