"""The `johnson-styles` model: one Johnson network learning several styles at once.

Dumoulin, Shlens & Kudlur (2017), "A learned representation for artistic style": every
convolution is shared and each style has only its own scale and shift in the instance
normalisations (conditional instance normalisation). The styles then cost one training run,
not one each, and learn from each other. `export` writes one style as a plain `johnson` model
folder (its norms' scale and shift are that style's rows), so everything that stylises with
a Johnson network (ONNX, video, the studio) uses it unchanged.
"""

import dataclasses
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import ClassVar

import torch
from PIL import Image
from torch import nn

from artforge.core.config import require
from artforge.core.model import ArtModel
from artforge.core.registry import MODELS
from artforge.errors import UserError
from artforge.style.encoder import FrozenVGG
from artforge.style.fast_model import (
    FastStyleConfig,
    FastStyleModel,
    johnson_losses,
    picture_grams,
)
from artforge.style.networks import LayerInstanceNorm2d, TransformerNet, layer_instance_norm


class StyleNorm(nn.Module):
    """Instance normalisation (or, with `layer`, layer_instance_norm with a shared rho) whose
    scale and shift are rows of a (styles, channels) table, one row per example: `styles` (B,)
    is set on the module before each forward."""

    def __init__(self, channels: int, count: int, layer: bool = False) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(count, channels))
        self.bias = nn.Parameter(torch.zeros(count, channels))
        self.rho = nn.Parameter(torch.ones(channels)) if layer else None
        self.styles: torch.Tensor | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.styles is None:
            raise RuntimeError("choose the styles (MultiStyleNet.choose) before a forward")
        weight, bias = self.weight[self.styles], self.bias[self.styles]
        if self.rho is not None:
            return layer_instance_norm(x, self.rho, weight, bias)
        return nn.functional.instance_norm(x) * weight[..., None, None] + bias[..., None, None]


class MultiStyleNet(nn.Module):
    """A TransformerNet whose instance norms are StyleNorms."""

    def __init__(self, channels: tuple[int, int, int], res_blocks: int, count: int,
                 norm: str = "instance") -> None:
        super().__init__()
        self.net = TransformerNet(channels, res_blocks, norm)
        for name, module in list(self.net.named_modules()):
            if isinstance(module, nn.InstanceNorm2d):
                parent_name, _, child = name.rpartition(".")
                parent = self.net.get_submodule(parent_name) if parent_name else self.net
                setattr(parent, child, StyleNorm(module.num_features, count,
                                                 isinstance(module, LayerInstanceNorm2d)))

    def forward(self, images: torch.Tensor, styles: torch.Tensor) -> torch.Tensor:
        for module in self.net.modules():
            if isinstance(module, StyleNorm):
                module.styles = styles
        return self.net(images)

    def style_rows(self) -> set[str]:
        """The keys of the TransformerNet's state dict that hold one row per style (the
        StyleNorms' scale and shift); every other weight (their rho too) is shared by the
        styles."""
        norms = {name for name, module in self.net.named_modules()
                 if isinstance(module, StyleNorm)}
        return {key for key in self.net.state_dict()
                if key.rpartition(".")[0] in norms and key.rpartition(".")[2] != "rho"}

    def single(self, index: int) -> dict[str, torch.Tensor]:
        """The state dict of a plain TransformerNet painting style `index`."""
        rows = self.style_rows()
        return {key: value[index].clone() if key in rows else value.clone()
                for key, value in self.net.state_dict().items()}

    def join(self, singles: Sequence[dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
        """The inverse of `single`: the TransformerNet's state dict painting style i as the
        plain TransformerNet `singles[i]` does; its shared weights are the first one's."""
        rows = self.style_rows()
        return {key: torch.stack([single[key] for single in singles]) if key in rows
                else singles[0][key].clone() for key in self.net.state_dict()}


@dataclasses.dataclass
class MultiStyleConfig(FastStyleConfig):
    """A FastStyleConfig (widths, losses) for several style pictures; its `style` is unused."""

    channels: tuple[int, int, int] = (16, 32, 64)
    styles: tuple[str, ...] = ("builtin:paintings/van-gogh-starry-night",)
    """The style pictures (notes; the pixels are in style-N.png), one per style, in order."""
    names: tuple[str, ...] = ("starry-night",)
    """A short name per style, for the exported folders (e.g. starry-night)."""

    def validate(self) -> None:
        require([
            (len(self.styles) >= 1, "give at least one style picture"),
            (len(self.names) == len(self.styles), "give one name per style picture"),
            (len(set(self.names)) == len(self.names), "style names must differ"),
        ])
        super().validate()

    def single(self, index: int) -> FastStyleConfig:
        """The config of the plain Johnson model for style `index`."""
        shared = {field.name: getattr(self, field.name)
                  for field in dataclasses.fields(FastStyleConfig)}
        return FastStyleConfig(**shared).replace(style=self.styles[index])


@MODELS.register("johnson-styles")
class MultiStyleModel(ArtModel):
    kind = "johnson-styles"
    config_class = MultiStyleConfig
    divisor: ClassVar[int] = 4

    def __init__(self, config: MultiStyleConfig) -> None:
        super().__init__(config)
        self.net = MultiStyleNet(tuple(config.channels), config.res_blocks, len(config.styles),
                                 config.norm)
        self._vgg = FrozenVGG(tuple(dict.fromkeys(config.content_layers + config.style_layers)))
        self.pictures: list[Image.Image] = []
        self._grams: dict[str, torch.Tensor] | None = None

    def set_styles(self, pictures: list[Image.Image]) -> None:
        if len(pictures) != len(self.config.styles):
            raise ValueError(f"{len(self.config.styles)} styles, {len(pictures)} pictures")
        self.pictures, self._grams = [p.convert("RGB") for p in pictures], None

    def _style_grams(self, device: torch.device) -> dict[str, torch.Tensor]:
        """(styles, C, C) Gram matrices per style layer."""
        if self._grams is None:
            if not self.pictures:
                raise RuntimeError("set_styles() must be called before training")
            each = [picture_grams(self._vgg, picture, self.config, device)
                    for picture in self.pictures]
            self._grams = {name: torch.cat([grams[name] for grams in each])
                           for name in self.config.style_layers}
        return {name: value.to(device) for name, value in self._grams.items()}

    def training_step(self, batch: torch.Tensor, *args) -> dict[str, torch.Tensor]:
        """Each picture of the batch gets a style drawn at random (torch's seeded RNG)."""
        styles = torch.randint(len(self.config.styles), (len(batch),))
        made = self.net(batch, styles.to(batch.device))
        grams = {name: value[styles] for name, value in self._style_grams(batch.device).items()}
        return johnson_losses(self._vgg, self.config, batch, made, grams)

    def export(self, index: int) -> FastStyleModel:
        """Style `index` as a plain Johnson model (same pixels as this network's); its style
        picture at the side its Gram matrices were taken at."""
        from artforge.data.pictures import fit_long_side

        single = FastStyleModel(self.config.single(index))
        single.net.load_state_dict(self.net.single(index))
        single.set_style(fit_long_side(self.pictures[index], self.config.style_size))
        return single

    @classmethod
    def from_singles(cls, singles: Mapping[str, FastStyleModel]) -> "MultiStyleModel":
        """The inverse of `export`: one model whose style NAME paints as singles[NAME] does, for
        plain Johnson models exported from one network (the same config and convolutions, each
        its own norms' scale and shift), as the six shipped fast styles were; their style
        pictures when every model has one."""
        # 1. Check that the models are one network's styles.
        names, models = list(singles), list(singles.values())
        if not models:
            raise UserError("give at least one johnson model to join.")
        for name, model in singles.items():
            if not isinstance(model, FastStyleModel):
                raise UserError(f"{name} is a {model.kind} model; only johnson models join.")
        shared_fields = [field.name for field in dataclasses.fields(FastStyleConfig)
                         if field.name != "style"]
        first = models[0]
        for name, model in zip(names[1:], models[1:], strict=True):
            differ = [field for field in shared_fields
                      if getattr(model.config, field) != getattr(first.config, field)]
            if differ:
                raise UserError(f"the johnson models {names[0]} and {name} differ in their "
                                f"config ({', '.join(differ)}): only styles exported from one "
                                f"network join.")
        # 2. The joint model, its weights and its style pictures.
        config = MultiStyleConfig(**{field: getattr(first.config, field)
                                     for field in shared_fields},
                                  styles=tuple(model.config.style for model in models),
                                  names=tuple(names))
        joint = cls(config)
        states = [model.net.state_dict() for model in models]
        shared = states[0].keys() - joint.net.style_rows()
        for name, state in zip(names[1:], states[1:], strict=True):
            differ = sorted(key for key in shared if not torch.equal(state[key], states[0][key]))
            if differ:
                raise UserError(f"the johnson models {names[0]} and {name} differ in "
                                f"{len(differ)} of the weights their styles would share (the "
                                f"first: {differ[0]}): only styles exported from one network "
                                f"join.")
        joint.net.net.load_state_dict(joint.net.join(states))
        if all(model.style_picture is not None for model in models):
            joint.set_styles([model.style_picture for model in models])
        return joint

    # Folder -------------------------------------------------------------------------------
    def extra_files(self) -> dict[str, bytes]:
        files = {}
        for index, picture in enumerate(self.pictures):
            buffer = io.BytesIO()
            picture.save(buffer, format="PNG")
            files[f"style-{index}.png"] = buffer.getvalue()
        return files

    def load_extra_files(self, folder: Path) -> None:
        """The style pictures, when the folder has them (one saved before set_styles has
        none)."""
        paths = [Path(folder) / f"style-{i}.png" for i in range(len(self.config.styles))]
        if all(path.is_file() for path in paths):
            pictures = []
            for path in paths:
                with Image.open(path) as picture:
                    pictures.append(picture.convert("RGB"))
            self.set_styles(pictures)
