"""rnnkit.tasks.minrnn: the scans agree with the loop, the chunked scan's hand-written gradient is
the true one, the parallel path and the article's step agree on the same weights, and the
browser's step (model.js, in headless Chromium) computes what CharMinGRU.step computes."""
import math
from pathlib import Path

import pytest
import torch

from rnnkit import export
from rnnkit.errors import OptionError
from rnnkit.tasks import minrnn
from rnnkit.tasks.minrnn import CharMinGRU, LinearScan, MinGRUTrainer, scan_sequential
from rnnkit.text import Vocab

ROOT = Path(__file__).resolve().parents[2]
MODEL_JS = ROOT / "tools" / "book_static" / "live" / "model.js"
TEXT = "First Citizen:\nBefore we proceed any further, hear me speak.\n'Speak, speak.' \"You are all resolved?\"\n"
VOCAB = Vocab.from_text(TEXT)


def coefficients(B=2, T=50, H=5, dtype=torch.float64, seed=0):
    g = torch.Generator().manual_seed(seed)
    a = torch.sigmoid(torch.randn(B, T, H, generator=g, dtype=dtype) * 2 + 1)
    b = torch.rand(B, T, H, generator=g, dtype=dtype) + 0.1  # positive: scan_log needs it
    return a, b, torch.rand(B, H, generator=g, dtype=dtype)


def model(layers=2, width=24, expand=2, vocab=len(VOCAB), seed=0, scale=3.0):
    torch.manual_seed(seed)
    m = CharMinGRU(vocab, layers, width, expand).eval()
    with torch.no_grad():  # larger than init weights, so the gates open and close
        for p in m.parameters():
            p.mul_(scale)
    return m


# ---------------------------------------------------------------- the scans

@pytest.mark.parametrize("name", sorted(minrnn.SCANS))
@pytest.mark.parametrize("T", [1, 2, 7, 50, 130])
def test_every_scan_gives_the_loops_states(name, T):
    a, b, h0 = coefficients(T=T)
    want = scan_sequential(a, b, h0)
    got = minrnn.SCANS[name](a, b, h0)
    assert got.shape == want.shape and torch.allclose(got, want, rtol=1e-10, atol=1e-12), name
    by_hand = a[:, 0] * h0 + b[:, 0]  # the first state, from the equation itself
    assert torch.allclose(want[:, 0], by_hand)


def test_the_chunked_scan_takes_any_sign_of_b():
    a, b, h0 = coefficients(T=40)
    b = b - 0.6
    assert torch.allclose(minrnn.scan(a, b, -h0), scan_sequential(a, b, -h0))


def test_the_chunked_scans_gradient_passes_gradcheck():
    a, b, h0 = (t.requires_grad_() for t in coefficients(B=2, T=11, H=3))
    assert torch.autograd.gradcheck(LinearScan.apply, (a, b, h0))


def test_log_space_loses_float32_digits_that_the_chunked_scan_keeps():
    a, b, h0 = coefficients(B=1, T=4096, H=16, seed=1)
    exact = scan_sequential(a, b, h0)
    err = {name: ((minrnn.SCANS[name](*(t.float() for t in (a, b, h0))).double() - exact).abs() / exact).max().item()
           for name in ("chunked", "log space")}
    assert err["chunked"] < 1e-5 < err["log space"]


# ---------------------------------------------------------------- the model

def test_step_and_parallel_paths_agree_on_a_long_random_sequence():
    m = model()
    ids = torch.randint(len(VOCAB), (2, 3000), generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        full, last = m(ids)
        state, steps = m.init_state(2), []
        for t in range(ids.shape[1]):
            logits, state = m.step(ids[:, t], state)
            steps.append(logits)
    # float32, summed in another order by the scan than by the steps: 3e-5 over 3,000 steps (an AVX2
    # CPU measured 1.03e-5, an AVX-512 one under 1e-5); a wrong recurrence is off by 0.1 or more
    assert (torch.stack(steps, 1) - full).abs().max().item() <= 3e-5
    assert all((a - b).abs().max().item() <= 3e-5 for a, b in zip(state, last))
    assert full.std().item() > 0.5  # the check compares logits that vary, not near-zero ones


def test_a_carried_state_continues_the_sequence():
    m = model()
    ids = torch.randint(len(VOCAB), (3, 90), generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        whole, _ = m(ids)
        first, state = m(ids[:, :37])
        second, _ = m(ids[:, 37:], state)
    assert torch.allclose(torch.cat([first, second], 1), whole, atol=1e-5)


def test_the_parallel_paths_gradients_are_the_step_paths_in_float64():
    m = model(layers=2, width=6, expand=2, scale=1.0).double().train()
    ids = torch.randint(len(VOCAB), (2, 9), generator=torch.Generator().manual_seed(4))
    target = torch.randint(len(VOCAB), (2, 9), generator=torch.Generator().manual_seed(5))

    def grads(parallel):
        m.zero_grad()
        if parallel:
            logits, _ = m(ids)
        else:
            state, out = m.init_state(2), []
            for t in range(ids.shape[1]):
                lo, state = m.step(ids[:, t], [h.double() for h in state])
                out.append(lo)
            logits = torch.stack(out, 1)
        torch.nn.functional.cross_entropy(logits.flatten(0, 1), target.flatten()).backward()
        return {n: p.grad.clone() for n, p in m.named_parameters()}

    scan, loop = grads(True), grads(False)
    for name in loop:
        assert torch.allclose(scan[name], loop[name], rtol=1e-9, atol=1e-12), name
    block = m.layers[0]
    x = torch.randn(2, 5, 6, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(2, 6, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda x, h0: block(x, h0)[0], (x, h0))


def test_the_trainer_learns_and_refuses_unknown_options():
    ids = torch.tensor([i % 7 for i in range(3000)])
    t = MinGRUTrainer(ids, ids[:400], 7, batch=4, seq_len=32, lr=1e-2, warmup=5, layers=1, width=16, expand=2)
    first = t.train_step()
    for _ in range(60):
        last = t.train_step()
    assert t.steps == 61 and t.chars == 61 * 4 * 32
    assert last < 0.3 * first and t.evaluate()["stream"] < 0.3 * math.log(7)
    assert t.n_params() == t.model.n_params() > 0
    with pytest.raises(OptionError, match="no option 'width_'"):
        MinGRUTrainer(ids, ids, 7, width_=3)
    with pytest.raises(OptionError, match="at least 1"):
        CharMinGRU(7, layers=0)


# ---------------------------------------------------------------- the browser

def test_the_export_round_trips_and_rnnkit_export_load_names_the_right_loader(tmp_path):
    m = model()
    path = export.export((m, VOCAB), tmp_path / "mg.js", quant="float16")
    back, vocab = minrnn.load_export(path)
    assert back.args == m.args and vocab.chars == VOCAB.chars
    for name, w in m.state_dict().items():
        assert torch.equal(back.state_dict()[name], w if w.dim() == 1 else w.half().float()), name
    assert path.read_text().startswith("/* rnnkit model mg: mingru 2x24")
    with pytest.raises(export.ExportError, match="minrnn.load_export"):
        export.load(path)


RUN = """([key, ids, wasm]) => {
  const m = new rnnkitLive.Model(globalThis.rnnkitModels[key], {wasm});
  const state = m.initState();
  return {kernel: m.kernel, logits: ids.map(x => Array.from(m.step(x, state)))};
}"""


@pytest.mark.parametrize("layers", [1, 3])
def test_javascript_step_matches_torch_for_300_steps(browser, tmp_path, layers):
    page = browser.new_page()
    page.route("**/*", lambda route: route.abort())  # nothing may be fetched
    page.add_script_tag(path=str(MODEL_JS))
    key = f"mingru{layers}"
    path = export.export((model(layers=layers), VOCAB), tmp_path / f"{key}.js")
    page.add_script_tag(path=str(path))
    m, vocab = minrnn.load_export(path)  # the browser's weights, in torch
    ids = torch.randint(len(vocab), (300,), generator=torch.Generator().manual_seed(6))
    with torch.no_grad():
        want, _ = m(ids.view(1, -1))
    for wasm in (True, False):
        got = page.evaluate(RUN, [key, ids.tolist(), wasm])
        assert got["kernel"] == ("WebAssembly SIMD" if wasm else "JavaScript")
        diff = (torch.tensor(got["logits"]) - want[0]).abs().max().item()
        assert diff <= 1e-4, f"{key}, {got['kernel']}: logits differ by {diff:.2e}"
    # greedy sampling in the browser: the characters the torch step picks
    text = page.evaluate("([key]) => rnnkitLive.sample(new rnnkitLive.Model(globalThis.rnnkitModels[key]),"
                         " {prime: 'Be', length: 120, temperature: 0, seed: 3})", [key])
    state, out = m.init_state(1), "Be"
    with torch.no_grad():
        for i in vocab.encode("Be"):
            logits, state = m.step(torch.tensor([i]), state)
        for _ in range(120):
            nxt = int(logits.argmax())
            out += vocab.decode([nxt])
            logits, state = m.step(torch.tensor([nxt]), state)
    assert text == out
    page.close()


def test_rnnkit_sample_steps_a_mingru_with_its_own_step():
    from rnnkit.sample import sample
    m = model()
    a = sample(m, VOCAB, length=80, prime="Be", temperature=1.0, seed=1)
    assert a.startswith("Be") and len(a) == 82 and a == sample(m, VOCAB, length=80, prime="Be", seed=1)
    state, greedy = m.init_state(1), "Be"
    with torch.no_grad():
        for i in VOCAB.encode("Be"):
            logits, state = m.step(i.view(1), state)
        for _ in range(40):
            nxt = logits.argmax(1)
            greedy += VOCAB.decode(nxt.tolist())
            logits, state = m.step(nxt, state)
    assert sample(m, VOCAB, length=40, prime="Be", argmax=True) == greedy
