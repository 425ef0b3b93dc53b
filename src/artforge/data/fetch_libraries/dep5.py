"""Licences from a Debian machine-readable copyright file (DEP-5), matched on path suffixes."""

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Dep5:
    stanzas: list[tuple[list[str], str, str]] = field(default_factory=list)
    """(file patterns, licence, copyright) of each Files stanza, in the file's order."""
    text: str = ""

    @classmethod
    def load(cls, path: Path) -> "Dep5":
        """The stanzas of `path`; none when the package has no copyright file."""
        dep5 = cls()
        if not path.exists():
            return dep5
        dep5.text = path.read_text(errors="replace")
        for block in re.split(r"\n\s*\n", dep5.text):
            fields, key = {}, None
            for line in block.splitlines():
                match = re.match(r"^([A-Za-z-]+):\s*(.*)$", line)
                if match and not line.startswith((" ", "\t")):
                    key = match.group(1).lower()
                    fields[key] = [match.group(2)]
                elif key and line.startswith((" ", "\t")):
                    fields[key].append(line.strip())
            if "files" in fields and "license" in fields:
                patterns = " ".join(fields["files"]).split()
                holders = " ".join(x for x in fields.get("copyright", []) if x)
                dep5.stanzas.append((patterns, fields["license"][0].strip(), holders))
        return dep5

    def licence(self, path: str, default: str = "") -> str:
        """The licence (and copyright, cut to 160 characters) of the last stanza whose
        pattern matches the end of `path`, or `default`."""
        parts = path.split("/")
        best = None
        for patterns, licence, holders in self.stanzas:
            for pattern in patterns:
                depth = pattern.count("/") + 1
                if fnmatch.fnmatchcase("/".join(parts[-depth:]), pattern):
                    best = (licence, holders)
        if best:
            holders = best[1] if len(best[1]) <= 160 else best[1][:157] + "..."
            return f"{best[0]} ({holders})" if holders else best[0]
        return default
