"""Melody VAE tasks: sample from the prior, interpolate between two melodies, push a melody
along an attribute vector. Each writes one MIDI (melodies in sequence), a WAV and a PNG sheet
with one panel per melody."""

from pathlib import Path
from typing import Any

import torch

from artforge.core import checkpoint
from artforge.core.device import pick_device
from artforge.core.registry import PIPELINES
from artforge.data.shipped_models import model_folder
from artforge.errors import UserError
from artforge.music.ingest import SkipFile
from artforge.music.medium import MEDIUM
from artforge.music.melody import STEPS_PER_BAR, cut, melodies_score, melody_notes
from artforge.music.sheet import Panel, blend, draw_sheet
from artforge.music.vae.data import file_melodies
from artforge.music.vae.latent import (
    ATTRIBUTES,
    cached_attribute_vector,
    check_attribute,
    interpolation_codes,
)
from artforge.music.vae.model import MelodyVAE
from artforge.music.works import Work, check_midi_out, provenance_of, reproduce_work, write_work

SAMPLE, INTERPOLATE, ATTRIBUTE = "music.vae.sample", "music.vae.interpolate", "music.vae.attribute"
FROM, TO = (41, 128, 185), (192, 57, 43)
MAX_STEPS, MAX_COUNT, MAX_BARS = 32, 64, 64
AUTO_BARS = 16
"""--bars 0 interpolates as much of both melodies as both have, up to this many bars."""


def load_vae(model_path: Path | str, device: str = "cpu") -> tuple[MelodyVAE, Path]:
    """The melody VAE at `model_path` (a model or run folder, or builtin:bach-melody or
    builtin:bach-melody-16, the shipped ones) and its folder."""
    folder = checkpoint.resolve(model_folder(model_path, MEDIUM.shipped, "melody"))
    model = checkpoint.load(folder, device=pick_device(device))
    if not isinstance(model, MelodyVAE):
        raise UserError(f"{model_path} holds a {model.kind!r} model, not a melody VAE "
                        "(train one with `artforge music vae train`).")
    return model, folder


def melodies_of(midi: Path) -> list[list[int]]:
    """The melodies (highest voice of each track) of a MIDI file, or one clear error."""
    midi = Path(midi)
    if not midi.is_file():
        raise UserError(f"melody file {midi} does not exist.")
    try:
        return file_melodies(midi)
    except SkipFile as exc:
        raise UserError(f"{midi.name} has no melody to use: {exc}.") from None


def first_melody(melodies: list[list[int]], bars: int, name: str) -> list[int]:
    """The first `bars` bars of the first melody that reaches into the last of them."""
    steps = bars * STEPS_PER_BAR
    for melody in melodies:
        if len(melody) > steps - STEPS_PER_BAR:
            return cut(melody, 0, steps)
    longest = max(len(m) for m in melodies) / STEPS_PER_BAR
    raise UserError(f"{name} has {longest:.1f} bars of melody; {bars}-bar melodies are "
                    f"asked for, so give one that reaches into bar {bars}.")


def read_melody(model: MelodyVAE, midi: Path, bars: int | None = None) -> list[int]:
    """The first `bars` bars (default: the model's) of the file's first track whose highest
    voice reaches into the last of them."""
    return first_melody(melodies_of(midi), bars or model.config.bars, Path(midi).name)


def phrase_bars(model: MelodyVAE, bars: int | None, found: list[list[list[int]]]) -> int:
    """The melody length an interpolation works on: the model's (None), a multiple of it, or
    (0) the longest multiple that every file's longest melody reaches, up to AUTO_BARS."""
    own = model.config.bars
    if bars is None:
        return own
    if bars == 0:
        reach = min(max((len(m) - 1) // STEPS_PER_BAR + 1 for m in melodies)
                    for melodies in found)
        return max(own, min(reach, AUTO_BARS) // own * own)
    if bars < own or bars % own or bars > MAX_BARS:
        raise UserError(f"--bars must be a multiple of the model's {own} bars, up to "
                        f"{MAX_BARS}, or 0 (as long as both melodies go), not {bars}.")
    return bars


def _generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def _decode(model: MelodyVAE, z: torch.Tensor, temperature: float, seed: int) -> list[list[int]]:
    """Greedy decoding at temperature 0, else sampling seeded by `seed`."""
    if temperature < 0:
        raise UserError("--temperature must be 0 (greedy) or more.")
    device = next(model.parameters()).device
    generator = torch.Generator(device=device).manual_seed(seed)
    tokens = model.decode(z.to(device), temperature=temperature or 1.0, greedy=temperature == 0,
                          generator=generator)
    return tokens.cpu().tolist()


def _write(melodies: list[list[int]], titles: list[str], out: Path, pipeline: str,
           params: dict[str, Any], seed: int, folder: Path, catalog: bool) -> Work:
    last = max(1, len(melodies) - 1)
    panels = [Panel(title, len(melody), [(s, n, p, blend(FROM, TO, i / last))
                                         for s, n, p in melody_notes(melody)])
              for i, (title, melody) in enumerate(zip(titles, melodies, strict=True))]
    score = melodies_score(melodies, program=params.get("program", 0))
    sheet = draw_sheet(panels, columns=4 if len(melodies[0]) <= 64 else 1,
                       size=(300, 190) if len(melodies[0]) <= 64 else (1200, 190))
    return write_work(score, sheet, out, provenance_of(pipeline, params, seed, folder),
                      catalog=catalog)


def sample_melodies(model_dir: Path, out: Path, *, count: int = 4, temperature: float = 0.5,
                    program: int = 0, seed: int = 0, device: str = "cpu",
                    catalog: bool = True) -> Work:
    """`count` melodies decoded from codes drawn from the prior N(0, I)."""
    # 1. Check inputs.
    check_midi_out(out)
    if not 1 <= count <= MAX_COUNT:
        raise UserError(f"--count must be between 1 and {MAX_COUNT}.")
    model, folder = load_vae(model_dir, device)
    # 2. Codes from the prior, then melodies.
    z = model.prior(count, _generator(seed))
    melodies = _decode(model, z, temperature, seed)
    params = {"count": count, "temperature": temperature, "program": program}
    titles = [f"sample {i + 1}" for i in range(count)]
    return _write(melodies, titles, out, SAMPLE, params, seed, folder, catalog)


def interpolate_melodies(model_dir: Path, midi_a: Path, midi_b: Path, out: Path,
                         steps: int = 8, seed: int = 0, *, temperature: float = 0.0,
                         program: int = 0, bars: int | None = None, device: str = "cpu",
                         catalog: bool = True) -> Path:
    """`steps` melodies from A to B along the great circle between their codes, in one MIDI
    (WAV and PNG sheet beside it); returns the MIDI path.

    `bars` (a multiple of the model's length; 0: as much as both melodies have, up to 16
    bars) interpolates longer melodies phrase by phrase: each of A's phrases of the model's
    length moves to B's phrase at the same place, all by the same fraction at each step, and
    the phrases of a step play in order."""
    # 1. Check inputs and read both melodies.
    check_midi_out(out)
    if not 2 <= steps <= MAX_STEPS:
        raise UserError(f"--steps must be between 2 and {MAX_STEPS}.")
    model, folder = load_vae(model_dir, device)
    if model.encoder is None:
        raise UserError(f"{model_dir} has no latent space (it was trained with --latent 0).")
    found = [melodies_of(midi_a), melodies_of(midi_b)]
    length = phrase_bars(model, bars, found)
    ends = torch.tensor([first_melody(melodies, length, Path(midi).name)
                         for melodies, midi in zip(found, (midi_a, midi_b), strict=True)])
    # 2. Encode, interpolate and decode, phrase by phrase.
    melodies = phrase_interpolation(model, ends, steps, temperature, seed)
    # 3. Write MIDI, WAV and the sheet.
    params = {"a": str(midi_a), "b": str(midi_b), "steps": steps, "temperature": temperature,
              "program": program, "bars": length}
    titles = ["A"] + [f"step {i}" for i in range(2, steps)] + ["B"]
    return _write(melodies, titles, out, INTERPOLATE, params, seed, folder, catalog).midi


def phrase_interpolation(model: MelodyVAE, ends: torch.Tensor, steps: int,
                         temperature: float = 0.0, seed: int = 0) -> list[list[int]]:
    """`steps` melodies from ends[0] to ends[1] ((2, length) events, length a multiple of the
    model's): each phrase of the model's length is encoded (mean code), moved along the great
    circle to the other melody's phrase at the same place, and decoded; a step's phrases are
    joined in order."""
    phrases = ends.shape[1] // model.config.steps
    device = next(model.parameters()).device
    mu = model.mean_codes(ends.reshape(2 * phrases, model.config.steps).to(device)).cpu()
    mu = mu.view(2, phrases, -1)
    codes = torch.stack([interpolation_codes(mu[0, i], mu[1, i], steps)
                         for i in range(phrases)], dim=1)  # (steps, phrases, latent)
    decoded = _decode(model, codes.flatten(0, 1), temperature, seed)
    return [sum(decoded[i * phrases:(i + 1) * phrases], []) for i in range(steps)]


def attribute_melody(model_dir: Path, out: Path, attribute: str, strength: float = 1.0, *,
                     midi: Path | None = None, data: str = "builtin:bach",
                     temperature: float = 0.0, program: int = 0, seed: int = 0,
                     device: str = "cpu", catalog: bool = True) -> tuple[Work, float, float]:
    """A melody (from `midi`, or the prior) before and after adding `strength` times the
    attribute vector; returns the work and the attribute's value before and after."""
    # 1. Check inputs.
    check_midi_out(out)
    check_attribute(attribute)
    if not -10 <= strength <= 10:
        raise UserError("--strength must be between -10 and 10.")
    model, folder = load_vae(model_dir, device)
    if model.encoder is None:
        raise UserError(f"{model_dir} has no latent space (it was trained with --latent 0).")
    # 2. The starting code and the attribute's direction.
    device_ = next(model.parameters()).device
    if midi is None:
        z = model.prior(1, _generator(seed)).cpu()[0]
    else:
        z = model.mean_codes(torch.tensor([read_melody(model, midi)], device=device_)).cpu()[0]
    vector = cached_attribute_vector(model, checkpoint.folder_hash(folder), data, attribute)
    # 3. Decode both, measure, write.
    melodies = _decode(model, torch.stack([z, z + strength * vector]), temperature, seed)
    before, after = (ATTRIBUTES[attribute](m) for m in melodies)
    params = {"attribute": attribute, "strength": strength,
              "midi": str(midi) if midi else None, "data": data, "temperature": temperature,
              "program": program}
    titles = [f"{attribute} {before:.1f}", f"{attribute} {strength:+g}: {after:.1f}"]
    work = _write(melodies, titles, out, ATTRIBUTE, params, seed, folder, catalog)
    return work, before, after


@PIPELINES.register(SAMPLE)
def reproduce_sample(params: dict[str, Any], seed: int, model_path: str | None, out: Path
                     ) -> Path:
    return reproduce_work(lambda midi: sample_melodies(
        Path(model_path), midi, count=params["count"], temperature=params["temperature"],
        program=params["program"], seed=seed, catalog=False), params, out)


@PIPELINES.register(INTERPOLATE)
def reproduce_interpolation(params: dict[str, Any], seed: int, model_path: str | None,
                            out: Path) -> Path:
    return reproduce_work(lambda midi: interpolate_melodies(
        Path(model_path), Path(params["a"]), Path(params["b"]), midi, params["steps"], seed,
        temperature=params["temperature"], program=params["program"],
        bars=params.get("bars"), catalog=False), params, out)


@PIPELINES.register(ATTRIBUTE)
def reproduce_attribute(params: dict[str, Any], seed: int, model_path: str | None,
                        out: Path) -> Path:
    midi = Path(params["midi"]) if params["midi"] else None
    return reproduce_work(lambda target: attribute_melody(
        Path(model_path), target, params["attribute"], params["strength"], midi=midi,
        data=params["data"], temperature=params["temperature"], program=params["program"],
        seed=seed, catalog=False), params, out)
