"""`builtin:abstract`: seeded procedural abstract compositions, as many as asked for.

Three families, drawn at twice the size and shrunk for smooth edges:
- *grid* (after Mondrian): a white ground cut by black bars into rectangles, a few filled
  with red, blue or yellow;
- *circles* (after Kandinsky): a warm ground with haloed circles, crossing lines, an arc,
  a triangle and a small chequer;
- *fields* (after Rothko): two or three soft-edged colour fields stacked on a dark ground.
Image `i` of seed `s` is always the same picture, so the set has a known distribution.
"""

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

FAMILIES = ("grid", "circles", "fields")
MONDRIAN_COLOURS = [(206, 32, 41), (21, 62, 145), (250, 201, 1)]
MONDRIAN_WHITE = (242, 240, 232)
KANDINSKY_PALETTE = [(210, 57, 44), (31, 73, 145), (243, 186, 39), (34, 34, 34),
                     (76, 141, 84), (147, 64, 140), (232, 121, 48), (98, 165, 208)]
KANDINSKY_GROUNDS = [(236, 226, 204), (226, 214, 186), (214, 222, 224), (44, 48, 64)]
ROTHKO_PALETTE = [(178, 34, 34), (230, 120, 30), (240, 190, 60), (90, 20, 40),
                  (40, 60, 110), (120, 40, 70), (200, 80, 50), (30, 90, 80)]


def _jitter(rng: np.random.Generator, colour: tuple[int, ...], amount: int = 12) -> tuple:
    return tuple(int(np.clip(c + rng.integers(-amount, amount + 1), 0, 255)) for c in colour)


def _split(rng: np.random.Generator, box: tuple[float, float, float, float], depth: int,
           out: list[tuple[float, float, float, float]]) -> None:
    x0, y0, x1, y1 = box
    wide, tall = x1 - x0, y1 - y0
    if depth == 0 or max(wide, tall) < 0.18 or (depth < 3 and rng.random() < 0.25):
        out.append(box)
        return
    if wide > tall if rng.random() < 0.8 else rng.random() < 0.5:
        cut = x0 + wide * rng.uniform(0.25, 0.75)
        halves = [(x0, y0, cut, y1), (cut, y0, x1, y1)]
    else:
        cut = y0 + tall * rng.uniform(0.25, 0.75)
        halves = [(x0, y0, x1, cut), (x0, cut, x1, y1)]
    for half in halves:
        _split(rng, half, depth - 1, out)


def _grid(rng: np.random.Generator, side: int) -> Image.Image:
    image = Image.new("RGB", (side, side), _jitter(rng, MONDRIAN_WHITE, 6))
    draw = ImageDraw.Draw(image)
    cells: list[tuple[float, float, float, float]] = []
    _split(rng, (-0.02, -0.02, 1.02, 1.02), int(rng.integers(3, 6)), cells)
    filled = rng.choice(len(cells), size=min(len(cells), int(rng.integers(2, 5))), replace=False)
    for index in filled:
        colour = MONDRIAN_COLOURS[int(rng.integers(len(MONDRIAN_COLOURS)))]
        x0, y0, x1, y1 = (v * side for v in cells[index])
        draw.rectangle([x0, y0, x1, y1], fill=_jitter(rng, colour, 8))
    bar = max(2, round(side * rng.uniform(0.025, 0.04)))
    for x0, y0, x1, y1 in cells:
        draw.rectangle([x0 * side - bar / 2, y0 * side - bar / 2, x1 * side + bar / 2,
                        y1 * side + bar / 2], outline=(18, 18, 18), width=bar)
    return image


def _circles(rng: np.random.Generator, side: int) -> Image.Image:
    ground = KANDINSKY_GROUNDS[int(rng.integers(len(KANDINSKY_GROUNDS)))]
    image = Image.new("RGB", (side, side), _jitter(rng, ground, 8))
    draw = ImageDraw.Draw(image)
    ink = (20, 20, 20) if sum(ground) > 300 else (235, 230, 220)
    for _ in range(int(rng.integers(3, 7))):
        start, end = rng.uniform(-0.1, 1.1, 2) * side, rng.uniform(-0.1, 1.1, 2) * side
        width = max(1, round(side * rng.uniform(0.004, 0.015)))
        draw.line([tuple(start), tuple(end)], fill=ink, width=width)
    for _ in range(int(rng.integers(3, 7))):
        centre, radius = rng.uniform(0.15, 0.85, 2) * side, side * rng.uniform(0.04, 0.2)
        for ring in range(int(rng.integers(1, 4)), 0, -1):
            r = radius * ring / 1.5 if ring > 1 else radius
            colour = KANDINSKY_PALETTE[int(rng.integers(len(KANDINSKY_PALETTE)))]
            draw.ellipse([centre[0] - r, centre[1] - r, centre[0] + r, centre[1] + r],
                         fill=_jitter(rng, colour))
    points = [tuple(p) for p in rng.uniform(0.1, 0.9, (3, 2)) * side]
    draw.polygon(points, outline=ink, width=max(1, side // 150),
                 fill=_jitter(rng, KANDINSKY_PALETTE[int(rng.integers(3))]) if rng.random() < 0.5
                 else None)
    box = rng.uniform(0.05, 0.6, 2) * side
    arc = side * rng.uniform(0.2, 0.4)
    draw.arc([box[0], box[1], box[0] + arc, box[1] + arc], int(rng.integers(0, 360)),
             int(rng.integers(0, 360)), fill=ink, width=max(2, side // 80))
    _chequer(rng, draw, side, ink)
    return image


def _chequer(rng: np.random.Generator, draw: ImageDraw.ImageDraw, side: int, ink: tuple) -> None:
    cells, cell = int(rng.integers(2, 5)), side * rng.uniform(0.025, 0.045)
    x, y = rng.uniform(0.05, 0.8, 2) * side
    for row in range(cells):
        for col in range(cells):
            colour = ink if (row + col) % 2 else KANDINSKY_PALETTE[int(rng.integers(3))]
            draw.rectangle([x + col * cell, y + row * cell, x + (col + 1) * cell,
                            y + (row + 1) * cell], fill=colour)


def _fields(rng: np.random.Generator, side: int) -> Image.Image:
    picks = rng.choice(len(ROTHKO_PALETTE), size=4, replace=False)
    ground = tuple(int(c * 0.55) for c in ROTHKO_PALETTE[picks[0]])
    image = Image.new("RGB", (side, side), ground)
    layer = Image.new("RGB", (side, side), ground)
    draw = ImageDraw.Draw(layer)
    count = int(rng.integers(2, 4))
    margin = side * rng.uniform(0.06, 0.12)
    shares = rng.uniform(0.6, 1.4, count)
    bounds = margin + np.concatenate([[0], np.cumsum(shares) / shares.sum()]) * (side - 2 * margin)
    for index in range(count):
        top, bottom = bounds[index] + side * 0.02, bounds[index + 1] - side * 0.02
        colour = _jitter(rng, ROTHKO_PALETTE[picks[index + 1]], 15)
        draw.rectangle([margin, top, side - margin, bottom], fill=colour)
    softened = layer.filter(ImageFilter.GaussianBlur(side * 0.015))
    image.paste(softened)
    return image


DRAWERS = {"grid": _grid, "circles": _circles, "fields": _fields}


def abstract_image(index: int, size: int = 64, seed: int = 0, family: str | None = None
                   ) -> Image.Image:
    """Composition `index` of the set made with `seed`, as a `size`-pixel square RGB image."""
    rng = np.random.default_rng([seed, index])
    name = family or FAMILIES[int(rng.integers(len(FAMILIES)))]
    picture = DRAWERS[name](rng, size * 2)
    return picture.resize((size, size), Image.Resampling.LANCZOS)


def abstract_images(count: int, size: int = 64, seed: int = 0) -> np.ndarray:
    """`count` compositions as a (count, 3, size, size) uint8 array."""
    out = np.empty((count, 3, size, size), dtype=np.uint8)
    for index in range(count):
        out[index] = np.asarray(abstract_image(index, size, seed)).transpose(2, 0, 1)
    return out
