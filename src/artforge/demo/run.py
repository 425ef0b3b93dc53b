"""The main job: a few minutes on a CPU, works saved under one folder with an index.html."""

import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from artforge.core import checkpoint, distributed
from artforge.core.medium import DemoPart, Work
from artforge.core.metrics_log import MetricsLog
from artforge.core.train_config import TrainConfig
from artforge.data.images import load_rgb, resolve_image_path
from artforge.demo.page import loss_curve_svg, write_page
from artforge.errors import UserError

DEFAULT_PAINTING = "hokusai-great-wave"


def run_demo(out: Path, *, painting: str = DEFAULT_PAINTING, steps: int = 800,
             minutes: float | None = None, seed: int = 0, device: str = "auto",
             size: int = 160, media: tuple[str, ...] | None = None,
             on_page: Callable[[Path], None] | None = None) -> Path:
    """Make the demo's works under `out` and return the path of its index.html.

    First the shipped models' works (seconds, no training), on the page at once; then the
    parts trained here (the field painting, then each medium's minute), the page rewritten
    after each, `on_page(page)` told every time. Running it again continues the saved
    training runs instead of starting over. `media` names the demo parts to make besides the
    field painting (None: every medium's).
    """
    # 1. Check inputs (an unknown part is refused before any training).
    parts = plan(media)
    if parts and distributed.world_size() > 1:
        raise UserError("under torchrun the demo trains only the field painting (its other "
                        "works need one process each); add --media none.")
    out = Path(out)
    is_name = not any(mark in painting for mark in (":", "/", "."))
    image = f"builtin:paintings/{painting}" if is_name else painting
    resolve_image_path(image)
    (out / "works").mkdir(parents=True, exist_ok=True)
    page = _Page(out / "index.html", on_page)
    # 2. The shipped models' works, on the page at once.
    for part in parts:
        if part.shipped is not None:
            page.add(part.shipped(out, seed=seed, device=device))
    # 3. Learn the painting with a neural field (the foundation's toy model); each picture
    #    has its own run, which a second demo continues. Only rank 0 writes under torchrun.
    field = _field_works(out, image, steps, minutes, seed, device, size)
    if not distributed.is_main():
        return page.path
    page.add(field)
    # 4. Each medium's part trained here, the page rewritten after each.
    for part in parts:
        budget = {"minutes": minutes} if part.trains and minutes is not None else {}
        page.add(part.make(out, seed=seed, device=device, **budget))
    page.add([], done=True)
    return page.path


@dataclasses.dataclass
class _Page:
    """The demo's index.html, rewritten whenever works are added."""

    path: Path
    on_page: Callable[[Path], None] | None
    works: list[Work] = dataclasses.field(default_factory=list)

    def add(self, works: list[Work], done: bool = False) -> None:
        self.works += works
        if not self.works:
            return
        intro = ("Works made on this machine by artforge's demo. Each says how it was made; the "
                 "catalog (artforge catalog list) remembers them too. First those of the "
                 "models artforge ships (no training), then those of models trained here for "
                 "a minute or so" + ("." if done else
                                     " — still training: this page grows as they finish."))
        write_page(self.path, "artforge demo", intro, self.works)
        if self.on_page is not None:
            self.on_page(self.path)


def _field_works(out: Path, image: str, steps: int, minutes: float | None, seed: int,
                 device: str, size: int) -> list[Work]:
    """Train (or continue) the neural field on `image`; its render, target and loss curve."""
    from artforge.catalog.provenance import read_png_provenance
    from artforge.image.field.pipeline import render_field, train_field

    source, works_dir = resolve_image_path(image), out / "works"
    run_dir = out / f"field-{source.stem}"
    train = TrainConfig(steps=steps, minutes=minutes, batch_size=2048, lr=2e-3, save_every=200,
                        log_every=20, seed=seed, device=device)
    resume = checkpoint.latest_checkpoint(run_dir) is not None
    result = train_field(image, run_dir, train, size=size, resume=resume)
    if not distributed.is_main():
        return []
    # The field rendered at twice the size it learned, and that picture.
    model = checkpoint.resolve(run_dir)
    config = checkpoint.read_header(model)["config"]
    width, height = config["width"], config["height"]
    render = render_field(model, works_dir / f"{source.stem}-field-2x.png",
                          height=2 * height, width=2 * width)
    target = works_dir / f"{source.stem}-target.png"
    load_rgb(image).resize((width, height), Image.Resampling.LANCZOS).save(target)
    credit = "your picture"
    if image.startswith("builtin:"):
        shutil.copy(source.with_name("SOURCES.md"), works_dir / "SOURCES.md")
        credit = "public domain (see SOURCES.md)"
    metrics = MetricsLog(run_dir).read()
    psnr = next((r["val_psnr"] for r in reversed(metrics) if "val_psnr" in r), None)
    return [
        Work(f"Neural field painting of {source.stem}", "image", render,
             caption=f"A network mapping (x, y) to colour, trained {result.step} steps on the "
                     f"{width}×{height} picture, rendered at 2× that size"
                     + (f"; PSNR {psnr:.1f} dB" if psnr else "") + ".",
             provenance=read_png_provenance(render) or {}),
        Work("What it learned from", "image", target,
             caption=f"{source.name}, {credit}, at {width}×{height}."),
        Work("Training loss", "plot", body=loss_curve_svg(metrics),
             caption=f"Mean squared error per step, from {run_dir / 'metrics.jsonl'}."),
    ]


def plan(media: tuple[str, ...] | None = None) -> list[DemoPart]:
    """The demo parts to make besides the field painting, in the media's order: those named
    in `media` (None: all of them). An unknown name is refused with the known ones."""
    from artforge import media as all_media

    parts = all_media.demo_parts()
    unknown = sorted(set(media or ()) - {part.name for part in parts})
    if unknown:
        raise UserError(f"the demo has no part {unknown[0]!r}; choose among "
                        f"{', '.join(part.name for part in parts)} (or none).")
    return [part for part in parts if media is None or part.name in media]
