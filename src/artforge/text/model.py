"""The `gpt` model: the GPT network, its config and its tokenizer, saved as one folder."""

import dataclasses
import gzip
from pathlib import Path

import torch
import torch.nn.functional as F
from torch.utils.data import Dataset

from artforge.core.config import Config, require
from artforge.core.model import ArtModel
from artforge.core.registry import MODELS
from artforge.text.network import GELU_APPROXIMATION, GPT
from artforge.text.tokenizer import TextTokenizer

CORPUS_FILE = "corpus.txt.gz"


@dataclasses.dataclass
class GPTConfig(Config):
    vocab_size: int = 256
    block_size: int = 256
    n_layer: int = 4
    n_head: int = 4
    n_embd: int = 128
    dropout: float = 0.0
    layer_norm_eps: float = 1e-5
    activation: str = "gelu_new"
    """"gelu" (exact, faster on a CPU; the presets') or "gelu_new" (GPT-2's tanh approximation,
    which folders saved before this option existed were trained with)."""

    def validate(self) -> None:
        require([
            (self.vocab_size > 0 and self.block_size > 1, "vocab and block size must be > 0"),
            (self.n_layer > 0 and self.n_head > 0, "a GPT needs at least one layer and head"),
            (self.n_embd % self.n_head == 0, "n_embd must be a multiple of n_head"),
            (0 <= self.dropout < 1, "dropout must be in [0, 1)"),
            (self.activation in GELU_APPROXIMATION, "activation must be gelu or gelu_new"),
        ])


PRESETS: dict[str, GPTConfig] = {
    # Minutes on a CPU: a few hundred thousand parameters, readable after ~1,000 steps.
    "tiny": GPTConfig(block_size=128, n_layer=4, n_head=4, n_embd=128, dropout=0.0,
                      activation="gelu"),
    # The shipped verse models' size: an hour or two on a CPU, about 3M parameters besides
    # the embedding, 10 MB or less in float16 with a few thousand characters.
    "mini": GPTConfig(block_size=128, n_layer=4, n_head=4, n_embd=256, dropout=0.1,
                      activation="gelu"),
    # mini's width, nearly twice its depth and more dropout: minutes on a GPU, which passes
    # over a corpus the size of builtin:tang's tens of times. About 5.5M parameters besides
    # the embedding; with 7,679 characters, 15 MB in float16 (under the 16 MiB a file that
    # comes back from a lent GPU machine may have: scripts/gpu-train.sh).
    "mini-deep": GPTConfig(block_size=128, n_layer=7, n_head=4, n_embd=256, dropout=0.2,
                           activation="gelu"),
    # Hours on a CPU (nanoGPT's Shakespeare-char size, about 10M parameters).
    "small": GPTConfig(block_size=256, n_layer=6, n_head=6, n_embd=384, dropout=0.2,
                       activation="gelu"),
    # A GPU: GPT-2 small's shape (124M parameters with GPT-2's vocabulary).
    "base": GPTConfig(block_size=1024, n_layer=12, n_head=12, n_embd=768, dropout=0.1,
                      activation="gelu"),
}


@MODELS.register("gpt")
class GPTModel(ArtModel):
    kind = "gpt"
    config_class = GPTConfig

    def __init__(self, config: GPTConfig, tokenizer: TextTokenizer | None = None) -> None:
        super().__init__(config)
        self.net = GPT(config.vocab_size, config.block_size, config.n_layer, config.n_head,
                       config.n_embd, config.dropout, config.layer_norm_eps, config.activation)
        self.tokenizer = tokenizer
        self.corpus_text: str | None = None
        """The training text, kept in the folder so every generation can report originality."""

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        return self.net(idx)

    def training_step(self, batch: tuple[torch.Tensor, torch.Tensor]) -> dict[str, torch.Tensor]:
        inputs, targets = batch
        logits = self.net(inputs)
        return {"loss": F.cross_entropy(logits.flatten(0, 1), targets.flatten())}

    def configure_optimizer(self, lr: float, weight_decay: float, betas: tuple[float, float]
                            ) -> torch.optim.Optimizer:
        # Decay matrices only; biases, LayerNorm gains and positions stay undecayed (GPT-2).
        decay = [p for p in self.parameters() if p.dim() >= 2]
        rest = [p for p in self.parameters() if p.dim() < 2]
        groups = [{"params": decay, "weight_decay": weight_decay},
                  {"params": rest, "weight_decay": 0.0}]
        # The fused kernel (CPU and CUDA) does one pass over each tensor instead of several.
        return torch.optim.AdamW(groups, lr=lr, betas=betas, fused=True)

    def grow_vocabulary(self, tokenizer: TextTokenizer) -> None:
        """Take `tokenizer`, which extends this model's (same ids, new tokens after them):
        each new token's embedding starts as the mean of the known ones, so the model first
        reads a new character as "some character" and learns it from the text."""
        old = self.net.transformer.wte.weight.data
        added = tokenizer.vocab_size - old.shape[0]
        if added < 0:
            raise ValueError("a tokenizer can only grow the vocabulary")
        embedding = torch.nn.Embedding(tokenizer.vocab_size, old.shape[1], device=old.device,
                                       dtype=old.dtype)
        embedding.weight.data[:len(old)] = old
        embedding.weight.data[len(old):] = old.mean(dim=0)
        self.net.transformer.wte = embedding
        self.net.lm_head.weight = embedding.weight  # still tied
        self.config = self.config.replace(vocab_size=tokenizer.vocab_size)
        self.tokenizer = tokenizer

    # Files: the tokenizer and the training text travel with the weights ------------------
    def extra_files(self) -> dict[str, bytes]:
        files = self.tokenizer.files() if self.tokenizer is not None else {}
        if self.corpus_text is not None:
            files[CORPUS_FILE] = gzip.compress(self.corpus_text.encode(), mtime=0)
        return files

    def load_extra_files(self, folder: Path) -> None:
        if (Path(folder) / "tokenizer.json").is_file():
            self.tokenizer = TextTokenizer.load(folder)
        corpus = Path(folder) / CORPUS_FILE
        self.corpus_text = (gzip.decompress(corpus.read_bytes()).decode() if corpus.is_file()
                            else None)


class TokenWindows(Dataset):
    """Windows of `block_size + 1` tokens from one long token stream, as (input, target).

    Training windows start anywhere (item i starts at token i); validation windows
    (`stride=block_size`) tile the stream without overlap, so every token is scored once.
    """

    def __init__(self, tokens: torch.Tensor, block_size: int, stride: int = 1) -> None:
        self.tokens, self.block_size, self.stride = tokens, block_size, stride

    def __len__(self) -> int:
        return max(0, (len(self.tokens) - self.block_size - 1) // self.stride + 1)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        x, y = self.__getitems__([index])
        return x[0], y[0]

    def __getitems__(self, indices: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
        starts = torch.as_tensor(indices) * self.stride
        rows = self.tokens[starts[:, None] + torch.arange(self.block_size + 1)]
        return rows[:, :-1], rows[:, 1:]
