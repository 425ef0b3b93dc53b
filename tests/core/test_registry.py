import pytest

from artforge.core.registry import MODELS, PIPELINES, Registry


def test_register_and_get():
    registry: Registry[type] = Registry("widget")

    @registry.register("round")
    class Round:
        pass

    assert registry.get("round") is Round
    assert "round" in registry and registry.names() == ["round"]


def test_unknown_name_lists_known_names():
    registry: Registry[int] = Registry("widget")
    registry.register("b")(2)
    registry.register("a")(1)
    with pytest.raises(ValueError, match=r"unknown widget 'c'; known: a, b"):
        registry.get("c")


def test_name_taken_twice_is_refused():
    registry: Registry[int] = Registry("widget")
    registry.register("a")(1)
    with pytest.raises(ValueError, match="already registered"):
        registry.register("a")(2)


def test_providers_fill_the_built_in_registries():
    assert "field" in MODELS.names()
    assert "field.render" in PIPELINES.names()
