"""`artforge music train | generate | eval | render`."""

import click

from artforge.cli.options import DEVICE, common_options, recipe_options, train_config
from artforge.music.recipes import MUSIC_TRAIN_DEFAULTS, music_train_config


@click.command()
@click.option("--data", required=True,
              help="A folder of .mid/.midi/MusicXML/ABC files, or builtin:bach / builtin:folk.")
@click.option("--arch", type=click.Choice(["lstm", "gru", "transformer"]), default="lstm",
              show_default=True, help="Network architecture.")
@click.option("--tokenizer", type=click.Choice(["REMI", "TSD", "MIDILike", "Structured"]),
              default="REMI", show_default=True, help="miditok tokenization.")
@click.option("--bpe", type=click.IntRange(min=0), default=0, show_default=True,
              help="Learn byte-pair merges up to this vocabulary size (0: off).")
@click.option("--hidden", type=click.IntRange(min=1), default=256, show_default=True,
              help="Hidden size (LSTM/GRU) or width (Transformer).")
@click.option("--layers", type=click.IntRange(min=1), default=2, show_default=True)
@click.option("--context", type=click.IntRange(min=8), default=256, show_default=True,
              help="Tokens per training window; also the longest primer.")
@click.option("--transpose", type=click.IntRange(0, 12), default=5, show_default=True,
              help="Random transposition of training windows, up to this many semitones.")
@click.option("--init-from", type=click.Path(), default=None,
              help="Fine-tune this model (a run or model folder, or builtin:bach) instead of "
                   "starting fresh; its architecture, size and tokens are kept.")
@click.option("--frames", is_flag=True,
              help="Train the frame-level piano-roll model (88 keys a quarter note; the JSB "
                   "Chorales benchmark) with --arch lstm or gru, instead of a token model.")
@common_options(default_out="runs/music")
@recipe_options(MUSIC_TRAIN_DEFAULTS)
def train(data: str, arch: str, tokenizer: str, bpe: int, hidden: int, layers: int,
          context: int, transpose: int, init_from: str | None, frames: bool, out: str,
          resume: bool, **options) -> None:
    """Train a music model on MIDI files; Ctrl-C saves, --resume continues.

    \b
    Example:
      artforge music train --data builtin:bach --arch lstm --out runs/bach --minutes 5
      artforge music train --data my-midi/ --arch transformer --out runs/mine --resume
      artforge music train --data builtin:bach --frames --arch lstm --out runs/jsb --minutes 10
      artforge music train --data my-hymns/ --init-from builtin:bach --out runs/hymns --minutes 5
    """
    if frames:
        if init_from:
            from artforge.errors import UserError

            raise UserError("--init-from fine-tunes token models; leave out --frames.")
        _train_frames(data, arch, hidden, layers, transpose, out, resume, options)
        return
    from artforge.music.model import MusicConfig
    from artforge.music.train import train_music

    config = MusicConfig(hidden=hidden, layers=layers, context=context)
    trained = train_music(data, out, train_config(options, recipe=music_train_config,
                                       fine_tune=bool(init_from)),
                          arch=arch, model_config=config,
                          tokenizer=tokenizer, bpe=bpe, transpose=transpose, resume=resume,
                          init_from=init_from)
    click.echo(trained.corpus.report())
    result = trained.result
    val = result.metrics.get("val_loss")
    tail = f"; validation NLL {val:.3f} nats/token" if val is not None else ""
    click.echo(f"Trained to step {result.step} ({result.stopped_by}); model in "
               f"{result.checkpoint}{tail}")


def _train_frames(data: str, arch: str, hidden: int, layers: int, transpose: int, out: str,
                  resume: bool, options: dict) -> None:
    from artforge.errors import UserError
    from artforge.music.frame_model import FrameConfig
    from artforge.music.frame_train import train_frames

    if arch not in ("lstm", "gru"):
        raise UserError("--frames trains an lstm or gru; choose one of them with --arch.")
    config = FrameConfig(cell=arch, hidden=hidden, layers=layers)
    result = train_frames(data, out, train_config(options, recipe=music_train_config),
                          model_config=config,
                          transpose=transpose, resume=resume)
    val = result.metrics.get("val_loss")
    tail = f"; validation NLL {val:.3f} nats/frame" if val is not None else ""
    click.echo(f"Trained to step {result.step} ({result.stopped_by}); model in "
               f"{result.checkpoint}{tail}")


@click.command()
@click.option("--model", required=True, type=click.Path(),
              help="A run or model folder, or builtin:bach (the chorale model artforge ships).")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help=".mid file to write.")
@click.option("--primer", type=click.Path(dir_okay=False), default=None,
              help="MIDI file to continue (default: start from nothing).")
@click.option("--bars", type=click.IntRange(min=0), default=8, show_default=True,
              help="Bars to add (0: stop only at --max-tokens).")
@click.option("--max-tokens", type=click.IntRange(1, 20000), default=2000, show_default=True)
@click.option("--temperature", type=click.FloatRange(min=0, min_open=True), default=1.0,
              show_default=True)
@click.option("--top-k", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--top-p", type=click.FloatRange(0, 1, min_open=True), default=0.95,
              show_default=True)
@click.option("--key", default=None, help="Keep to this key's scale, e.g. 'C major', 'A minor'.")
@click.option("--low", type=click.IntRange(0, 127), default=21, show_default=True,
              help="Lowest MIDI pitch allowed.")
@click.option("--high", type=click.IntRange(0, 127), default=108, show_default=True,
              help="Highest MIDI pitch allowed.")
@click.option("--max-notes-per-bar", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--min-notes-per-bar", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--program", type=click.IntRange(0, 127), default=0, show_default=True,
              help="General MIDI instrument (0 piano, 19 organ, 40 violin, 73 flute).")
@click.option("--wav", is_flag=True, help="Also write FILE.wav.")
@click.option("--png", is_flag=True, help="Also write a piano-roll FILE.png.")
@click.option("--seed", default=0, show_default=True, type=int)
@DEVICE
def generate(model: str, out: str, primer: str | None, bars: int, max_tokens: int,
             temperature: float, top_k: int, top_p: float, key: str | None, low: int,
             high: int, max_notes_per_bar: int, min_notes_per_bar: int, program: int,
             wav: bool, png: bool, seed: int, device: str) -> None:
    """Continue a primer (or start from nothing) and write MIDI, optionally WAV and PNG.

    \b
    Example:
      artforge music generate --model runs/bach --primer theme.mid --bars 8 \\
          --key 'G major' --out piece.mid --wav --png
    """
    from artforge.core.sampling import SamplingConfig
    from artforge.music.constraints import Controls
    from artforge.music.pipeline import generate_music

    sampling = SamplingConfig(temperature=temperature, top_k=top_k, top_p=top_p)
    controls = Controls(key=key, low=low, high=high, max_notes_per_bar=max_notes_per_bar,
                        min_notes_per_bar=min_notes_per_bar, program=program)
    work = generate_music(model, out, primer=primer, bars=bars, max_tokens=max_tokens,
                          sampling=sampling, controls=controls, seed=seed, device=device,
                          wav=wav, png=png)
    made = ", ".join(str(p) for p in (work.midi, work.wav, work.png) if p is not None)
    click.echo(f"Wrote {made} ({work.new_tokens} new tokens, {work.notes} notes"
               + (f", audio by {work.synthesiser}" if work.synthesiser else "") + ")")


@click.command()
@click.argument("midi", type=click.Path(dir_okay=False))
@click.option("--no-fluidsynth", is_flag=True, help="Use pretty_midi's sine synthesis.")
def render(midi: str, no_fluidsynth: bool) -> None:
    """Render a MIDI file as FILE.wav and a piano-roll FILE.png beside it.

    \b
    Example:
      artforge music render piece.mid
    """
    from artforge.music.pipeline import render_music

    wav, png, synthesiser = render_music(midi, use_fluidsynth=not no_fluidsynth)
    click.echo(f"Wrote {wav} ({synthesiser}) and {png}")


@click.command("eval")
@click.option("--model", type=click.Path(), default=None,
              help="A run or model folder to score, or builtin:bach.")
@click.option("--data", default=None,
              help="Music to score the model on (builtin:bach uses its validation part), and "
                   "the training set that originality is measured against.")
@click.option("--split", type=click.Choice(["validation", "test"]), default="validation",
              show_default=True, help="Part of a builtin data set to score.")
@click.option("--generated", type=click.Path(), default=None,
              help="A folder (or file) of generated MIDI to describe with MuseGAN statistics.")
@click.option("--key", default=None, help="Key for the in-key rate (default: estimated).")
@DEVICE
def eval_(model: str | None, data: str | None, split: str, generated: str | None,
          key: str | None, device: str) -> None:
    """Validation NLL per token of a model, and statistics of generated pieces.

    \b
    Example:
      artforge music eval --model runs/bach --data builtin:bach
      artforge music eval --generated pieces/ --data builtin:bach --key 'C major'
    """
    from artforge.errors import UserError

    if model is None and generated is None:
        raise UserError("give --model (with --data) and/or --generated.")
    if model is not None:
        from artforge.music.evaluation import score_model

        if data is None:
            raise UserError("--model needs --data to score it on.")
        click.echo(score_model(model, data, split, device))
    if generated is not None:
        from artforge.music.metrics import describe_folder

        for name, value in describe_folder(generated, reference=data, key=key).items():
            click.echo(f"{name}: {value:.4f}" if isinstance(value, float) else f"{name}: {value}")
