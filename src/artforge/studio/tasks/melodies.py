"""More with a melody: blend it into another (a melody VAE walks between them) or give it a
band (a multi-track model writes the other voices around it)."""

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from artforge.studio.context import JobContext
from artforge.studio.limits import MAX_ID, STRICT
from artforge.studio.tasks.music import Note, write_primer


class Melody(BaseModel):
    """A melody: an uploaded MIDI file, or notes played on the page."""

    model_config = STRICT
    upload: str | None = Field(None, max_length=32, description="An uploaded MIDI file's id.")
    notes: list[Note] = Field([], max_length=2000)

    @model_validator(mode="after")
    def one_source(self) -> "Melody":
        if (self.upload is None) == (not self.notes):
            raise ValueError("give a melody as an upload or as played notes (one of them)")
        return self


class BlendRequest(BaseModel):
    """Melodies walking from A to B, in `steps` steps."""

    model_config = STRICT
    model: int = Field(ge=0, le=MAX_ID,
                       description="A melody VAE's id (GET /api/models?medium=melody).")
    a: Melody
    b: Melody
    steps: int = Field(6, ge=2, le=16)
    temperature: float = Field(0.0, ge=0, le=2, description="0 takes the likeliest notes.")
    tempo: int = Field(100, ge=30, le=240, description="Beats per minute of played notes.")
    seed: int = Field(0, ge=0, le=2**31 - 1)


class AccompanyRequest(BaseModel):
    """The other voices of a band written around a melody."""

    model_config = STRICT
    model: int = Field(ge=0, le=MAX_ID,
                       description="A band model's id (GET /api/models?medium=band).")
    melody: Melody
    temperature: float = Field(1.0, gt=0, le=2)
    harmony: Literal["chords", "key", "free"] = Field(
        "chords", description="What the added voices keep to: the melody's chords (chosen by "
        "the built-in arranger's rules), its key's scale, or nothing.")
    tempo: int = Field(100, ge=30, le=240, description="Beats per minute of played notes.")
    seed: int = Field(0, ge=0, le=2**31 - 1)


def prepare(request: BlendRequest | AccompanyRequest, model_path: str,
            melodies: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """`melodies`: name → {"path": an upload's file} or {"notes": [...]}, from the route."""
    return {"request": request.model_dump(), "model": model_path, "melodies": melodies}


def _files(context: JobContext, params: dict[str, Any]) -> dict[str, Path]:
    """Each melody as a MIDI file: the upload, or the played notes written in the job."""
    tempo = params["request"]["tempo"]
    return {name: Path(source["path"]) if "path" in source else
            write_primer(source["notes"], tempo, 0, context.out / f"{name}.mid")
            for name, source in params["melodies"].items()}


def _result(midi: Path) -> dict[str, Any]:
    return {"midi": midi.name, "wav": midi.with_suffix(".wav").name,
            "png": midi.with_suffix(".png").name}


def blend(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    from artforge.music.vae.pipeline import interpolate_melodies

    request, files = params["request"], _files(context, params)
    context.progress(0.1, "blending…")
    midi = interpolate_melodies(Path(params["model"]), files["a"], files["b"],
                                context.out / "blend.mid", steps=request["steps"],
                                seed=request["seed"], temperature=request["temperature"],
                                bars=0)  # the whole melodies, phrase by phrase (≤ 16 bars)
    return _result(Path(midi))


def accompany(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    from artforge.music.band.pipeline import accompany_melody

    request, files = params["request"], _files(context, params)
    context.progress(0.1, "the band is playing…")
    midi = accompany_melody(Path(params["model"]), files["melody"], context.out / "band.mid",
                            seed=request["seed"], temperature=request["temperature"],
                            harmony=request.get("harmony", "chords"))
    return _result(Path(midi))
