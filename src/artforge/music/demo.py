"""The music part of `artforge demo`: a small model learns Bach chorales for about a minute,
then continues the opening of a chorale it has not seen, as MIDI, WAV and a piano roll."""

from pathlib import Path

from artforge.core import checkpoint
from artforge.core.medium import Work
from artforge.core.sampling import SamplingConfig
from artforge.core.train_config import TrainConfig
from artforge.music.constraints import Controls
from artforge.music.medium import MEDIUM
from artforge.music.metrics import estimate_key

RUN_NAME = "music-bach-lstm"
DEMO_MODEL = dict(embed=96, hidden=192, layers=1, dropout=0.1, context=128)
PRIMER_BARS = 2


SHIPPED = "builtin:bach"
"""The chorale model artforge ships: the demo continues a chorale with it before training."""


def make_demo_piece(out_dir: Path, *, seed: int = 0, device: str = "auto",
                    minutes: float = 1.0) -> list[Work]:
    """builtin:bach's continuation of a held-out chorale (at once, no training), then that of
    a small LSTM trained here for about a minute."""
    shipped = [m for m in MEDIUM.shipped if m.name == SHIPPED]
    works = (_continuation(Path(out_dir), SHIPPED, seed, f"{SHIPPED}, the chorale model "
                           "artforge ships (no training on this machine),", "shipped")
             if shipped else [])
    return works + trained_piece(out_dir, seed=seed, device=device, minutes=minutes)


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
    train = TrainConfig(steps=100_000, minutes=minutes, batch_size=16, lr=3e-3, save_every=100,
                        log_every=10, seed=seed, device=device)
    set_threads()  # the process-wide choice, made before this small model narrows it
    with one_thread_on_cpu(pick_device(device)):
        trained = train_music("builtin:bach", run, train, arch="lstm",
                              model_config=MusicConfig(**DEMO_MODEL), resume=resume)
    who = (f"An LSTM ({DEMO_MODEL['hidden']} units) trained here for "
           f"{trained.result.step} steps on {trained.train_pieces} Bach chorales (REMI tokens)")
    return _continuation(out_dir, run, seed, who, "trained")


def _continuation(out_dir: Path, model: str | Path, seed: int, who: str, tag: str
                  ) -> list[Work]:
    """`model` continues the first bars of a held-out chorale for 6 bars, in its key, as MIDI,
    WAV and piano roll: the two works that show it."""
    from artforge.music.datasets import music_splits
    from artforge.music.pipeline import generate_music

    # 1. The primer: the first bars of a test chorale, in its own key.
    held_out = music_splits("builtin:bach").test
    chorale = held_out[seed % len(held_out)]
    works_dir = out_dir / "works"
    primer, key = write_primer(chorale, works_dir / f"{chorale.stem}-opening.mid")
    # 2. Continue it, kept to the chorale's key and the range of the four voices.
    name = f"bach-continuation-{seed}.mid" if tag == "trained" else f"bach-{tag}-{seed}.mid"
    piece = generate_music(model, works_dir / name, primer=primer, bars=6,
                           sampling=SamplingConfig(temperature=0.9, top_k=0, top_p=0.9),
                           controls=Controls(key=key, low=40, high=81, program=19), seed=seed,
                           device="cpu", wav=True, png=True)
    how = (f"{who} continues the first {PRIMER_BARS} bars of "
           f"{chorale.stem.replace('_', '.')} (grey) for 6 bars (red), kept to {key} and "
           f"played on a church organ.")
    label = "Bach continued" if tag == "trained" else f"Bach continued by {SHIPPED}"
    return [
        Work(f"{label}: listen", "audio", piece.wav,
             caption=how + f" Rendered by {piece.synthesiser}.", provenance=piece.provenance),
        Work(f"{label}: piano roll", "image", piece.png,
             caption=how + " Time runs to the right, pitch upwards; bar lines in grey.",
             provenance=piece.provenance),
    ]


def write_primer(chorale: Path, out: Path) -> tuple[Path, str]:
    """The chorale's first bars as a MIDI file, and the key its notes fit best."""
    from artforge.core.atomic import write_bytes
    from artforge.music.ingest import read_score

    score = read_score(chorale)
    key = estimate_key([n.pitch for t in score.tracks for n in t.notes])
    bars = score.clip(0, PRIMER_BARS * 4 * score.tpq, clip_end=True)
    write_bytes(out, bars.dumps_midi())
    return out, key
