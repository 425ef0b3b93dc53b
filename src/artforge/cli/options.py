"""Options every command shares: --seed, --device, --out, and the training budget options."""

from collections.abc import Callable

import click


def common_options(default_out: str) -> Callable:
    def decorate(fn: Callable) -> Callable:
        fn = click.option("--device", default="auto", show_default=True,
                          help="auto (CUDA, then MPS, then CPU), cpu, cuda, cuda:N or mps.")(fn)
        fn = click.option("--seed", default=0, show_default=True, type=int,
                          help="Random seed; the same seed gives the same result.")(fn)
        fn = click.option("--out", default=default_out, show_default=True,
                          type=click.Path(file_okay=False), help="Folder the results go to.")(fn)
        return fn

    return decorate


def training_options(default_steps: int) -> Callable:
    def decorate(fn: Callable) -> Callable:
        fn = click.option("--minutes", type=float, default=None,
                          help="Wall-clock budget; training saves and stops when it is spent.")(fn)
        fn = click.option("--steps", type=click.IntRange(min=1), default=default_steps,
                          show_default=True, help="Optimizer steps to train for.")(fn)
        return fn

    return decorate
