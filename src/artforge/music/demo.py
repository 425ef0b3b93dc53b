"""The music part of `artforge demo`: the shipped models continue the opening of a chorale and
of a folk tune they have not seen (at once), then a small model learns Bach chorales for about a
minute and continues the chorale too; each as MIDI, WAV and a piano roll."""

import dataclasses
from pathlib import Path

from artforge.core import checkpoint
from artforge.core.medium import Work
from artforge.core.sampling import SamplingConfig
from artforge.music.constraints import Controls
from artforge.music.medium import MEDIUM
from artforge.music.metrics import estimate_key
from artforge.music.recipes import music_train_config

RUN_NAME = "music-bach-lstm"
DEMO_MODEL = dict(embed=96, hidden=192, layers=1, dropout=0.1, context=128)
PRIMER_BARS = 2


@dataclasses.dataclass(frozen=True)
class Opening:
    """Where a continuation's primer comes from, and how the continuation sounds."""

    data: str
    """The built-in data whose test part gives the piece (never trained on)."""
    model: str
    """The shipped model that continues it."""
    title: str
    low: int
    high: int
    program: int
    instrument: str


CHORALE = Opening("builtin:bach", "builtin:bach", "Bach continued", 40, 81, 19, "a church organ")
TUNE = Opening("builtin:oneill", "builtin:folk", "A folk tune continued", 55, 93, 40, "a fiddle")
SHIPPED = CHORALE.model


def make_demo_piece(out_dir: Path, *, seed: int = 0, device: str = "auto",
                    minutes: float = 1.0) -> list[Work]:
    """The shipped models' continuations, then that of a small LSTM trained here."""
    return (shipped_pieces(out_dir, seed=seed, device=device)
            + trained_piece(out_dir, seed=seed, device=device, minutes=minutes))


def shipped_pieces(out_dir: Path, *, seed: int = 0, device: str = "auto") -> list[Work]:
    """The shipped models' continuations of a held-out chorale and a held-out folk tune (at
    once, no training)."""
    shipped = {m.name for m in MEDIUM.shipped}
    works = []
    for opening in (CHORALE, TUNE):
        if opening.model in shipped:
            who = f"{opening.model}, a model artforge ships (no training on this machine),"
            works += _continuation(Path(out_dir), opening.model, seed, who, opening)
    return works


def trained_piece(out_dir: Path, *, seed: int = 0, device: str = "auto",
                  minutes: float = 1.0) -> list[Work]:
    """Train (or continue training) a small LSTM on builtin:bach under `out_dir`, then write a
    continuation of a held-out chorale's opening as MIDI + WAV + piano-roll PNG.

    The model is small enough that its matrix products are tiny; one CPU thread trains it
    faster than two (measured several times faster on a busy two-core machine)."""
    from artforge.core.device import pick_device, set_threads
    from artforge.music.generate import one_thread_on_cpu
    from artforge.music.model import MusicConfig
    from artforge.music.train import train_music

    # 1. Train for about a minute; a second demo continues the same run.
    out_dir = Path(out_dir)
    run = out_dir / RUN_NAME
    resume = checkpoint.latest_checkpoint(run) is not None
    train = music_train_config(steps=100_000, minutes=minutes, batch_size=16, lr=3e-3,
                               save_every=100, log_every=10, seed=seed, device=device)
    set_threads()  # the process-wide choice, made before this small model narrows it
    with one_thread_on_cpu(pick_device(device)):
        trained = train_music("builtin:bach", run, train, arch="lstm",
                              model_config=MusicConfig(**DEMO_MODEL), resume=resume)
    who = (f"An LSTM ({DEMO_MODEL['hidden']} units) trained here for "
           f"{trained.result.step} steps on {trained.train_pieces} Bach chorales (REMI tokens)")
    return _continuation(out_dir, run, seed, who, CHORALE, trained=True)


def _continuation(out_dir: Path, model: str | Path, seed: int, who: str, opening: Opening,
                  trained: bool = False) -> list[Work]:
    """`model` continues the first bars of a held-out piece for 6 bars, in its key, as MIDI,
    WAV and piano roll: the two works that show it."""
    from artforge.music.datasets import music_splits
    from artforge.music.pipeline import generate_music

    # 1. The primer: the first bars of a test piece, in its own key.
    held_out = sorted(music_splits(opening.data).test)
    piece_file = held_out[seed % len(held_out)]
    works_dir = out_dir / "works"
    primer, key = write_primer(piece_file, works_dir / f"{piece_file.stem}-opening.mid")
    # 2. Continue it, kept to the piece's key and the range of its voices.
    prefix = "bach" if opening is CHORALE else "folk"
    name = (f"{prefix}-continuation-{seed}.mid" if trained
            else f"{prefix}-shipped-{seed}.mid")
    piece = generate_music(model, works_dir / name, primer=primer, bars=6,
                           sampling=SamplingConfig(temperature=0.9, top_k=0, top_p=0.9),
                           controls=Controls(key=key, low=opening.low, high=opening.high,
                                             program=opening.program),
                           seed=seed, device="cpu", wav=True, png=True)
    how = (f"{who} continues the first {PRIMER_BARS} bars of {piece_name(piece_file)} (grey) "
           f"for 6 bars (red), kept to {key} and played on {opening.instrument}.")
    label = opening.title if trained else f"{opening.title} by {opening.model}"
    return [
        Work(f"{label}: listen", "audio", piece.wav,
             caption=how + f" Rendered by {piece.synthesiser}.", provenance=piece.provenance),
        Work(f"{label}: piano roll", "image", piece.png,
             caption=how + " Time runs to the right, pitch upwards; bar lines in grey.",
             provenance=piece.provenance),
    ]


def piece_name(path: Path) -> str:
    """A chorale's BWV number, or a tune's title (its track's name) and collection."""
    if path.stem.startswith("bwv"):
        return path.stem.replace("_", ".")
    import symusic

    tracks = symusic.Score(path).tracks
    title = tracks[0].name.strip() if tracks and tracks[0].name.strip() else path.stem
    return f"“{title}” (O'Neill's Music of Ireland, 1903)"


def write_primer(chorale: Path, out: Path) -> tuple[Path, str]:
    """The chorale's first bars as a MIDI file, and the key its notes fit best."""
    from artforge.core.atomic import write_bytes
    from artforge.music.ingest import read_score

    score = read_score(chorale)
    key = estimate_key([n.pitch for t in score.tracks for n in t.notes])
    bars = score.clip(0, PRIMER_BARS * 4 * score.tpq, clip_end=True)
    write_bytes(out, bars.dumps_midi())
    return out, key
