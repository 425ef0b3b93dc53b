"""The demo's index.html: works as a person wants to see them, with provenance under each."""

import html
import json
import os
from pathlib import Path
from typing import Any

from artforge.core.atomic import write_text
from artforge.core.medium import Work

_STYLE = """
body { font-family: system-ui, "WenQuanYi Zen Hei", sans-serif; margin: 2rem auto;
       max-width: 1100px; color: #222; background: #faf8f4; }
h1 { font-weight: 600; } figure { margin: 0 0 2.5rem; }
.works { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 2rem; }
figure img, figure svg { width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { font-size: .95rem; margin-top: .4rem; }
details { font-size: .8rem; color: #555; } pre { white-space: pre-wrap; word-break: break-all; }
.poem { font-family: Georgia, "WenQuanYi Zen Hei", serif; white-space: pre-wrap; }
"""


def _render_media(work: Work, page_dir: Path) -> str:
    src = html.escape(os.path.relpath(work.path, page_dir)) if work.path else ""
    alt = html.escape(work.title)
    renderers = {
        "image": lambda: f'<img src="{src}" alt="{alt}">',
        "audio": lambda: f'<audio controls src="{src}"></audio>',
        "text": lambda: f'<div class="poem">{html.escape(work.body)}</div>',
        "plot": lambda: work.body,
    }
    return renderers[work.kind]()


def _render_work(work: Work, page_dir: Path) -> str:
    provenance = ""
    if work.provenance:
        text = html.escape(json.dumps(work.provenance, indent=2, sort_keys=True))
        provenance = f"<details><summary>how it was made</summary><pre>{text}</pre></details>"
    caption = f"<figcaption><b>{html.escape(work.title)}</b><br>{html.escape(work.caption)}"
    return f"<figure>{_render_media(work, page_dir)}{caption}{provenance}</figcaption></figure>"


def write_page(path: Path, title: str, intro: str, works: list[Work]) -> Path:
    path = Path(path)
    items = "\n".join(_render_work(w, path.parent) for w in works)
    page = (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
            f"<h1>{html.escape(title)}</h1><p>{html.escape(intro)}</p>"
            f'<div class="works">{items}</div></body></html>\n')
    write_text(path, page)
    return path


def loss_curve_svg(records: list[dict[str, Any]], key: str = "loss", width: int = 480,
                   height: int = 260) -> str:
    """A line plot of `key` against step (log scale), as inline SVG: no plotting library."""
    import math

    points = [(r["step"], r[key]) for r in records if key in r and r[key] > 0]
    if len(points) < 2:
        return "<p>not enough steps logged for a curve</p>"
    pad = 44
    steps = [p[0] for p in points]
    logs = [math.log10(p[1]) for p in points]
    lo, hi = min(logs), max(logs)
    span_x, span_y = (max(steps) - min(steps)) or 1, (hi - lo) or 1

    def xy(step: float, value: float) -> str:
        x = pad + (step - min(steps)) / span_x * (width - 2 * pad)
        y = height - pad - (value - lo) / span_y * (height - 2 * pad)
        return f"{x:.1f},{y:.1f}"

    line = " ".join(xy(s, v) for s, v in zip(steps, logs, strict=True))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" style="background:#fff">'
        f'<polyline fill="none" stroke="#c0392b" stroke-width="2" points="{line}"/>'
        f'<text x="{pad}" y="{pad - 12}" font-size="12">{key} (log scale): '
        f"{10 ** hi:.3g} → {10 ** logs[-1]:.3g}</text>"
        f'<text x="{pad}" y="{height - 12}" font-size="12">step {min(steps)}</text>'
        f'<text x="{width - pad}" y="{height - 12}" font-size="12" text-anchor="end">'
        f"step {max(steps)}</text></svg>"
    )
