"""Desktop wallpapers of Plasma, MATE, GNOME, UKUI, Lomiri, LXQt, Debian and Xfce,
hand-classified as photos, paintings or abstract (they are few and mixed)."""

import json
import re
from collections.abc import Iterator

from artforge.data.fetch_libraries.package import IMG_EXT, Candidate, SourceContext, slug

LOMIRI = ("lomiri-wallpapers", "lomiri-wallpapers-16.04", "lomiri-wallpapers-20.04")
PACKAGES = ("plasma-workspace-wallpapers", "mate-backgrounds", "gnome-backgrounds",
            "ukui-wallpapers", *LOMIRI, "lxqt-themes", "desktop-base", "xfdesktop4-data")
PLASMA_PHOTOS = {"BytheWater", "ColdRipple", "DarkestHour", "EveningGlow", "FallenLeaf", "Kite",
                 "OneStandsOut", "Path", "summer_1am", "Grey"}
PLASMA_PAINTINGS = {"Autumn", "SafeLanding"}
LOMIRI_ABSTRACT = {"analogpattern", "umang", "greentock", "Fossa", "Painting-Colors",
                   "Infinite-Sea", "lomiri-default-background", "warty-final-ubuntu"}
LXQT_PHOTOS = {"Butterfly-Kenneth-Wimer", "Valendas", "after-the-rain", "appleflower", "beam",
               "butterfly", "cloud", "drop", "flowers", "fog", "this-is-not-windows"}
MATE_GRADIENT = ((0x27, 0x58, 0x7E), (0x62, 0x7F, 0x5A))
"""MATE's own background colours, behind its transparent wallpapers."""
NO_LOGOS = re.compile(r"logo|MATE-Stripes|GreenTraditional", re.I)
"""Wallpapers with big logos or text, left out."""
ADWAITA_LICENCE = ('CC-BY-SA-3.0 ("adwaita* ... Copyright 2011 Jakub Steiner ... Creative '
                   'Commons Attribution-ShareAlike 3.0")')
LXQT_LICENCE = ('CC-BY-SA-3.0 ("Licensed under https://creativecommons.org/licenses/by-sa/3.0/", '
                "wallpapers/License)")


def wallpapers(ctx: SourceContext) -> Iterator[Candidate]:
    for desktop in (_plasma, _mate, _gnome, _ukui, _lomiri, _lxqt, _desktop_base, _xfce):
        for candidate in desktop(ctx):
            if not NO_LOGOS.search(candidate.src):
                yield candidate


def _plasma(ctx: SourceContext) -> Iterator[Candidate]:
    package = ctx.package("plasma-workspace-wallpapers", want=lambda p: p.lower().endswith(
        IMG_EXT + ("metadata.json",)) or p.endswith("/copyright"))
    for folder in package.files("usr/share/wallpapers/*"):
        meta = {}
        if (folder / "metadata.json").exists():
            meta = json.loads((folder / "metadata.json").read_text()).get("KPlugin", {})
        authors = ", ".join(a.get("Name", "") for a in meta.get("Authors", []))
        licence = f"{meta.get('License', 'GPL-2+')} ({authors}; metadata.json)" if meta else None
        kind = ("photos" if folder.name in PLASMA_PHOTOS else
                "paintings" if folder.name in PLASMA_PAINTINGS else "abstract")
        for sub in ("images", "images_dark"):
            images = sorted((folder / "contents" / sub).glob("*"), key=lambda p: p.stat().st_size)
            if images:
                dark = "-dark" if sub != "images" else ""
                yield package.cand(kind, images[-1], name=f"plasma--{slug(folder.name)}{dark}",
                                   licence=licence,
                                   title=meta.get("Name", folder.name) if kind == "paintings"
                                   else "")


def _mate(ctx: SourceContext) -> Iterator[Candidate]:
    package = ctx.package("mate-backgrounds")
    for path in package.files("usr/share/backgrounds/mate/*/*"):
        if re.search(r"_\d+x\d+\.", path.name):
            continue
        kind = ("photos" if path.parent.name == "nature" else
                "paintings" if path.stem == "Elephants" else "abstract")
        yield package.cand(kind, path, name="mate--" + slug(path.stem), gradient=MATE_GRADIENT)


def _gnome(ctx: SourceContext) -> Iterator[Candidate]:
    package = ctx.package("gnome-backgrounds")
    for path in package.files("usr/share/backgrounds/gnome/*.webp"):
        licence = (ADWAITA_LICENCE if path.name.startswith("adwaita") else
                   "GPL-2+ (package licence; image not listed individually in debian/copyright)")
        yield package.cand("abstract", path, name="gnome--" + path.stem, licence=licence)


def _ukui(ctx: SourceContext) -> Iterator[Candidate]:
    package = ctx.package("ukui-wallpapers")
    for path in package.files("usr/share/backgrounds/*"):
        yield package.cand("abstract", path, name="ukui--" + slug(path.stem))


def _lomiri(ctx: SourceContext) -> Iterator[Candidate]:
    for name in LOMIRI:
        package = ctx.package(name)
        for path in package.files("usr/share/backgrounds/*"):
            kind = "abstract" if path.stem.split("_by_")[0] in LOMIRI_ABSTRACT else "photos"
            # their DEP-5 names files as 16.04/x.jpg and 20.04/x.jpg
            release = "20.04/" if name.endswith("20.04") else "16.04/"
            licence = package.dep5.licence(release + path.name, "") or None
            yield package.cand(kind, path, name="lomiri--" + slug(path.stem), licence=licence)


def _lxqt(ctx: SourceContext) -> Iterator[Candidate]:
    package = ctx.package("lxqt-themes",
                          want=lambda p: "/wallpapers/" in p or p.endswith("/copyright"))
    for path in package.files("usr/share/lxqt/wallpapers/*"):
        if path.suffix.lower() in IMG_EXT:
            kind = "photos" if path.stem in LXQT_PHOTOS else "abstract"
            yield package.cand(kind, path, name="lxqt--" + slug(path.stem), licence=LXQT_LICENCE)


def _desktop_base(ctx: SourceContext) -> Iterator[Candidate]:
    package = ctx.package("desktop-base")
    paths = (package.files("usr/share/desktop-base/*-theme/grub/grub-16x9.png")
             + package.files("usr/share/desktop-base/*-theme/plymouth/*background*.png"))
    for path in paths:
        yield package.cand("abstract", path, name=f"desktop-base--{path.parts[-3]}-{path.stem}")


def _xfce(ctx: SourceContext) -> Iterator[Candidate]:
    package = ctx.package("xfdesktop4-data")
    for path in package.files("usr/share/backgrounds/xfce/*"):
        yield package.cand("abstract", path, name="xfce--" + path.stem)
