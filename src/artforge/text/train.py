"""Training a text model: a GPT from nothing on a corpus, fine-tuned from a model folder, or
resumed from its run folder, through the shared Trainer."""

import dataclasses
from collections.abc import Callable
from pathlib import Path

from artforge.catalog.runs import RunRecord
from artforge.core import checkpoint
from artforge.core.seeding import seeded
from artforge.core.train_config import TrainConfig
from artforge.core.trainer import Trainer, TrainResult
from artforge.data.text import Corpus, load_corpus
from artforge.errors import UserError
from artforge.text.model import PRESETS, GPTModel, TokenWindows
from artforge.text.pipeline import encode_documents, load_text_model
from artforge.text.tokenizer import TextTokenizer, control_token

VAL_WINDOWS = 256
MAX_UNKNOWN_SHARE = 0.5
"""Fine-tuning adds the characters a model lacks to its vocabulary, unless more than this
share of the new text is in them (then it would be learning a new script, not adapting)."""


@dataclasses.dataclass
class TextTrainOptions:
    tokenizer: str = "char"
    vocab_size: int = 4096
    preset: str = "tiny"
    block_size: int | None = None
    init_from: str | None = None
    """A model folder (ours or a Hugging Face GPT-2 one) to fine-tune instead of starting fresh."""
    simplified: bool = False


def train_text(data: str, out: Path, train: TrainConfig, options: TextTrainOptions | None = None,
               *, resume: bool = False, catalog: bool = True,
               report: Callable[[str], None] | None = None) -> TrainResult:
    """Train (or fine-tune, or resume) a GPT on the corpus `data` into run folder `out`.

    `report` is told about every file of the corpus that was skipped, and why."""
    options = options or TextTrainOptions()
    out = Path(out)
    # 1. Check inputs and read the corpus.
    if options.preset not in PRESETS:
        raise UserError(f"unknown preset {options.preset!r}; choose one of {', '.join(PRESETS)}.")
    corpus = load_corpus(data, simplified=options.simplified)
    for file, reason in corpus.skipped if report else ():
        report(f"skipped {file}: {reason}")
    # 2. The model and its tokenizer: from the run when resuming, from `init_from` when
    #    fine-tuning, else a new tokenizer learned from the corpus and a preset-sized GPT.
    previous = checkpoint.latest_checkpoint(out) if resume else None
    with seeded(train.seed):
        if previous is not None:
            model = GPTModel.load(previous)
            model.corpus_text = model.corpus_text or corpus.train_text()
        elif options.init_from:
            model = _fine_tuned(options.init_from, corpus, report)
        else:
            model = _new_model(corpus, options)
            model.corpus_text = corpus.train_text()
    # 3. Token streams and windows.
    block = model.config.block_size
    train_tokens = encode_documents(model.tokenizer, corpus.train)
    val_tokens = encode_documents(model.tokenizer, corpus.validation)
    if len(train_tokens) <= block + 1:
        raise UserError(f"the corpus has {len(train_tokens)} training tokens, fewer than the "
                        f"block size {block}; give more text or a smaller --block-size.")
    train_data = TokenWindows(train_tokens, block)
    val_block = min(block, len(val_tokens) - 1)
    # Validation during training scores at most VAL_WINDOWS evenly spread windows
    # (`artforge text eval` scores every token).
    stride = max(val_block, (len(val_tokens) - 1) // VAL_WINDOWS)
    val_data = TokenWindows(val_tokens, val_block, stride=stride) if val_block > 1 else None
    # 4. The shared training loop, catalogued.
    trainer = Trainer(model, train, out, train_data, val_data, resume=resume,
                      data_note=f"{data}: {corpus.characters():,} characters, "
                                f"{len(train_tokens):,} training tokens")
    params = {"data": data, "options": dataclasses.asdict(options), "train": train.to_dict()}
    return RunRecord("text.train", params, train.seed, out, enabled=catalog).fit(trainer)


def _fine_tuned(source: str, corpus: Corpus, report: Callable[[str], None] | None
               ) -> GPTModel:
    """The model to fine-tune: `source` with the corpus' new characters added to its
    vocabulary, remembering both training texts (originality is measured against both)."""
    model = load_text_model(source)
    texts = [d.text for d in corpus.train + corpus.validation]
    missing = model.tokenizer.missing_characters(texts)
    unknown = sum(text.count(ch) for text in texts for ch in missing)
    total = sum(len(text) for text in texts)
    if unknown > MAX_UNKNOWN_SHARE * total:
        raise UserError(f"{source} knows too few of your text's characters ({unknown:,} of "
                        f"{total:,} are new to it, e.g. {''.join(missing[:5])!r}); fine-tune "
                        "a model of the same language, or train from nothing without "
                        "--init-from.")
    if missing:
        model.grow_vocabulary(model.tokenizer.with_characters(missing))
        if report:
            shown = "".join(missing[:20]) + ("..." if len(missing) > 20 else "")
            report(f"added {len(missing)} character(s) {source} had never seen to its "
                   f"vocabulary ({shown!r}); it learns them from your text")
    model.corpus_text = "\n\n".join(t for t in (model.corpus_text, corpus.train_text()) if t)
    return model


def _new_model(corpus: Corpus, options: TextTrainOptions) -> GPTModel:
    controls = [control_token(c) for c in corpus.controls()]
    texts = [d.text for d in corpus.train + corpus.validation]
    tokenizer = TextTokenizer.train(texts, options.tokenizer, options.vocab_size, controls)
    config = PRESETS[options.preset].replace(vocab_size=tokenizer.vocab_size)
    if options.block_size:
        config = config.replace(block_size=options.block_size)
    return GPTModel(config, tokenizer)
