"""The music part of `artforge demo`: a small model learns Bach chorales for about a minute,
then continues the opening of a chorale it has not seen, as MIDI, WAV and a piano roll."""

from pathlib import Path

from artforge.core import checkpoint
from artforge.core.medium import Work
from artforge.core.sampling import SamplingConfig
from artforge.core.train_config import TrainConfig
from artforge.music.constraints import Controls
from artforge.music.metrics import estimate_key

RUN_NAME = "music-bach-lstm"
DEMO_MODEL = dict(embed=96, hidden=192, layers=1, dropout=0.1, context=128)
PRIMER_BARS = 2


def make_demo_piece(out_dir: Path, *, seed: int = 0, device: str = "auto",
                    minutes: float = 1.0) -> list[Work]:
    """Train (or continue training) a small LSTM on builtin:bach under `out_dir`, then write a
    continuation of a held-out chorale's opening as MIDI + WAV + piano-roll PNG.

    The model is small enough that its matrix products are tiny; one CPU thread trains it
    faster than two (measured several times faster on a busy two-core machine)."""
    from artforge.core.device import pick_device, set_threads
    from artforge.music.datasets import music_splits
    from artforge.music.generate import one_thread_on_cpu
    from artforge.music.model import MusicConfig
    from artforge.music.pipeline import generate_music
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
    # 2. The primer: the first bars of a test chorale, in its own key.
    held_out = music_splits("builtin:bach").test
    chorale = held_out[seed % len(held_out)]
    works_dir = out_dir / "works"
    primer, key = write_primer(chorale, works_dir / f"{chorale.stem}-opening.mid")
    # 3. Continue it, kept to the chorale's key and the range of the four voices.
    piece = generate_music(run, works_dir / f"bach-continuation-{seed}.mid", primer=primer,
                           bars=6, sampling=SamplingConfig(temperature=0.9, top_k=0, top_p=0.9),
                           controls=Controls(key=key, low=40, high=81, program=19), seed=seed,
                           device="cpu", wav=True, png=True)
    steps = trained.result.step
    how = (f"An LSTM ({DEMO_MODEL['hidden']} units) trained for {steps} steps on "
           f"{trained.train_pieces} Bach chorales (REMI tokens) "
           f"continues the first {PRIMER_BARS} bars of {chorale.stem.replace('_', '.')} (grey) "
           f"for 6 bars (red), kept to {key} and played on a church organ.")
    return [
        Work("Bach continued: listen", "audio", piece.wav,
             caption=how + f" Rendered by {piece.synthesiser}.", provenance=piece.provenance),
        Work("Bach continued: piano roll", "image", piece.png,
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
