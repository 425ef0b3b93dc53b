import dataclasses

import pytest

from artforge.core.config import Config
from artforge.core.train_config import TrainConfig
from artforge.errors import UserError


@dataclasses.dataclass
class Inner(Config):
    width: int = 3


@dataclasses.dataclass
class Outer(Config):
    name: str = "x"
    betas: tuple[float, float] = (0.5, 0.9)
    inner: Inner = dataclasses.field(default_factory=Inner)
    limit: float | None = None


def test_json_round_trip_keeps_types():
    original = Outer(name="y", betas=(0.1, 0.2), inner=Inner(width=7), limit=2.5)
    again = Outer.from_json(original.to_json())
    assert again == original
    assert isinstance(again.betas, tuple) and isinstance(again.inner, Inner)


def test_unknown_option_is_a_user_error():
    with pytest.raises(UserError, match="does not know the option"):
        Outer.from_dict({"name": "y", "colour": "red"})


def test_train_config_round_trip_and_validation(tmp_path):
    config = TrainConfig(steps=5, minutes=0.5, ema_decay=0.99)
    config.save(tmp_path / "train.json")
    assert TrainConfig.from_json((tmp_path / "train.json").read_text()) == config
    with pytest.raises(UserError, match="--steps must be at least 1"):
        TrainConfig(steps=0)
    with pytest.raises(UserError, match="--accumulate"):
        TrainConfig(accumulate=0)


def test_a_config_is_checked_once_when_made_and_replace_checks_the_new_one():
    config = TrainConfig(steps=5)
    with pytest.raises(UserError, match="--steps must be at least 1"):
        config.replace(steps=0)
    with pytest.raises(UserError, match="--steps must be at least 1"):
        TrainConfig.from_dict({"steps": 0})
    assert config.steps == 5


@pytest.mark.parametrize("data, message", [
    ([1], "must be a JSON object"),
    ({"name": 3}, r"Outer.name must be a str, not 3"),
    ({"limit": "2"}, r'Outer.limit must be a float, not "2"'),
    ({"inner": {"width": 8.5}}, r"Inner.width must be a int, not 8.5"),
    ({"inner": {"width": True}}, r"Inner.width must be a int, not true"),
    ({"inner": 4}, r"Outer.inner must be a JSON object"),
])
def test_wrong_types_are_user_errors(data, message):
    with pytest.raises(UserError, match=message):
        Outer.from_dict(data)


def test_ints_are_accepted_where_floats_are_expected():
    assert Outer.from_dict({"limit": 2}).limit == 2.0
    assert isinstance(Outer.from_dict({"limit": 2}).limit, float)


def test_seeded_builds_alike_and_puts_the_generators_back():
    import random

    import numpy as np
    import torch

    from artforge.core.seeding import seeded

    torch.manual_seed(123)
    random.seed(123)
    np.random.seed(123)
    expected = (torch.rand(2), random.random(), np.random.rand())
    torch.manual_seed(123)
    random.seed(123)
    np.random.seed(123)
    with seeded(7):
        first = torch.rand(3)
    with seeded(7):
        again = torch.rand(3)
    assert torch.equal(first, again)
    after = (torch.rand(2), random.random(), np.random.rand())
    assert torch.equal(after[0], expected[0]) and after[1:] == expected[1:]
