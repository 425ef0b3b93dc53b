import json
import math
import os

import pytest
import torch

from artforge.core import checkpoint
from artforge.core.evaluate import evaluate
from artforge.core.trainer import Trainer
from artforge.errors import UserError
from artforge.image.field.model import FieldModel, PixelDataset
from tests.conftest import TINY_FIELD


def fresh_model() -> FieldModel:
    torch.manual_seed(0)
    return FieldModel.from_config(TINY_FIELD)


def test_loss_goes_down_on_the_toy_task(pixels, train_config, tmp_path):
    config = train_config.replace(steps=200, lr=3e-2, save_every=200, log_every=20)
    result = Trainer(fresh_model(), config, tmp_path, pixels).fit()
    records = map(json.loads, (tmp_path / "metrics.jsonl").open())
    losses = [r["loss"] for r in records if "loss" in r]
    assert len(losses) == 10
    assert losses[-1] < 0.5 * losses[0]
    assert result.step == 200 and result.stopped_by == "steps"


def test_checkpoint_folder_has_every_part(pixels, train_config, tmp_path):
    result = Trainer(fresh_model(), train_config, tmp_path, pixels, data_note="noise 8x8").fit()
    names = sorted(p.name for p in result.checkpoint.iterdir())
    assert names == ["card.md", "config.json", "model.safetensors", "training_state.pt"]
    assert [p.name for p in checkpoint.list_checkpoints(tmp_path)] == ["step-00000008",
                                                                        "step-00000012"]
    card = (result.checkpoint / "card.md").read_text()
    assert "steps trained: 12" in card and "noise 8x8" in card
    state = checkpoint.read_training_state(result.checkpoint)
    assert state["step"] == 12 and state["batches"] == {"epoch": 3, "position": 0}


def test_resume_continues_bit_for_bit(pixels, train_config, tmp_path):
    whole = fresh_model()
    Trainer(whole, train_config, tmp_path / "whole", pixels).fit()

    Trainer(fresh_model(), train_config.replace(steps=5), tmp_path / "split", pixels).fit()
    resumed = fresh_model()
    result = Trainer(resumed, train_config, tmp_path / "split", pixels, resume=True).fit()

    assert result.step == 12
    for name, tensor in whole.state_dict().items():
        assert torch.equal(resumed.state_dict()[name], tensor), name
    steps = [r["step"] for r in map(json.loads, (tmp_path / "split/metrics.jsonl").open())
             if "loss" in r]
    assert steps == [2, 4, 5, 6, 8, 10, 12]


def test_existing_run_needs_resume_and_resume_needs_a_run(pixels, train_config, tmp_path):
    with pytest.raises(UserError, match="nothing to resume"):
        Trainer(fresh_model(), train_config, tmp_path, pixels, resume=True).fit()
    Trainer(fresh_model(), train_config.replace(steps=4), tmp_path, pixels).fit()
    with pytest.raises(UserError, match="already holds a training run; pass --resume"):
        Trainer(fresh_model(), train_config, tmp_path, pixels).fit()


def test_gradient_accumulation_matches_one_big_batch(pixels, train_config, tmp_path):
    small = fresh_model()
    big = fresh_model()
    config = train_config.replace(steps=1, grad_clip=None)
    trainer = Trainer(small, config.replace(batch_size=8, accumulate=2), tmp_path / "a", pixels)
    trainer.fit()
    Trainer(big, config.replace(batch_size=16), tmp_path / "b", pixels).fit()
    # Same 16 examples either way (the first epoch's permutation), so the same update.
    for name, tensor in big.state_dict().items():
        torch.testing.assert_close(small.state_dict()[name], tensor, rtol=1e-5, atol=1e-6)


def test_ema_weights_are_saved_and_raw_weights_kept_for_resume(pixels, train_config, tmp_path):
    model = fresh_model()
    result = Trainer(model, train_config.replace(ema_decay=0.9), tmp_path, pixels).fit()
    saved = checkpoint.read_weights(result.checkpoint)
    state = checkpoint.read_training_state(result.checkpoint)
    name = "net.mlp.0.weight"
    assert torch.equal(state["model"][name], model.state_dict()[name])
    assert not torch.equal(saved[name], model.state_dict()[name])
    assert state["ema"]["updates"] == 12


def test_stop_request_saves_and_stops(pixels, train_config, tmp_path):
    model = fresh_model()
    trainer = Trainer(model, train_config.replace(steps=1000, save_every=1000), tmp_path, pixels)
    original = model.training_step
    calls = []

    def stop_on_third(batch):
        calls.append(1)
        if len(calls) == 3:
            trainer.request_stop()
        return original(batch)

    model.training_step = stop_on_third
    result = trainer.fit()
    assert (result.step, result.stopped_by) == (3, "signal")
    assert checkpoint.latest_checkpoint(tmp_path).name == "step-00000003"


def test_minute_budget_stops_training(pixels, train_config, tmp_path):
    config = train_config.replace(steps=10**6, minutes=1e-6, save_every=10**6)
    result = Trainer(fresh_model(), config, tmp_path, pixels).fit()
    assert (result.step, result.stopped_by) == (1, "minutes")
    assert checkpoint.latest_checkpoint(tmp_path) is not None


def test_the_budget_counts_from_when_the_command_started(pixels, train_config, tmp_path):
    import time

    # A minute's budget of which a minute went on reading data before the loop: one step.
    spent = train_config.replace(steps=10**6, minutes=1.0, save_every=10**6,
                                 budget_from=time.time() - 61)
    assert Trainer(fresh_model(), spent, tmp_path / "a", pixels).fit().stopped_by == "minutes"
    fresh = spent.replace(steps=3, budget_from=time.time())
    assert Trainer(fresh_model(), fresh, tmp_path / "b", pixels).fit().stopped_by == "steps"


def test_validation_hook_reports_metrics(pixels, train_config, tmp_path):
    result = Trainer(fresh_model(), train_config.replace(eval_every=6), tmp_path, pixels,
                     val_data=pixels).fit()
    records = [json.loads(line) for line in (tmp_path / "metrics.jsonl").open()]
    assert [r["step"] for r in records if "val_loss" in r] == [6, 12]
    assert result.metrics["val_psnr"] > 0


def test_too_little_data_is_a_user_error(pixels, train_config, tmp_path):
    with pytest.raises(UserError, match="fewer than one batch"):
        Trainer(fresh_model(), train_config.replace(batch_size=100), tmp_path, pixels).fit()


def test_diverging_loss_is_a_user_error(pixels, train_config, tmp_path):
    model = fresh_model()
    model.training_step = lambda batch: {"loss": torch.tensor(float("nan"), requires_grad=True)}
    with pytest.raises(UserError, match="training diverged"):
        Trainer(model, train_config, tmp_path, pixels).fit()


def test_cosine_schedule_with_warmup_is_logged(pixels, train_config, tmp_path):
    config = train_config.replace(steps=10, log_every=1, schedule="cosine", warmup_steps=2,
                                  min_lr_ratio=0.0, lr=1.0, grad_clip=None)
    model = fresh_model()
    model.configure_optimizer = lambda lr, wd, betas: torch.optim.SGD(model.parameters(), lr=lr)
    Trainer(model, config, tmp_path, pixels).fit()
    lrs = [r["lr"] for r in map(json.loads, (tmp_path / "metrics.jsonl").open()) if "lr" in r]
    # Logged after each step: warm-up 1/2 → 1, then a cosine from 1 to 0 over steps 2..10.
    assert lrs[:3] == [1.0, 1.0, pytest.approx(0.9619397)]
    assert lrs[-1] == pytest.approx(0.0, abs=1e-12)


def test_wsd_schedule_holds_the_rate_then_falls_straight_over_the_cooldown(
        pixels, train_config, tmp_path):
    config = train_config.replace(steps=12, log_every=1, schedule="wsd", warmup_steps=2,
                                  cooldown=0.5, min_lr_ratio=0.0, lr=1.0, grad_clip=None)
    model = fresh_model()
    model.configure_optimizer = lambda lr, wd, betas: torch.optim.SGD(model.parameters(), lr=lr)
    Trainer(model, config, tmp_path, pixels).fit()
    lrs = [r["lr"] for r in map(json.loads, (tmp_path / "metrics.jsonl").open()) if "lr" in r]
    # Warm-up to 1, level through half of steps 2..12, then down by a fifth a step to 0.
    assert lrs == pytest.approx([1.0] * 7 + [0.8, 0.6, 0.4, 0.2, 0.0], abs=1e-12)


def test_with_a_time_budget_the_wsd_falls_over_the_budgets_last_share(pixels, train_config,
                                                                       tmp_path):
    config = train_config.replace(steps=10**6, schedule="wsd", cooldown=0.2, lr=1.0,
                                  min_lr_ratio=0.1)
    trainer = Trainer(fresh_model(), config, tmp_path, pixels)
    trainer._setup()
    factors = []
    for spent in (0.5, 0.8, 0.9, 1.0):
        trainer.optimizers.time_spent = spent
        factors.append(trainer.optimizers.lr_factor(5))
    assert factors == pytest.approx([1.0, 1.0, 0.55, 0.1])


def test_manual_optimization_drives_both_optimizers_and_resumes_exactly(
        pixels, train_config, tmp_path):
    from tests.core.manual_model import TwoOptimizerField

    def two() -> TwoOptimizerField:
        torch.manual_seed(0)
        return TwoOptimizerField.from_config(TINY_FIELD)

    whole = two()
    start = {k: v.clone() for k, v in whole.state_dict().items()}
    Trainer(whole, train_config, tmp_path / "whole", pixels).fit()
    assert not torch.equal(start["net.mlp.0.weight"], whole.state_dict()["net.mlp.0.weight"])
    assert not torch.equal(start["net.mlp.2.weight"], whole.state_dict()["net.mlp.2.weight"])

    Trainer(two(), train_config.replace(steps=5), tmp_path / "split", pixels).fit()
    resumed = two()
    Trainer(resumed, train_config, tmp_path / "split", pixels, resume=True).fit()
    for name, tensor in whole.state_dict().items():
        assert torch.equal(resumed.state_dict()[name], tensor), name
    state = checkpoint.read_training_state(checkpoint.latest_checkpoint(tmp_path / "split"))
    assert sorted(state["optimizers"]["optimizers"]) == ["first", "rest"]
    records = [json.loads(line) for line in (tmp_path / "split/metrics.jsonl").open()]
    assert "first_loss" in records[-1]


def test_resuming_a_finished_run_changes_nothing(pixels, train_config, tmp_path):
    Trainer(fresh_model(), train_config, tmp_path, pixels, val_data=pixels).fit()
    log_before = (tmp_path / "metrics.jsonl").read_text()
    weights_before = checkpoint.read_weights(checkpoint.latest_checkpoint(tmp_path))
    result = Trainer(fresh_model(), train_config, tmp_path, pixels, val_data=pixels,
                     resume=True).fit()
    assert result.step == 12
    assert (tmp_path / "metrics.jsonl").read_text() == log_before
    weights_after = checkpoint.read_weights(checkpoint.latest_checkpoint(tmp_path))
    assert all(torch.equal(weights_after[k], v) for k, v in weights_before.items())


class NoisyField(FieldModel):
    """Draws from the global RNG in every step, as dropout or augmentation would."""

    kind = "noisy-field"

    def training_step(self, batch):
        coords, rgb = batch
        return super().training_step((coords + 0.01 * torch.randn_like(coords), rgb))


def test_validation_does_not_disturb_resume(pixels, train_config, tmp_path):
    def noisy() -> NoisyField:
        torch.manual_seed(0)
        return NoisyField.from_config(TINY_FIELD)

    whole = noisy()
    Trainer(whole, train_config, tmp_path / "whole", pixels, val_data=pixels).fit()
    Trainer(noisy(), train_config.replace(steps=5), tmp_path / "split", pixels,
            val_data=pixels).fit()
    resumed = noisy()
    Trainer(resumed, train_config, tmp_path / "split", pixels, val_data=pixels, resume=True).fit()
    for name, tensor in whole.state_dict().items():
        assert torch.equal(resumed.state_dict()[name], tensor), name


def test_logged_means_cover_exactly_the_steps_since_the_last_line(pixels, train_config, tmp_path):
    Trainer(fresh_model(), train_config, tmp_path / "whole", pixels).fit()
    Trainer(fresh_model(), train_config.replace(steps=5), tmp_path / "split", pixels).fit()
    Trainer(fresh_model(), train_config, tmp_path / "split", pixels, resume=True).fit()

    def losses(run):
        return {r["step"]: r["loss"] for r in map(json.loads, (run / "metrics.jsonl").open())
                if "loss" in r}

    whole, split = losses(tmp_path / "whole"), losses(tmp_path / "split")
    assert split[6] != whole[6]  # the split run logged step 5 alone, then step 6 alone
    assert (split[5] + split[6]) / 2 == pytest.approx(whole[6], rel=1e-12)


def test_ema_turned_on_at_resume_starts_from_the_trained_weights(pixels, train_config, tmp_path):
    first = fresh_model()
    Trainer(first, train_config.replace(steps=5), tmp_path, pixels).fit()
    trained = {k: v.clone() for k, v in first.state_dict().items()}
    model = fresh_model()
    Trainer(model, train_config.replace(steps=6, ema_decay=0.9), tmp_path, pixels,
            resume=True).fit()
    ema = checkpoint.read_weights(checkpoint.latest_checkpoint(tmp_path))
    decay = 2 / 11  # the EMA's warm-up decay after its first update
    for name, value in model.state_dict().items():
        expected = decay * trained[name] + (1 - decay) * value
        torch.testing.assert_close(ema[name], expected)


def test_resume_refuses_other_data_or_another_process_count(pixels, train_config, tmp_path):
    Trainer(fresh_model(), train_config.replace(steps=4), tmp_path, pixels,
            data_note="picture A").fit()
    with pytest.raises(UserError, match="was trained on picture A, not picture B"):
        Trainer(fresh_model(), train_config, tmp_path, pixels, data_note="picture B",
                resume=True).fit()
    folder = checkpoint.latest_checkpoint(tmp_path)
    state = checkpoint.read_training_state(folder)
    torch.save({**state, "world_size": 2}, folder / "training_state.pt")
    with pytest.raises(UserError, match="trained by 2 process"):
        Trainer(fresh_model(), train_config, tmp_path, pixels, data_note="picture A",
                resume=True).fit()


def test_checkpoints_get_ordinary_permissions_and_killed_saves_are_cleaned(
        pixels, train_config, tmp_path):
    debris = tmp_path / "checkpoints" / ".step-00000003.abcd.tmp"
    debris.mkdir(parents=True)
    result = Trainer(fresh_model(), train_config, tmp_path, pixels).fit()
    umask = os.umask(0)
    os.umask(umask)
    assert result.checkpoint.stat().st_mode & 0o777 == 0o777 & ~umask
    assert (result.checkpoint / "config.json").stat().st_mode & 0o777 == 0o666 & ~umask
    assert not debris.exists()


def test_out_of_range_options_are_user_errors(pixels, train_config, tmp_path):
    for bad, message in [({"log_every": 0}, "--log-every"), ({"eval_every": -1}, "--eval-every"),
                         ({"num_workers": -1}, "--num-workers")]:
        with pytest.raises(UserError, match=message):
            Trainer(fresh_model(), train_config.replace(**bad), tmp_path, pixels)


def test_keep_best_finishes_with_the_weights_of_the_best_validation(pixels, train_config,
                                                                    tmp_path):
    # Validated on the picture's negative, training on the picture only makes it worse: the
    # best validation is the first, and the final checkpoint must hold those weights.
    negative = PixelDataset(1 - pixels.colours.reshape(8, 8, 3))
    config = train_config.replace(steps=20, eval_every=5, save_every=10, keep_best=True)
    model = fresh_model()
    result = Trainer(model, config, tmp_path, pixels, val_data=negative).fit()
    records = [json.loads(line) for line in (tmp_path / "metrics.jsonl").open()]
    checks = [(r["val_loss"], r["step"]) for r in records if "val_loss" in r
              and "best_step" not in r]
    assert [step for _, step in checks] == [5, 10, 15, 20]
    best_loss, best_step = min(checks)
    assert best_step == 5 and checks[-1][0] > best_loss
    assert result.metrics["best_step"] == 5 and result.metrics["val_loss"] == best_loss
    saved = checkpoint.load(result.checkpoint)
    again = evaluate(saved, negative, 16, torch.device("cpu"))
    assert again["loss"] == pytest.approx(best_loss, rel=1e-6)
    assert "- best_step: 5" in (result.checkpoint / "card.md").read_text()


def test_patience_stops_when_validation_stops_improving(pixels, train_config, tmp_path):
    negative = PixelDataset(1 - pixels.colours.reshape(8, 8, 3))
    config = train_config.replace(steps=100, eval_every=5, patience=2)
    result = Trainer(fresh_model(), config, tmp_path, pixels, val_data=negative).fit()
    assert result.stopped_by == "patience" and result.step == 15


def test_keeping_the_best_needs_validation_checks(pixels, train_config, tmp_path):
    with pytest.raises(UserError, match="needs --eval-every"):
        Trainer(fresh_model(), train_config.replace(keep_best=True), tmp_path, pixels)


def test_with_a_time_budget_the_cosine_falls_by_the_budgets_end(pixels, train_config, tmp_path):
    import time

    # Three quarters of a 4-minute budget went before the loop: the rate starts at the
    # cosine's value for 3/4 (not for step 1 of a million), and ends at the floor.
    config = train_config.replace(steps=10**6, log_every=1, schedule="cosine", lr=1.0,
                                  min_lr_ratio=0.0, minutes=4.0, save_every=10**6,
                                  budget_from=time.time() - 180)
    trainer = Trainer(fresh_model(), config, tmp_path, pixels)
    trainer._setup()
    trainer._stop_reason(time.monotonic())
    spent = trainer.optimizers.time_spent
    assert 0.75 <= spent < 0.76
    assert trainer.optimizers.lr_factor(1) == pytest.approx(0.5 * (1 + math.cos(math.pi * spent)))
    # Saved and resumed, the schedule goes on from where it was and falls over what is left
    # of the new budget: at the new budget's start, the same rate.
    state = trainer.optimizers.state_dict()
    assert state["progress"] == pytest.approx(spent)
    again = Trainer(fresh_model(), config.replace(budget_from=time.time()), tmp_path / "b",
                    pixels)
    again._setup()
    again.optimizers.load_state_dict(state)
    again._stop_reason(time.monotonic())
    assert again.optimizers.progress(2) == pytest.approx(spent, abs=0.01)
    again.optimizers.time_spent = 1.0
    assert again.optimizers.lr_factor(2) == pytest.approx(0.0, abs=1e-12)
