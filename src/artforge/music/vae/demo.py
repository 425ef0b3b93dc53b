"""The melody part of `artforge demo`: the shipped 16-bar melody VAE (builtin:bach-melody-16)
walks in eight steps from the soprano of one test chorale to that of another. No training:
seconds on a CPU."""

from pathlib import Path

from artforge.core.medium import Work

MODEL = "builtin:bach-melody-16"
STEPS = 8
BARS = 16


def long_sopranos(seed: int) -> tuple[Path, Path]:
    """Two test chorales (neither model saw them) whose soprano reaches into bar 16."""
    from artforge.music.datasets import music_splits
    from artforge.music.melody import STEPS_PER_BAR
    from artforge.music.vae.data import file_melodies

    found = [path for path in music_splits("builtin:bach").test
             if len(file_melodies(path)[0]) > (BARS - 1) * STEPS_PER_BAR]
    first = (2 * seed) % len(found)
    return found[first], found[(first + 1) % len(found)]


def make_demo_blend(out_dir: Path, *, seed: int = 0, device: str = "auto") -> list[Work]:
    """Interpolate two held-out chorale melodies; the works are a WAV and the sheet under
    `out_dir`/works."""
    from artforge.catalog.provenance import read_midi_provenance
    from artforge.music.vae.pipeline import interpolate_melodies

    a, b = long_sopranos(seed)
    midi = interpolate_melodies(MODEL, a, b, Path(out_dir) / "works" / f"melody-blend-{seed}.mid",
                                steps=STEPS, seed=seed, program=73, device=device)
    provenance = read_midi_provenance(midi) or {}
    names = [path.stem.replace("_", ".") for path in (a, b)]
    how = (f"The first {BARS} bars of the soprano of {names[0]} become those of {names[1]} in "
           f"{STEPS} steps through the latent space of the shipped melody VAE ({MODEL}, "
           "trained on other chorales): the first and last steps are its reconstructions of "
           "the two tunes, the ones between are decoded from codes along the great circle "
           "between theirs.")
    return [
        Work("Melody blend, listen", "audio", midi.with_suffix(".wav"), caption=how,
             provenance=provenance),
        Work("Melody blend, piano roll", "image", midi.with_suffix(".png"),
             caption=how + " One panel a step, blue to red.", provenance=provenance),
    ]
