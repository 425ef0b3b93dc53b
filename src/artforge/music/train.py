"""Training a music model on a folder of MIDI (or builtin:bach / builtin:folk)."""

import dataclasses
from pathlib import Path

import torch

from artforge.catalog.runs import RunRecord
from artforge.core import checkpoint, distributed
from artforge.core.config import Config
from artforge.core.seeding import seeded
from artforge.core.train_config import TrainConfig
from artforge.core.trainer import Trainer, TrainResult
from artforge.errors import UserError
from artforge.music.dataset import TokenWindows
from artforge.music.datasets import cache_dir, training_splits
from artforge.music.ingest import Corpus, tokenise
from artforge.music.model import MusicConfig, music_model_class
from artforge.music.tokens import TOKENIZER_FILE, load_tokenizer, make_tokenizer, train_bpe


@dataclasses.dataclass
class MusicTrainResult:
    result: TrainResult
    corpus: Corpus
    """The files used (training and validation) and skipped, with reasons."""
    train_pieces: int


def train_music(data: str, out: Path, train: TrainConfig, *, arch: str = "lstm",
                model_config: MusicConfig | None = None, tokenizer: str = "REMI", bpe: int = 0,
                transpose: int = 5, resume: bool = False, catalog: bool = True,
                init_from: str | Path | None = None) -> MusicTrainResult:
    """Train `arch` on `data` into the run folder `out`; a resumed run keeps its own config
    and tokenizer. `init_from` (a model folder or builtin:NAME) fine-tunes that model instead,
    with its architecture, size and tokenizer: a user's MIDI is read with the model's own
    tokens (notes outside its pitch range are left out, as in training)."""
    # 1. Check inputs; when resuming, take the architecture, config and tokenizer saved.
    out = Path(out)
    previous = checkpoint.latest_checkpoint(out) if resume else None
    source = None
    if previous is not None:
        header = checkpoint.read_header(previous)
        cls = music_model_class(header["kind"])
        config = MusicConfig.from_dict(header["config"])
        tokens = load_tokenizer(config.tokenizer, previous / TOKENIZER_FILE)
    elif init_from is not None:
        from artforge.music.pipeline import load_music_model

        source = load_music_model(init_from)
        cls, config, tokens = type(source), source.config, source.tokenizer
    else:
        cls = music_model_class(arch)
        config = model_config or MusicConfig()
        tokens = make_tokenizer(tokenizer)
    # 2. Read and tokenise the music (cached), learning BPE merges first if asked.
    splits = training_splits(data)
    corpus = tokenise(splits.train, tokens, cache_dir() / "tokens")
    if bpe and previous is None and source is None and corpus.pieces:
        train_bpe(tokens, [piece.path for piece in corpus.pieces], bpe)
        corpus = tokenise(splits.train, tokens, cache_dir() / "tokens")
    if not corpus.pieces:
        first = ""
        if corpus.skipped:
            first = f" (e.g. {corpus.skipped[0][0].name}: {corpus.skipped[0][1]})"
        raise UserError(f"{data} has no usable notes: every file was skipped{first}.")
    held = tokenise(splits.validation, tokens, cache_dir() / "tokens")
    config = config.replace(vocab_size=len(tokens), tokenizer=type(tokens).__name__)
    # 3. Windows of tokens; pitches are transposed at random unless BPE merged them.
    pitch_ids = _pitch_ids(tokens) if not tokens.is_trained else None
    dataset = TokenWindows([p.ids for p in corpus.pieces], config.context,
                           tokens.vocab["BOS_None"], pitch_ids, transpose)
    val = TokenWindows([p.ids for p in held.pieces], config.context, tokens.vocab["BOS_None"])
    share = len(dataset) // distributed.world_size()
    train = train.replace(batch_size=max(1, min(train.batch_size, share)))
    # 4. Seeded model, then the shared training loop.
    with seeded(train.seed):
        model = cls.from_config(config)
    model.tokenizer = tokens
    if source is not None:
        model.load_state_dict(source.state_dict())
    trainer = Trainer(model, train, out, dataset, val_data=val if len(val) else None,
                      resume=resume, data_note=splits.note)
    result = music_run(data, out, train, config, cls.kind, catalog).fit(trainer)
    return MusicTrainResult(result, Corpus(corpus.pieces + held.pieces,
                                           corpus.skipped + held.skipped), len(corpus.pieces))


def _pitch_ids(tokens) -> torch.Tensor:
    low, high = tokens.config.pitch_range
    return torch.tensor([tokens.vocab[f"Pitch_{p}"] for p in range(low, high)])


def music_run(data: str, out: Path, train: TrainConfig, config: Config, kind: str,
              catalog: bool) -> RunRecord:
    """The catalog row of a music training run."""
    params = {"data": data, "arch": kind, "train": train.to_dict(), "model": config.to_dict()}
    return RunRecord(f"music.train.{kind}", params, train.seed, out, enabled=catalog)
