"""The band part of `artforge demo`: builtin:folk-band, the band artforge ships, plays bass,
piano and drums under a folk tune it has not seen (at once); then the multi-track Transformer
learns the Bach chorales as four-voice bands for about a minute (each demo continues the run
kept in the user cache, so it gets better every time) and writes alto, tenor and bass under the
soprano of a chorale it has not seen."""

from pathlib import Path

from artforge.core import checkpoint
from artforge.core.medium import Work
from artforge.music.recipes import band_train_config

RUN_NAME = "demo-band-transformer"
SHIPPED = "builtin:folk-band"
MELODY_BARS = 8
DEMO_MODEL: dict = {}
"""Overrides of TransformerBandConfig for the demo model (none: the defaults)."""


def held_out_soprano(seed: int, out: Path) -> tuple[Path, str]:
    """The first bars of the soprano of a test chorale, as a one-track MIDI file."""
    from artforge.core.atomic import write_bytes
    from artforge.music.band.tracks import CHORALE, assign
    from artforge.music.datasets import music_splits
    from artforge.music.ingest import read_tracks
    from artforge.music.melody import STEPS_PER_BAR, cut, highest_voice, melodies_score

    chorales = [p for p in music_splits("builtin:bach").test
                if "soprano" in assign(read_tracks(p), CHORALE)]
    chorale = chorales[seed % len(chorales)]
    score = read_tracks(chorale)
    soprano = highest_voice(score.tracks[0].notes, score.tpq)
    melody = cut(soprano, 0, MELODY_BARS * STEPS_PER_BAR)
    write_bytes(out, melodies_score([melody], program=73).dumps_midi())
    return out, chorale.stem.replace("_", ".")


def held_out_tune(seed: int, out: Path) -> tuple[Path, str]:
    """The first bars of a tune of O'Neill's collection (builtin:oneill: no shipped model saw
    it), as a one-track MIDI file, and its title."""
    from artforge.core.atomic import write_bytes
    from artforge.music.datasets import music_splits
    from artforge.music.demo import piece_name
    from artforge.music.ingest import read_tracks
    from artforge.music.melody import STEPS_PER_BAR, cut, highest_voice, melodies_score

    tunes = sorted(music_splits("builtin:oneill").test)
    tune = tunes[seed % len(tunes)]
    score = read_tracks(tune)
    melody = cut(highest_voice(score.tracks[0].notes, score.tpq), 0, MELODY_BARS * STEPS_PER_BAR)
    write_bytes(out, melodies_score([melody], program=73).dumps_midi())
    return out, piece_name(tune)


def make_demo_band(out_dir: Path, *, seed: int = 0, device: str = "auto",
                   minutes: float = 0.75) -> list[Work]:
    """builtin:folk-band's accompaniment of a held-out folk tune (when it ships), then the
    demo band model's, trained (or continued) here, of a held-out soprano line; the works are
    WAVs and piano-roll sheets under `out_dir`/works."""
    from artforge.music.medium import MEDIUM

    shipped = any(model.name == SHIPPED for model in MEDIUM.shipped)
    works = shipped_band(Path(out_dir), seed) if shipped else []
    return works + trained_band(out_dir, seed=seed, device=device, minutes=minutes)


def shipped_band(out_dir: Path, seed: int) -> list[Work]:
    """builtin:folk-band plays bass, piano and drums under the first bars of a folk tune."""
    from artforge.music.band.pipeline import accompany_melody

    works_dir = out_dir / "works"
    melody, name = held_out_tune(seed, works_dir / f"tune-{seed}.mid")
    midi = accompany_melody(SHIPPED, melody, works_dir / f"folk-band-{seed}.mid", seed=seed,
                            temperature=0.8)
    how = (f"{SHIPPED}, the band Transformer artforge ships (no training on this machine), "
           f"plays bass, piano and drums under the first {MELODY_BARS} bars of {name}, a tune "
           "it never saw, keeping to the chords the built-in arranger's rules choose.")
    return band_works(f"Band by {SHIPPED}", midi, how,
                      "Melody red, bass blue, piano green, drums purple.")


def band_works(title: str, midi: Path, how: str, colours: str) -> list[Work]:
    """The two works that show an accompaniment: its WAV and its piano-roll sheet."""
    from artforge.catalog.provenance import read_midi_provenance

    provenance = read_midi_provenance(midi) or {}
    return [
        Work(f"{title}: listen", "audio", midi.with_suffix(".wav"), caption=how,
             provenance=provenance),
        Work(f"{title}: piano roll", "image", midi.with_suffix(".png"),
             caption=f"{how} {colours}", provenance=provenance),
    ]


def trained_band(out_dir: Path, *, seed: int = 0, device: str = "auto",
                 minutes: float = 0.75) -> list[Work]:
    """Train (or continue) the demo band model, then accompany a held-out soprano line."""
    from artforge.core.device import pick_device, set_threads
    from artforge.data.cache import cache_dir
    from artforge.music.band.model import TransformerBandConfig
    from artforge.music.band.pipeline import accompany_melody
    from artforge.music.band.train import train_band
    from artforge.music.generate import one_thread_on_cpu

    # 1. About a minute more of training, continuing the run in the user cache.
    run = cache_dir("music") / RUN_NAME
    resume = checkpoint.latest_checkpoint(run) is not None
    train = band_train_config(steps=10**6, minutes=minutes, warmup_steps=30, save_every=100,
                              log_every=10, seed=seed, device=device)
    set_threads()  # the process-wide choice, made before this small model narrows it
    with one_thread_on_cpu(pick_device(device)):
        trained = train_band("builtin:bach", run, train, arch="transformer", resume=resume,
                             model_config=TransformerBandConfig(**DEMO_MODEL))
    # 2. A soprano line it has not seen, accompanied by the other three voices.
    works_dir = Path(out_dir) / "works"
    melody, name = held_out_soprano(seed, works_dir / f"soprano-{seed}.mid")
    midi = accompany_melody(run, melody, works_dir / f"band-accompaniment-{seed}.mid", seed=seed,
                            temperature=0.8)
    how = (f"A multi-track Transformer trained for {trained.result.step} steps in all on "
           f"{len(trained.data.train)} four-bar passages of Bach chorales (four voices as four "
           f"tracks) writes alto, tenor and bass under the first {MELODY_BARS} bars of the "
           f"soprano of {name}, a chorale it never saw.")
    return band_works("Band: accompaniment", midi, how,
                      "Soprano red, alto blue, tenor green, bass purple.")
