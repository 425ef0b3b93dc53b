"""Options commands share: --seed, --device, --out, and the training options."""

from collections.abc import Callable
from typing import Any

import click

from artforge.core.train_config import SCHEDULES


def _apply(fn: Callable, options: list[Callable]) -> Callable:
    for option in reversed(options):
        fn = option(fn)
    return fn


DEVICE_HELP = "auto (CUDA, then MPS, then CPU), cpu, cuda, cuda:N or mps."


def _concrete_device(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from artforge.core.device import pick_device

    return str(pick_device(value))


DEVICE = click.option("--device", default="auto", show_default=True, callback=_concrete_device,
                      help=DEVICE_HELP)
"""--device for the commands that make something without training: "auto" becomes the device
it picks (a wrong name is one sentence, exit 2)."""


def common_options(default_out: str) -> Callable:
    """--out, --seed, --device: every command that makes something has them."""
    return lambda fn: _apply(fn, [
        click.option("--out", default=default_out, show_default=True,
                     type=click.Path(file_okay=False), help="Folder the results go to."),
        click.option("--seed", default=0, show_default=True, type=int,
                     help="Random seed; the same seed gives the same result."),
        click.option("--device", default="auto", show_default=True, help=DEVICE_HELP),
    ])


def budget_options(default_steps: int) -> Callable:
    """--steps and --minutes: how long to train."""
    return lambda fn: _apply(fn, [
        click.option("--steps", type=click.IntRange(min=1), default=default_steps,
                     show_default=True, help="Optimizer steps to train for."),
        click.option("--minutes", type=click.FloatRange(min=0, min_open=True), default=None,
                     help="Wall-clock budget; training saves and stops when it is spent."),
    ])


def training_options(default_steps: int, default_batch_size: int, default_lr: float,
                     default_schedule: str = "constant") -> Callable:
    """Everything a `train` command takes besides its data and model options."""
    return lambda fn: _apply(fn, [
        budget_options(default_steps),
        click.option("--batch-size", type=click.IntRange(min=1), default=default_batch_size,
                     show_default=True, help="Examples per optimizer step."),
        click.option("--lr", type=click.FloatRange(min=0, min_open=True), default=default_lr,
                     show_default=True, help="Learning rate (AdamW)."),
        click.option("--schedule", type=click.Choice(SCHEDULES),
                     default=default_schedule, show_default=True,
                     help="Learning rate over the run: constant; cosine (falls to a tenth of "
                     "--lr by --steps or the --minutes budget's end); or wsd (holds --lr, then "
                     "falls straight to a tenth over the last fifth of --steps or --minutes)."),
        click.option("--save-every", type=click.IntRange(min=1), default=200,
                     show_default=True, help="Save a checkpoint every N steps."),
        click.option("--eval-every", type=click.IntRange(min=0), default=None,
                     help="Check the validation part every N steps (0: only at the end, the "
                     "default; with --init-from 25, keeping the best weights). A large "
                     "validation part makes each check slow: raise it or give 0."),
        click.option("--resume", is_flag=True,
                     help="Continue the run in --out from its newest checkpoint (with its own "
                     "--steps, --batch-size, --lr, --schedule, --save-every and --amp unless "
                     "given)."),
        click.option("--amp/--no-amp", default=True, show_default=True,
                     help="On a CUDA GPU, compute in bfloat16 where autocast deems it safe; "
                     "--no-amp keeps float32 (no effect on a CPU)."),
    ])


def recipe_options(defaults: dict[str, Any]) -> Callable:
    """`training_options` whose defaults are a medium's recipe (e.g. MUSIC_TRAIN_DEFAULTS)."""
    return training_options(defaults["steps"], defaults["batch_size"], defaults["lr"],
                            defaults.get("schedule", "constant"))


TRAINER_KEYS = ("steps", "minutes", "batch_size", "lr", "schedule", "save_every", "seed",
                "device", "amp")
"""The command-line options that become TrainConfig fields."""
RESUMED_KEYS = ("steps", "batch_size", "lr", "schedule", "save_every", "amp", "warmup_steps",
                "eval_every", "keep_best", "patience")
"""What --resume takes from the run when the command line leaves it at its default (the last
four are the recipe's, e.g. fine-tuning's, and no command-line option)."""


def trainer_options(options: dict[str, Any], *, resumed: bool = True) -> dict[str, Any]:
    """The TrainConfig fields among a train command's options, and that --minutes counts from
    the command's start; with --resume, those left at their defaults are the run's own
    (`resumed=False`: the command line's alone)."""
    from artforge.cli import STARTED

    chosen = {key: options[key] for key in TRAINER_KEYS} | {"budget_from": STARTED}
    if options.get("eval_every") is not None:
        chosen["eval_every"] = options["eval_every"]
    return {**chosen, **resumed_options()} if resumed else chosen


def fine_tuned(chosen: dict[str, Any]) -> dict[str, Any]:
    """A train command's TrainConfig fields for `--init-from`: the fine-tuning recipe
    (FINE_TUNING) wherever the command line left an option of it at its default (with
    --resume, `chosen` as it is: the run keeps its own)."""
    from click.core import ParameterSource

    from artforge.core.train_config import FINE_TUNING

    context = click.get_current_context(silent=True)
    params = context.params if context is not None else {}
    if params.get("resume"):
        return chosen
    given = {key for key in params
             if context.get_parameter_source(key) is not ParameterSource.DEFAULT}
    if chosen.get("eval_every") == 0:  # no checks during the run: nothing to keep the best of
        given |= {"keep_best", "patience"}
    return {**chosen, **{key: value for key, value in FINE_TUNING.items() if key not in given}}


def refuse_with_init_from(init_from: str | None, *names: str, kept: str) -> None:
    """With --init-from, refuse those of the options `names` (parameter names) that the
    command line gave: the model started from decides them (`kept` says what it keeps)."""
    from click.core import ParameterSource

    from artforge.errors import UserError

    if init_from is None:
        return
    context = click.get_current_context()
    given = [_spelled(context, name) for name in names
             if context.get_parameter_source(name) is not ParameterSource.DEFAULT]
    if given:
        raise UserError(f"--init-from keeps the {kept} of the model it starts from; leave out "
                        f"{', '.join(given)}.")


def _spelled(context: click.Context, name: str) -> str:
    """The option `name` as the command line spelt it (--no-hints for --hints/--no-hints
    given false)."""
    [param] = [p for p in context.command.params if p.name == name]
    value = context.params[name]
    if isinstance(param, click.Option) and param.secondary_opts and value is False:
        return param.secondary_opts[0]
    return param.opts[0]


def resumed_options() -> dict[str, Any]:
    """For a `train --resume` whose --out holds a checkpoint: the saved step target, batch
    size, learning rate, save interval and AMP setting, for each option the command line left
    at its default (so a resumed run goes on as it was trained)."""
    from pathlib import Path

    from click.core import ParameterSource

    from artforge.core import checkpoint

    context = click.get_current_context(silent=True)
    if context is None or not context.params.get("resume") or not context.params.get("out"):
        return {}
    folder = checkpoint.latest_checkpoint(Path(context.params["out"]))
    if folder is None:
        return {}
    saved = checkpoint.read_training_state(folder).get("train_config", {})
    return {key: saved[key] for key in RESUMED_KEYS if key in saved and (
        key not in context.params
        or context.get_parameter_source(key) is ParameterSource.DEFAULT)}


def train_config(options: dict[str, Any], *, recipe: Callable | None = None,
                 fine_tune: bool = False):
    """The TrainConfig that the training options (and --seed, --device) describe, through the
    medium's `recipe` function when it has one; with `fine_tune` (a fresh run from
    --init-from), the fine-tuning recipe where they are silent."""
    from artforge.core.train_config import TrainConfig

    chosen = trainer_options(options)
    return (recipe or TrainConfig)(**(fine_tuned(chosen) if fine_tune else chosen))
