"""`artforge music vae train | sample | interpolate | attribute`."""

from pathlib import Path

import click

from artforge.cli.options import DEVICE, common_options, recipe_options, train_config
from artforge.errors import UserError
from artforge.music.recipes import MELODY_TRAIN_DEFAULTS, melody_train_config

MODEL = click.option("--model", required=True, type=click.Path(),
                     help="A melody VAE run or model folder, or a shipped one: "
                     "builtin:bach-melody (2 bars), builtin:bach-melody-16 (16 bars).")
OUT = click.option("--out", required=True, type=click.Path(dir_okay=False),
                   help=".mid file to write; the .wav and .png go beside it.")
SEED = click.option("--seed", default=0, show_default=True, type=int)
PROGRAM = click.option("--program", type=click.IntRange(0, 127), default=0, show_default=True,
                       help="General MIDI instrument (0 piano, 40 violin, 73 flute).")


def temperature_option(default: float) -> click.Option:
    return click.option("--temperature", type=click.FloatRange(min=0), default=default,
                        show_default=True, help="Decoder softmax temperature; 0 is greedy.")


def report_work(work) -> None:
    click.echo(f"Wrote {work.midi}, {work.wav} ({work.synthesiser}) and {work.png}")


@click.group("vae")
def vae() -> None:
    """A melody latent space (MusicVAE): train | sample | interpolate | attribute."""


@vae.command()
@click.option("--data", required=True,
              help="A folder of .mid/MusicXML/ABC files, or builtin:bach / builtin:folk.")
@click.option("--bars", type=click.Choice(["2", "16"]), default="2", show_default=True,
              help="Melody length: 2 bars (flat decoder) or 16 (hierarchical decoder).")
@click.option("--phrases", type=click.Path(), default=None,
              help="A trained 2-bar VAE (a run or model folder, or builtin:bach-melody) to "
              "build the 16-bar model on: it reads and writes "
              "each 2-bar phrase (frozen), and the rest learns to encode and give back the "
              "phrases' codes, which takes minutes on a CPU instead of hours.")
@click.option("--latent", type=click.IntRange(min=0), default=None,
              help="Size of the latent code (0: a plain LSTM melody model, no encoder) "
              "[default: 64; 256 with --phrases].")
@click.option("--hidden", type=click.IntRange(min=1), default=256, show_default=True,
              help="Encoder, conductor and decoder LSTM size.")
@click.option("--beta", type=click.FloatRange(min=0), default=0.2, show_default=True,
              help="Weight of the KL term once annealed.")
@click.option("--kl-anneal-steps", type=click.IntRange(min=0), default=1000, show_default=True)
@click.option("--free-bits", type=click.FloatRange(min=0), default=None,
              help="KL bits per melody that cost nothing [default: 32 for 2 bars, 128 for 16, "
              "256 with --phrases].")
@click.option("--input-dropout", type=click.FloatRange(0, 1, max_open=True), default=None,
              help="Share of the decoder's previous notes hidden while training, so that it "
              "reads the melody from the code [default: 0 for 2 bars, 0.3 for 16].")
@click.option("--transpose", type=click.IntRange(0, 12), default=5, show_default=True)
@common_options(default_out="runs/vae")
@recipe_options(MELODY_TRAIN_DEFAULTS)
def train(data: str, bars: str, phrases: str | None, latent: int | None, hidden: int,
          beta: float, kl_anneal_steps: int, free_bits: float | None,
          input_dropout: float | None, transpose: int, out: str, resume: bool,
          **options) -> None:
    """Train a melody VAE on the melodies (highest voice of each track) of MIDI files.

    \b
    Example:
      artforge music vae train --data builtin:folk --bars 2 --out runs/vae2 --minutes 10
      artforge music vae train --data my-midi/ --bars 16 --out runs/vae16 --resume
      artforge music vae train --data builtin:bach --bars 16 --phrases runs/vae2 \\
          --out runs/vae16 --minutes 15
    """
    from artforge.music.vae.model import MelodyVAEConfig
    from artforge.music.vae.train import train_vae

    length = int(bars)
    if phrases is not None and length != 16:
        raise UserError("--phrases builds a 16-bar model: give --bars 16 with it.")
    if latent is None:
        latent = 256 if phrases else 64
    if free_bits is None:
        free_bits = 256.0 if phrases else 32.0 if length <= 2 else 128.0
    config = MelodyVAEConfig(
        bars=length, latent=latent, encoder_hidden=hidden, conductor_hidden=hidden,
        decoder_hidden=hidden, beta=beta, kl_anneal_steps=kl_anneal_steps,
        free_bits=free_bits,
        # 16 bars: MusicVAE's hierarchical encoder, and word dropout so that the conductor's
        # codes, not the previous notes alone, carry the melody.
        bar_encoder=length > 2,
        input_dropout=input_dropout if input_dropout is not None else (0.0 if length <= 2
                                                                       else 0.3))
    trained = train_vae(data, out, train_config(options, recipe=melody_train_config),
                        model_config=config,
                        transpose=transpose, resume=resume,
                        phrases=Path(phrases) if phrases else None)
    click.echo(trained.data.report())
    result = trained.result
    metrics = result.metrics
    tail = ""
    if "val_loss" in metrics:
        tail = (f"; held out: NLL {metrics['val_loss']:.3f} nats/step, accuracy "
                f"{metrics['val_accuracy']:.3f} ({metrics['val_event_accuracy']:.3f} on notes "
                f"and rests), KL {metrics['val_kl']:.1f} nats")
    click.echo(f"Trained to step {result.step} ({result.stopped_by}); model in "
               f"{result.checkpoint}{tail}")


@vae.command()
@MODEL
@OUT
@click.option("--count", type=click.IntRange(1, 64), default=4, show_default=True)
@temperature_option(0.5)
@PROGRAM
@SEED
@DEVICE
def sample(model: str, out: str, count: int, temperature: float, program: int, seed: int,
           device: str) -> None:
    """Decode melodies from random codes of the prior, one after another.

    \b
    Example:
      artforge music vae sample --model runs/vae2 --count 8 --out samples.mid
    """
    from artforge.music.vae.pipeline import sample_melodies

    report_work(sample_melodies(model, out, count=count, temperature=temperature, program=program,
                            seed=seed, device=device))


@vae.command()
@MODEL
@click.argument("melody_a", type=click.Path(dir_okay=False))
@click.argument("melody_b", type=click.Path(dir_okay=False))
@OUT
@click.option("--steps", type=click.IntRange(2, 32), default=8, show_default=True,
              help="Melodies from A to B, both included.")
@click.option("--bars", type=int, default=None,
              help="Melody length in bars, a multiple of the model's: longer melodies move "
              "phrase by phrase (each phrase of the model's length to the same phrase of B); "
              "0: as long as both melodies go, up to 16 bars [default: the model's].")
@temperature_option(0.0)
@PROGRAM
@SEED
@DEVICE
def interpolate(model: str, melody_a: str, melody_b: str, out: str, steps: int,
                bars: int | None, temperature: float, program: int, seed: int,
                device: str) -> None:
    """Move from melody A to melody B through the latent space, in N steps.

    \b
    Example:
      artforge music vae interpolate --model runs/vae2 a.mid b.mid --steps 8 --out morph.mid
      artforge music vae interpolate --model runs/vae2 a.mid b.mid --bars 8 --out long.mid
    """
    from artforge.music.vae.pipeline import interpolate_melodies

    midi = interpolate_melodies(model, melody_a, melody_b, out, steps, seed,
                                temperature=temperature, program=program, bars=bars,
                                device=device)
    click.echo(f"Wrote {midi}, {midi.with_suffix('.wav')} and {midi.with_suffix('.png')}")


@vae.command()
@MODEL
@OUT
@click.option("--attribute", type=click.Choice(["density", "range"]), required=True,
              help="density: notes per bar; range: semitones from lowest to highest note.")
@click.option("--strength", type=click.FloatRange(-10, 10), default=1.0, show_default=True,
              help="How far to move along the attribute vector (negative: less).")
@click.option("--melody", type=click.Path(dir_okay=False), default=None,
              help="Melody to change (default: one sampled from the prior).")
@click.option("--data", default="builtin:bach", show_default=True,
              help="Melodies the attribute vector is measured on.")
@temperature_option(0.0)
@PROGRAM
@SEED
@DEVICE
def attribute(model: str, out: str, attribute: str, strength: float, melody: str | None,
              data: str, temperature: float, program: int, seed: int, device: str) -> None:
    """Add an attribute vector (more notes, wider range) to a melody's code.

    \b
    Example:
      artforge music vae attribute --model runs/vae2 --attribute density --strength 1.5 \\
          --melody theme.mid --out busier.mid
    """
    from artforge.music.vae.pipeline import attribute_melody

    work, before, after = attribute_melody(model, out, attribute, strength, midi=melody,
                                           data=data, temperature=temperature,
                                           program=program, seed=seed, device=device)
    report_work(work)
    click.echo(f"{attribute}: {before:.2f} before, {after:.2f} after")
