"""`band-musegan`: the hybrid MuseGAN (Dong et al., 2018) on piano rolls of 4 bars x 16 steps x
84 pitches per track. Each track has its own bar generator, fed four codes: one shared by all
tracks and bars, one shared by the tracks but changing per bar (a temporal generator makes it),
one private to the track, and one private and changing per bar. For accompaniment a bar
encoder turns the given melody into a fifth code (MuseGAN's track-conditional setting); half
of the training batches are conditioned, so one model both writes and accompanies. The
generator's output is binarised with straight-through binary neurons (BinaryMuseGAN)."""

import dataclasses

import torch
from torch import nn

from artforge.core.adversarial import LOSSES, discriminator_loss, generator_loss
from artforge.core.config import require
from artforge.core.optimizers import Optimizers
from artforge.core.registry import MODELS
from artforge.music.band.data import HIGH, LOW
from artforge.music.band.model import BandConfig, BandModel, Guide
from artforge.music.band.tracks import Note, Passage
from artforge.music.melody import STEPS_PER_BAR

PITCHES = HIGH - LOW + 1
WGAN_GP, GP_WEIGHT = "wgan-gp", 10.0


def passage_roll(passage: Passage, bars: int) -> torch.Tensor:
    """(tracks, steps, 84) of 0/1: a key is on at every step a note holds it."""
    roll = torch.zeros(len(passage), bars * STEPS_PER_BAR, PITCHES)
    for index, notes in enumerate(passage):
        for start, steps, pitch in notes:
            if LOW <= pitch <= HIGH:
                roll[index, start:start + steps, pitch - LOW] = 1.0
    return roll


def roll_notes(roll: torch.Tensor) -> list[Note]:
    """A key held over consecutive steps is one note (so repeated notes merge, as in
    MuseGAN's piano rolls)."""
    notes = []
    held = torch.cat([roll.bool(), torch.zeros(1, roll.shape[1], dtype=torch.bool)])
    for key in held.any(0).nonzero().flatten().tolist():
        start = None
        for step, on in enumerate(held[:, key].tolist()):
            if on and start is None:
                start = step
            elif not on and start is not None:
                notes.append((start, step - start, key + LOW))
                start = None
    return sorted(notes)


def binary_neurons(probabilities: torch.Tensor) -> torch.Tensor:
    """0/1 forward, the sigmoid's gradient backward: deterministic binary neurons with the
    straight-through estimator (BinaryMuseGAN, Dong & Yang 2018). The critic then sees binary
    rolls on both sides, instead of telling real from fake by their grey values."""
    hard = (probabilities > 0.5).to(probabilities.dtype)
    return probabilities + (hard - probabilities).detach()


@dataclasses.dataclass
class GANBandConfig(BandConfig):
    code: int = 32
    """Size of each of the four (five with a melody) codes."""
    channels: int = 64
    loss: str = WGAN_GP
    """"wgan-gp" (MuseGAN's), or the image GANs' "hinge" / "minimax"."""
    condition_rate: float = 0.5
    """Share of training batches whose melody track is given (the accompaniment task)."""

    def validate(self) -> None:
        super().validate()
        require([
            (self.code >= 1 and self.channels >= 4, "--code and --channels must be positive"),
            (self.loss in (WGAN_GP, *LOSSES),
             f"the loss must be one of {', '.join((WGAN_GP, *LOSSES))}"),
            (0 <= self.condition_rate <= 1, "condition_rate must be in [0, 1]"),
        ])


class BarGenerator(nn.Module):
    """Codes → one bar of one track: time grows 4 → 16 steps, then octaves grow into pitches."""

    def __init__(self, code: int, channels: int) -> None:
        super().__init__()
        c = channels
        self.linear = nn.Sequential(nn.Linear(code, c * 4 * 7), nn.ReLU())
        self.net = nn.Sequential(
            nn.ConvTranspose2d(c, c // 2, (2, 1), (2, 1)), nn.BatchNorm2d(c // 2), nn.ReLU(),
            nn.ConvTranspose2d(c // 2, c // 4, (2, 1), (2, 1)), nn.BatchNorm2d(c // 4), nn.ReLU(),
            nn.ConvTranspose2d(c // 4, c // 4, (1, 12), (1, 12)), nn.BatchNorm2d(c // 4),
            nn.ReLU(), nn.Conv2d(c // 4, 1, (3, 1), padding=(1, 0)))
        self.channels = c

    def forward(self, codes: torch.Tensor) -> torch.Tensor:
        """(n, code) → logits (n, 16, 84)."""
        x = self.linear(codes).view(len(codes), self.channels, 4, 7)
        return self.net(x)[:, 0]


def bar_stack(channels_in: int, c: int) -> nn.Sequential:
    """Rolls (n, channels_in, steps, 84) → features (n, 2c, steps / 16, 7)."""
    return nn.Sequential(
        nn.Conv2d(channels_in, c, (1, 12), (1, 12)), nn.LeakyReLU(0.2),
        nn.Conv2d(c, 2 * c, (4, 1), (4, 1)), nn.LeakyReLU(0.2),
        nn.Conv2d(2 * c, 2 * c, (4, 1), (4, 1)), nn.LeakyReLU(0.2))


class Critic(nn.Module):
    def __init__(self, tracks: int, bars: int, channels: int) -> None:
        super().__init__()
        self.features = bar_stack(tracks, channels)
        self.out = nn.Sequential(nn.Flatten(), nn.Linear(2 * channels * bars * 7, 1))

    def forward(self, rolls: torch.Tensor) -> torch.Tensor:
        return self.out(self.features(rolls)).squeeze(-1)


@MODELS.register("band-musegan")
class BandGAN(BandModel):
    kind = "band-musegan"
    config_class = GANBandConfig
    manual_optimization = True

    def __init__(self, config: GANBandConfig) -> None:
        super().__init__(config)
        tracks, bars, code, c = len(config.tracks), config.bars, config.code, config.channels
        self.temporal = nn.ModuleList(nn.Sequential(nn.Linear(code, bars * code), nn.Tanh())
                                      for _ in range(tracks + 1))
        """Index 0 makes the shared per-bar code; index 1 + i track i's private one."""
        self.bars_of = nn.ModuleList(BarGenerator(5 * code, c) for _ in range(tracks))
        self.melody_encoder = nn.Sequential(bar_stack(1, c // 2), nn.Flatten(),
                                            nn.Linear(c * 7, code), nn.Tanh())
        self.critic = Critic(tracks, bars, c)

    def batch_of(self, passages: list[Passage]) -> torch.Tensor:
        return torch.stack([passage_roll(p, self.config.bars) for p in passages])

    def _logits(self, melody: torch.Tensor | None, count: int, noise) -> torch.Tensor:
        """Logits (count, tracks, steps, 84); `melody` (count, steps, 84) or None."""
        bars, code = self.config.bars, self.config.code
        device = next(self.parameters()).device
        shared = noise(count, code).to(device)
        per_bar = [t(noise(count, code).to(device)).view(count, bars, code)
                   for t in self.temporal]
        if melody is None:
            condition = torch.zeros(count, bars, code, device=device)
        else:
            bar_rolls = melody.reshape(count * bars, 1, STEPS_PER_BAR, PITCHES)
            condition = self.melody_encoder(bar_rolls).view(count, bars, code)
        out = []
        for index, generator in enumerate(self.bars_of):
            private = noise(count, code).to(device)[:, None].expand(-1, bars, -1)
            codes = torch.cat([shared[:, None].expand(-1, bars, -1), per_bar[0], private,
                               per_bar[1 + index], condition], dim=-1)
            out.append(generator(codes.reshape(count * bars, -1)).view(count, -1, PITCHES))
        return torch.stack(out, dim=1)

    def configure_optimizer(self, lr: float, weight_decay: float, betas: tuple[float, float]
                            ) -> dict[str, torch.optim.Optimizer]:
        generator = [p for name, p in self.named_parameters() if not name.startswith("critic")]
        return {"d": torch.optim.Adam(self.critic.parameters(), lr=lr, betas=(0.5, 0.9)),
                "g": torch.optim.Adam(generator, lr=lr, betas=(0.5, 0.9))}

    def _fake(self, real: torch.Tensor) -> torch.Tensor:
        """Generated rolls (probabilities); conditioned rows keep the real melody."""
        given = torch.rand(len(real), device=real.device) < self.config.condition_rate
        melody = real[:, 0] * given[:, None, None]
        fake = binary_neurons(torch.sigmoid(self._logits(melody, len(real), torch.randn)))
        keep = given[:, None, None].float()
        return torch.cat([(keep * real[:, 0] + (1 - keep) * fake[:, 0])[:, None], fake[:, 1:]],
                         dim=1)

    def _critic_loss(self, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
        real_scores, fake_scores = self.critic(real), self.critic(fake)
        if self.config.loss != WGAN_GP:
            return discriminator_loss(self.config.loss, real_scores, fake_scores)
        # WGAN-GP (Gulrajani et al. 2017), MuseGAN's objective: the critic's gradient norm is
        # held near 1 on points between real and fake, so it cannot saturate.
        mix = torch.rand(len(real), 1, 1, 1, device=real.device)
        between = (mix * real + (1 - mix) * fake).requires_grad_(True)
        (grad,) = torch.autograd.grad(self.critic(between).sum(), between, create_graph=True)
        penalty = ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()
        return fake_scores.mean() - real_scores.mean() + GP_WEIGHT * penalty

    def training_step(self, real: torch.Tensor, optimizers: Optimizers
                      ) -> dict[str, torch.Tensor]:
        with torch.no_grad():
            fake = self._fake(real)
        d_loss = self._critic_loss(real, fake)
        optimizers.zero_grad("d")
        optimizers.backward(d_loss)
        optimizers.step("d")
        self.critic.requires_grad_(False)
        scores = self.critic(self._fake(real))
        g_loss = (-scores.mean() if self.config.loss == WGAN_GP
                  else generator_loss(self.config.loss, scores))
        optimizers.zero_grad("g")
        optimizers.backward(g_loss)
        optimizers.step("g")
        self.critic.requires_grad_(True)
        return {"loss": d_loss.detach() + g_loss.detach(), "d_loss": d_loss.detach(),
                "g_loss": g_loss.detach()}

    def validation_step(self, batch: torch.Tensor) -> dict[str, float]:
        """How far the critic tells real from generated on held-out passages."""
        with torch.no_grad():
            gap = self.critic(batch).mean() - self.critic(self._fake(batch)).mean()
        return {"loss": float(gap)}

    @torch.no_grad()
    def _passages(self, melody: torch.Tensor | None, count: int, generator: torch.Generator,
                  temperature: float) -> list[Passage]:
        self.eval()
        noise = lambda n, d: torch.randn(n, d, generator=generator) * temperature  # noqa: E731
        rolls = torch.sigmoid(self._logits(melody, count, noise)) > 0.5
        return [[roll_notes(track) for track in roll.cpu()] for roll in rolls]

    def generate(self, count: int, generator: torch.Generator, temperature: float = 1.0
                 ) -> list[Passage]:
        return self._passages(None, count, generator, temperature)

    def accompany(self, melody: list[Note], count: int, generator: torch.Generator,
                  temperature: float = 1.0, guide: Guide | None = None) -> list[Passage]:
        roll = passage_roll([melody], self.config.bars)[0]
        device = next(self.parameters()).device
        passages = self._passages(roll.expand(count, -1, -1).to(device), count, generator,
                                  temperature)
        guides = self.guided(guide)
        for passage in passages:
            passage[0] = sorted(melody)
            for track, steps in enumerate(guides):  # piano rolls: notes off the guide are cut
                if steps is not None:
                    passage[track] = [note for note in passage[track]
                                      if note[2] % 12 in steps[note[0]]]
        return passages
