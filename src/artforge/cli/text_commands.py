"""`artforge text train | generate | eval`: GPT models for poems, stories and scripts."""

import click

from artforge.cli.options import (
    DEVICE,
    common_options,
    fine_tuned,
    trainer_options,
    training_options,
)
from artforge.text.recipes import TEXT_TRAIN_DEFAULTS

FORMS = ("jueju5", "jueju7", "lushi5", "lushi7", "quatrain", "couplet", "sonnet", "lines")


@click.command()
@click.option("--data", required=True,
              help="A text file or folder (sub-folders become control codes), or builtin:NAME "
                   "(shakespeare, english-poetry, tang, tang/wuyan, tang/qiyan).")
@click.option("--tokenizer", type=click.Choice(["char", "bpe"]), default="char",
              show_default=True, help="Characters (best for Chinese verse) or byte-level BPE.")
@click.option("--vocab-size", type=click.IntRange(min=260), default=4096, show_default=True,
              help="BPE vocabulary size.")
@click.option("--preset", type=click.Choice(["tiny", "mini", "mini-deep", "small", "base"]),
              default="tiny", show_default=True,
              help="Model size: tiny (CPU minutes), mini (the shipped verse models' size), "
                   "mini-deep (mini with 7 layers: GPU minutes), small (CPU hours), base "
                   "(GPU).")
@click.option("--block-size", type=click.IntRange(min=2), default=None,
              help="Context length in tokens (default: the preset's).")
@click.option("--init-from", type=click.Path(), default=None,
              help="Fine-tune this model instead: builtin:tang, a run or model folder, or a "
                   "Hugging Face GPT-2 folder (characters it lacks are added).")
@click.option("--simplified", is_flag=True, help="Convert traditional Chinese to simplified.")
@common_options(default_out="runs/text")
@training_options(default_steps=TEXT_TRAIN_DEFAULTS["steps"],
                  default_batch_size=TEXT_TRAIN_DEFAULTS["batch_size"],
                  default_lr=TEXT_TRAIN_DEFAULTS["lr"],
                  default_schedule=TEXT_TRAIN_DEFAULTS["schedule"])
def train(data: str, tokenizer: str, vocab_size: int, preset: str, block_size: int | None,
          init_from: str | None, simplified: bool, out: str, resume: bool, **options) -> None:
    """Train a GPT on your text; Ctrl-C saves, --resume continues.

    \b
    Example:
      artforge text train --data builtin:shakespeare --out runs/sonnets --minutes 5
      artforge text train --data builtin:tang/wuyan --simplified --out runs/tang --minutes 10
      artforge text train --data my-poems/ --tokenizer bpe --vocab-size 2000 --out runs/mine
      artforge text train --data my-poems/ --init-from builtin:tang --out runs/mine --minutes 5
    """
    from artforge.text.recipes import text_train_config
    from artforge.text.train import TextTrainOptions, train_text

    chosen = trainer_options(options)
    config = text_train_config(**(fine_tuned(chosen) if init_from else chosen))
    text_options = TextTrainOptions(tokenizer, vocab_size, preset, block_size, init_from,
                                    simplified)
    result = train_text(data, out, config, text_options, resume=resume,
                        report=lambda line: click.echo(line, err=True))
    loss = result.metrics.get("val_loss")
    shown = f", validation loss {loss:.3f}" if loss is not None else ""
    click.echo(f"Trained to step {result.step} ({result.stopped_by}){shown}; "
               f"model in {result.checkpoint}")


@click.command()
@click.option("--model", required=True, type=click.Path(),
              help="A run or model folder, a shipped one (builtin:tang), or a Hugging Face "
                   "GPT-2 folder.")
@click.option("--prompt", default="", help="Text to continue (for forms: the poem's start).")
@click.option("--max-length", type=click.IntRange(min=1), default=100, show_default=True,
              help="Total tokens, prompt included (as in the brief and Hugging Face).")
@click.option("--max-new-tokens", type=click.IntRange(min=1), default=None,
              help="Tokens to add after the prompt (overrides --max-length).")
@click.option("--num-return-sequences", "-n", type=click.IntRange(1, 256), default=1,
              show_default=True, help="How many texts to write.")
@click.option("--greedy", is_flag=True, help="Always take the most likely token (no sampling).")
@click.option("--top-k", type=click.IntRange(min=0), default=50, show_default=True,
              help="Sample among the k most likely tokens (0: all).")
@click.option("--top-p", type=click.FloatRange(0, 1, min_open=True), default=0.95,
              show_default=True, help="Nucleus sampling threshold.")
@click.option("--temperature", type=click.FloatRange(min=0, min_open=True), default=1.0,
              show_default=True, help="Below 1: safer; above 1: wilder.")
@click.option("--repetition-penalty", type=click.FloatRange(min=1), default=1.0,
              show_default=True, help="Penalise tokens already used (1: off).")
@click.option("--no-repeat-ngram-size", type=click.IntRange(min=0), default=0,
              show_default=True, help="Never repeat an n-gram of this size (0: off).")
@click.option("--num-beams", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Beam search with this many beams (1: sampling).")
@click.option("--stop", multiple=True, help="End a text at this string (repeatable).")
@click.option("--control", default=None, help="Control code: a corpus sub-folder's name.")
@click.option("--form", type=click.Choice(FORMS), default=None,
              help="Verse form, held exactly: 绝句/律诗 (jueju5/7, lushi5/7) or English lines.")
@click.option("--rhyme", is_flag=True,
              help="Lines rhyme: a Chinese form's even lines; an English form's by its scheme "
                   "(quatrain ABAB, sonnet ABAB CDCD EFEF GG, couplet and lines AABB...).")
@click.option("--scheme", default="",
              help="English forms: a rhyme letter per line, e.g. ABCB or AABBA (spaces are "
                   "ignored); implies --rhyme.")
@click.option("--candidates", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Chinese forms and English rhymes: versions written of each line (of each "
                   "couplet in Chinese), the one the model finds likeliest kept (1: each "
                   "written once, quicker, odder lines).")
@click.option("--allow-repeats", is_flag=True,
              help="Chinese forms: let a character come twice in a poem. By default, where "
                   "couplets are chosen (--candidates above 1), none does but as "
                   "reduplication (悠悠) of a character the model's training text "
                   "reduplicates, as regular verse avoids repeats (忌重字).")
@click.option("--allow-scene-mix", is_flag=True,
              help="Chinese forms: let couplets name different seasons or far-apart times of "
                   "day. By default, where couplets are chosen (--candidates above 1), one at "
                   "odds with the poem so far (春 then 秋, dawn beside dusk) is kept only when "
                   "every candidate is.")
@click.option("--allow-any-doubles", is_flag=True,
              help="Chinese forms: let a poem reduplicate any character. By default, where "
                   "repeats are avoided, a character is written twice running (悠悠) only if "
                   "the model's training text does so at least 3 times (once in a text under "
                   "a million characters); a folder without that text allows any.")
@click.option("--lines", type=click.IntRange(0, 200), default=0,
              help="English forms: number of lines (0: the form's own).")
@click.option("--syllables", type=click.IntRange(1, 40), default=10, show_default=True,
              help="English forms: syllables per line, give or take one.")
@click.option("--known-words/--any-words", default=True, show_default=True,
              help="English forms: only words the model read in its training text (kept "
                   "in its folder), or any it spells.")
@click.option("--stream/--no-stream", default=True, show_default=True,
              help="Print the text as it is written (one sequence only).")
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Also save the texts to this file (and the catalog).")
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed.")
@DEVICE
def generate(model: str, prompt: str, max_length: int, max_new_tokens: int | None,
             num_return_sequences: int, greedy: bool, top_k: int, top_p: float,
             temperature: float, repetition_penalty: float, no_repeat_ngram_size: int,
             num_beams: int, stop: tuple[str, ...], control: str | None, form: str | None,
             rhyme: bool, scheme: str, candidates: int, allow_repeats: bool,
             allow_scene_mix: bool, allow_any_doubles: bool, lines: int,
             syllables: int, known_words: bool,
             stream: bool, out: str | None, seed: int, device: str) -> None:
    """Write text with a trained model, free or in an exact verse form.

    \b
    Example:
      artforge text generate --model builtin:tang --form jueju5 --rhyme --prompt 春
      artforge text generate --model runs/sonnets --prompt "Shall I compare thee" -n 3
      artforge text generate --model runs/tang --form jueju5 --rhyme --prompt 春
      artforge text generate --model runs/sonnets --form quatrain --temperature 0.8
      artforge text generate --model builtin:english-verse --form sonnet --rhyme
      artforge text generate --model builtin:english-verse --form quatrain --scheme ABCB
    """
    from artforge.text.forms import FormConfig
    from artforge.text.generate import GenerationConfig
    from artforge.text.pipeline import generate_text, load_text_model, save_generation

    config = GenerationConfig(
        do_sample=not greedy, temperature=temperature, top_k=top_k, top_p=top_p,
        repetition_penalty=repetition_penalty, no_repeat_ngram_size=no_repeat_ngram_size,
        max_length=max_length, max_new_tokens=max_new_tokens,
        num_return_sequences=num_return_sequences, num_beams=num_beams, seed=seed, stop=stop)
    form_config = FormConfig(form or "", rhyme, lines, syllables, known_words, scheme,
                             candidates, allow_repeats, allow_scene_mix, allow_any_doubles)
    loaded = load_text_model(model, device=device)
    streaming = stream and num_return_sequences == 1 and num_beams == 1
    if streaming:
        click.echo(prompt, nl=False)
    result = generate_text(loaded, prompt, config, form_config, control=control,
                           on_text=(lambda t: click.echo(t, nl=False)) if streaming else None)
    for i, (text, report) in enumerate(zip(result.texts, result.reports, strict=True)):
        if not streaming:
            click.echo(f"--- {i + 1} ---\n{text}" if num_return_sequences > 1 else text)
        click.echo(f"\n[originality] {report.summary()}" if report else
                   "\n[originality] no training text in this model folder to compare with")
    if out:
        params = {"prompt": prompt, "control": control, "config": config.to_dict(),
                  "form": form_config.to_dict()}
        path = save_generation(result, params, str(model), out)
        click.echo(f"Wrote {path}")


@click.command(name="eval")
@click.option("--model", required=True, type=click.Path(),
              help="A run or model folder, or builtin:tang.")
@click.option("--data", required=True, help="The corpus whose validation part is scored.")
@click.option("--simplified", is_flag=True, help="Convert traditional Chinese to simplified.")
@click.option("--batch-size", type=click.IntRange(min=1), default=16, show_default=True,
              help="Windows per batch.")
@DEVICE
def evaluate(model: str, data: str, simplified: bool, batch_size: int, device: str) -> None:
    """Validation loss, perplexity and bits per character of a model on a corpus.

    \b
    Example:
      artforge text eval --model runs/sonnets --data builtin:shakespeare
    """
    from artforge.text.pipeline import eval_text

    metrics = eval_text(model, data, batch_size=batch_size, device=device, simplified=simplified)
    click.echo(f"validation loss {metrics['loss']:.4f} nats/token, perplexity "
               f"{metrics['perplexity']:.2f}, {metrics['bits_per_char']:.3f} bits/char "
               f"over {int(metrics['tokens'])} tokens")


@click.command(name="export-hf")
@click.option("--model", required=True, type=click.Path(),
              help="A run or model folder, or a shipped one (builtin:tang).")
@click.option("--out", required=True, type=click.Path(file_okay=False),
              help="The folder to write (config.json, model.safetensors, tokenizer files).")
def export_hf(model: str, out: str) -> None:
    """Write a text model as a Hugging Face GPT-2 folder: transformers' AutoModelForCausalLM
    and AutoTokenizer load it and give the same logits.

    \b
    Example:
      artforge text export-hf --model builtin:tang --out tang-hf
    """
    from pathlib import Path

    from artforge.text.hf import export_hf as export
    from artforge.text.pipeline import load_text_model

    if Path(out).exists() and any(Path(out).iterdir()):
        from artforge.errors import UserError

        raise UserError(f"{out} is not empty; choose a new folder for the export.")
    folder = export(load_text_model(model), Path(out))
    click.echo(f"Wrote {folder}: AutoModelForCausalLM.from_pretrained({str(folder)!r}) loads it.")
