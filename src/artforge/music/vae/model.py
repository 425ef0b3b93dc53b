"""`musicvae`: a recurrent VAE over 2-bar (flat decoder) or 16-bar (hierarchical decoder)
melodies, trained by the core Trainer with KL annealing and free bits (MusicVAE's objective:
reconstruction + beta * max(KL - free nats, 0), beta rising over the first steps)."""

import dataclasses
import math

import torch
import torch.nn.functional as F
from torch import nn

from artforge.core.config import Config, require
from artforge.core.model import ArtModel
from artforge.core.registry import MODELS
from artforge.core.sampling import SamplingConfig, choose, process_logits
from artforge.errors import UserError
from artforge.music.melody import HOLD, REST, STEPS_PER_BAR, VOCAB
from artforge.music.vae.networks import (
    BarEncoder,
    Encoder,
    FlatDecoder,
    HierarchicalDecoder,
    PhraseDecoder,
    PhraseEncoder,
    StepDecoder,
    shifted,
)


@dataclasses.dataclass
class MelodyVAEConfig(Config):
    bars: int = 2
    """Melody length; more than 2 bars uses the hierarchical (conductor) decoder."""
    latent: int = 64
    """Size of z; 0 builds no encoder: a plain LSTM melody model (the benchmark's baseline)."""
    embed: int = 32
    encoder_hidden: int = 256
    """Per direction."""
    conductor_hidden: int = 256
    decoder_hidden: int = 256
    decoder_layers: int = 1
    bar_encoder: bool = False
    """Encode bar by bar, then the bars (MusicVAE's hierarchical encoder); `music vae train`
    turns it on for 16 bars."""
    input_dropout: float = 0.0
    """Share of the decoder's previous-token inputs hidden while training (word dropout)."""
    beta: float = 0.2
    """KL weight reached at the end of the annealing."""
    kl_anneal_steps: int = 1000
    """beta grows linearly from 0 over these optimizer steps."""
    free_bits: float = 32.0
    """KL (in bits per melody) that costs nothing, so the code can carry that much freely
    (MusicVAE: 48 for 2 bars, 256 for 16; `music vae train` uses 32 and 128 for small models)."""
    phrase_bars: int = 0
    """0: MusicVAE's design, every part trained from nothing. More (`music vae train --phrases
    RUN`): built on a trained short VAE of this many bars, whose encoder reads each phrase and
    whose decoder writes each phrase from the code the conductor gives it, both frozen; the
    rest learns to encode the phrases' codes and give them back."""
    phrase_latent: int = 0
    """The short model's code size (with `phrase_bars`)."""
    phrase_source: str = ""
    """Where the short model was read from (a record; its weights are in this model's)."""

    @property
    def hierarchical(self) -> bool:
        return self.bars > 2

    def on_phrases(self, short: "MelodyVAEConfig", source: str = "") -> "MelodyVAEConfig":
        """This config built on a trained short model's: its phrase length, code size and
        layer sizes (the conductor and the phrase-code LSTM keep this config's)."""
        if short.hierarchical or short.phrased or not short.latent:
            raise UserError(f"--phrases must be a 1- or 2-bar VAE with codes, not a "
                            f"{short.bars}-bar {'one' if short.latent else 'model without codes'}.")
        if self.bars <= short.bars or self.bars % short.bars:
            raise UserError(f"a {self.bars}-bar model cannot be built on {short.bars}-bar phrases.")
        return self.replace(phrase_bars=short.bars, phrase_latent=short.latent,
                            phrase_source=source, embed=short.embed,
                            encoder_hidden=short.encoder_hidden,
                            decoder_hidden=short.decoder_hidden,
                            decoder_layers=short.decoder_layers)

    @property
    def phrased(self) -> bool:
        return self.phrase_bars > 0

    @property
    def steps(self) -> int:
        return self.bars * STEPS_PER_BAR

    def validate(self) -> None:
        require([
            (1 <= self.bars <= 64, "--bars must be between 1 and 64"),
            (self.latent >= 0, "--latent must be 0 (no latent) or more"),
            (min(self.embed, self.encoder_hidden, self.conductor_hidden, self.decoder_hidden,
                 self.decoder_layers) >= 1, "layer sizes must be at least 1"),
            (self.beta >= 0 and self.free_bits >= 0, "--beta and --free-bits must be 0 or more"),
            (self.kl_anneal_steps >= 0, "--kl-anneal-steps must be 0 or more"),
            (0 <= self.input_dropout < 1, "--input-dropout must be at least 0 and below 1"),
            (not self.phrased or (self.bars > self.phrase_bars
                                  and self.bars % self.phrase_bars == 0
                                  and self.latent >= 1 and self.phrase_latent >= 1),
             "a model built on phrases must be a multiple of their length, with codes"),
        ])


def _networks(c: MelodyVAEConfig) -> tuple[nn.Module | None, nn.Module]:
    """The encoder (None without a latent) and decoder the config asks for."""
    if c.phrased:
        steps = c.phrase_bars * STEPS_PER_BAR
        phrase = Encoder(VOCAB, c.embed, c.encoder_hidden, c.phrase_latent)
        writer = StepDecoder(VOCAB, c.embed, c.phrase_latent, c.decoder_hidden, c.decoder_layers)
        return (PhraseEncoder(phrase, steps, c.conductor_hidden, c.latent),
                PhraseDecoder(writer, steps, c.latent, c.conductor_hidden))
    if not c.latent:
        encoder = None
    elif c.bar_encoder:
        encoder = BarEncoder(VOCAB, c.embed, c.encoder_hidden, c.latent)
    else:
        encoder = Encoder(VOCAB, c.embed, c.encoder_hidden, c.latent)
    if c.hierarchical:
        return encoder, HierarchicalDecoder(VOCAB, c.embed, c.latent, c.conductor_hidden,
                                            c.decoder_hidden, c.decoder_layers)
    return encoder, FlatDecoder(VOCAB, c.embed, c.latent, c.decoder_hidden, c.decoder_layers)


@MODELS.register("musicvae")
class MelodyVAE(ArtModel):
    kind = "musicvae"
    config_class = MelodyVAEConfig

    def __init__(self, config: MelodyVAEConfig) -> None:
        super().__init__(config)
        self.encoder, self.decoder = _networks(config)
        self.register_buffer("steps_done", torch.tensor(0, dtype=torch.int64))
        """Optimizer steps so far: the KL annealing's clock, saved so that resume continues it."""

    def build_on(self, short: "MelodyVAE") -> None:
        """Copy a trained short VAE's encoder and decoder into this model's phrase level
        (this model's config from `config.on_phrases(short.config)`)."""
        self.encoder.phrase.load_state_dict(short.encoder.state_dict())
        self.decoder.steps.load_state_dict(short.decoder.steps.state_dict())

    # The objective -------------------------------------------------------------------------
    def encode(self, tokens: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """mu and sigma (batch, latent) of q(z | melody)."""
        if self.encoder is None:
            empty = tokens.new_zeros(len(tokens), 0, dtype=torch.float)
            return empty, empty
        return self.encoder(tokens)

    def kl_weight(self) -> float:
        anneal = self.config.kl_anneal_steps
        progress = 1.0 if anneal == 0 else min(1.0, int(self.steps_done) / anneal)
        return self.config.beta * progress

    def _terms(self, tokens: torch.Tensor, sample: bool) -> dict[str, torch.Tensor]:
        """What training minimises ("recon", "kl_cost", per 16th) and what validation
        reports; a model built on phrases trains on the phrases' codes."""
        if self.config.phrased:
            return self._phrase_terms(tokens, sample)
        mu, sigma = self.encode(tokens)
        z = mu + sigma * torch.randn_like(sigma) if sample else mu
        logits = self.decoder(z, tokens, self.config.input_dropout if sample else 0.0)
        scores = _token_scores(logits, tokens)
        return {"recon": scores["nll"], **self._kl(mu, sigma, tokens.shape[1]), **scores}

    def _phrase_terms(self, tokens: torch.Tensor, sample: bool) -> dict[str, torch.Tensor]:
        """The short model's codes of the phrases are the targets: their Gaussian NLL under
        its own posteriors N(mu_i, sigma_i), so a code dimension the short decoder reads
        closely must come back closely and one it ignores costs little. `tokens` are
        melodies, or their phrases' codes already (batch, 2, phrases, latent: PhraseCodes).
        Melodies held out are also decoded (teacher-forced) to score the notes as the other
        models are."""
        if tokens.is_floating_point():  # the codes already (PhraseCodes)
            targets, spread = tokens.unbind(dim=1)
        else:
            targets, spread = self.encoder.phrase_codes(tokens)
        mu, sigma = self.encoder.summarise(targets)
        z = mu + sigma * torch.randn_like(sigma) if sample else mu
        codes = self.decoder.conduct(z, targets.shape[1])
        steps = self.config.steps
        code_nll = (0.5 * ((codes - targets) / spread) ** 2).sum((1, 2)).mean() / steps
        terms = {"recon": code_nll, **self._kl(mu, sigma, steps)}
        if not sample and not tokens.is_floating_point():
            phrases = tokens.reshape(-1, self.decoder.phrase_steps)
            logits, _ = self.decoder.steps(shifted(phrases, self.decoder.steps.start_id),
                                           codes.flatten(0, 1))
            terms |= _token_scores(logits.view(*tokens.shape, -1), tokens)
        return terms

    def _kl(self, mu: torch.Tensor, sigma: torch.Tensor, steps: int) -> dict[str, torch.Tensor]:
        kl = (0.5 * (mu ** 2 + sigma ** 2 - 1) - sigma.log()).sum(-1).mean()
        free = self.config.free_bits * math.log(2)
        return {"kl": kl, "kl_cost": (kl - free).clamp(min=0) / steps}

    def training_step(self, batch: torch.Tensor) -> dict[str, torch.Tensor]:
        terms = self._terms(batch, sample=True)
        beta = self.kl_weight()
        self.steps_done += 1
        loss = terms["recon"] + beta * terms["kl_cost"]
        shown = {key: terms[key].detach() for key in ("recon", "kl", "accuracy") if key in terms}
        return {"loss": loss, **shown, "beta": torch.tensor(beta)}

    @torch.no_grad()
    def validation_step(self, batch: torch.Tensor) -> dict[str, float]:
        """Held-out reconstruction NLL (nats a step) and accuracy from z = mu, and the KL; a
        model built on phrases also reports its codes' NLL."""
        terms = self._terms(batch, sample=False)
        found = {"loss": float(terms["nll"]), "accuracy": float(terms["accuracy"]),
                 "event_accuracy": float(terms["event_accuracy"]), "kl": float(terms["kl"])}
        if self.config.phrased:
            found["code_nll"] = float(terms["recon"])
        return found

    # Generation ----------------------------------------------------------------------------
    @torch.no_grad()
    def decode(self, z: torch.Tensor, *, temperature: float = 1.0, greedy: bool = False,
               generator: torch.Generator | None = None) -> torch.Tensor:
        """Melodies (batch, steps) from codes z, one step at a time; a NOTE_OFF is only
        allowed while a note sounds, so every output is a canonical event sequence."""
        self.eval()
        sampling = SamplingConfig(do_sample=not greedy, temperature=temperature, top_k=0)
        decoder = self.decoder
        codes = decoder.bar_codes(z, self.config.bars)
        per_code = self.config.steps // len(codes)
        previous = torch.full((len(z), 1), decoder.steps.start_id, device=z.device)
        sounding = torch.zeros(len(z), dtype=torch.bool, device=z.device)
        made = []
        for code in codes:
            state = None
            if decoder.restarts:  # each phrase as the short model writes it on its own
                previous = torch.full_like(previous, decoder.steps.start_id)
                sounding = torch.zeros_like(sounding)
            for _ in range(per_code):
                logits, state = decoder.steps(previous, code, state)
                allowed = torch.ones(len(z), VOCAB, dtype=torch.bool, device=z.device)
                allowed[:, REST] = sounding
                token = choose(process_logits(logits[:, -1], previous, sampling, allowed),
                               sampling, generator)
                sounding = (sounding & (token != REST)) | (token >= 2)
                previous = token[:, None]
                made.append(token)
        return torch.stack(made, dim=1)

    @torch.no_grad()
    def mean_codes(self, tokens: torch.Tensor) -> torch.Tensor:
        """The mean of q(z | melody) of each melody, without gradients (the latent tools)."""
        self.eval()
        return self.encode(tokens)[0]

    @torch.no_grad()
    def reconstruct(self, tokens: torch.Tensor) -> torch.Tensor:
        """The greedy decoding of each melody's mean code."""
        return self.decode(self.mean_codes(tokens), greedy=True)

    def prior(self, count: int, generator: torch.Generator | None = None) -> torch.Tensor:
        device = next(self.parameters()).device
        return torch.randn(count, self.config.latent, generator=generator).to(device)


def _token_scores(logits: torch.Tensor, tokens: torch.Tensor) -> dict[str, torch.Tensor]:
    """NLL (nats a 16th), accuracy, and accuracy on note and rest events of teacher-forced
    logits (batch, steps, vocab)."""
    nll = F.cross_entropy(logits.flatten(0, 1).float(), tokens.flatten())
    right = logits.argmax(-1) == tokens
    events = tokens != HOLD
    # Most 16ths are HOLD, so the overall accuracy flatters a decoder that only holds;
    # the accuracy on note and rest events says whether it has learnt the melody.
    event_accuracy = (right & events).sum() / events.sum().clamp(min=1)
    return {"nll": nll, "accuracy": right.float().mean(), "event_accuracy": event_accuracy}
