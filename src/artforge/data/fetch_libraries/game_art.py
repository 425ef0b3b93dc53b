"""Game art: Endless Sky's landscape photographs and Battle for Wesnoth's painted story art."""

import re
from collections.abc import Iterator

from PIL import Image

from artforge.data.fetch_libraries.package import IMG_EXT, Candidate, SourceContext, slug
from artforge.data.fetch_libraries.pictures import alpha_fraction

ENDLESS_SKY = ("endless-sky-data",)
WESNOTH = ("wesnoth-1.16-data", "wesnoth-1.16-httt", "wesnoth-1.16-trow", "wesnoth-1.16-low",
           "wesnoth-1.16-did", "wesnoth-1.16-dm", "wesnoth-1.16-l", "wesnoth-1.16-tsg",
           "wesnoth-1.16-ttb")
"""The campaign packages and core data (wesnoth-1.16-sota is left out: its story images are
screenshots of the game map)."""
WESNOTH_LICENCE = ('GPL-2+ ("This program is free software; you can redistribute it and/or '
                   "modify it under the terms of the GNU General Public License version 2 or at "
                   'your option any later version.")')


def endless_sky(ctx: SourceContext) -> Iterator[Candidate]:
    package = ctx.package("endless-sky-data")
    base = "usr/share/games/endless-sky/images/"
    for path in package.files(base + "land/*.jpg"):
        yield package.cand("photos", path, name="endless-sky--" + path.stem)
    for path in package.files(base + "scene/*.jpg"):
        if re.match(r"(army|engine|loc)", path.stem):  # the rest are renders
            yield package.cand("photos", path, name="endless-sky--scene-" + path.stem)


def _story_art(path: str) -> bool:
    return ("/images/story/" in path and path.lower().endswith(IMG_EXT)) or path.endswith(
        "/copyright")


def wesnoth(ctx: SourceContext) -> Iterator[Candidate]:
    for name in WESNOTH:
        package = ctx.package(name, want=_story_art)
        for path in package.files("usr/share/games/wesnoth/*/data/**/images/story/**/*"):
            if not path.name.lower().endswith(IMG_EXT) or "logo" in path.name.lower():
                continue
            with Image.open(path) as image:
                if alpha_fraction(image) > 0.02:  # cut-out portraits, overlays
                    continue
            parts = path.parts
            campaign = parts[parts.index("data") + 2] if "campaigns" in parts else "core"
            yield package.cand("paintings", path,
                               name=f"wesnoth--{slug(campaign)}-{slug(path.stem)}",
                               licence=WESNOTH_LICENCE,
                               title=f"Battle for Wesnoth story art ({campaign}), digital painting")
