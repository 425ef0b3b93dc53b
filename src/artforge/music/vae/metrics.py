"""How good a melody latent space is: held-out reconstruction (teacher-forced and greedy) and
KL, and how smoothly an interpolation moves (the distance between neighbouring steps), with the
data-space interpolation MusicVAE compares against."""

from collections.abc import Sequence

import torch

from artforge.music.melody import HOLD, REST
from artforge.music.vae.model import MelodyVAE


@torch.no_grad()
def reconstruction(model: MelodyVAE, windows: torch.Tensor, batch_size: int = 128
                   ) -> dict[str, float]:
    """Over held-out windows: teacher-forced NLL (nats a step) and accuracy, the accuracy on
    steps where a note starts or ends (HOLD, ~70% of steps, is easy), the KL (nats a melody),
    and the greedy reconstruction accuracy from each melody's mean code."""
    sums = {"nll": 0.0, "accuracy": 0.0, "kl": 0.0, "greedy_accuracy": 0.0,
            "greedy_event_accuracy": 0.0}
    events = 0
    device = next(model.parameters()).device
    for chunk in windows.split(batch_size):
        chunk = chunk.to(device)
        terms = model.validation_step(chunk)
        for name, key in (("nll", "loss"), ("accuracy", "accuracy"), ("kl", "kl")):
            sums[name] += terms[key] * len(chunk)
        rebuilt = model.reconstruct(chunk) if model.encoder is not None else None
        if rebuilt is not None:
            same = rebuilt == chunk
            is_event = chunk != HOLD
            sums["greedy_accuracy"] += float(same.float().mean()) * len(chunk)
            sums["greedy_event_accuracy"] += float(same[is_event].float().sum())
            events += int(is_event.sum())
    result = {name: value / len(windows) for name, value in sums.items()}
    result["greedy_event_accuracy"] = sums["greedy_event_accuracy"] / max(1, events)
    return result


def hamming(a: Sequence[int], b: Sequence[int]) -> float:
    """Share of steps on which two melodies differ."""
    return sum(x != y for x, y in zip(a, b, strict=True)) / len(a)


def neighbour_distances(melodies: Sequence[Sequence[int]]) -> list[float]:
    return [hamming(a, b) for a, b in zip(melodies, melodies[1:], strict=False)]


def canonical(tokens: Sequence[int]) -> list[int]:
    """NOTE_OFF only where a note sounds (HOLD otherwise)."""
    out, sounding = [], False
    for token in tokens:
        if token == REST and not sounding:
            token = HOLD
        sounding = token >= 2 or (sounding and token != REST)
        out.append(token)
    return out


def data_space_interpolation(a: Sequence[int], b: Sequence[int], steps: int,
                             seed: int = 0) -> list[list[int]]:
    """MusicVAE's baseline: step k takes B's event on a growing random share k / (steps - 1)
    of the time steps and A's on the rest."""
    order = torch.randperm(len(a), generator=torch.Generator().manual_seed(seed)).tolist()
    melodies = []
    for k in range(steps):
        from_b = set(order[:round(k * len(a) / (steps - 1))])
        melodies.append(canonical([b[i] if i in from_b else a[i] for i in range(len(a))]))
    return melodies
