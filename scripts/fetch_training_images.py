#!/usr/bin/env python3
"""Build a local training-image set (paintings / photos / abstract) from packages in
Debian (apt-get download).

Usage:  .venv/bin/python scripts/fetch_training_images.py [OUTDIR] [--cache DIR] [--keep-cache]
        [--skip SOURCE ...]

Without OUTDIR it builds artforge's picture libraries ($ARTFORGE_HOME/cache/libraries:
builtin:photo-library, builtin:art-library, builtin:wallpapers; artforge.data.libraries).

Writes OUTDIR/paintings, OUTDIR/photos, OUTDIR/abstract (RGB JPEG, longest side <= 1024 px,
short side >= 256 px, near-duplicates removed) and OUTDIR/SOURCES.md (every file with its
package, version, path inside the package and licence).

Held out for evaluation and never written: Hokusai "Poppies", Renoir "Girls at the Piano",
Bazille "Ramparts at Aigues-Mortes".  They are dropped by title, and every candidate image
is also compared (perceptual hash) with these three, so a copy in any other package is
dropped too.

Needs only Python 3.11 stdlib + Pillow (with WebP support), plus `apt-get` (for
`apt-get download`, no root needed; run `apt-get update` first if it says a package is
unknown).  Debian's .deb files are unpacked in pure Python (ar + tar.xz); `dpkg-deb` is
used only as a fallback for other compressions.
"""
from __future__ import annotations

import argparse
import fnmatch
import io
import json
import lzma
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageOps

Image.MAX_IMAGE_PIXELS = 200_000_000

MAX_SIDE = 1024
MIN_SHORT = 256
DUP_DIST = 24           # max Hamming distance (256-bit dHash) for a near-duplicate
HELDOUT_DIST = 12       # looser for the held-out check: never let one slip through
HELDOUT_TITLE = re.compile(r'poppies|girls at the piano|jeunes filles au piano|aigues[- ]mortes', re.I)
IMG_EXT = ('.png', '.jpg', '.jpeg', '.webp')

# Already in artforge's src/artforge/assets/paintings (flagged in SOURCES.md, still written).
ALREADY_SHIPPED = re.compile(
    r'Ryogoku|Kazusa|Mona Lisa|Pala di Pesaro|Dürer, Lion|Harvesters|Composition VIII|'
    r'moulin de la Galette|Summertime|Village Street in Auvers|Arcimboldo|Oiran|Woman holding a fan|'
    r'Ejiri|Great Wave|Benzaiten|Horse-mackerel|starry_night', re.I)


# --------------------------------------------------------------------------- helpers
def log(*a):
    print(*a, file=sys.stderr, flush=True)


def ar_members(blob: bytes):
    if blob[:8] != b'!<arch>\n':
        raise ValueError('not an ar archive')
    pos = 8
    while pos + 60 <= len(blob):
        hdr = blob[pos:pos + 60]
        name = hdr[:16].decode().strip().rstrip('/')
        size = int(hdr[48:58].decode().strip())
        yield name, blob[pos + 60:pos + 60 + size]
        pos += 60 + size + (size & 1)


def extract_deb(deb: Path, dest: Path, want) -> None:
    """Extract the members of deb's data.tar for which want(path) is true."""
    dest.mkdir(parents=True, exist_ok=True)
    blob = deb.read_bytes()
    for name, data in ar_members(blob):
        if not name.startswith('data.tar'):
            continue
        if name.endswith('.zst'):
            subprocess.run(['dpkg-deb', '-x', str(deb), str(dest)], check=True)
            return
        mode = 'r:xz' if name.endswith('.xz') else 'r:gz' if name.endswith('.gz') else 'r:'
        with tarfile.open(fileobj=io.BytesIO(data), mode=mode) as tf:
            for m in tf:
                p = m.name.lstrip('./')
                if m.isfile() and want(p):
                    out = dest / p
                    out.parent.mkdir(parents=True, exist_ok=True)
                    with tf.extractfile(m) as src, open(out, 'wb') as fh:
                        shutil.copyfileobj(src, fh)
        return
    raise ValueError(f'{deb}: no data.tar member')


def deb_version(deb: Path) -> str:
    # pkg_1%3a1.2-3_all.deb  ->  1:1.2-3
    parts = deb.name.split('_')
    return parts[1].replace('%3a', ':') if len(parts) >= 3 else '?'


def apt_download(pkg: str, cache: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    have = sorted(cache.glob(f'{pkg}_*.deb'))
    if have:
        return have[-1]
    log(f'  apt-get download {pkg}')
    r = subprocess.run(['apt-get', 'download', pkg], cwd=cache, capture_output=True, text=True)
    have = sorted(cache.glob(f'{pkg}_*.deb'))
    if not have:
        raise RuntimeError(f'apt-get download {pkg} failed: {r.stderr.strip()[-300:]}')
    return have[-1]


# ---- licences: Debian machine-readable copyright (DEP-5), matched on path suffixes
@dataclass
class Dep5:
    stanzas: list = field(default_factory=list)   # [(patterns, licence, copyright)]
    text: str = ''

    @classmethod
    def load(cls, path: Path) -> 'Dep5':
        d = cls()
        if not path.exists():
            return d
        d.text = path.read_text(errors='replace')
        for block in re.split(r'\n\s*\n', d.text):
            fields, key = {}, None
            for line in block.splitlines():
                m = re.match(r'^([A-Za-z-]+):\s*(.*)$', line)
                if m and not line.startswith((' ', '\t')):
                    key = m.group(1).lower()
                    fields[key] = [m.group(2)]
                elif key and line.startswith((' ', '\t')):
                    fields[key].append(line.strip())
            if 'files' in fields and 'license' in fields:
                pats = ' '.join(fields['files']).split()
                cr = ' '.join(x for x in fields.get('copyright', []) if x)
                d.stanzas.append((pats, fields['license'][0].strip(), cr))
        return d

    def licence(self, path: str, default: str = '') -> str:
        comps = path.split('/')
        best = None
        for pats, lic, cr in self.stanzas:
            for p in pats:
                k = p.count('/') + 1
                if fnmatch.fnmatchcase('/'.join(comps[-k:]), p):
                    best = (lic, cr)
        if best:
            cr = best[1] if len(best[1]) <= 160 else best[1][:157] + '...'
            return f'{best[0]} ({cr})' if cr else best[0]
        return default


def gcompris_readmes(root: Path) -> dict:
    """image path -> licence text, from the README files inside GCompris resources
    (blocks of Copyright/License/Source/Comment lines and the file names they cover)."""
    out = {}
    for rd in root.rglob('README*'):
        txt = rd.read_text(errors='replace')
        for block in re.split(r'\n\s*\n', txt):
            info, files = {}, []
            for line in block.splitlines():
                m = re.match(r'^(Copyright|License|Source|Comments?|Files)\s*:\s*(.*)$', line.strip())
                if m:
                    k = m.group(1).lower().rstrip('s') if m.group(1).lower() != 'comments' else 'comment'
                    if k == 'file':
                        files += m.group(2).split()
                    else:
                        info.setdefault(k, []).append(m.group(2).strip())
                elif line.strip().lower().endswith(IMG_EXT + ('.svg', '.svgz')):
                    files += line.split()
            if 'license' in info:
                desc = info['license'][0]
                extra = '; '.join(x for x in info.get('copyright', []) + info.get('source', []) + info.get('comment', []) if x)
                for f in files:
                    out[os.path.normpath(rd.parent / f)] = f'{desc} ({extra})' if extra else desc
    return out


# ---- Qt .rcc reader (GCompris ships its data in .rcc files)
def read_rcc(blob: bytes):
    if blob[:4] != b'qres':
        raise ValueError('not an rcc file')
    version, tree, data, names = struct.unpack('>IIII', blob[4:20])
    node_size = 22 if version >= 2 else 14

    def name_at(off):
        n, = struct.unpack('>H', blob[names + off:names + off + 2])
        return blob[names + off + 6:names + off + 6 + 2 * n].decode('utf-16-be')

    def walk(idx, prefix):
        base = tree + idx * node_size
        name_off, flags = struct.unpack('>IH', blob[base:base + 6])
        path = f'{prefix}/{name_at(name_off)}' if idx else prefix
        if flags & 2:                                  # directory
            count, first = struct.unpack('>II', blob[base + 6:base + 14])
            for c in range(first, first + count):
                yield from walk(c, path)
        else:
            doff, = struct.unpack('>I', blob[base + 10:base + 14])
            p = data + doff
            size, = struct.unpack('>I', blob[p:p + 4])
            raw = blob[p + 4:p + 4 + size]
            if flags & 1:                              # zlib (qCompress: 4-byte length prefix)
                raw = zlib.decompress(raw[4:])
            elif flags & 4:                            # zstd: not in stdlib
                try:
                    import zstandard
                except ImportError:
                    log(f'    skip zstd-compressed {path}')
                    return
                raw = zstandard.ZstdDecompressor().decompress(raw, max_output_size=1 << 30)
            yield path.lstrip('/'), raw

    yield from walk(0, '')


# ---- image utilities
def dhash(im: Image.Image, side: int = 8) -> int:
    """Difference hash: side x side bits, each whether a pixel is brighter than its right one."""
    g = im.convert('L').resize((side + 1, side), Image.LANCZOS)
    px = g.tobytes()
    bits = 0
    for y in range(side):
        for x in range(side):
            bits = (bits << 1) | (px[y * (side + 1) + x] > px[y * (side + 1) + x + 1])
    return bits


def dhash16(im: Image.Image) -> int:
    return dhash(im, 16)


def thumb(im: Image.Image) -> bytes:
    return im.convert('RGB').resize((8, 8), Image.BOX).tobytes()


def near_dup(a, b) -> bool:
    """a, b = (dhash16, thumb): same structure AND same colours."""
    if bin(a[0] ^ b[0]).count('1') > DUP_DIST:
        return False
    return sum(abs(x - y) for x, y in zip(a[1], b[1])) / len(a[1]) <= 16


def hamming(a: int, b: int) -> int:
    return bin(a ^ b).count('1')


def flatten(im: Image.Image, bg=(255, 255, 255), gradient=None) -> Image.Image:
    im = ImageOps.exif_transpose(im)
    if im.mode in ('RGBA', 'LA', 'P', 'PA') or 'transparency' in im.info:
        im = im.convert('RGBA')
        if gradient:
            a, b = gradient
            base = Image.linear_gradient('L').resize(im.size)
            base = Image.composite(Image.new('RGB', im.size, b), Image.new('RGB', im.size, a), base).convert('RGBA')
        else:
            base = Image.new('RGBA', im.size, bg + (255,))
        base.alpha_composite(im)
        return base.convert('RGB')
    return im.convert('RGB')


def alpha_fraction(im: Image.Image) -> float:
    if im.mode not in ('RGBA', 'LA', 'P', 'PA') and 'transparency' not in im.info:
        return 0.0
    a = im.convert('RGBA').getchannel('A')
    h = a.histogram()
    return sum(h[:250]) / (im.size[0] * im.size[1])


def flatness(im: Image.Image) -> tuple[float, int]:
    """(share of equal neighbouring pixels, number of 15-bit colours) on opaque pixels:
    clip art is flat with few colours, photographs are not."""
    im = im.convert('RGBA')
    im.thumbnail((256, 256))
    w, h = im.size
    raw = im.tobytes()
    flat = tot = 0
    cols = set()
    for y in range(h):
        row = raw[y * w * 4:(y + 1) * w * 4]
        for x in range(w - 1):
            i = x * 4
            if row[i + 3] > 200 and row[i + 7] > 200:
                tot += 1
                if abs(row[i] - row[i + 4]) + abs(row[i + 1] - row[i + 5]) + abs(row[i + 2] - row[i + 6]) <= 3:
                    flat += 1
                cols.add((row[i] >> 3, row[i + 1] >> 3, row[i + 2] >> 3))
    return flat / max(tot, 1), len(cols)


# --------------------------------------------------------------------------- candidates
@dataclass
class Cand:
    kind: str            # paintings | photos | abstract
    image: object        # Path or PIL image
    name: str            # output file stem
    package: str
    version: str
    src: str             # path inside the package
    licence: str
    title: str = ''
    gradient: tuple | None = None
    note: str = ''


class Pkg:
    """A downloaded and (partly) extracted Debian package."""

    def __init__(self, name: str, cache: Path, want=None):
        self.name = name
        deb = apt_download(name, cache / 'deb')
        self.version = deb_version(deb)
        self.size = deb.stat().st_size
        self.root = cache / 'x' / name
        if not self.root.exists():
            def default_want(p):
                return p.lower().endswith(IMG_EXT) or '/doc/' in p and p.endswith('/copyright')
            extract_deb(deb, self.root, want or default_want)
        self.dep5 = Dep5.load(self.root / 'usr/share/doc' / name / 'copyright')

    def files(self, pattern: str):
        return sorted(self.root.glob(pattern))

    def rel(self, p: Path) -> str:
        return '/' + str(p.relative_to(self.root))

    def cand(self, kind, path: Path, name=None, licence=None, **kw) -> Cand:
        rel = self.rel(path)
        lic = licence or self.dep5.licence(rel.lstrip('/'), 'see /usr/share/doc/%s/copyright' % self.name)
        stem = name or f'{self.name}--{path.stem}'
        return Cand(kind, path, stem, self.name, self.version, rel, lic, **kw)


def slug(s: str) -> str:
    s = unicodedata.normalize('NFKD', s).encode('ascii', 'ignore').decode()
    s = re.sub(r'[^A-Za-z0-9]+', '-', s).strip('-').lower()
    return s[:80] or 'x'


# ---- GCompris (Qt .rcc resources)
def src_gcompris(cache: Path, heldout: list):
    pkg = Pkg('gcompris-qt-data', cache,
              want=lambda p: p.endswith('.rcc') or p.endswith('/copyright'))
    res = cache / 'x' / 'gcompris-rcc'
    if not res.exists():
        for rcc in pkg.files('usr/share/gcompris-qt/rcc/*.rcc'):
            for path, raw in read_rcc(rcc.read_bytes()):
                if path.lower().endswith(IMG_EXT + ('.qml',)) or '/README' in path:
                    out = res / path
                    out.parent.mkdir(parents=True, exist_ok=True)
                    out.write_bytes(raw)
    act = res / 'gcompris/src/activities'
    readmes = gcompris_readmes(act)
    rcc_note = '/usr/share/gcompris-qt/rcc/*.rcc:'

    def lic(p: Path, default='GPL-3+'):
        r = readmes.get(os.path.normpath(p))
        if r:
            return r
        return pkg.dep5.licence(str(p.relative_to(res / 'gcompris')), default)

    def C(kind, p: Path, title='', name=None, **kw):
        rel = rcc_note + str(p.relative_to(res))
        return Cand(kind, p, name or 'gcompris--' + p.stem, pkg.name, pkg.version, rel, lic(p), title=title, **kw)

    # 1) "paintings" activity: jigsaw pieces -> reassemble each board
    pdir = act / 'paintings/resource'
    for board in sorted(pdir.glob('board/board*_0.qml'), key=lambda p: int(re.findall(r'\d+', p.name)[0])):
        t = board.read_text()
        title = re.search(r'qsTr\("([^"]+)"\)', t).group(1)
        W = int(re.search(r'"width"\s*:\s*(\d+)', t).group(1))
        H = int(re.search(r'"height"\s*:\s*(\d+)', t).group(1))
        canvas = Image.new('RGBA', (W, H), (0, 0, 0, 0))
        for f, x, y in re.findall(r'"pixmapfile"\s*:\s*"([^"]+\.webp)"\s*,\s*"x"\s*:\s*"?([\d.]+)"?\s*,\s*"y"\s*:\s*"?([\d.]+)', t):
            piece = Image.open(pdir / f).convert('RGBA')
            cx, cy = float(x) * W, float(y) * H
            canvas.alpha_composite(piece, (round(cx - piece.width / 2), round(cy - piece.height / 2)))
        bbox = canvas.getchannel('A').point(lambda a: 255 if a > 128 else 0).getbbox()
        img = flatten(canvas.crop(bbox))
        if HELDOUT_TITLE.search(title):
            heldout.append((title, dhash(img)))
            continue
        kind = 'photos' if 'Pieta' in title else 'paintings'     # a photo of a sculpture
        c = Cand(kind, img, 'gcompris--' + slug(title), pkg.name, pkg.version,
                 rcc_note + 'gcompris/src/activities/paintings/resource/' + board.name + ' (reassembled)',
                 pkg.dep5.licence('src/activities/paintings/resource/image/x.webp', 'GPL-3+') +
                 '; artwork itself public domain', title=title)
        if ALREADY_SHIPPED.search(title):
            c.note = 'already in artforge assets'
        yield c

    # 2) "details" activity: whole paintings and monument photos (the *_background files)
    ddir = act / 'details/resource'
    titles = {}
    for board in ddir.glob('board/*.qml'):
        t = board.read_text()
        m = re.search(r'qsTr\("([^"]+)"\)', t)
        bg = re.search(r'"pixmapfile"\s*:\s*"image/([^"]+_background\.webp)"', t)
        if m and bg:
            titles[bg.group(1)] = m.group(1)
    for p in sorted(ddir.glob('image/*_background.webp')):
        title = titles.get(p.name, p.stem)
        kind = 'paintings' if 'Gogh' in title else 'photos'
        yield C(kind, p, title, name='gcompris--' + slug(title))

    # 3) photo activities
    for sub in ('explore_monuments/resource/*/*.webp', 'erase/resource/*.webp',
                'explore_world_animals/resource/animals/*.webp', 'explore_farm_animals/resource/animals/*.webp',
                'explore_world_music/resource/music/*.webp', 'categorization/resource/images/*/*.webp'):
        for p in sorted(act.glob(sub)):
            if '/alphabets/' in str(p) or '/numbers/' in str(p):
                continue
            activity = p.relative_to(act).parts[0]
            yield C('photos', p, name=f'gcompris--{activity}-{p.stem}')


# ---- Endless Sky landscape photographs
def src_endless_sky(cache: Path, heldout):
    pkg = Pkg('endless-sky-data', cache)
    base = 'usr/share/games/endless-sky/images/'
    for p in pkg.files(base + 'land/*.jpg'):
        yield pkg.cand('photos', p, name='endless-sky--' + p.stem)
    for p in pkg.files(base + 'scene/*.jpg'):
        if re.match(r'(army|engine|loc)', p.stem):     # the rest are renders
            yield pkg.cand('photos', p, name='endless-sky--scene-' + p.stem)


# ---- Battle for Wesnoth: painted story art (campaign packages + core data)
# (wesnoth-1.16-sota is left out: its story images are screenshots of the game map)
WESNOTH = ['wesnoth-1.16-data', 'wesnoth-1.16-httt', 'wesnoth-1.16-trow',
           'wesnoth-1.16-low', 'wesnoth-1.16-did', 'wesnoth-1.16-dm', 'wesnoth-1.16-l',
           'wesnoth-1.16-tsg', 'wesnoth-1.16-ttb']
WESNOTH_LIC = ('GPL-2+ ("This program is free software; you can redistribute it and/or modify it under '
               'the terms of the GNU General Public License version 2 or at your option any later version.")')


def src_wesnoth(cache: Path, heldout):
    for name in WESNOTH:
        pkg = Pkg(name, cache, want=lambda p: ('/images/story/' in p and p.lower().endswith(IMG_EXT))
                  or p.endswith('/copyright'))
        for p in pkg.files('usr/share/games/wesnoth/*/data/**/images/story/**/*'):
            if not p.name.lower().endswith(IMG_EXT) or 'logo' in p.name.lower():
                continue
            with Image.open(p) as im:
                if alpha_fraction(im) > 0.02:            # cut-out portraits, overlays
                    continue
            camp = p.parts[p.parts.index('data') + 2] if 'campaigns' in p.parts else 'core'
            yield pkg.cand('paintings', p, name=f'wesnoth--{slug(camp)}-{slug(p.stem)}', licence=WESNOTH_LIC,
                           title=f'Battle for Wesnoth story art ({camp}), digital painting')


# ---- OpenCV sample data (curated: colour photographs only) and Starry Night
OPENCV_PHOTOS = ['alphamat/input_images/plant.jpg', 'data/aero1.jpg', 'data/aero3.jpg', 'data/aloeL.jpg',
                 'data/apple.jpg', 'data/baboon.jpg', 'data/board.jpg', 'data/building.jpg', 'data/butterfly.jpg',
                 'data/chicky_512.png', 'data/ela_original.jpg', 'data/fruits.jpg', 'data/graf1.png',
                 'data/home.jpg', 'data/leuvenA.jpg', 'data/licenseplate_motion.jpg', 'data/messi5.jpg',
                 'data/orange.jpg', 'data/rubberwhale1.png', 'data/squirrel_cls.jpg', 'data/stuff.jpg',
                 'dnn_superres/butterfly.png', 'reg/home.png'] + [f'text/scenetext0{i}.jpg' for i in range(1, 7)]


def src_opencv(cache: Path, heldout):
    pkg = Pkg('opencv-doc', cache, want=lambda p: ('/examples/' in p and p.lower().endswith(IMG_EXT))
              or p.endswith('/copyright'))
    ex = pkg.root / 'usr/share/doc/opencv-doc/examples'
    for rel in OPENCV_PHOTOS:
        p = ex / rel
        if p.exists():
            yield pkg.cand('photos', p, name='opencv--' + slug(rel.rsplit('.', 1)[0]))
    p = ex / 'data/starry_night.jpg'
    if p.exists():
        yield pkg.cand('paintings', p, name='opencv--van-gogh-starry-night',
                       title='Vincent van Gogh, The Starry Night (1889)', note='already in artforge assets')


# ---- Tux Paint: photo templates + photographic stamps (object cut-outs, put on white)
def src_tuxpaint(cache: Path, heldout):
    pkg = Pkg('tuxpaint-data', cache)
    for p in pkg.files('usr/share/tuxpaint/templates/*.jpg'):
        yield pkg.cand('photos', p, name='tuxpaint--' + p.stem)
    pkg = Pkg('tuxpaint-stamps-default', cache)
    for p in pkg.files('usr/share/tuxpaint/stamps/**/*.png'):
        if re.search(r'_(mirror|flip|back)\.png$', p.name) or 'cartoon' in str(p):
            continue
        with Image.open(p) as im:
            if min(im.size) < MIN_SHORT:
                continue
            flat, ncol = flatness(im)
        if flat < 0.35 and ncol >= 300:               # photographic, not clip art
            yield pkg.cand('photos', p, name='tuxpaint-stamp--' + slug(p.stem), note='cut-out object on white')


# ---- Small sample sets inside Python / game packages
def src_samples(cache: Path, heldout):
    pkg = Pkg('python3-skimage', cache, want=lambda p: '/skimage/data/' in p or p.endswith('/copyright'))
    lic = {'astronaut': 'public domain (NASA)', 'coffee': 'CC0 (Rachel Michetti)',
           'chelsea': 'CC0 (Stefan van der Walt)', 'rocket': 'public domain (SpaceX)',
           'motorcycle_left': 'no known copyright restrictions (Middlebury stereo data set)'}
    for stem, l in lic.items():
        for p in pkg.files(f'usr/lib/python3/dist-packages/skimage/data/{stem}.*'):
            yield pkg.cand('photos', p, name='skimage--' + stem,
                           licence=l + ' (as stated in skimage/data/_fetchers.py; package BSD-3-Clause)')
    pkg = Pkg('python3-sklearn', cache, want=lambda p: '/datasets/images/' in p or p.endswith('/copyright'))
    for p in pkg.files('usr/lib/python3/dist-packages/sklearn/datasets/images/*.jpg'):
        yield pkg.cand('photos', p, name='sklearn--' + p.stem,
                       licence='CC-BY-2.0 (Flickr, per sklearn/datasets/images/README.txt)')
    pkg = Pkg('palapeli-data', cache)
    for p in pkg.files('usr/share/palapeli/collection/*.jpg'):
        yield pkg.cand('photos', p, name='palapeli--' + p.stem)
    pkg = Pkg('puzzle-jigsaw', cache)
    for p in pkg.files('usr/share/puzzle-jigsaw/samples/*'):
        yield pkg.cand('photos', p, name='puzzle-jigsaw--' + slug(p.stem))


# ---- Desktop wallpapers (hand-classified: they are few and mixed)
PLASMA_PHOTOS = {'BytheWater', 'ColdRipple', 'DarkestHour', 'EveningGlow', 'FallenLeaf', 'Kite',
                 'OneStandsOut', 'Path', 'summer_1am', 'Grey'}
PLASMA_PAINT = {'Autumn', 'SafeLanding'}
LOMIRI_ABSTRACT = {'analogpattern', 'umang', 'greentock', 'Fossa', 'Painting-Colors', 'Infinite-Sea',
                   'lomiri-default-background', 'warty-final-ubuntu'}
LXQT_PHOTOS = {'Butterfly-Kenneth-Wimer', 'Valendas', 'after-the-rain', 'appleflower', 'beam', 'butterfly',
               'cloud', 'drop', 'flowers', 'fog', 'this-is-not-windows'}
MATE_GRADIENT = ((0x27, 0x58, 0x7E), (0x62, 0x7F, 0x5A))   # MATE's own background colours


NO_LOGOS = re.compile(r'logo|MATE-Stripes|GreenTraditional', re.I)


def src_wallpapers(cache: Path, heldout):
    for c in _wallpapers(cache, heldout):
        if not NO_LOGOS.search(c.src):        # wallpapers with big logos or text
            yield c


def _wallpapers(cache: Path, heldout):
    pkg = Pkg('plasma-workspace-wallpapers', cache,
              want=lambda p: p.lower().endswith(IMG_EXT + ('metadata.json',)) or p.endswith('/copyright'))
    for d in pkg.files('usr/share/wallpapers/*'):
        meta = {}
        if (d / 'metadata.json').exists():
            meta = json.loads((d / 'metadata.json').read_text()).get('KPlugin', {})
        authors = ', '.join(a.get('Name', '') for a in meta.get('Authors', []))
        lic = f"{meta.get('License', 'GPL-2+')} ({authors}; metadata.json)" if meta else None
        kind = 'photos' if d.name in PLASMA_PHOTOS else 'paintings' if d.name in PLASMA_PAINT else 'abstract'
        for sub in ('images', 'images_dark'):
            imgs = sorted((d / 'contents' / sub).glob('*'), key=lambda p: p.stat().st_size)
            if imgs:
                yield pkg.cand(kind, imgs[-1], name=f'plasma--{slug(d.name)}{"-dark" if sub != "images" else ""}',
                               licence=lic, title=meta.get('Name', d.name) if kind == 'paintings' else '')

    pkg = Pkg('mate-backgrounds', cache)
    for p in pkg.files('usr/share/backgrounds/mate/*/*'):
        if re.search(r'_\d+x\d+\.', p.name):
            continue
        sect = p.parent.name
        kind = 'photos' if sect == 'nature' else 'paintings' if p.stem == 'Elephants' else 'abstract'
        yield pkg.cand(kind, p, name='mate--' + slug(p.stem), gradient=MATE_GRADIENT)

    pkg = Pkg('gnome-backgrounds', cache)
    for p in pkg.files('usr/share/backgrounds/gnome/*.webp'):
        lic = ('CC-BY-SA-3.0 ("adwaita* ... Copyright 2011 Jakub Steiner ... Creative Commons Attribution-ShareAlike 3.0")'
               if p.name.startswith('adwaita') else
               'GPL-2+ (package licence; image not listed individually in debian/copyright)')
        yield pkg.cand('abstract', p, name='gnome--' + p.stem, licence=lic)

    pkg = Pkg('ukui-wallpapers', cache)
    for p in pkg.files('usr/share/backgrounds/*'):
        yield pkg.cand('abstract', p, name='ukui--' + slug(p.stem))

    for name in ('lomiri-wallpapers', 'lomiri-wallpapers-16.04', 'lomiri-wallpapers-20.04'):
        pkg = Pkg(name, cache)
        for p in pkg.files('usr/share/backgrounds/*'):
            stem = p.stem.split('_by_')[0]
            kind = 'abstract' if stem in LOMIRI_ABSTRACT else 'photos'
            # DEP-5 there names files as 16.04/x.jpg / 20.04/x.jpg
            lic = pkg.dep5.licence(('20.04/' if name.endswith('20.04') else '16.04/') + p.name, '') or None
            yield pkg.cand(kind, p, name='lomiri--' + slug(p.stem), licence=lic)

    pkg = Pkg('lxqt-themes', cache, want=lambda p: '/wallpapers/' in p or p.endswith('/copyright'))
    lic = 'CC-BY-SA-3.0 ("Licensed under https://creativecommons.org/licenses/by-sa/3.0/", wallpapers/License)'
    for p in pkg.files('usr/share/lxqt/wallpapers/*'):
        if p.suffix.lower() in IMG_EXT:
            kind = 'photos' if p.stem in LXQT_PHOTOS else 'abstract'
            yield pkg.cand(kind, p, name='lxqt--' + slug(p.stem), licence=lic)

    pkg = Pkg('desktop-base', cache)
    for p in pkg.files('usr/share/desktop-base/*-theme/grub/grub-16x9.png') + \
            pkg.files('usr/share/desktop-base/*-theme/plymouth/*background*.png'):
        yield pkg.cand('abstract', p, name=f'desktop-base--{p.parts[-3]}-{p.stem}')

    pkg = Pkg('xfdesktop4-data', cache)
    for p in pkg.files('usr/share/backgrounds/xfce/*'):
        yield pkg.cand('abstract', p, name='xfce--' + p.stem)


SOURCES = [('gcompris', src_gcompris), ('endless-sky', src_endless_sky), ('wesnoth', src_wesnoth),
           ('opencv', src_opencv), ('tuxpaint', src_tuxpaint), ('samples', src_samples),
           ('wallpapers', src_wallpapers)]


# --------------------------------------------------------------------------- main
def _libraries_dir() -> Path:
    from artforge.data.libraries import libraries_dir

    return libraries_dir()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('out', type=Path, nargs='?', default=None,
                    help="default: artforge's picture libraries, $ARTFORGE_HOME/cache/libraries")
    ap.add_argument('--cache', type=Path, help='download/extract folder (default OUT/.cache)')
    ap.add_argument('--keep-cache', action='store_true', help='keep the .deb files and extracted trees')
    ap.add_argument('--skip', nargs='*', default=[], choices=[s for s, _ in SOURCES])
    args = ap.parse_args(argv)

    out = args.out or _libraries_dir()
    cache = args.cache or out / '.cache'
    for k in ('paintings', 'photos', 'abstract'):
        (out / k).mkdir(parents=True, exist_ok=True)
        for old in (out / k).glob('*.jpg'):        # a rerun replaces the previous set
            old.unlink()
    heldout: list = []          # (title, hash) filled by the GCompris source, which runs first
    seen: list = []             # ((dhash16, thumb), kind, name)
    rows: list = []
    used: set = set()
    stats = {'small': 0, 'dup': 0, 'heldout': 0, 'error': 0}
    pkg_info = {}

    for sname, fn in SOURCES:
        if sname in args.skip:
            continue
        log(f'== {sname}')
        try:
            for c in fn(cache, heldout):
                try:
                    im = c.image if isinstance(c.image, Image.Image) else Image.open(c.image)
                    im.load()
                    im = flatten(im, gradient=c.gradient)
                except Exception as e:      # noqa: BLE001
                    log(f'  ! {c.src}: {e}')
                    stats['error'] += 1
                    continue
                if min(im.size) < MIN_SHORT:
                    stats['small'] += 1
                    continue
                if max(im.size) > MAX_SIDE:
                    im.thumbnail((MAX_SIDE, MAX_SIDE), Image.LANCZOS)
                h = dhash(im)
                if any(hamming(h, hh) <= HELDOUT_DIST for _, hh in heldout):
                    log(f'  held-out match dropped: {c.src}')
                    stats['heldout'] += 1
                    continue
                feat = (dhash16(im), thumb(im))
                dup = next((n for ff, k, n in seen if near_dup(feat, ff)), None)
                if dup:
                    log(f'  near-duplicate of {dup}: {c.package}:{c.src}')
                    stats['dup'] += 1
                    continue
                name = c.name
                while name in used:
                    name += '-2'
                used.add(name)
                im.save(out / c.kind / f'{name}.jpg', 'JPEG', quality=92, optimize=True)
                seen.append((feat, c.kind, name))
                rows.append((c.kind, f'{name}.jpg', f'{im.width}x{im.height}', c.title, c.package, c.version,
                             c.src, c.licence, c.note))
                pkg_info[c.package] = c.version
        except Exception as e:              # noqa: BLE001
            log(f'  !! source {sname} failed: {e}')

    # SOURCES.md
    counts = {k: sum(1 for r in rows if r[0] == k) for k in ('paintings', 'photos', 'abstract')}
    esc = lambda s: str(s).replace('|', '\\|').replace('\n', ' ')
    with open(out / 'SOURCES.md', 'w') as fh:
        fh.write('# Training images from Debian packages\n\n')
        fh.write(f'Made by scripts/fetch_training_images.py. Counts: paintings {counts["paintings"]}, photos {counts["photos"]}, '
                 f'abstract {counts["abstract"]}.\n\n')
        fh.write('Held out for evaluation and NOT included (dropped by title and by perceptual hash): '
                 + '; '.join(t for t, _ in heldout) + f'. Other images dropped as matching them: {stats["heldout"]}.\n\n')
        fh.write(f'Skipped: {stats["small"]} under {MIN_SHORT} px on the short side, {stats["dup"]} near-duplicates, '
                 f'{stats["error"]} unreadable.\n\n')
        fh.write('Licences are those stated in each package (debian/copyright, or the README / metadata file next '
                 'to the image); keep this file next to the images when they are shipped. '
                 'The old-master paintings are public domain; the licence given is that of the scan.\n\n')
        fh.write('Packages: ' + ', '.join(f'{p} {v}' for p, v in sorted(pkg_info.items())) + '\n\n')
        for kind in ('paintings', 'photos', 'abstract'):
            fh.write(f'## {kind} ({counts[kind]})\n\n| file | size | title | package | version | path in package | licence | note |\n'
                     '|---|---|---|---|---|---|---|---|\n')
            for r in rows:
                if r[0] == kind:
                    fh.write('| ' + ' | '.join(esc(x) for x in r[1:]) + ' |\n')
            fh.write('\n')

    if not args.keep_cache and args.cache is None:
        shutil.rmtree(cache, ignore_errors=True)
    log(f'done: {counts}, skipped {stats}')
    print(json.dumps({'counts': counts, 'skipped': stats, 'heldout_excluded': [t for t, _ in heldout]}))


if __name__ == '__main__':
    main()
