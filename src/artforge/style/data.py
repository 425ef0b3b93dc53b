"""Training pictures for the style networks: photos (content) and paintings (styles).

`builtin:photos` are random crops of scikit-image's and scikit-learn's sample photos; other
`builtin:` sets and folders come through artforge.data.image_folders (uint8 cache, skipped
files with reasons). Datasets give floats in [0, 1], flipped left-right at random with
torch's seeded RNG, so the Trainer's resume replays them exactly.
"""

import io

import numpy as np
import torch
from torch.utils.data import Dataset

from artforge.core.atomic import write_bytes
from artforge.data.image_folders import ImageSet, load_image_set, to_floats
from artforge.data.images import BUILTIN_PREFIX

PHOTOS = BUILTIN_PREFIX + "photos"


def load_pictures(spec: str, size: int, count: int, seed: int) -> ImageSet:
    """A picture set at `size` px: builtin:photos, builtin:paintings/abstract, or a folder."""
    if spec == PHOTOS:
        from artforge.data.cache import cache_dir
        from artforge.data.photos import photo_crops

        cache = cache_dir("images") / f"photos-{count}-{size}-{seed}.npy"
        if cache.is_file():
            return ImageSet(torch.from_numpy(np.load(cache)), [], spec)
        crops = photo_crops(count, size, seed)
        buffer = io.BytesIO()
        np.save(buffer, crops)
        write_bytes(cache, buffer.getvalue())
        return ImageSet(torch.from_numpy(crops), [], spec)
    return load_image_set(spec, size, count=count, seed=seed)


class PairDataset(Dataset):
    """Each photo with a painting drawn at random: {"content": ..., "style": ...}."""

    def __init__(self, contents: torch.Tensor, styles: torch.Tensor, flip: bool = True) -> None:
        self.contents, self.styles, self.flip = contents, styles, flip

    def __len__(self) -> int:
        return len(self.contents)

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        batch = self.__getitems__([index])
        return {key: value[0] for key, value in batch.items()}

    def __getitems__(self, indices: list[int]) -> dict[str, torch.Tensor]:
        drawn = torch.randint(0, len(self.styles), (len(indices),))
        return {"content": to_floats(self.contents[torch.as_tensor(indices)], self.flip, 0.0),
                "style": to_floats(self.styles[drawn], self.flip, 0.0)}
