"""StyleGAN-lite's discriminator block. The arch (artforge.image.gan.architectures) is
StyleGAN2's generator with one modulated 3x3 convolution per resolution (the upsampling one)
against StyleGAN2's discriminator with this block in place of the residual one and no
from-RGB layer: one strided convolution per halving from the pixels on, DCGAN's shape, with
StyleGAN's equalised learning rate, minibatch standard deviation and head. On a CPU the
discriminator of stylegan costs most of its step (benchmarks/gan_step_speed.py)."""

import torch
import torch.nn.functional as F
from torch import nn

from artforge.image.gan.networks.stylegan import GAIN, EqualConv


class StridedDown(nn.Module):
    """Half the resolution with one 3x3 convolution of stride 2 and a leaky ReLU times GAIN
    (folded into the convolution): where StyleGAN2's residual block convolves twice at the
    full resolution, this convolves once, on a quarter of the output pixels."""

    def __init__(self, cin: int, cout: int) -> None:
        super().__init__()
        self.conv = EqualConv(cin, cout, 3, gain=GAIN, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.leaky_relu(self.conv(x), 0.2)

