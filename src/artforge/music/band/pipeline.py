"""Band tasks: write passages for every track, or accompany a given melody (4 bars at a time)
with the other tracks. Each writes a multi-track MIDI, a WAV and a PNG sheet (tracks in
colours, one panel per passage)."""

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from artforge.core import checkpoint
from artforge.core.device import pick_device
from artforge.core.registry import PIPELINES
from artforge.errors import UserError
from artforge.music.band.model import BandModel
from artforge.music.band.tracks import Passage, passage_score
from artforge.music.ingest import SkipFile
from artforge.music.vae.data import file_melodies
from artforge.music.vae.melody import STEPS_PER_BAR, cut, melody_notes
from artforge.music.vae.sheet import TRACK_COLOURS, Panel, draw_sheet
from artforge.music.vae.works import Work, check_midi_out, provenance_of, reproduce_work, write_work

GENERATE, ACCOMPANY = "music.band.generate", "music.band.accompany"
MAX_PASSAGES = 16


def load_band(model_path: Path, device: str = "cpu") -> tuple[BandModel, Path]:
    folder = checkpoint.resolve(Path(model_path))
    model = checkpoint.load(folder, device=pick_device(device))
    if not isinstance(model, BandModel):
        raise UserError(f"{model_path} holds a {model.kind!r} model, not a band model "
                        "(train one with `artforge music band train`).")
    return model, folder


def _check_temperature(temperature: float) -> None:
    if not temperature > 0:
        raise UserError("--temperature must be positive.")


def _write(model: BandModel, passages: list[Passage], keep: Sequence[int], out: Path,
           pipeline: str, params: dict[str, Any], seed: int, folder: Path,
           catalog: bool) -> Work:
    cfg = model.config
    names = [cfg.tracks[i] for i in keep]
    programs = [cfg.programs[i] for i in keep]
    steps = cfg.bars * STEPS_PER_BAR
    score, panels = None, []
    for index, passage in enumerate(passages):
        chosen = [passage[i] for i in keep]
        score = passage_score(chosen, names, programs, offset=index * steps, score=score)
        notes = [(s, n, p, TRACK_COLOURS[k]) for k, track in zip(keep, chosen, strict=True)
                 for s, n, p in track if cfg.tracks[k] != "drums"]
        panels.append(Panel(f"bars {index * cfg.bars + 1}-{(index + 1) * cfg.bars}", steps,
                            notes))
    legend = [(cfg.tracks[k], TRACK_COLOURS[k]) for k in keep if cfg.tracks[k] != "drums"]
    sheet = draw_sheet(panels, columns=min(2, len(panels)), size=(600, 260), legend=legend)
    return write_work(score, sheet, out, provenance_of(pipeline, params, seed, folder),
                      catalog=catalog)


def generate_band(model_dir: Path, out: Path, *, count: int = 2, temperature: float = 1.0,
                  seed: int = 0, device: str = "cpu", catalog: bool = True) -> Work:
    """`count` passages of every track, one after another."""
    # 1. Check inputs.
    check_midi_out(out)
    _check_temperature(temperature)
    if not 1 <= count <= MAX_PASSAGES:
        raise UserError(f"--count must be between 1 and {MAX_PASSAGES}.")
    model, folder = load_band(model_dir, device)
    # 2. Generate, then write.
    passages = model.generate(count, torch.Generator().manual_seed(seed), temperature)
    params = {"count": count, "temperature": temperature}
    return _write(model, passages, range(len(model.config.tracks)), out, GENERATE, params,
                  seed, folder, catalog)


def melody_chunks(midi: Path, bars: int) -> list[list[tuple[int, int, int]]]:
    """The file's melody (highest voice of its first pitched track) in `bars`-bar chunks."""
    midi = Path(midi)
    if not midi.is_file():
        raise UserError(f"melody file {midi} does not exist.")
    try:
        melody = file_melodies(midi)[0]
    except SkipFile as exc:
        raise UserError(f"{midi.name} has no melody to accompany: {exc}.") from None
    steps = bars * STEPS_PER_BAR
    chunks = [melody_notes(cut(melody, start, steps)) for start in range(0, len(melody), steps)]
    if len(chunks) > MAX_PASSAGES:
        raise UserError(f"{midi.name} is {len(melody) // STEPS_PER_BAR} bars long; accompany "
                        f"at most {MAX_PASSAGES * bars} bars at a time.")
    return chunks


def track_indices(model: BandModel, tracks: Sequence[str] | None) -> list[int]:
    """The melody track and the chosen ones, in the model's order."""
    names = model.config.tracks
    if len(names) < 2:
        raise UserError("this band model has a single track, so there is nothing to add.")
    chosen = list(names[1:]) if not tracks else list(tracks)
    unknown = [name for name in chosen if name not in names]
    if unknown:
        raise UserError(f"the model has no track {unknown[0]!r}; its tracks are "
                        f"{', '.join(names)}.")
    return [0] + [i for i in range(1, len(names)) if names[i] in chosen]


def accompaniment_key(key: str | None, chunks: list[list[tuple[int, int, int]]], bars: int
                      ) -> tuple[str, set[int] | None]:
    """The key the added tracks keep to and its pitch classes: "auto" estimates it from the
    melody (Krumhansl profiles), "none" (or None) leaves them free."""
    from artforge.music.band.harmony import estimate_key
    from artforge.music.constraints import NOTE_NAMES, scale_pitch_classes

    if key is None or key.strip().lower() == "none":
        return "none", None
    if key.strip().lower() == "auto":
        steps = bars * STEPS_PER_BAR
        notes = [(i * steps + start, length, pitch) for i, chunk in enumerate(chunks)
                 for start, length, pitch in chunk]
        if not notes:
            return "none", None
        tonic, minor = estimate_key(notes)
        key = f"{NOTE_NAMES[tonic]} {'minor' if minor else 'major'}"
    try:
        return key, scale_pitch_classes(key)
    except ValueError:
        raise UserError(f"--key must be auto, none or a key such as 'C major' or 'F# minor', "
                        f"not {key!r}.") from None


def accompany_melody(model_dir: Path, midi: Path, out: Path, tracks: Sequence[str] | None = None,
                     seed: int = 0, *, temperature: float = 1.0, key: str | None = "auto",
                     device: str = "cpu", catalog: bool = True) -> Path:
    """The melody of `midi` (as the model's first track) with the other tracks (or only
    `tracks`) written around it, 4 bars at a time, their pitches kept to `key` (see
    accompaniment_key); returns the MIDI path (WAV, PNG beside)."""
    # 1. Check inputs; read the melody in passages of the model's length; find its key.
    check_midi_out(out)
    _check_temperature(temperature)
    model, folder = load_band(model_dir, device)
    keep = track_indices(model, tracks)
    chunks = melody_chunks(midi, model.config.bars)
    key, scale = accompaniment_key(key, chunks, model.config.bars)
    # 2. Accompany each passage (one seeded generator for the whole piece).
    generator = torch.Generator().manual_seed(seed)
    passages = [model.accompany(chunk, 1, generator, temperature, scale)[0] for chunk in chunks]
    # 3. Write the chosen tracks.
    params = {"midi": str(midi), "tracks": [model.config.tracks[i] for i in keep[1:]],
              "temperature": temperature, "key": key}
    return _write(model, passages, keep, out, ACCOMPANY, params, seed, folder, catalog).midi


@PIPELINES.register(GENERATE)
def reproduce_generate(params: dict[str, Any], seed: int, model_path: str | None, out: Path
                       ) -> Path:
    return reproduce_work(lambda midi: generate_band(
        Path(model_path), midi, count=params["count"], temperature=params["temperature"],
        seed=seed, catalog=False), params, out)


@PIPELINES.register(ACCOMPANY)
def reproduce_accompany(params: dict[str, Any], seed: int, model_path: str | None, out: Path
                        ) -> Path:
    return reproduce_work(lambda midi: accompany_melody(
        Path(model_path), Path(params["midi"]), midi, params["tracks"], seed,
        temperature=params["temperature"], key=params.get("key", "none"), catalog=False),
        params, out)
