"""The precision setting: fp32, bf16 under autocast, or auto (a measured probe, cached per
machine); a bf16 run keeps fp32 weights and state and resumes exactly."""
import json

import pytest
import torch

from rnnkit import precision
from rnnkit.config import Config
from rnnkit.errors import OptionError
from rnnkit.train import Trainer

SHAPE = dict(cell="lstm", n_layers=1, hidden=16, batch=4, seq=8)
# The bf16 runs below use the book's LSTM where this CPU has a bf16 LSTM kernel (AVX512-BF16 or
# AMX), else the plain RNN, which runs in bf16 everywhere; the Trainer's bf16 path is the same.
BF16_CELL = "lstm" if precision.bf16_refusal("cpu", "lstm") is None else "rnn"


@pytest.fixture
def cache_file(tmp_path, monkeypatch):
    path = tmp_path / "precision.json"
    monkeypatch.setenv("RNNKIT_PRECISION_CACHE", str(path))
    return path


def fake_probe(monkeypatch, fp32, bf16):
    calls = []

    def probe(device, shape, **kw):
        calls.append(shape)
        return fp32, bf16
    monkeypatch.setattr(precision, "probe", probe)
    return calls


def test_an_unknown_precision_is_refused():
    with pytest.raises(OptionError, match="unknown precision 'fp16'; choose auto, fp32 or bf16"):
        Config(precision="fp16")
    with pytest.raises(OptionError, match="unknown precision"):
        precision.resolve("half", "cpu")


def test_a_named_precision_is_taken_without_probing(monkeypatch, cache_file):
    calls = fake_probe(monkeypatch, 1.0, 0.1)
    assert precision.resolve("fp32", "cpu", SHAPE) == "fp32"
    assert precision.resolve("bf16", "cpu", {**SHAPE, "cell": BF16_CELL}) == "bf16"
    assert calls == [] and not cache_file.exists()


@pytest.mark.parametrize("fp32, bf16, chosen", [
    (1.0, 0.5, "bf16"),     # twice as fast
    (1.0, 0.9, "fp32"),     # faster, but not clearly (under SPEEDUP)
    (1.0, 2.0, "fp32"),     # slower: a CPU that emulates bf16
    (1.0, None, "fp32"),    # no bf16 kernel at all
])
def test_auto_picks_bf16_only_when_the_probe_finds_it_clearly_faster(monkeypatch, cache_file, fp32, bf16, chosen):
    fake_probe(monkeypatch, fp32, bf16)
    assert precision.resolve("auto", "cpu", SHAPE) == chosen


def test_auto_uses_the_cache_and_probes_each_shape_once(monkeypatch, cache_file):
    calls = fake_probe(monkeypatch, 1.0, 0.5)
    assert precision.resolve("auto", "cpu", SHAPE) == "bf16"
    assert precision.resolve("auto", "cpu", SHAPE) == "bf16"
    assert len(calls) == 1
    stored = json.loads(cache_file.read_text())
    (key, entry), = stored.items()
    assert entry["choice"] == "bf16" and entry["fp32_s"] == 1.0 and "threads" in key and "cpu-" in key
    # the cache decides, not a new probe: an edited verdict is what the next run gets
    stored[key]["choice"] = "fp32"
    cache_file.write_text(json.dumps(stored))
    assert precision.resolve("auto", "cpu", SHAPE) == "fp32" and len(calls) == 1
    precision.resolve("auto", "cpu", {**SHAPE, "hidden": 32})  # another shape: its own probe
    assert len(calls) == 2


def test_the_cache_can_be_switched_off(monkeypatch, tmp_path):
    monkeypatch.setenv("RNNKIT_PRECISION_CACHE", "off")
    monkeypatch.setenv("RNNKIT_CACHE", str(tmp_path))
    calls = fake_probe(monkeypatch, 1.0, 2.0)
    precision.resolve("auto", "cpu", SHAPE)
    precision.resolve("auto", "cpu", SHAPE)
    assert len(calls) == 2 and list(tmp_path.iterdir()) == []


def test_an_unreadable_cache_means_probing_again(monkeypatch, cache_file):
    cache_file.write_text("{not json")
    calls = fake_probe(monkeypatch, 1.0, 0.5)
    assert precision.resolve("auto", "cpu", SHAPE) == "bf16" and len(calls) == 1
    assert json.loads(cache_file.read_text())  # rewritten whole


def test_the_machine_key_names_abilities_not_a_model_name():
    key = precision.machine_key("cpu", SHAPE)
    assert f"threads{torch.get_num_threads()}" in key and torch.__version__ in key
    assert "hidden16" in key and precision.cpu_flags_fingerprint() in key
    try:
        model_name = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        model_name = None
    assert not model_name or model_name not in key


def test_the_real_probe_times_both_and_leaves_the_random_numbers_alone():
    torch.manual_seed(5)
    before = torch.get_rng_state()
    fp32, bf16 = precision.probe("cpu", SHAPE, repeats=1)
    assert fp32 > 0 and (bf16 is None or bf16 > 0)
    assert torch.equal(torch.get_rng_state(), before)


def test_a_bf16_run_keeps_fp32_weights_and_state_and_evaluates_in_fp32(shakespeare, tiny_config):
    t = Trainer(tiny_config(max_steps=10, precision="bf16", cell=BF16_CELL), text=shakespeare, device="cpu")
    assert t.precision == "bf16"
    t.fit(progress=False)
    assert all(p.dtype == torch.float32 for p in t.model.parameters())
    assert all(v.dtype == torch.float32 for s in t.opt.state.values() for v in s.values() if v.is_floating_point())
    assert all(x.dtype == torch.float32 for s in t.hidden for x in s)
    assert t.state()["precision"] == "bf16"
    # bf16 did run: the same steps in fp32 end elsewhere
    f = Trainer(tiny_config(max_steps=10, precision="fp32", cell=BF16_CELL), text=shakespeare, device="cpu")
    f.fit(progress=False)
    assert not torch.equal(f.model.head.weight, t.model.head.weight)
    assert t.evaluate() == t.evaluate()  # fp32 evaluation: deterministic


def test_a_bf16_run_resumes_exactly(shakespeare, tiny_config, tmp_path):
    cfg = tiny_config(precision="bf16", cell=BF16_CELL)
    straight = Trainer(cfg, text=shakespeare, device="cpu")
    straight.fit(progress=False)

    half = Trainer(cfg, out_dir=tmp_path, text=shakespeare, device="cpu")
    half.fit(max_steps=20, progress=False)
    resumed = Trainer.resume(half.save(tmp_path / "half.pt"), text=shakespeare, device="cpu")
    assert resumed.precision == "bf16"
    resumed.fit(progress=False)

    assert resumed.step == straight.step == 40
    for k, v in straight.model.state_dict().items():
        assert torch.equal(v, resumed.model.state_dict()[k]), k
    assert resumed.history["val"] == straight.history["val"]


def test_bf16_where_the_cell_has_no_bf16_kernel_is_a_one_line_option_error(monkeypatch, shakespeare, tiny_config):
    assert precision.bf16_refusal("cpu", "rnn") is None  # the plain RNN runs in bf16 on any CPU
    from rnnkit import model as model_module

    def no_kernel(self, x, state=None):
        raise RuntimeError("could not create a primitive descriptor for the LSTM forward propagation primitive. "
                           "Run workload with environment variable ONEDNN_VERBOSE=all\nmore")
    monkeypatch.setattr(model_module.CharRNN, "forward", no_kernel)
    assert precision.bf16_refusal("cpu", "lstm") == ("could not create a primitive descriptor for the LSTM "
                                                      "forward propagation primitive")
    with pytest.raises(OptionError) as err:
        Trainer(tiny_config(precision="bf16"), text=shakespeare, device="cpu")
    message = str(err.value)
    assert "\n" not in message and message.startswith("precision='bf16': this CPU cannot run LSTM cells in bf16")
    assert "use 'auto'" in message
    # auto never asks for the kernel it lacks: the probe's failed bf16 time means fp32
    assert precision.resolve("fp32", "cpu", dict(cell="lstm")) == "fp32"


def test_the_trainer_resolves_auto_from_the_probe(monkeypatch, cache_file, shakespeare, tiny_config):
    fake_probe(monkeypatch, 1.0, 3.0)  # bf16 slower here
    assert Trainer(tiny_config(precision="auto"), text=shakespeare, device="cpu").precision == "fp32"
    monkeypatch.setenv("RNNKIT_PRECISION_CACHE", str(cache_file.with_name("other.json")))
    fake_probe(monkeypatch, 1.0, 0.3)
    assert Trainer(tiny_config(precision="auto"), text=shakespeare, device="cpu").precision == "bf16"


def test_the_gpt_trainer_takes_the_same_choice(monkeypatch, cache_file):
    from rnnkit.tasks.gpt import GPTTrainer
    ids = torch.randint(20, (3000,))
    kw = dict(layers=1, heads=2, width=16, context=16, batch=4, seed=1)
    with pytest.raises(OptionError, match="unknown precision"):
        GPTTrainer(ids, ids, 20, precision="fp8", **kw)
    runs = {p: GPTTrainer(ids, ids, 20, precision=p, **kw) for p in ("fp32", "bf16")}
    for r in runs.values():
        r.train_step()
        r.train_step()
    assert runs["bf16"].config["precision"] == "bf16"
    assert all(p.dtype == torch.float32 for p in runs["bf16"].model.parameters())
    assert not torch.equal(runs["bf16"].model.head.weight, runs["fp32"].model.head.weight)
    calls = fake_probe(monkeypatch, 1.0, 5.0)
    assert GPTTrainer(ids, ids, 20, precision="auto", **kw).precision == "fp32"
    assert calls[0]["cell"] == "gpt"
