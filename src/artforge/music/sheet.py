"""A sheet of small piano rolls on one shared pitch scale, so that neighbouring panels (the steps
of an interpolation, the tracks of a band) can be compared at a glance."""

import dataclasses

from PIL import Image, ImageDraw

from artforge.music.melody import STEPS_PER_BAR
from artforge.music.render import BACKGROUND, GRID, OCTAVE

INK = (40, 40, 40)
TRACK_COLOURS = ((192, 57, 43), (41, 128, 185), (39, 174, 96), (142, 68, 173), (211, 140, 20))


@dataclasses.dataclass
class Panel:
    title: str
    steps: int
    notes: list[tuple[int, int, int, tuple[int, int, int]]]
    """(start step, steps, pitch, colour)."""


def blend(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def draw_sheet(panels: list[Panel], *, columns: int = 4, size: tuple[int, int] = (300, 190),
               legend: list[tuple[str, tuple[int, int, int]]] | None = None) -> Image.Image:
    """Panels in rows of `columns`, each titled, with bar lines and C lines in grey."""
    width, height = size
    columns = max(1, min(columns, len(panels)))
    rows = -(-len(panels) // columns)
    top = 18 if legend else 0
    image = Image.new("RGB", (columns * width, rows * height + top), BACKGROUND)
    draw = ImageDraw.Draw(image)
    pitches = [pitch for panel in panels for _, _, pitch, _ in panel.notes]
    low, high = (min(pitches) - 2, max(pitches) + 2) if pitches else (58, 74)
    for index, panel in enumerate(panels):
        left, upper = (index % columns) * width, top + (index // columns) * height
        _draw_panel(draw, panel, (left + 6, upper + 18, left + width - 6, upper + height - 6),
                    low, high)
        draw.text((left + 8, upper + 3), panel.title, fill=INK)
    x = 8
    for name, colour in legend or []:
        draw.rectangle([x, 5, x + 10, 13], fill=colour)
        draw.text((x + 14, 3), name, fill=INK)
        x += 20 + 7 * len(name)
    return image


def _draw_panel(draw: ImageDraw.ImageDraw, panel: Panel, box: tuple[int, int, int, int],
                low: int, high: int) -> None:
    x0, y0, x1, y1 = box
    draw.rectangle(box, outline=GRID)
    step_width = (x1 - x0) / max(1, panel.steps)
    row = (y1 - y0) / (high - low + 1)
    for step in range(0, panel.steps + 1, STEPS_PER_BAR):
        draw.line([(x0 + step * step_width, y0), (x0 + step * step_width, y1)], fill=GRID)
    for pitch in range(low, high + 1):
        if pitch % 12 == 0:
            y = y0 + (high - pitch + 0.5) * row
            draw.line([(x0, y), (x1, y)], fill=OCTAVE)
    for start, steps, pitch, colour in panel.notes:
        left = x0 + start * step_width
        y = y0 + (high - pitch) * row
        draw.rectangle([left + 0.5, y, max(left + 1, left + steps * step_width - 1),
                        y + max(1.0, row - 1)], fill=colour)
