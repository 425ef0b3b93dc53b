"""`musicvae`: a recurrent VAE over 2-bar (flat decoder) or 16-bar (hierarchical decoder)
melodies, trained by the core Trainer with KL annealing and free bits (MusicVAE's objective:
reconstruction + beta * max(KL - free nats, 0), beta rising over the first steps)."""

import dataclasses
import math

import torch
import torch.nn.functional as F

from artforge.core.config import Config, require
from artforge.core.model import ArtModel
from artforge.core.registry import MODELS
from artforge.core.sampling import SamplingConfig, choose, process_logits
from artforge.music.vae.melody import HOLD, REST, STEPS_PER_BAR, VOCAB
from artforge.music.vae.networks import BarEncoder, Encoder, FlatDecoder, HierarchicalDecoder


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

    @property
    def hierarchical(self) -> bool:
        return self.bars > 2

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
        ])


@MODELS.register("musicvae")
class MelodyVAE(ArtModel):
    kind = "musicvae"
    config_class = MelodyVAEConfig

    def __init__(self, config: MelodyVAEConfig) -> None:
        super().__init__(config)
        config.validate()
        c = config
        if not c.latent:
            self.encoder = None
        elif c.bar_encoder:
            self.encoder = BarEncoder(VOCAB, c.embed, c.encoder_hidden, c.latent)
        else:
            self.encoder = Encoder(VOCAB, c.embed, c.encoder_hidden, c.latent)
        if c.hierarchical:
            self.decoder = HierarchicalDecoder(VOCAB, c.embed, c.latent, c.conductor_hidden,
                                               c.decoder_hidden, c.decoder_layers)
        else:
            self.decoder = FlatDecoder(VOCAB, c.embed, c.latent, c.decoder_hidden,
                                       c.decoder_layers)
        self.register_buffer("steps_done", torch.tensor(0, dtype=torch.int64))
        """Optimizer steps so far: the KL annealing's clock, saved so that resume continues it."""

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
        mu, sigma = self.encode(tokens)
        z = mu + sigma * torch.randn_like(sigma) if sample else mu
        logits = self.decoder(z, tokens, self.config.input_dropout if sample else 0.0)
        steps = tokens.shape[1]
        recon = F.cross_entropy(logits.flatten(0, 1).float(), tokens.flatten()) * steps
        kl = (0.5 * (mu ** 2 + sigma ** 2 - 1) - sigma.log()).sum(-1).mean()
        free = self.config.free_bits * math.log(2)
        right = logits.argmax(-1) == tokens
        events = tokens != HOLD
        # Most 16ths are HOLD, so the overall accuracy flatters a decoder that only holds;
        # the accuracy on note and rest events says whether it has learnt the melody.
        event_accuracy = (right & events).sum() / events.sum().clamp(min=1)
        return {"recon": recon / steps, "kl": kl, "kl_cost": (kl - free).clamp(min=0) / steps,
                "accuracy": right.float().mean(), "event_accuracy": event_accuracy}

    def training_step(self, batch: torch.Tensor) -> dict[str, torch.Tensor]:
        terms = self._terms(batch, sample=True)
        beta = self.kl_weight()
        self.steps_done += 1
        loss = terms["recon"] + beta * terms["kl_cost"]
        return {"loss": loss, "recon": terms["recon"].detach(), "kl": terms["kl"].detach(),
                "accuracy": terms["accuracy"].detach(), "beta": torch.tensor(beta)}

    @torch.no_grad()
    def validation_step(self, batch: torch.Tensor) -> dict[str, float]:
        """Held-out reconstruction NLL (nats a step) and accuracy from z = mu, and the KL."""
        terms = self._terms(batch, sample=False)
        return {"loss": float(terms["recon"]), "accuracy": float(terms["accuracy"]),
                "event_accuracy": float(terms["event_accuracy"]), "kl": float(terms["kl"])}

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
