"""Sample pictures inside software packages: OpenCV's (curated colour photographs, and The
Starry Night), Tux Paint's photo templates and photographic stamps, scikit-image's and
scikit-learn's sample photos, and two jigsaw games' puzzles."""

import re
from collections.abc import Iterator

from PIL import Image

from artforge.data.fetch_libraries.package import IMG_EXT, Candidate, SourceContext, slug
from artforge.data.fetch_libraries.pictures import MIN_SHORT, flatness

OPENCV = ("opencv-doc",)
TUXPAINT = ("tuxpaint-data", "tuxpaint-stamps-default")
SAMPLES = ("python3-skimage", "python3-sklearn", "palapeli-data", "puzzle-jigsaw")
OPENCV_PHOTOS = [
    "alphamat/input_images/plant.jpg", "data/aero1.jpg", "data/aero3.jpg", "data/aloeL.jpg",
    "data/apple.jpg", "data/baboon.jpg", "data/board.jpg", "data/building.jpg",
    "data/butterfly.jpg", "data/chicky_512.png", "data/ela_original.jpg", "data/fruits.jpg",
    "data/graf1.png", "data/home.jpg", "data/leuvenA.jpg", "data/licenseplate_motion.jpg",
    "data/messi5.jpg", "data/orange.jpg", "data/rubberwhale1.png", "data/squirrel_cls.jpg",
    "data/stuff.jpg", "dnn_superres/butterfly.png", "reg/home.png",
] + [f"text/scenetext0{i}.jpg" for i in range(1, 7)]
SKIMAGE_LICENCES = {
    "astronaut": "public domain (NASA)", "coffee": "CC0 (Rachel Michetti)",
    "chelsea": "CC0 (Stefan van der Walt)", "rocket": "public domain (SpaceX)",
    "motorcycle_left": "no known copyright restrictions (Middlebury stereo data set)",
}


def opencv(ctx: SourceContext) -> Iterator[Candidate]:
    package = ctx.package("opencv-doc", want=lambda p: ("/examples/" in p and p.lower().endswith(
        IMG_EXT)) or p.endswith("/copyright"))
    examples = package.root / "usr/share/doc/opencv-doc/examples"
    for rel in OPENCV_PHOTOS:
        path = examples / rel
        if path.exists():
            yield package.cand("photos", path, name="opencv--" + slug(rel.rsplit(".", 1)[0]))
    path = examples / "data/starry_night.jpg"
    if path.exists():
        yield package.cand("paintings", path, name="opencv--van-gogh-starry-night",
                           title="Vincent van Gogh, The Starry Night (1889)",
                           note="already in artforge assets")


def tuxpaint(ctx: SourceContext) -> Iterator[Candidate]:
    package = ctx.package("tuxpaint-data")
    for path in package.files("usr/share/tuxpaint/templates/*.jpg"):
        yield package.cand("photos", path, name="tuxpaint--" + path.stem)
    package = ctx.package("tuxpaint-stamps-default")
    for path in package.files("usr/share/tuxpaint/stamps/**/*.png"):
        if re.search(r"_(mirror|flip|back)\.png$", path.name) or "cartoon" in str(path):
            continue
        with Image.open(path) as image:
            if min(image.size) < MIN_SHORT:
                continue
            flat, colours = flatness(image)
        if flat < 0.35 and colours >= 300:  # photographic, not clip art
            yield package.cand("photos", path, name="tuxpaint-stamp--" + slug(path.stem),
                               note="cut-out object on white")


def samples(ctx: SourceContext) -> Iterator[Candidate]:
    package = ctx.package("python3-skimage", want=lambda p: "/skimage/data/" in p
                          or p.endswith("/copyright"))
    for stem, licence in SKIMAGE_LICENCES.items():
        for path in package.files(f"usr/lib/python3/dist-packages/skimage/data/{stem}.*"):
            yield package.cand("photos", path, name="skimage--" + stem,
                               licence=licence + " (as stated in skimage/data/_fetchers.py; "
                               "package BSD-3-Clause)")
    package = ctx.package("python3-sklearn", want=lambda p: "/datasets/images/" in p
                          or p.endswith("/copyright"))
    for path in package.files("usr/lib/python3/dist-packages/sklearn/datasets/images/*.jpg"):
        yield package.cand("photos", path, name="sklearn--" + path.stem,
                           licence="CC-BY-2.0 (Flickr, per sklearn/datasets/images/README.txt)")
    package = ctx.package("palapeli-data")
    for path in package.files("usr/share/palapeli/collection/*.jpg"):
        yield package.cand("photos", path, name="palapeli--" + path.stem)
    package = ctx.package("puzzle-jigsaw")
    for path in package.files("usr/share/puzzle-jigsaw/samples/*"):
        yield package.cand("photos", path, name="puzzle-jigsaw--" + slug(path.stem))
