"""The media artforge has, in the order the apps show them.

The command line, the studio, the demo, the doctor and `catalog reproduce` iterate over
`MEDIA` (read it at call time: a test, or a plug-in, may add a medium to the list). Adding a
medium is its package, exporting a `Medium`, and one line here.
"""

from artforge.core.medium import DemoPart, Feature, Medium, ShippedModel
from artforge.core.registry import MODELS, PIPELINES
from artforge.image import MEDIUM as IMAGE
from artforge.music import MEDIUM as MUSIC
from artforge.style import MEDIUM as STYLE
from artforge.text import MEDIUM as TEXT

MEDIA: list[Medium] = [TEXT, MUSIC, IMAGE, STYLE]


def register_all() -> None:
    """Import every medium's registering modules (what the registries call on a miss)."""
    for medium in MEDIA:
        medium.register()


MODELS.add_source(register_all)
PIPELINES.add_source(register_all)


def demo_parts() -> list[DemoPart]:
    """Every medium's parts of `artforge demo`, in the media's order."""
    return [part for each in MEDIA for part in each.demo]


def features() -> list[Feature]:
    return [feature for each in MEDIA for feature in each.features]


def shipped_models() -> list[ShippedModel]:
    return [model for each in MEDIA for model in each.shipped]
