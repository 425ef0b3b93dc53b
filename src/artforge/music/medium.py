"""Music as a medium: melodies and chorales from LSTM, GRU and Transformer models, a melody
latent space and a band (see artforge.core.medium)."""

import shutil
from pathlib import Path

from artforge.core.medium import Check, DemoPart, Feature, Medium, ShippedModel, Training, Work
from artforge.music import recipes


def register() -> None:
    """Import the modules whose decorators register this medium's kinds and pipelines."""
    import artforge.music.band.model  # noqa: F401
    import artforge.music.band.musegan  # noqa: F401
    import artforge.music.band.pipeline  # noqa: F401
    import artforge.music.frame_model  # noqa: F401
    import artforge.music.model  # noqa: F401
    import artforge.music.pipeline  # noqa: F401
    import artforge.music.vae.model  # noqa: F401
    import artforge.music.vae.pipeline  # noqa: F401


def _demo_pieces(out_dir: Path, **options) -> list[Work]:
    from artforge.music.demo import shipped_pieces

    return shipped_pieces(out_dir, **options)


def _demo_piece(out_dir: Path, **options) -> list[Work]:
    from artforge.music.demo import trained_piece

    return trained_piece(out_dir, **options)


def _demo_folk_band(out_dir: Path, *, seed: int = 0, device: str = "auto") -> list[Work]:
    from artforge.music.band.demo import SHIPPED, shipped_band

    shipped = any(model.name == SHIPPED for model in MEDIUM.shipped)
    return shipped_band(Path(out_dir), seed) if shipped else []


def _demo_band(out_dir: Path, **options) -> list[Work]:
    from artforge.music.band.demo import trained_band

    return trained_band(out_dir, **options)


def _demo_blend(out_dir: Path, **options) -> list[Work]:
    from artforge.music.vae.demo import make_demo_blend

    return make_demo_blend(out_dir, **options)


def _continue() -> object:
    from artforge.music.pipeline import generate_music

    return generate_music


def _blend() -> object:
    from artforge.music.vae.pipeline import interpolate_melodies

    return interpolate_melodies


def _accompany() -> object:
    from artforge.music.band.pipeline import accompany_melody

    return accompany_melody


def _checks() -> list[Check]:
    sf2 = Path("/usr/share/sounds/sf2")
    font = next(iter(sorted(sf2.glob("*.sf2"))), None) if sf2.is_dir() else None
    synth = shutil.which("fluidsynth")
    return [
        Check.of("fluidsynth (MIDI to audio)", synth, "missing: apt-get install "
                 "--no-install-recommends fluidsynth (sine synthesis is used)"),
        Check.of("General MIDI SoundFont", font,
                 "missing: comes with fluidsynth's Debian package"),
    ]

BACH, FOLK = ("builtin:bach", "Bach chorales"), ("builtin:folk", "European folk tunes")
MIDI = ("zip", "midi")
"""A zip of MIDI files, or one MIDI file."""
FEATURES = (
    Feature("music", "Melody continuation", _continue, model_kinds=("lstm", "gru", "transformer"),
            training=Training("Music", (BACH, FOLK), MIDI, recipes.music_train_config,
                              recipes.fit_music, recipes.preview_music)),
    Feature("melody", "Blending two melodies", _blend, model_kinds=("musicvae",),
            training=Training("Melody blends", (BACH, FOLK), MIDI,
                              recipes.melody_train_config, recipes.fit_melody)),
    Feature("band", "Accompaniment for a melody", _accompany,
            model_kinds=("band-transformer", "band-musegan"),
            training=Training("A band for a melody", (BACH,), MIDI, recipes.band_train_config,
                              recipes.fit_band)),
)

MEDIUM = Medium(
    name="music",
    label="Music",
    summary="Music from LSTM, GRU and Transformer models on MIDI, a melody latent space and a band",
    register=register,
    model_kinds=("lstm", "gru", "transformer", "pianoroll", "musicvae", "band-transformer",
                 "band-musegan"),
    pipelines=("music.generate", "music.vae.sample", "music.vae.interpolate",
               "music.vae.attribute", "music.band.generate", "music.band.accompany"),
    datasets=("builtin:bach", "builtin:folk", "builtin:folk-band", "builtin:oneill"),
    shipped=(ShippedModel("builtin:bach", "bach", "music", "four-voice Bach chorales"),
             ShippedModel("builtin:folk", "folk", "music", "folk tunes (Europe, China, Ireland)"),
             ShippedModel("builtin:bach-melody", "bach-melody", "melody",
                          "a 2-bar melody VAE"),
             ShippedModel("builtin:bach-melody-16", "bach-melody-16", "melody",
                          "a 16-bar melody VAE"),
             ShippedModel("builtin:folk-band", "folk-band", "band",
                          "bass, piano and drums under a folk tune")),
    demo=(DemoPart("music", "a chorale and a folk tune continued", _demo_piece, trains=True,
                   shipped=_demo_pieces),
          DemoPart("band", "a band under a folk tune, then under a soprano", _demo_band,
                   trains=True, shipped=_demo_folk_band),
          DemoPart("melody", "one melody becoming another", _demo_blend)),
    features=FEATURES,
    checks=_checks,
)
