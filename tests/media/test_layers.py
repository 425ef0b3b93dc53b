"""The layering rules of DESIGN.md, read from the imports of src/artforge (every import
statement, at module level or inside a function)."""

import ast
from pathlib import Path

import artforge

SOURCE = Path(artforge.__file__).parent
MEDIA = {"text", "music", "image", "style"}
APPS = {"cli", "studio", "demo", "doctor"}


def _imports() -> list[tuple[str, str, int]]:
    """(importing module, imported artforge module, line) for every import in the package."""
    found = []
    for file in sorted(SOURCE.rglob("*.py")):
        module = ".".join(("artforge", *file.relative_to(SOURCE).with_suffix("").parts))
        module = module.removesuffix(".__init__")
        for node in ast.walk(ast.parse(file.read_text(), str(file))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            found += [(module, name, node.lineno) for name in names
                      if name.split(".")[0] == "artforge"]
    return found


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _broken(rule) -> list[str]:
    return [f"{source}:{line} imports {target}" for source, target, line in _imports()
            if rule(_layer(source), _layer(target))]


def test_the_scan_sees_imports_inside_functions():
    seen = {(source, target) for source, target, _ in _imports()}
    assert ("artforge.demo.run", "artforge.image.field.pipeline") in seen  # inside run_demo


def test_core_imports_no_medium_app_or_catalog():
    assert _broken(lambda s, t: s == "core" and t in MEDIA | APPS | {"catalog", "media"}) == []


def test_media_import_no_app_and_no_sibling():
    assert _broken(lambda s, t: s in MEDIA and (t in APPS | {"media"}
                                                or (t in MEDIA and t != s))) == []


def test_data_and_encoders_import_no_medium_or_app():
    assert _broken(lambda s, t: s in {"data", "encoders", "catalog"}
                   and t in MEDIA | APPS | {"media"}) == []


def test_no_module_is_imported_by_a_string():
    calls = []
    for file in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(file.read_text())):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name in {"import_module", "__import__"}:
                    calls.append(f"{file.relative_to(SOURCE)}:{node.lineno}")
    assert calls == []
