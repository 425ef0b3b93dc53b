"""Melody continuation: a primer (uploaded, or played on the page's keyboard) continued by a
music model in a chosen key and density, returned as MIDI, audio and a piano roll."""

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from artforge.studio.context import JobContext
from artforge.studio.limits import MAX_ID, STRICT
from artforge.studio.problems import Problem

TICKS_PER_BEAT = 480
DENSITY = {"any": (0, 0), "sparse": (0, 4), "medium": (3, 8), "dense": (8, 0)}
"""Notes per bar as (at least, at most); 0 is no bound."""


class Note(BaseModel):
    model_config = STRICT
    pitch: int = Field(ge=21, le=108, description="MIDI pitch (60 is middle C).")
    start: float = Field(ge=0, le=1024, description="Onset in beats.")
    length: float = Field(gt=0, le=16, description="Duration in beats.")


class MusicRequest(BaseModel):
    """Continue a melody: an uploaded MIDI primer, notes played on the page, or nothing."""

    model_config = STRICT
    model: int = Field(ge=0, le=MAX_ID,
                       description="A music model's id (GET /api/models?medium=music).")
    primer: str | None = Field(None, description="An uploaded MIDI file's id.")
    notes: list[Note] = Field([], max_length=2000, description="A primer played on the page.")
    tempo: int = Field(100, ge=30, le=240, description="Beats per minute of played notes.")
    bars: int = Field(8, ge=1, le=64, description="Bars to add.")
    key: str | None = Field(None, max_length=20, description="Keep to this key, e.g. 'C major'.")
    density: Literal[tuple(DENSITY)] = Field("any", description="Notes per bar: any, sparse "
                                                                 "(≤4), medium (3–8), dense (≥8).")
    instrument: int = Field(0, ge=0, le=127, description="General MIDI program (0 piano).")
    temperature: float = Field(1.0, gt=0, le=3)
    top_p: float = Field(0.95, gt=0, le=1)
    seed: int = Field(0, ge=0, le=2**31 - 1)


def prepare(request: MusicRequest, model_path: str, primer_path: str | None) -> dict[str, Any]:
    from artforge.core.sampling import SamplingConfig
    from artforge.music.constraints import Controls

    if primer_path and request.notes:
        raise Problem(400, "give either an uploaded primer or played notes, not both.")
    fewest, most = DENSITY[request.density]
    controls = Controls(key=request.key or None, min_notes_per_bar=fewest,
                        max_notes_per_bar=most, program=request.instrument)
    sampling = SamplingConfig(temperature=request.temperature, top_p=request.top_p, top_k=0)
    return {"request": request.model_dump(), "model": model_path, "primer": primer_path,
            "notes": [n.model_dump() for n in request.notes], "tempo": request.tempo,
            "bars": request.bars, "controls": controls.to_dict(),
            "sampling": sampling.to_dict(), "seed": request.seed}


def write_primer(notes: list[dict[str, float]], tempo: int, program: int, out: Path) -> Path:
    """Notes played on the page as a one-track MIDI file in 4/4."""
    import symusic

    score = symusic.Score(TICKS_PER_BEAT)
    score.time_signatures.append(symusic.TimeSignature(0, 4, 4))
    score.tempos.append(symusic.Tempo(0, tempo))
    track = symusic.Track(program=program)
    for note in sorted(notes, key=lambda n: (n["start"], n["pitch"])):
        track.notes.append(symusic.Note(round(note["start"] * TICKS_PER_BEAT),
                                        max(1, round(note["length"] * TICKS_PER_BEAT)),
                                        int(note["pitch"]), 80))
    score.tracks.append(track)
    score.dump_midi(out)
    return out


def generate(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    from artforge.core.sampling import SamplingConfig
    from artforge.music.constraints import Controls
    from artforge.music.pipeline import generate_music

    primer = params["primer"]
    if params["notes"]:
        primer = write_primer(params["notes"], params["tempo"], params["controls"]["program"],
                              context.out / "primer.mid")
    context.progress(0.1, "composing…")
    sampling = SamplingConfig.from_dict(params["sampling"])
    controls = Controls.from_dict(params["controls"])
    work = generate_music(Path(params["model"]), context.out / "piece.mid", primer=primer,
                          bars=params["bars"], sampling=sampling, controls=controls,
                          seed=params["seed"], wav=True, png=True)
    return {"midi": work.midi.name, "wav": work.wav.name, "png": work.png.name,
            "notes": work.notes, "synthesiser": work.synthesiser,
            "primer": Path(primer).name if params["notes"] else None}
