"""Moving in the melody latent space: spherical interpolation between two codes, and attribute
vectors (MusicVAE's mean difference between the codes of melodies high and low in an
attribute), computed once per model and data and cached."""

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import torch

from artforge.core.atomic import write_text
from artforge.data.cache import cache_dir
from artforge.errors import UserError
from artforge.music.melody import note_density, pitch_range
from artforge.music.vae.model import MelodyVAE

ATTRIBUTES: dict[str, Callable[[Sequence[int]], float]] = {
    "density": note_density,
    "range": pitch_range,
}
"""Attribute name → its value for a melody (notes per bar; semitones from lowest to highest)."""
MOST_WINDOWS = 4000
"""Windows encoded for an attribute vector: enough for a stable mean, quick on a CPU."""


def slerp(a: torch.Tensor, b: torch.Tensor, t: float) -> torch.Tensor:
    """The point a fraction `t` along the great circle from a to b (lengths interpolated too),
    which keeps intermediate codes as typical of the Gaussian prior as the endpoints."""
    cos = torch.dot(a, b) / (a.norm() * b.norm()).clamp(min=1e-12)
    omega = torch.arccos(cos.clamp(-1.0, 1.0))
    if float(torch.sin(omega)) < 1e-6:
        return a + (b - a) * t
    return (torch.sin((1 - t) * omega) * a + torch.sin(t * omega) * b) / torch.sin(omega)


def interpolation_codes(a: torch.Tensor, b: torch.Tensor, steps: int) -> torch.Tensor:
    """`steps` codes from a to b inclusive, (steps, latent)."""
    return torch.stack([slerp(a, b, i / (steps - 1)) for i in range(steps)])


def check_attribute(name: str) -> None:
    if name not in ATTRIBUTES:
        raise UserError(f"unknown attribute {name!r}; choose one of {', '.join(ATTRIBUTES)}.")


@torch.no_grad()
def attribute_vector(model: MelodyVAE, windows: torch.Tensor, name: str,
                     quartile: float = 0.25) -> torch.Tensor:
    """Mean code of the top quarter of `windows` by the attribute minus that of the bottom
    quarter."""
    check_attribute(name)
    if len(windows) > MOST_WINDOWS:
        pick = torch.randperm(len(windows), generator=torch.Generator().manual_seed(0))
        windows = windows[pick[:MOST_WINDOWS]]
    values = torch.tensor([ATTRIBUTES[name](row) for row in windows.tolist()], dtype=torch.float)
    low, high = torch.quantile(values, quartile), torch.quantile(values, 1 - quartile)
    if not float(high) > float(low):
        raise UserError(f"the melodies do not differ in {name}, so it has no direction.")
    device = next(model.parameters()).device
    codes = torch.cat([model.mean_codes(chunk.to(device)).cpu() for chunk in windows.split(256)])
    return codes[values >= high].mean(0) - codes[values <= low].mean(0)


def cached_attribute_vector(model: MelodyVAE, model_hash: str, data: str, name: str
                            ) -> torch.Tensor:
    """`attribute_vector` over the training windows of `data`, cached per model and data."""
    from artforge.music.vae.data import melody_data

    check_attribute(name)
    key = hashlib.sha256(f"{model_hash} {data} {name}".encode()).hexdigest()[:24]
    path = Path(cache_dir("music", "vae-attributes")) / f"{key}.json"
    if path.is_file():
        return torch.tensor(json.loads(path.read_text()))
    vector = attribute_vector(model, melody_data(data, model.config.bars).train, name)
    write_text(path, json.dumps(vector.tolist()))
    return vector
