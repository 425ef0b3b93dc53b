"""The demo's poems. First the shipped models write at once (builtin:tang: a rhyming 五言绝句
and a 七言律诗, exact in form; builtin:english-verse: a quatrain of ten-syllable lines).
Then, as a second part, a tiny GPT learns Tang regular verse for about a minute and writes a
五言绝句; without npm (needed to fetch the Tang corpus) it learns Shakespeare's sonnets instead
and writes a quatrain."""

from pathlib import Path

from artforge.core import checkpoint
from artforge.core.medium import Work
from artforge.errors import UserError

SHIPPED_POEMS = (("builtin:tang", "jueju5", "春"), ("builtin:tang", "lushi7", "月"),
                 ("builtin:english-verse", "quatrain", "The"))
"""(shipped model, form, start) of each poem the demo writes with no training (Chinese forms
with rhyme)."""


def make_demo_poem(out_dir: Path, *, seed: int = 0, device: str = "auto",
                   minutes: float = 1.25) -> list[Work]:
    """The shipped models' poems, then the poem of a minute's training."""
    return shipped_poems(out_dir, seed=seed, device=device) + trained_poem(
        out_dir, seed=seed, device=device, minutes=minutes)


def shipped_poems(out_dir: Path, *, seed: int = 0, device: str = "auto") -> list[Work]:
    """A poem in each form of SHIPPED_POEMS, written at once (seconds, no training)."""
    from artforge.text.forms import CHINESE, FormConfig
    from artforge.text.generate import GenerationConfig
    from artforge.text.medium import MEDIUM
    from artforge.text.pipeline import generate_text, load_text_model, save_generation

    works = []
    shipped = {model.name for model in MEDIUM.shipped}
    for name, form_name, prompt in SHIPPED_POEMS:
        if name not in shipped:
            continue
        model = load_text_model(name, device=device)
        rhyme = form_name in CHINESE
        form = FormConfig(form_name, rhyme=rhyme)
        config = GenerationConfig(temperature=0.8, top_k=40, top_p=0.95, seed=seed)
        poem = generate_text(model, prompt, config, form)
        path = Path(out_dir) / "works" / f"poem-{name.removeprefix('builtin:')}-{form_name}.txt"
        params = {"prompt": prompt, "control": None, "config": config.to_dict(),
                  "form": form.to_dict()}
        save_generation(poem, params, name, path)
        caption = (f"A {form_name}{' with rhyme' if rhyme else ''} by {name}, a model artforge "
                   f"ships (no training on this machine), starting from {prompt!r}; the form "
                   f"holds by construction. Originality: {poem.reports[0].summary()}.")
        works.append(Work(f"A poem by {name}", "text", path, body=poem.texts[0],
                          caption=caption))
    return works


def trained_poem(out_dir: Path, *, seed: int = 0, device: str = "auto",
                 minutes: float = 1.25) -> list[Work]:
    """Train (or continue) a tiny GPT for about a minute, then write a poem with it."""
    from artforge.text.forms import FormConfig
    from artforge.text.generate import GenerationConfig
    from artforge.text.pipeline import generate_text, save_generation
    from artforge.text.recipes import text_train_config
    from artforge.text.train import TextTrainOptions, train_text

    # 1. Pick the corpus: Tang verse when it can be had, else the sonnets.
    data, form, prompt = "builtin:tang/wuyan", FormConfig("jueju5", rhyme=True), "春"
    try:
        from artforge.data.tang import tang_poems

        tang_poems("wuyan")
    except UserError:
        data, form, prompt = "builtin:shakespeare", FormConfig("quatrain"), ""
    run = Path(out_dir) / f"text-{data.split(':')[1].replace('/', '-')}"
    # 2. Train for about a minute (a second demo continues the same run).
    resume = checkpoint.latest_checkpoint(run) is not None
    # Small batches and a high rate: in a minute, more updates beat bigger ones (measured:
    # validation loss 5.81 with 16 at 3e-3 against 6.12 with 32 at 2e-3 after 36 s).
    train = text_train_config(steps=1_000_000, minutes=minutes, batch_size=16, lr=3e-3,
                              schedule="constant",
                              warmup_steps=50, save_every=500, log_every=25, seed=seed,
                              device=device)
    # A block of 64 characters holds a whole 绝句 or 五言律诗, and trains twice as fast as 128.
    options = TextTrainOptions(tokenizer="char", preset="tiny", block_size=64, simplified=True)
    result = train_text(data, run, train, options, resume=resume)
    # 3. Write the poem, catalogued, and say how it was made.
    config = GenerationConfig(temperature=0.8, top_k=40, top_p=0.95, seed=seed)
    poem = generate_text(result.checkpoint, prompt, config, form)
    path = Path(out_dir) / "works" / "poem.txt"
    params = {"prompt": prompt, "control": None, "config": config.to_dict(),
              "form": form.to_dict()}
    save_generation(poem, params, str(result.checkpoint), path)
    report = poem.reports[0]
    loss = result.metrics.get("val_loss")
    caption = (f"A {form.form}{' with rhyme' if form.rhyme else ''} from a tiny GPT "
               f"(4 layers, 64-character context) trained {result.step} steps on {data}"
               + (f" (validation loss {loss:.2f})" if loss else "")
               + f"; the form holds by construction. Originality: {report.summary()}.")
    return [Work("A poem from a minute of training", "text", path, body=poem.texts[0],
                 caption=caption)]
