"""MusicVAE's networks (Roberts et al., 2018), small enough for a CPU: a bidirectional LSTM
encoder to (mu, sigma), a flat LSTM decoder for short melodies and a hierarchical one (a
"conductor" LSTM writes one embedding per bar; a bar decoder, reset at every bar, writes the
bar's steps from it) for long ones. Pure modules: no files."""

import torch
import torch.nn.functional as F
from torch import nn

from artforge.music.melody import STEPS_PER_BAR

State = tuple[torch.Tensor, torch.Tensor]


class Encoder(nn.Module):
    """Tokens (batch, steps) → mu, sigma (batch, latent) from the last states of both
    directions; sigma through a softplus, as in MusicVAE."""

    def __init__(self, vocab: int, embed: int, hidden: int, latent: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, embed)
        self.lstm = nn.LSTM(embed, hidden, batch_first=True, bidirectional=True)
        self.mu = nn.Linear(2 * hidden, latent)
        self.sigma = nn.Linear(2 * hidden, latent)

    def forward(self, tokens: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return gaussian(self.mu, self.sigma, last_states(self.lstm, self.embed(tokens)))


def last_states(lstm: nn.LSTM, inputs: torch.Tensor) -> torch.Tensor:
    """The last hidden states of a one-layer bidirectional LSTM's two directions, side by
    side: (batch, 2 * hidden)."""
    _, (h_n, _) = lstm(inputs)
    return torch.cat([h_n[0], h_n[1]], dim=-1)


def gaussian(mu: nn.Linear, sigma: nn.Linear, last: torch.Tensor
             ) -> tuple[torch.Tensor, torch.Tensor]:
    """mu and a softplus sigma of q(z | melody) from an encoder's summary."""
    return mu(last), F.softplus(sigma(last)) + 1e-4


class BarEncoder(nn.Module):
    """MusicVAE's hierarchical encoder: a bidirectional LSTM reads each bar (all bars of the
    batch at once), a second one reads the bars' summaries. Each recurrence runs 16 steps
    instead of the whole melody, so gradients reach z along short paths (the work is about
    the same as one LSTM over 256 steps)."""

    def __init__(self, vocab: int, embed: int, hidden: int, latent: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, embed)
        self.bar = nn.LSTM(embed, hidden, batch_first=True, bidirectional=True)
        self.song = nn.LSTM(2 * hidden, hidden, batch_first=True, bidirectional=True)
        self.mu = nn.Linear(2 * hidden, latent)
        self.sigma = nn.Linear(2 * hidden, latent)

    def forward(self, tokens: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        bars = tokens.reshape(-1, STEPS_PER_BAR)
        summaries = last_states(self.bar, self.embed(bars)).view(len(tokens), -1,
                                                                 2 * self.bar.hidden_size)
        return gaussian(self.mu, self.sigma, last_states(self.song, summaries))


class InitialState(nn.Module):
    """A code → the (h, c) an LSTM starts from: one tanh layer, as MusicVAE does."""

    def __init__(self, code: int, hidden: int, layers: int) -> None:
        super().__init__()
        self.hidden, self.layers = hidden, layers
        # With no code (the no-latent baseline) the start state is simply learned.
        self.linear = nn.Linear(code, 2 * hidden * layers) if code else None
        self.learned = None if code else nn.Parameter(torch.zeros(2 * hidden * layers))

    def forward(self, code: torch.Tensor) -> State:
        raw = (self.linear(code) if self.linear is not None
               else self.learned.expand(len(code), -1))
        values = torch.tanh(raw).view(len(code), 2, self.layers, self.hidden)
        h, c = values.permute(1, 2, 0, 3).contiguous()
        return h, c


class StepDecoder(nn.Module):
    """An LSTM that reads the previous token and a code at every step and predicts the next
    token; the code also sets its initial state."""

    def __init__(self, vocab: int, embed: int, code: int, hidden: int, layers: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab + 1, embed)  # the extra id is the start input
        self.start_id = vocab
        self.init = InitialState(code, hidden, layers)
        self.lstm = nn.LSTM(embed + code, hidden, layers, batch_first=True)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, previous: torch.Tensor, code: torch.Tensor, state: State | None = None
                ) -> tuple[torch.Tensor, State]:
        """Logits (batch, steps, vocab) given the previous tokens (batch, steps)."""
        if state is None:
            state = self.init(code)
        inputs = torch.cat([self.embed(previous),
                            code[:, None].expand(-1, previous.shape[1], -1)], dim=-1)
        out, state = self.lstm(inputs, state)
        return self.out(out), state


def shifted(tokens: torch.Tensor, start_id: int, dropout: float = 0.0) -> torch.Tensor:
    """The input of teacher forcing: the start id, then every token but the last; with
    `dropout` (training only) that share of inputs is replaced by the start id too ("word
    dropout", Bowman et al. 2016), so the decoder cannot lean on the previous notes alone and
    must read the melody from z."""
    previous = torch.cat([torch.full_like(tokens[:, :1], start_id), tokens[:, :-1]], dim=1)
    if dropout:
        hidden = torch.rand(previous.shape, device=previous.device) < dropout
        previous = previous.masked_fill(hidden, start_id)
    return previous


class FlatDecoder(nn.Module):
    def __init__(self, vocab: int, embed: int, latent: int, hidden: int, layers: int) -> None:
        super().__init__()
        self.steps = StepDecoder(vocab, embed, latent, hidden, layers)

    restarts = False

    def forward(self, z: torch.Tensor, tokens: torch.Tensor, dropout: float = 0.0
                ) -> torch.Tensor:
        """Teacher-forced logits (batch, steps, vocab) of `tokens` given z."""
        return self.steps(shifted(tokens, self.steps.start_id, dropout), z)[0]

    def bar_codes(self, z: torch.Tensor, bars: int) -> list[torch.Tensor]:
        """What the step decoder reads while generating: z for the whole melody."""
        return [z]


class HierarchicalDecoder(nn.Module):
    """z → conductor LSTM (inputs all zero, state from z) → one code per bar → bar decoder.
    The bar decoder's state is set from each bar's code, so every bar must listen to the
    conductor, while its previous-token input still runs across the bar line."""

    restarts = False
    """The bar decoder's previous-token input and what sounds carry over the bar line."""

    def __init__(self, vocab: int, embed: int, latent: int, conductor: int, hidden: int,
                 layers: int) -> None:
        super().__init__()
        self.conductor_init = InitialState(latent, conductor, 1)
        self.conductor = nn.LSTM(1, conductor, batch_first=True)
        self.steps = StepDecoder(vocab, embed, conductor, hidden, layers)

    def conduct(self, z: torch.Tensor, bars: int) -> torch.Tensor:
        codes, _ = self.conductor(z.new_zeros(len(z), bars, 1), self.conductor_init(z))
        return codes

    def forward(self, z: torch.Tensor, tokens: torch.Tensor, dropout: float = 0.0
                ) -> torch.Tensor:
        batch, steps = tokens.shape
        codes = self.conduct(z, bars := steps // STEPS_PER_BAR)
        previous = shifted(tokens, self.steps.start_id, dropout).reshape(batch * bars,
                                                                         STEPS_PER_BAR)
        logits, _ = self.steps(previous, codes.reshape(batch * bars, -1))
        return logits.view(batch, steps, -1)

    def bar_codes(self, z: torch.Tensor, bars: int) -> list[torch.Tensor]:
        return list(self.conduct(z, bars).unbind(dim=1))


class PhraseEncoder(nn.Module):
    """The encoder of a long model built on a trained short one: the short model's encoder
    reads each phrase (frozen; all phrases of the batch at once) and gives its mean code, and
    a bidirectional LSTM reads the phrases' codes in order."""

    def __init__(self, phrase: Encoder, phrase_steps: int, hidden: int, latent: int) -> None:
        super().__init__()
        self.phrase, self.phrase_steps = phrase, phrase_steps
        self.phrase.requires_grad_(False)
        width = phrase.mu.out_features
        self.song = nn.LSTM(width, hidden, batch_first=True, bidirectional=True)
        self.mu = nn.Linear(2 * hidden, latent)
        self.sigma = nn.Linear(2 * hidden, latent)

    def phrase_codes(self, tokens: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """mu and sigma (batch, phrases, phrase latent) of the short model's q(z | phrase)."""
        with torch.no_grad():
            mu, sigma = self.phrase(tokens.reshape(-1, self.phrase_steps))
        return mu.view(len(tokens), -1, mu.shape[-1]), sigma.view(len(tokens), -1, mu.shape[-1])

    def summarise(self, codes: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """mu and sigma of q(z | melody) from the phrases' mean codes (batch, phrases, width)."""
        return gaussian(self.mu, self.sigma, last_states(self.song, codes))

    def forward(self, tokens: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.summarise(self.phrase_codes(tokens)[0])


class PhraseDecoder(HierarchicalDecoder):
    """The conductor writes one code per phrase in the short model's latent space (through a
    linear layer), and the short model's decoder (frozen) writes each phrase from it, starting
    afresh as it was trained to: the phrases are exactly what the short model makes of those
    codes."""

    restarts = True
    """Each phrase is decoded on its own (start symbol, nothing sounding)."""

    def __init__(self, steps: StepDecoder, phrase_steps: int, latent: int, conductor: int
                 ) -> None:
        nn.Module.__init__(self)
        self.phrase_steps = phrase_steps
        self.conductor_init = InitialState(latent, conductor, 1)
        self.conductor = nn.LSTM(1, conductor, batch_first=True)
        self.to_code = nn.Linear(conductor, steps.init.linear.in_features)
        self.steps = steps
        self.steps.requires_grad_(False)

    def conduct(self, z: torch.Tensor, phrases: int) -> torch.Tensor:
        """The phrase codes (batch, phrases, phrase latent) the conductor writes from z."""
        return self.to_code(super().conduct(z, phrases))

    def forward(self, z: torch.Tensor, tokens: torch.Tensor, dropout: float = 0.0
                ) -> torch.Tensor:
        batch, steps = tokens.shape
        codes = self.conduct(z, phrases := steps // self.phrase_steps)
        phrase_tokens = tokens.reshape(batch * phrases, self.phrase_steps)
        logits, _ = self.steps(shifted(phrase_tokens, self.steps.start_id, dropout),
                               codes.reshape(batch * phrases, -1))
        return logits.view(batch, steps, -1)

    def bar_codes(self, z: torch.Tensor, bars: int) -> list[torch.Tensor]:
        phrases = bars * STEPS_PER_BAR // self.phrase_steps
        return list(self.conduct(z, phrases).unbind(dim=1))
