"""`artforge music band train | generate | accompany`."""

import click

from artforge.cli.music_vae import OUT, SEED, report_work
from artforge.cli.options import DEVICE, common_options, recipe_options, train_config
from artforge.music.recipes import BAND_TRAIN_DEFAULTS, band_train_config

MODEL = click.option("--model", required=True, type=click.Path(),
                     help="A band run or model folder.")
TEMPERATURE = click.option("--temperature", type=click.FloatRange(min=0, min_open=True),
                           default=1.0, show_default=True,
                           help="Sampling temperature (musegan: scale of the random codes).")


@click.group("band")
def band() -> None:
    """Several tracks that play together (MuseGAN / multi-track Transformer): train | generate |
    accompany."""


DEFAULT_TRACKS = {"builtin:folk-band": "melody,bass,piano,drums"}


@band.command()
@click.option("--data", default="builtin:bach", show_default=True,
              help="A folder of multi-track MIDI files, builtin:bach (SATB chorales) or "
                   "builtin:folk-band (folk songs arranged for melody, bass, piano, drums).")
@click.option("--arch", type=click.Choice(["transformer", "musegan"]), default="transformer",
              show_default=True, help="Multi-track token Transformer or MuseGAN piano rolls.")
@click.option("--tracks", default=None,
              help="Comma-separated track names, melody first (up to 5), e.g. "
                   "melody,bass,guitar,drums; matched by name, then by GM family "
                   "[builtin:folk-band: melody,bass,piano,drums; else soprano,alto,tenor,bass].")
@click.option("--width", type=click.IntRange(min=8), default=None,
              help="Transformer width [96] or MuseGAN channels [64].")
@click.option("--layers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Transformer layers.")
@click.option("--transpose", type=click.IntRange(0, 12), default=5, show_default=True)
@click.option("--init-from", type=click.Path(), default=None,
              help="Fine-tune this band model (a run or model folder, or builtin:folk-band) "
                   "instead of starting fresh; its tracks, size and pitch ranges are kept.")
@common_options(default_out="runs/band")
@recipe_options(BAND_TRAIN_DEFAULTS)
def train(data: str, arch: str, tracks: str | None, width: int | None, layers: int, transpose: int,
          init_from: str | None, out: str, resume: bool, **options) -> None:
    """Train a band model on 4-bar passages in which every track plays.

    \b
    Example:
      artforge music band train --data builtin:bach --out runs/band --minutes 10
      artforge music band train --data builtin:folk-band --out runs/folk-band --minutes 20
      artforge music band train --data my-songs/ --tracks melody,bass,piano,drums --out runs/pop
      artforge music band train --data my-songs/ --init-from builtin:folk-band --out runs/mine
    """
    from artforge.music.band.tracks import default_programs
    from artforge.music.band.train import band_class, train_band

    if tracks is None:
        tracks = DEFAULT_TRACKS.get(data, "soprano,alto,tenor,bass")
    names = tuple(name.strip().lower() for name in tracks.split(",") if name.strip())
    config = band_class(arch).config_class(tracks=names, programs=default_programs(names))
    if arch == "transformer":
        config = config.replace(width=width or config.width, layers=layers)
    else:
        config = config.replace(channels=width or config.channels)
    trained = train_band(data, out, train_config(options, recipe=band_train_config,
                                      fine_tune=bool(init_from)),
                         arch=arch, model_config=config,
                         transpose=transpose, resume=resume, init_from=init_from)
    click.echo(trained.data.report())
    result = trained.result
    click.echo(f"Trained to step {result.step} ({result.stopped_by}); model in "
               f"{result.checkpoint}")


@band.command()
@MODEL
@OUT
@click.option("--count", type=click.IntRange(1, 16), default=2, show_default=True,
              help="4-bar passages, one after another.")
@TEMPERATURE
@SEED
@DEVICE
def generate(model: str, out: str, count: int, temperature: float, seed: int,
             device: str) -> None:
    """Write passages for every track of the band.

    \b
    Example:
      artforge music band generate --model runs/band --count 4 --out band.mid
    """
    from artforge.music.band.pipeline import generate_band

    report_work(generate_band(model, out, count=count, temperature=temperature, seed=seed,
                          device=device))


@band.command()
@MODEL
@click.argument("melody", type=click.Path(dir_okay=False))
@OUT
@click.option("--tracks", default=None,
              help="Comma-separated tracks to add (default: every track but the melody).")
@TEMPERATURE
@click.option("--harmony", type=click.Choice(["chords", "key", "free"]), default="chords",
              show_default=True,
              help="What the added pitched tracks (not the drums) keep to: chords: the tones "
                   "of a triad a half bar that the built-in arranger's rules choose for the "
                   "melody; key: the key's scale; free: only what the model learnt.")
@click.option("--key", default="auto", show_default=True,
              help="The melody's key, e.g. 'G major', 'E minor'; auto: estimated.")
@SEED
@DEVICE
def accompany(model: str, melody: str, out: str, tracks: str | None, temperature: float,
              harmony: str, key: str, seed: int, device: str) -> None:
    """Write the other tracks around a melody (the model's first track), 4 bars at a time.

    \b
    Example:
      artforge music band accompany --model runs/band tune.mid --out tune-band.mid
      artforge music band accompany --model runs/band tune.mid --tracks bass --out duo.mid
    """
    from artforge.music.band.pipeline import accompany_melody

    chosen = [name.strip().lower() for name in tracks.split(",")] if tracks else None
    midi = accompany_melody(model, melody, out, chosen, seed, temperature=temperature,
                            harmony=harmony, key=key, device=device)
    click.echo(f"Wrote {midi}, {midi.with_suffix('.wav')} and {midi.with_suffix('.png')}")
