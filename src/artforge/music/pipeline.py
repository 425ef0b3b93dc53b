"""Music tasks: continue a primer (or start from nothing) as MIDI, then hear and see it."""

import dataclasses
import tempfile
from pathlib import Path
from typing import Any

import symusic

from artforge.core import checkpoint
from artforge.core.atomic import write_bytes
from artforge.core.card import invoking_command
from artforge.core.device import pick_device
from artforge.core.registry import PIPELINES
from artforge.core.sampling import SamplingConfig
from artforge.core.versions import package_versions
from artforge.data.shipped_models import builtin_params, model_folder
from artforge.errors import UserError
from artforge.music.constraints import Controls
from artforge.music.generate import continue_tokens
from artforge.music.ingest import SkipFile, encode_score, read_score
from artforge.music.medium import MEDIUM
from artforge.music.model import MusicModel
from artforge.music.render import piano_roll, render_wav

GENERATE_PIPELINE = "music.generate"
MAX_TOKENS = 20_000


@dataclasses.dataclass
class MusicWork:
    midi: Path
    wav: Path | None
    png: Path | None
    new_tokens: int
    notes: int
    synthesiser: str | None
    provenance: dict[str, Any]


def load_music_model(path: str | Path, device: str = "cpu") -> MusicModel:
    """A token music model from a run or model folder, or a shipped one (builtin:NAME)."""
    folder = checkpoint.resolve(model_folder(path, MEDIUM.shipped, "music"))
    model = checkpoint.load(folder, device=pick_device(device))
    if model.kind == "pianoroll":
        raise UserError(f"{path} holds a piano-roll model, which `artforge music eval` scores; "
                        "generate needs a token model (lstm, gru or transformer).")
    if not isinstance(model, MusicModel):
        raise UserError(f"{path} holds a {model.kind!r} model, not a music model.")
    model.require_tokenizer(folder)
    return model


def primer_tokens(model: MusicModel, primer: Path | None) -> list[int]:
    if primer is None:
        return []
    if not Path(primer).is_file():
        raise UserError(f"primer {primer} does not exist.")
    try:
        ids = encode_score(model.tokenizer, read_score(Path(primer)))
    except SkipFile as exc:
        raise UserError(f"the primer {primer} cannot be used: {exc}.") from None
    if len(ids) + 1 > model.config.context:
        raise UserError(f"the primer has {len(ids)} tokens, more than the model's context of "
                        f"{model.config.context - 1}; use a shorter primer.")
    return ids


def generate_music(model_path: str | Path, out: Path, *, primer: Path | None = None, bars: int = 8,
                   max_tokens: int = 2000, sampling: SamplingConfig | None = None,
                   controls: Controls | None = None, seed: int = 0, device: str = "cpu",
                   wav: bool = False, png: bool = False, catalog: bool = True) -> MusicWork:
    """Continue `primer` for `bars` bars (or `max_tokens` tokens); write MIDI (and WAV/PNG)."""
    # 1. Check inputs.
    sampling, controls = sampling or SamplingConfig(), controls or Controls()
    if bars < 0 or not 1 <= max_tokens <= MAX_TOKENS:
        raise UserError(f"--bars must be 0 or more and --max-tokens between 1 and {MAX_TOKENS}.")
    out = Path(out)
    if out.suffix.lower() not in (".mid", ".midi"):
        raise UserError(f"--out must name a .mid file, not {out.name}.")
    folder = checkpoint.resolve(model_folder(model_path, MEDIUM.shipped, "music"))
    model = load_music_model(folder, device)
    primer_ids = primer_tokens(model, primer)
    if model.tokenizer.is_trained and controls.replace(program=0) != Controls():
        raise UserError("key, pitch-range and density controls need a model trained without "
                        "--bpe.")
    params = {"primer": str(primer) if primer else None, "bars": bars, "max_tokens": max_tokens,
              "sampling": sampling.to_dict(), "controls": controls.to_dict()}
    params.update(builtin_params(model_path, MEDIUM.shipped))
    # 2. Decode new tokens, then the whole piece (primer + continuation) as a score.
    new = continue_tokens(model, primer_ids, max_tokens=max_tokens, bars=bars, sampling=sampling,
                          controls=controls, seed=seed)
    score, split = _score(model, primer_ids, new, controls.program)
    if model.tokenizer.is_trained and bars:  # BPE models cannot stop at a bar: cut instead
        end = (split or 0) + bars * 4 * score.tpq
        score = score.clip(0, end, clip_end=True)
    # 3. The MIDI file with its provenance, then what was asked to hear and see it.
    provenance = {"pipeline": GENERATE_PIPELINE, "params": params, "seed": seed,
                  "model": str(folder), "model_hash": checkpoint.folder_hash(folder),
                  "versions": package_versions()}
    write_midi(score, out, provenance)
    work = MusicWork(out, None, None, len(new), sum(len(t.notes) for t in score.tracks), None,
                     provenance)
    if wav:
        work.wav = out.with_suffix(".wav")
        work.synthesiser = render_wav(out, work.wav)
    if png:
        work.png = out.with_suffix(".png")
        save_piano_roll(score, work.png, provenance, split)
    if catalog:
        _catalogue(work, params, seed, folder)
    return work


def _score(model: MusicModel, primer: list[int], new: list[int],
           program: int) -> tuple[symusic.Score, int | None]:
    tokenizer = model.tokenizer
    score = tokenizer.decode([primer + new])
    split = None
    if primer:
        primer_score = tokenizer.decode([primer])
        split = max((n.time for t in primer_score.tracks for n in t.notes), default=-1) + 1
    for track in score.tracks:
        track.program, track.is_drum = program, False
    return score, split


def write_midi(score: symusic.Score, out: Path, provenance: dict[str, Any]) -> None:
    """Write `score` as MIDI with its provenance event; the file appears complete or not at all."""
    from artforge.catalog.provenance import add_midi_provenance

    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "piece.mid"
        score.dump_midi(staged)
        add_midi_provenance(staged, provenance)
        write_bytes(Path(out), staged.read_bytes())


def save_piano_roll(score: symusic.Score, out: Path, provenance: dict[str, Any],
                    split: int | None = None) -> Path:
    from artforge.catalog.provenance import save_png

    return save_png(piano_roll(score, split_tick=split), out, provenance)


def _catalogue(work: MusicWork, params: dict[str, Any], seed: int, folder: Path) -> None:
    from artforge.catalog import records

    command = invoking_command()
    records.record_work("music", GENERATE_PIPELINE, params, seed, work.midi, model_path=folder,
                        command=command)
    for path, medium in ((work.wav, "audio"), (work.png, "image")):
        if path is not None:
            records.record_work(medium, GENERATE_PIPELINE, {**params, "artifact": path.suffix},
                                seed, path, model_path=folder, command=command)


def render_music(midi: Path, *, wav: Path | None = None, png: Path | None = None,
                 use_fluidsynth: bool = True) -> tuple[Path, Path, str]:
    """WAV and piano-roll PNG of any MIDI file (beside it unless paths are given)."""
    midi = Path(midi)
    if not midi.is_file():
        raise UserError(f"{midi} does not exist.")
    try:
        score = read_score(midi)
    except SkipFile as exc:
        raise UserError(f"{midi} cannot be rendered: {exc}.") from None
    wav, png = wav or midi.with_suffix(".wav"), png or midi.with_suffix(".png")
    synthesiser = render_wav(midi, wav, use_fluidsynth=use_fluidsynth)
    save_piano_roll(score, png, {"pipeline": "music.render", "midi": str(midi)})
    return wav, png, synthesiser


@PIPELINES.register(GENERATE_PIPELINE)
def reproduce_generate(params: dict[str, Any], seed: int, model_path: str | None,
                       out: Path) -> Path:
    """Re-create a catalogued MIDI continuation: same model, primer, options and seed."""
    if model_path is None:
        raise UserError("this piece has no model folder recorded, so it cannot be reproduced.")
    artifact = params.get("artifact")  # ".wav" / ".png": made beside the MIDI, then kept
    with tempfile.TemporaryDirectory() as tmp:
        midi = Path(out) if artifact is None else Path(tmp) / "piece.mid"
        model = params.get("builtin_model") or Path(model_path)
        generate_music(model, midi, primer=params["primer"], bars=params["bars"],
                       max_tokens=params["max_tokens"],
                       sampling=SamplingConfig.from_dict(params["sampling"]),
                       controls=Controls.from_dict(params["controls"]), seed=seed,
                       wav=artifact == ".wav", png=artifact == ".png", catalog=False)
        if artifact is not None:
            write_bytes(Path(out), midi.with_suffix(artifact).read_bytes())
    return Path(out)
