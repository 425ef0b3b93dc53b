"""The networks: the brief's Pix2PixHD generator as listed, U-Net, PatchGAN's 70x70 field,
the local enhancer, and the folded inference copy (same outputs, within 1e-5)."""

import inspect

import pytest
import torch
from torch import nn

from artforge.image.pix2pix.networks import norm_layer
from artforge.image.pix2pix.networks.fused import fold_batch_norms, inference_copy
from artforge.image.pix2pix.networks.patchgan import MultiscaleDiscriminator, PatchDiscriminator
from artforge.image.pix2pix.networks.pix2pixhd import LocalEnhancer, Pix2PixHDGenerator, ResnetBlock
from artforge.image.pix2pix.networks.unet import UNetGenerator


def _randomise_batch_norms(module: nn.Module) -> nn.Module:
    generator = torch.Generator().manual_seed(1)
    for layer in module.modules():
        if isinstance(layer, nn.BatchNorm2d):
            layer.running_mean.normal_(0, 0.2, generator=generator)
            layer.running_var.uniform_(0.5, 2.0, generator=generator)
            layer.weight.data.normal_(1, 0.2, generator=generator)
            layer.bias.data.normal_(0, 0.2, generator=generator)
    return module.eval()


def test_the_brief_signature_and_layer_sequence():
    signature = inspect.signature(Pix2PixHDGenerator)
    assert [(p.name, p.default) for p in signature.parameters.values()] == [
        ("input_nc", inspect.Parameter.empty), ("output_nc", inspect.Parameter.empty),
        ("ngf", 64), ("n_downsampling", 3), ("n_blocks", 9), ("norm_layer", nn.BatchNorm2d),
        ("padding_type", "reflect")]
    torch.manual_seed(0)
    net = Pix2PixHDGenerator(1, 3, ngf=8)
    kinds = [type(layer).__name__ for layer in net.model]
    assert kinds == (["ReflectionPad2d", "Conv2d", "BatchNorm2d", "ReLU"]
                     + ["Conv2d", "BatchNorm2d", "ReLU"] * 3 + ["ResnetBlock"] * 9
                     + ["ConvTranspose2d", "BatchNorm2d", "ReLU"] * 3
                     + ["ReflectionPad2d", "Conv2d", "Tanh"])
    assert [net.model[i].out_channels for i in (1, 4, 7, 10)] == [8, 16, 32, 64]
    assert net.model[1].kernel_size == (7, 7) and net.model[4].stride == (2, 2)
    out = net(torch.randn(2, 1, 40, 56))
    assert out.shape == (2, 3, 40, 56) and out.abs().max() <= 1


def test_resnet_block_paddings_keep_the_size_and_add_the_input():
    for padding in ("reflect", "replicate", "zero"):
        block = ResnetBlock(4, padding_type=padding)
        nn.init.zeros_(block.conv_block[-1].weight)  # the last norm outputs its bias: zero
        x = torch.randn(1, 4, 9, 7)
        assert torch.equal(block.eval()(x), x + block.conv_block[-1].bias.view(1, -1, 1, 1))
    with pytest.raises(ValueError, match="unknown padding_type"):
        ResnetBlock(4, padding_type="mirror")


def test_unet_256_goes_down_to_one_pixel_and_keeps_the_size():
    net = UNetGenerator(1, 3, downs=8, ngf=4, norm=norm_layer("instance")).eval()
    assert net.multiple == 256
    seen = []
    net.net.inside.inside.inside.inside.inside.inside.inside.down.register_forward_hook(
        lambda _m, _i, out: seen.append(out.shape))
    assert net(torch.zeros(1, 1, 256, 256)).shape == (1, 3, 256, 256)
    assert seen == [(1, 32, 1, 1)]
    dropouts = [m for m in net.modules() if isinstance(m, nn.Dropout)]
    assert len(dropouts) == 3


def test_resize_upsampling_replaces_every_transposed_conv_and_keeps_the_size():
    net = UNetGenerator(1, 3, downs=6, ngf=4, norm=norm_layer("instance"), dropout=0.0,
                        upsample="resize")
    assert not any(isinstance(m, nn.ConvTranspose2d) for m in net.modules())
    assert sum(isinstance(m, nn.Upsample) for m in net.modules()) == 6
    assert not any(isinstance(m, nn.Dropout) for m in net.modules())
    assert net(torch.zeros(2, 1, 64, 128)).shape == (2, 3, 64, 128)
    with pytest.raises(ValueError, match="unknown upsample"):
        UNetGenerator(1, 3, downs=5, ngf=4, upsample="pixelshuffle")


def test_patchgan_sees_70_by_70_pixels_and_multiscale_halves():
    # Without norms, so that only the convolutions' reach links inputs to a logit.
    disc = PatchDiscriminator(4, ndf=4, n_layers=3, norm=lambda channels: nn.Identity())
    pair = torch.randn(1, 4, 128, 128).requires_grad_()
    logits = disc(pair)[-1]
    assert logits.shape == (1, 1, 14, 14)
    logits[0, 0, 7, 7].backward()
    rows = pair.grad.abs().sum(dim=(0, 1, 3)).nonzero().flatten()
    cols = pair.grad.abs().sum(dim=(0, 1, 2)).nonzero().flatten()
    assert rows.max() - rows.min() + 1 == 70 and cols.max() - cols.min() + 1 == 70
    multi = MultiscaleDiscriminator(4, ndf=4, n_layers=3, num_d=2)
    features = multi(torch.zeros(2, 4, 64, 64))
    assert [f[-1].shape[-1] for f in features] == [6, 2] and len(features[0]) == 5


def test_local_enhancer_doubles_the_global_generators_multiple():
    net = LocalEnhancer(1, 3, ngf=8, n_downsampling=2, n_blocks=1, n_blocks_local=1)
    assert net.multiple == 8
    assert net(torch.zeros(1, 1, 48, 40)).shape == (1, 3, 48, 40)


@pytest.mark.parametrize("make", [
    lambda: Pix2PixHDGenerator(1, 3, ngf=8, n_blocks=2),
    lambda: UNetGenerator(1, 3, downs=5, ngf=4, norm=nn.BatchNorm2d),
    lambda: UNetGenerator(1, 3, downs=5, ngf=4, norm=nn.BatchNorm2d, upsample="resize"),
    lambda: LocalEnhancer(1, 3, ngf=8, n_downsampling=2, n_blocks=1),
])
def test_the_inference_copy_folds_batch_norms_and_gives_the_same_pictures(make):
    torch.manual_seed(0)
    net = _randomise_batch_norms(make())
    fast = inference_copy(net)
    assert not any(isinstance(m, nn.BatchNorm2d) for m in fast.modules())
    assert any(isinstance(m, nn.BatchNorm2d) for m in net.modules())  # the original is kept
    x = torch.randn(2, 1, 64, 96)
    with torch.no_grad():
        assert (fast(x) - net(x)).abs().max() < 1e-5


def test_instance_norm_is_left_alone():
    net = Pix2PixHDGenerator(1, 3, ngf=4, n_blocks=1, norm_layer=norm_layer("instance"))
    before = sum(isinstance(m, nn.InstanceNorm2d) for m in net.modules())
    assert sum(isinstance(m, nn.InstanceNorm2d) for m in fold_batch_norms(net).modules()) == before
