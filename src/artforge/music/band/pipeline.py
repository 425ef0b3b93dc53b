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
from artforge.data.shipped_models import builtin_params, model_folder
from artforge.errors import UserError
from artforge.music.band.model import BandModel, Guide
from artforge.music.band.tracks import Passage, passage_score
from artforge.music.ingest import SkipFile
from artforge.music.medium import MEDIUM
from artforge.music.melody import STEPS_PER_BAR, cut, melody_notes
from artforge.music.sheet import TRACK_COLOURS, Panel, draw_sheet
from artforge.music.vae.data import file_melodies
from artforge.music.works import Work, check_midi_out, provenance_of, reproduce_work, write_work

GENERATE, ACCOMPANY = "music.band.generate", "music.band.accompany"
MAX_PASSAGES = 16


def load_band(model_path: str | Path, device: str = "cpu") -> tuple[BandModel, Path]:
    """The band model of a run or model folder, or a shipped one (builtin:folk-band)."""
    folder = checkpoint.resolve(model_folder(model_path, MEDIUM.shipped, "band"))
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


def generate_band(model_dir: str | Path, out: Path, *, count: int = 2, temperature: float = 1.0,
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
    params = {"count": count, "temperature": temperature,
              **builtin_params(model_dir, MEDIUM.shipped)}
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


HARMONIES = ("chords", "key", "free")


def accompaniment_guides(harmony: str, key: str, chunks: list[list[tuple[int, int, int]]],
                         bars: int) -> tuple[str, list[Guide | None]]:
    """The key of the melody (`key`: "auto" estimates it with Krumhansl profiles, or a name
    such as "G major") and, per chunk, the pitch classes the added tracks may use at each
    16th: "chords" the tones of one triad a half bar, chosen for the melody by the built-in
    arranger's rules (key, melody fit, cadences); "key" the key's scale; "free" no guide."""
    from artforge.music.band.harmony import choose_chords, chord_tones, estimate_key
    from artforge.music.band.metre import Metre
    from artforge.music.constraints import key_name, parse_key, scale_pitch_classes

    if harmony not in HARMONIES:
        raise UserError(f"--harmony must be one of {', '.join(HARMONIES)}, not {harmony!r}.")
    steps = bars * STEPS_PER_BAR
    notes = [(i * steps + start, length, pitch) for i, chunk in enumerate(chunks)
             for start, length, pitch in chunk]
    if key.strip().lower() == "auto":
        if not notes:
            return "none", [None] * len(chunks)
        tonic, minor = estimate_key(notes)
        key = key_name(tonic, minor)
    try:
        tonic, minor = parse_key(key)
    except ValueError:
        raise UserError(f"--key must be auto or a key such as 'C major' or 'F# minor', "
                        f"not {key!r}.") from None
    if harmony == "free":
        return key, [None] * len(chunks)
    if harmony == "key":
        scale = frozenset(scale_pitch_classes(key))
        return key, [[scale] * steps for _ in chunks]
    metre = Metre(4, 4)  # passages are read on a 4/4 grid: one chord a half bar
    spans = len(chunks) * steps // metre.span
    chords = choose_chords(notes, metre, spans, tonic, minor) if notes else []
    tones = [frozenset(chord_tones(chord)) for chord in chords for _ in range(metre.span)]
    tones = tones or [frozenset(scale_pitch_classes(key))] * (len(chunks) * steps)
    return key, [tones[i * steps:(i + 1) * steps] for i in range(len(chunks))]


def accompany_melody(model_dir: str | Path, midi: Path, out: Path,
                     tracks: Sequence[str] | None = None, seed: int = 0, *,
                     temperature: float = 1.0, harmony: str = "chords", key: str = "auto",
                     device: str = "cpu", catalog: bool = True) -> Path:
    """The melody of `midi` (as the model's first track) with the other tracks (or only
    `tracks`) written around it, 4 bars at a time, their pitches guided by `harmony` in
    `key` (see accompaniment_guides); returns the MIDI path (WAV, PNG beside)."""
    # 1. Check inputs; read the melody in passages of the model's length; find its key.
    check_midi_out(out)
    _check_temperature(temperature)
    model, folder = load_band(model_dir, device)
    keep = track_indices(model, tracks)
    chunks = melody_chunks(midi, model.config.bars)
    key, guides = accompaniment_guides(harmony, key, chunks, model.config.bars)
    # 2. Accompany each passage (one seeded generator for the whole piece).
    generator = torch.Generator().manual_seed(seed)
    passages = [model.accompany(chunk, 1, generator, temperature, guide)[0]
                for chunk, guide in zip(chunks, guides, strict=True)]
    _end_with_the_melody(passages[-1], chunks[-1])
    # 3. Write the chosen tracks.
    params = {"midi": str(midi), "tracks": [model.config.tracks[i] for i in keep[1:]],
              "temperature": temperature, "harmony": harmony, "key": key,
              **builtin_params(model_dir, MEDIUM.shipped)}
    return _write(model, passages, keep, out, ACCOMPANY, params, seed, folder, catalog).midi


def _end_with_the_melody(passage: Passage, melody: list[tuple[int, int, int]]) -> None:
    """The band stops at the end of the bar in which the melody ends, not at the end of the
    last 4-bar passage."""
    if not melody:
        return
    end = -(-max(start + steps for start, steps, _ in melody) // STEPS_PER_BAR) * STEPS_PER_BAR
    for track in range(1, len(passage)):
        passage[track] = [(start, min(steps, end - start), pitch)
                          for start, steps, pitch in passage[track] if start < end]


@PIPELINES.register(GENERATE)
def reproduce_generate(params: dict[str, Any], seed: int, model_path: str | None, out: Path
                       ) -> Path:
    return reproduce_work(lambda midi: generate_band(
        params.get("builtin_model") or Path(model_path), midi, count=params["count"],
        temperature=params["temperature"], seed=seed, catalog=False), params, out)


@PIPELINES.register(ACCOMPANY)
def reproduce_accompany(params: dict[str, Any], seed: int, model_path: str | None, out: Path
                        ) -> Path:
    return reproduce_work(lambda midi: accompany_melody(
        params.get("builtin_model") or Path(model_path), Path(params["midi"]), midi,
        params["tracks"], seed, temperature=params["temperature"],
        harmony=params.get("harmony", "free"), key=params.get("key", "auto"), catalog=False),
        params, out)
