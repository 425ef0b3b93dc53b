"""Picture checks for the libraries: perceptual hashes for near-duplicates and the held-out
paintings, transparency flattened onto a background, and how flat (clip-art-like) one is."""

from PIL import Image, ImageOps

Image.MAX_IMAGE_PIXELS = 200_000_000  # some wallpapers are very large, and trusted

MAX_SIDE = 1024
"""Longest side of a written picture; larger ones are scaled down."""
MIN_SHORT = 256
"""Pictures with a shorter short side are left out."""
DUP_DIST = 24
"""Largest Hamming distance (256-bit dHash) of a near-duplicate."""
HELDOUT_DIST = 12
"""Largest distance (64-bit dHash) to a held-out painting: looser, never let one slip through."""
TRANSPARENT_MODES = ("RGBA", "LA", "P", "PA")


def dhash(image: Image.Image, side: int = 8) -> int:
    """Difference hash: side x side bits, each whether a pixel is brighter than its right one."""
    grey = image.convert("L").resize((side + 1, side), Image.LANCZOS)
    pixels = grey.tobytes()
    bits = 0
    for y in range(side):
        for x in range(side):
            i = y * (side + 1) + x
            bits = (bits << 1) | (pixels[i] > pixels[i + 1])
    return bits


def dhash16(image: Image.Image) -> int:
    return dhash(image, 16)


def thumb(image: Image.Image) -> bytes:
    """The 8x8 RGB thumbnail's bytes: the colours, for telling apart pictures of one layout."""
    return image.convert("RGB").resize((8, 8), Image.BOX).tobytes()


def hamming(a: int, b: int) -> int:
    return bin(a ^ b).count("1")


def near_dup(a: tuple[int, bytes], b: tuple[int, bytes]) -> bool:
    """a, b = (dhash16, thumb): the same structure AND the same colours."""
    if hamming(a[0], b[0]) > DUP_DIST:
        return False
    return sum(abs(x - y) for x, y in zip(a[1], b[1], strict=True)) / len(a[1]) <= 16


def has_alpha(image: Image.Image) -> bool:
    return image.mode in TRANSPARENT_MODES or "transparency" in image.info


def flatten(image: Image.Image, background: tuple[int, int, int] = (255, 255, 255),
            gradient: tuple[tuple[int, int, int], tuple[int, int, int]] | None = None,
            ) -> Image.Image:
    """RGB, upright by its EXIF orientation, transparency put on `background` or on a
    top-to-bottom `gradient` (from, to)."""
    image = ImageOps.exif_transpose(image)
    if not has_alpha(image):
        return image.convert("RGB")
    image = image.convert("RGBA")
    if gradient:
        start, end = gradient
        mask = Image.linear_gradient("L").resize(image.size)
        base = Image.composite(Image.new("RGB", image.size, end),
                               Image.new("RGB", image.size, start), mask).convert("RGBA")
    else:
        base = Image.new("RGBA", image.size, background + (255,))
    base.alpha_composite(image)
    return base.convert("RGB")


def alpha_fraction(image: Image.Image) -> float:
    """Share of pixels that are not (nearly) opaque."""
    if not has_alpha(image):
        return 0.0
    histogram = image.convert("RGBA").getchannel("A").histogram()
    return sum(histogram[:250]) / (image.size[0] * image.size[1])


def flatness(image: Image.Image) -> tuple[float, int]:
    """(share of equal neighbouring pixels, number of 15-bit colours) on opaque pixels:
    clip art is flat with few colours, photographs are not."""
    image = image.convert("RGBA")
    image.thumbnail((256, 256))
    width, height = image.size
    raw = image.tobytes()
    flat = total = 0
    colours = set()
    for y in range(height):
        row = raw[y * width * 4:(y + 1) * width * 4]
        for x in range(width - 1):
            i = x * 4
            if row[i + 3] > 200 and row[i + 7] > 200:
                total += 1
                if sum(abs(row[i + c] - row[i + 4 + c]) for c in range(3)) <= 3:
                    flat += 1
                colours.add((row[i] >> 3, row[i + 1] >> 3, row[i + 2] >> 3))
    return flat / max(total, 1), len(colours)
