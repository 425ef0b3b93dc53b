"""Band models: what every multi-track architecture offers (write passages from nothing, or
around a given melody track), and the multi-track token Transformer, `band-transformer`."""

import dataclasses

import torch
import torch.nn.functional as F

from artforge.core.config import Config, require
from artforge.core.model import ArtModel
from artforge.core.registry import MODELS
from artforge.core.sampling import SamplingConfig, choose, process_logits
from artforge.music.band import tokens as T
from artforge.music.band.tracks import BARS, CHORALE, CHORALE_PROGRAMS, MAX_TRACKS, Note, Passage
from artforge.music.networks import MusicTransformer

Guide = list[frozenset[int]]
"""The pitch classes added tracks may start a note on, for each 16th of a passage."""


@dataclasses.dataclass
class BandConfig(Config):
    tracks: tuple[str, ...] = CHORALE
    """Track names in order; the first is the melody that `accompany` is given."""
    programs: tuple[int, ...] = CHORALE_PROGRAMS
    """General MIDI instrument of each track in the files written."""
    ranges: tuple[int, ...] = ()
    """Lowest and highest pitch of each track (flattened pairs), set from the training data."""
    bars: int = BARS

    def pitch_ranges(self) -> list[tuple[int, int]]:
        if not self.ranges:
            return [(0, 127)] * len(self.tracks)
        return list(zip(self.ranges[::2], self.ranges[1::2], strict=True))

    def validate(self) -> None:
        require([
            (1 <= len(self.tracks) <= MAX_TRACKS, f"a band has 1 to {MAX_TRACKS} tracks"),
            (len(set(self.tracks)) == len(self.tracks), "track names must differ"),
            (len(self.programs) == len(self.tracks), "give one program per track"),
            (len(self.ranges) in (0, 2 * len(self.tracks)), "give one pitch range per track"),
            (1 <= self.bars <= 16, "--bars must be between 1 and 16"),
        ])


class BandModel(ArtModel):
    """The hooks every band architecture fills in."""

    def fits(self, passage: Passage) -> bool:
        """Whether the passage can be a training example (token models have a context)."""
        return True

    def batch_of(self, passages: list[Passage]) -> object:
        """The training batch of these passages (tokens, piano rolls...)."""
        raise NotImplementedError

    def generate(self, count: int, generator: torch.Generator, temperature: float = 1.0
                 ) -> list[Passage]:
        raise NotImplementedError

    def accompany(self, melody: list[Note], count: int, generator: torch.Generator,
                  temperature: float = 1.0, guide: Guide | None = None) -> list[Passage]:
        """Passages whose first track is `melody` and whose other tracks are new; with a
        `guide` (pitch classes for each 16th), every added pitched track keeps to it."""
        raise NotImplementedError

    def guided(self, guide: Guide | None) -> list[Guide | None]:
        """Per track: `guide`, except for the given melody and the drums (no pitches)."""
        return [None if i == 0 or name == "drums" else guide
                for i, name in enumerate(self.config.tracks)]


@dataclasses.dataclass
class TransformerBandConfig(BandConfig):
    width: int = 96
    layers: int = 2
    heads: int = 4
    dropout: float = 0.0
    """Attention dropout costs a third of a CPU step; transposition is the regulariser."""
    context: int = 512
    """Tokens of the longest passage; longer ones are left out of training."""

    def validate(self) -> None:
        super().validate()
        require([
            (self.width % self.heads == 0 and (self.width // self.heads) % 2 == 0,
             "--width must be a multiple of twice --heads"),
            (self.layers >= 1 and 0 <= self.dropout < 1, "bad --layers or --dropout"),
            (self.context >= 16, "--context must be at least 16"),
        ])


@MODELS.register("band-transformer")
class BandTransformer(BandModel):
    kind = "band-transformer"
    config_class = TransformerBandConfig

    def __init__(self, config: TransformerBandConfig) -> None:
        super().__init__(config)
        self.net = MusicTransformer(T.VOCAB, config.width, config.layers, config.heads,
                                    config.dropout)

    def fits(self, passage: Passage) -> bool:
        return len(T.encode(passage, self.config.bars)) <= self.config.context + 1

    def batch_of(self, passages: list[Passage]) -> torch.Tensor:
        rows = [T.encode(p, self.config.bars)[:self.config.context + 1] for p in passages]
        width = max(map(len, rows))
        return torch.tensor([row + [T.PAD] * (width - len(row)) for row in rows])

    def training_step(self, batch: torch.Tensor) -> dict[str, torch.Tensor]:
        logits = self.net(batch[:, :-1])
        loss = F.cross_entropy(logits.flatten(0, 1).float(), batch[:, 1:].flatten(),
                               ignore_index=T.PAD)
        return {"loss": loss}

    @torch.no_grad()
    def _continue(self, prefixes: list[list[int]], generator: torch.Generator,
                  temperature: float, guide: Guide | None = None) -> list[Passage]:
        """Sample every prefix on to EOS under the grammar, all rows in one batch."""
        self.eval()
        cfg, device = self.config, next(self.parameters()).device
        sampling = SamplingConfig(temperature=temperature, top_k=0, top_p=0.95)
        grammars = []
        for prefix in prefixes:
            grammar = T.Grammar(len(cfg.tracks), cfg.bars, cfg.pitch_ranges(),
                                self.guided(guide))
            for token in prefix:
                grammar.advance(token)
            grammars.append(grammar)
        rows = torch.tensor(prefixes, device=device)
        done = torch.zeros(len(rows), dtype=torch.bool, device=device)
        cache = self.net.new_cache(len(rows), cfg.context + 1)
        fresh = rows
        while not bool(done.all()) and rows.shape[1] < cfg.context + 1:
            # sampled on the CPU, with a CPU generator
            logits = self.net(fresh, cache)[:, -1].float().cpu()
            allowed = torch.stack([g.allowed() for g in grammars])
            token = choose(process_logits(logits, rows[:, -1:].cpu(), sampling, allowed),
                           sampling, generator).to(device)
            token = torch.where(done, torch.full_like(token, T.PAD), token)
            for grammar, value, finished in zip(grammars, token.tolist(), done.tolist(),
                                                strict=True):
                if not finished:
                    grammar.advance(value)
            done |= token == T.EOS
            fresh = token[:, None]
            rows = torch.cat([rows, fresh], dim=1)
        return [T.decode(row, len(cfg.tracks), cfg.bars) for row in rows.tolist()]

    def generate(self, count: int, generator: torch.Generator, temperature: float = 1.0
                 ) -> list[Passage]:
        return self._continue([[T.BOS]] * count, generator, temperature)

    def accompany(self, melody: list[Note], count: int, generator: torch.Generator,
                  temperature: float = 1.0, guide: Guide | None = None) -> list[Passage]:
        prefix = [T.BOS, T.TRACK, *T.track_tokens(melody, self.config.bars), T.TRACK + 1]
        passages = self._continue([prefix] * count, generator, temperature, guide)
        for passage in passages:  # the given melody, exactly, even where it broke a rule
            passage[0] = sorted(melody)
        return passages
