"""The Inception v3 network of the standard FID (Heusel et al. 2017), for a user's weight file.

The FID of papers uses the TensorFlow Inception graph of 2015-12-05, which pytorch-fid ships
converted as `pt_inception-2015-12-05-6726825d.pth`. Nothing may be downloaded here, so a
user who has that file passes it (`artforge image eval --inception PATH`). The network below
has the module and parameter names of that state dict and the graph's three quirks: its
average pools ignore the zero padding (TensorFlow's default), the last mixed block pools
with a max instead of an average, and the classifier has 1008 outputs. Images are resized
to 299x299 (bilinear), scaled to [-1, 1], and the 2048 numbers of the final average pool
("pool3") are the features.
"""

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from artforge.errors import UserError

WEIGHTS_FILE = "pt_inception-2015-12-05-6726825d.pth"
INPUT_SIZE = 299
FEATURES = 2048
CLASSES = 1008


class BasicConv2d(nn.Module):
    """Convolution without bias, batch norm (eps 1e-3, TensorFlow's), ReLU."""

    def __init__(self, cin: int, cout: int, kernel: int | tuple[int, int], stride: int = 1,
                 padding: int | tuple[int, int] = 0) -> None:
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, stride, padding, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=0.001)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.bn(self.conv(x)))


def _pool_3x3(x: torch.Tensor, kind: str) -> torch.Tensor:
    """The pooling in front of a mixed block's pool branch, with TensorFlow's padding rule."""
    if kind == "max":
        return F.max_pool2d(x, 3, 1, 1)
    return F.avg_pool2d(x, 3, 1, 1, count_include_pad=False)


class InceptionA(nn.Module):
    """35x35 mixed block: 1x1, 5x5, double 3x3 and pool branches."""

    def __init__(self, cin: int, pool_features: int) -> None:
        super().__init__()
        self.branch1x1 = BasicConv2d(cin, 64, 1)
        self.branch5x5_1 = BasicConv2d(cin, 48, 1)
        self.branch5x5_2 = BasicConv2d(48, 64, 5, padding=2)
        self.branch3x3dbl_1 = BasicConv2d(cin, 64, 1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, 3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, 3, padding=1)
        self.branch_pool = BasicConv2d(cin, pool_features, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        double = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        return torch.cat([self.branch1x1(x), self.branch5x5_2(self.branch5x5_1(x)), double,
                          self.branch_pool(_pool_3x3(x, "avg"))], 1)


class InceptionB(nn.Module):
    """Grid reduction 35 -> 17: strided 3x3, strided double 3x3 and a max pool."""

    def __init__(self, cin: int) -> None:
        super().__init__()
        self.branch3x3 = BasicConv2d(cin, 384, 3, stride=2)
        self.branch3x3dbl_1 = BasicConv2d(cin, 64, 1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, 3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, 3, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        double = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        return torch.cat([self.branch3x3(x), double, F.max_pool2d(x, 3, 2)], 1)


def _seven(cin: int, cout: int, vertical: bool) -> BasicConv2d:
    """A factorised 7x7: a 7x1 (vertical) or 1x7 convolution that keeps the size."""
    return BasicConv2d(cin, cout, (7, 1) if vertical else (1, 7),
                       padding=(3, 0) if vertical else (0, 3))


class InceptionC(nn.Module):
    """17x17 mixed block with factorised 7x7 convolutions of `c7` channels."""

    def __init__(self, cin: int, channels_7x7: int) -> None:
        super().__init__()
        c7 = channels_7x7
        self.branch1x1 = BasicConv2d(cin, 192, 1)
        self.branch7x7_1 = BasicConv2d(cin, c7, 1)
        self.branch7x7_2 = _seven(c7, c7, vertical=False)
        self.branch7x7_3 = _seven(c7, 192, vertical=True)
        self.branch7x7dbl_1 = BasicConv2d(cin, c7, 1)
        self.branch7x7dbl_2 = _seven(c7, c7, vertical=True)
        self.branch7x7dbl_3 = _seven(c7, c7, vertical=False)
        self.branch7x7dbl_4 = _seven(c7, c7, vertical=True)
        self.branch7x7dbl_5 = _seven(c7, 192, vertical=False)
        self.branch_pool = BasicConv2d(cin, 192, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        single = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
        double = self.branch7x7dbl_1(x)
        for layer in (self.branch7x7dbl_2, self.branch7x7dbl_3, self.branch7x7dbl_4,
                      self.branch7x7dbl_5):
            double = layer(double)
        return torch.cat([self.branch1x1(x), single, double,
                          self.branch_pool(_pool_3x3(x, "avg"))], 1)


class InceptionD(nn.Module):
    """Grid reduction 17 -> 8: strided 3x3 after 1x1, strided 3x3 after a 7x7, max pool."""

    def __init__(self, cin: int) -> None:
        super().__init__()
        self.branch3x3_1 = BasicConv2d(cin, 192, 1)
        self.branch3x3_2 = BasicConv2d(192, 320, 3, stride=2)
        self.branch7x7x3_1 = BasicConv2d(cin, 192, 1)
        self.branch7x7x3_2 = _seven(192, 192, vertical=False)
        self.branch7x7x3_3 = _seven(192, 192, vertical=True)
        self.branch7x7x3_4 = BasicConv2d(192, 192, 3, stride=2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        seven = self.branch7x7x3_1(x)
        for layer in (self.branch7x7x3_2, self.branch7x7x3_3, self.branch7x7x3_4):
            seven = layer(seven)
        return torch.cat([self.branch3x3_2(self.branch3x3_1(x)), seven,
                          F.max_pool2d(x, 3, 2)], 1)


class InceptionE(nn.Module):
    """8x8 mixed block whose 3x3s split into parallel 1x3 and 3x1; `pool` is "avg" for
    Mixed_7b and "max" for Mixed_7c (the FID graph's quirk)."""

    def __init__(self, cin: int, pool: str) -> None:
        super().__init__()
        self.pool = pool
        self.branch1x1 = BasicConv2d(cin, 320, 1)
        self.branch3x3_1 = BasicConv2d(cin, 384, 1)
        self.branch3x3_2a = BasicConv2d(384, 384, (1, 3), padding=(0, 1))
        self.branch3x3_2b = BasicConv2d(384, 384, (3, 1), padding=(1, 0))
        self.branch3x3dbl_1 = BasicConv2d(cin, 448, 1)
        self.branch3x3dbl_2 = BasicConv2d(448, 384, 3, padding=1)
        self.branch3x3dbl_3a = BasicConv2d(384, 384, (1, 3), padding=(0, 1))
        self.branch3x3dbl_3b = BasicConv2d(384, 384, (3, 1), padding=(1, 0))
        self.branch_pool = BasicConv2d(cin, 192, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        single = self.branch3x3_1(x)
        double = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        return torch.cat([self.branch1x1(x), self.branch3x3_2a(single),
                          self.branch3x3_2b(single), self.branch3x3dbl_3a(double),
                          self.branch3x3dbl_3b(double),
                          self.branch_pool(_pool_3x3(x, self.pool))], 1)


class FIDInceptionV3(nn.Module):
    """Pool3 features (N, 2048) of RGB images in [0, 1] of any size."""

    def __init__(self) -> None:
        super().__init__()
        self.Conv2d_1a_3x3 = BasicConv2d(3, 32, 3, stride=2)
        self.Conv2d_2a_3x3 = BasicConv2d(32, 32, 3)
        self.Conv2d_2b_3x3 = BasicConv2d(32, 64, 3, padding=1)
        self.Conv2d_3b_1x1 = BasicConv2d(64, 80, 1)
        self.Conv2d_4a_3x3 = BasicConv2d(80, 192, 3)
        self.Mixed_5b = InceptionA(192, pool_features=32)
        self.Mixed_5c = InceptionA(256, pool_features=64)
        self.Mixed_5d = InceptionA(288, pool_features=64)
        self.Mixed_6a = InceptionB(288)
        self.Mixed_6b = InceptionC(768, channels_7x7=128)
        self.Mixed_6c = InceptionC(768, channels_7x7=160)
        self.Mixed_6d = InceptionC(768, channels_7x7=160)
        self.Mixed_6e = InceptionC(768, channels_7x7=192)
        self.Mixed_7a = InceptionD(768)
        self.Mixed_7b = InceptionE(1280, pool="avg")
        self.Mixed_7c = InceptionE(2048, pool="max")
        self.fc = nn.Linear(FEATURES, CLASSES)
        """The 1008-way ImageNet classifier; kept so the state dict loads whole, unused here."""

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        x = F.interpolate(images, size=(INPUT_SIZE, INPUT_SIZE), mode="bilinear",
                          align_corners=False)
        x = 2 * x - 1
        x = self.Conv2d_2b_3x3(self.Conv2d_2a_3x3(self.Conv2d_1a_3x3(x)))
        x = self.Conv2d_4a_3x3(self.Conv2d_3b_1x1(F.max_pool2d(x, 3, 2)))
        x = F.max_pool2d(x, 3, 2)
        for block in (self.Mixed_5b, self.Mixed_5c, self.Mixed_5d, self.Mixed_6a, self.Mixed_6b,
                      self.Mixed_6c, self.Mixed_6d, self.Mixed_6e, self.Mixed_7a, self.Mixed_7b,
                      self.Mixed_7c):
            x = block(x)
        return x.mean(dim=(2, 3))


def _wrong_file(path: Path, detail: str) -> UserError:
    return UserError(f"{path} is not the FID Inception weights file {WEIGHTS_FILE} "
                     f"(pytorch-fid's): {detail}.")


def load_fid_inception(path: Path | str) -> FIDInceptionV3:
    """The network with the weights of the user's `pt_inception` file, frozen, in eval mode.

    A missing, unreadable or different file raises a UserError that names the file needed."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise UserError(f"the standard Inception FID needs pytorch-fid's weights file "
                        f"{WEIGHTS_FILE}; {path} does not exist.")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # pickle, zip and torch errors all mean "not a weights file"
        raise _wrong_file(path, f"it cannot be read ({type(exc).__name__})") from None
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor)
                                              for v in state.values()):
        raise _wrong_file(path, "it does not hold a state dict of tensors")
    with torch.device("meta"):  # shapes only: every tensor comes from the file
        net = FIDInceptionV3()
    expected = net.state_dict()
    # Batch-norm step counters are bookkeeping, absent from older files.
    state = {**{k: torch.zeros((), dtype=torch.long) for k in expected
                if k.endswith("num_batches_tracked")}, **state}
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    if missing or unexpected:
        first = (missing or unexpected)[0]
        raise _wrong_file(path, f"{len(missing)} tensors missing and {len(unexpected)} "
                                f"unexpected, e.g. {first}")
    for key, value in expected.items():
        if state[key].shape != value.shape:
            raise _wrong_file(path, f"{key} has shape {tuple(state[key].shape)}, not "
                                    f"{tuple(value.shape)}")
    net.load_state_dict({k: v.float() if v.is_floating_point() else v
                         for k, v in state.items()}, assign=True)
    return net.requires_grad_(False).eval()


@torch.no_grad()
def inception_features(images: torch.Tensor, net: FIDInceptionV3, batch: int = 50,
                       device: str | torch.device = "cpu") -> torch.Tensor:
    """(N, 2048) pool3 features of images (uint8, or floats in [0, 1]) shaped (N, 3, H, W)."""
    net = net.to(device)
    parts = []
    for start in range(0, len(images), batch):
        chunk = images[start:start + batch].to(device)
        chunk = chunk.float() / 255.0 if chunk.dtype == torch.uint8 else chunk.float()
        parts.append(net(chunk).cpu())
    return torch.cat(parts)
