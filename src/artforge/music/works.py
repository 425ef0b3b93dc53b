"""Writing what the melody and band tools make: MIDI (with its provenance event), a WAV to hear
it and a PNG sheet to see it (with its provenance chunk), each catalogued so that
`artforge catalog reproduce ID` makes it again."""

import dataclasses
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import symusic
from PIL import Image

from artforge.core import checkpoint
from artforge.core.atomic import write_bytes
from artforge.core.card import invoking_command
from artforge.core.versions import package_versions
from artforge.errors import UserError


@dataclasses.dataclass
class Work:
    midi: Path
    wav: Path
    png: Path
    synthesiser: str
    provenance: dict[str, Any]


def check_midi_out(out: Path) -> Path:
    out = Path(out)
    if out.suffix.lower() not in (".mid", ".midi"):
        raise UserError(f"--out must name a .mid file, not {out.name}.")
    return out


def provenance_of(pipeline: str, params: dict[str, Any], seed: int, folder: Path
                  ) -> dict[str, Any]:
    return {"pipeline": pipeline, "params": params, "seed": seed, "model": str(folder),
            "model_hash": checkpoint.folder_hash(folder), "versions": package_versions()}


def write_work(score: symusic.Score, sheet: Image.Image, out: Path,
               provenance: dict[str, Any], *, catalog: bool) -> Work:
    """out.mid, out.wav and out.png; catalogued unless `catalog` is False."""
    from artforge.catalog.provenance import save_png
    from artforge.music.pipeline import write_midi
    from artforge.music.render import render_wav

    out = check_midi_out(out)
    write_midi(score, out, provenance)
    wav, png = out.with_suffix(".wav"), out.with_suffix(".png")
    synthesiser = render_wav(out, wav)
    save_png(sheet, png, provenance)
    work = Work(out, wav, png, synthesiser, provenance)
    if catalog:
        _catalogue(work)
    return work


def _catalogue(work: Work) -> None:
    from artforge.catalog import records

    command, provenance = invoking_command(), work.provenance
    pipeline, params, seed = provenance["pipeline"], provenance["params"], provenance["seed"]
    for path, medium in ((work.midi, "music"), (work.wav, "audio"), (work.png, "image")):
        extra = {} if medium == "music" else {"artifact": path.suffix}
        records.record_work(medium, pipeline, {**params, **extra}, seed, path,
                            model_path=Path(provenance["model"]), command=command)


def reproduce_work(make: Callable[[Path], Any], params: dict[str, Any], out: Path) -> Path:
    """Make the work again with `make(midi_path)`; for a catalogued WAV or PNG (params'
    "artifact"), make it beside a temporary MIDI file and keep only that file."""
    artifact = params.get("artifact")
    if artifact is None:
        make(Path(out))
        return Path(out)
    with tempfile.TemporaryDirectory() as tmp:
        midi = Path(tmp) / "work.mid"
        make(midi)
        write_bytes(Path(out), midi.with_suffix(artifact).read_bytes())
    return Path(out)
