"""rnnkit.tasks.lengths: the racers at a length, the speed sweep, the length each races at."""
import pytest

from rnnkit.tasks import lengths
from rnnkit.tasks.gpt import GPTTrainer
from rnnkit.tasks.minrnn import MinGRUTrainer
from rnnkit.tasks.race import LSTMRunner

SMALL = dict(gpt=dict(layers=1, heads=2, width=16), model=dict(layers=1, width=16, expand=2))


def test_racers_read_the_same_characters_per_update_at_any_length(shakespeare):
    field = lengths.racers(shakespeare, 32, 256, "smoke", **SMALL)
    assert list(field) == list(lengths.NAMES)
    assert isinstance(field["lstm"], LSTMRunner) and isinstance(field["mingru"], MinGRUTrainer)
    assert isinstance(field["gpt"], GPTTrainer) and field["gpt"].context == 32
    for runner in field.values():
        runner.train_step()
        assert runner.chars == 256, runner.name  # 8 rows of 32
    assert field["lstm"].cfg.batch_size == 8 and field["lstm"].cfg.split == (0.9, 0.1, 0.0)
    only = lengths.racers(shakespeare, {"mingru": 128, "gpt": 64}, 256, "smoke", **SMALL)
    assert list(only) == ["mingru", "gpt"] and only["gpt"].context == 64
    only["mingru"].train_step()
    assert only["mingru"].chars == 256  # 2 rows of 128


def test_speed_sweep_times_every_racer_at_every_length(shakespeare):
    seen = []
    speeds = lengths.speed_sweep(lambda L: lengths.racers(shakespeare, L, 128, "smoke", **SMALL), (16, 64),
                                 steps=1, log=seen.append)
    assert set(speeds) == set(lengths.NAMES) and len(seen) == 6
    for points in speeds.values():
        assert [p[0] for p in points] == [16, 64] and all(p[1] > 0 and p[2] > 0 for p in points)
    assert lengths.speed_at(speeds["gpt"], 64) == speeds["gpt"][1][1]


def test_best_length_is_the_longest_within_a_tenth_of_the_fastest():
    points = [(32, 100.0), (64, 95.0), (128, 91.0), (256, 89.0), (512, 120.0), (1024, 50.0)]
    assert lengths.best_length(points) == 512
    assert lengths.best_length(points[:5], within=0.7) == 512 and lengths.best_length(points[:4]) == 128
    assert lengths.best_length([(32, 10.0)]) == 32


def test_the_lstm_schedule_fits_its_steps_to_the_budget():
    assert lengths.lstm_schedule(40, 16000, 1024) == dict(lr_decay_every=156, max_steps=6250)
    assert lengths.lstm_schedule(1, 10, 1024) == dict(lr_decay_every=1, max_steps=40)  # at least 4 updates
