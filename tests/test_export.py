"""rnnkit.export: the browser format round-trips, and the JavaScript step (tools/book_static/live/
model.js, run in headless Chromium) computes what CharRNN.step computes on the same weights."""
from pathlib import Path

import pytest
import torch

from rnnkit import checkpoint, export
from rnnkit.model import CharRNN
from rnnkit.sample import sample
from rnnkit.text import Vocab

ROOT = Path(__file__).resolve().parents[1]
MODEL_JS = ROOT / "tools" / "book_static" / "live" / "model.js"
TEXT = "First Citizen:\nBefore we proceed any further, hear me speak.\n'Speak, speak.' \"You are all resolved?\"\n"
VOCAB = Vocab.from_text(TEXT)
KINDS = [(cell, embed, layers) for cell in ("lstm", "gru", "rnn") for embed in (0, 16) for layers in (1, 2)]


def _model(cell="lstm", embed=0, layers=2, hidden=48, vocab=VOCAB, seed=0):
    torch.manual_seed(seed)
    model = CharRNN(len(vocab), cell, layers, hidden, embed=embed).eval()
    with torch.no_grad():  # larger than init weights, so the steps are not all near zero
        for p in model.parameters():
            p.mul_(3)
    return model


# ---------------------------------------------------------------- the file

@pytest.mark.parametrize("quant", export.QUANTS)
def test_round_trip_keeps_arguments_vocabulary_and_weights_within_the_quantisation_step(tmp_path, quant):
    model = _model(embed=16)
    path = export.export((model, VOCAB), tmp_path / "m.js", quant=quant)
    back, vocab = export.load(path)
    assert back.args == model.args and vocab.chars == VOCAB.chars and vocab.encoding == VOCAB.encoding
    for name, w in model.state_dict().items():
        got = back.state_dict()[name]
        if w.dim() == 1:
            assert torch.equal(got, w), f"{name}: biases must be exact"
        elif quant == "int8":  # half a step of the row's own scale
            step = w.abs().amax(1, keepdim=True) / 127
            assert ((got - w).abs() <= step / 2 + 1e-7).all(), name
        else:
            assert torch.equal(got, w.half().float()), name
    assert path.read_text().startswith("/* rnnkit model m:")
    assert '(globalThis.rnnkitModels = globalThis.rnnkitModels || {})["m"] = {' in path.read_text()


def test_int8_is_about_a_quarter_of_float32(tmp_path):
    model = _model(hidden=128)
    n = model.n_params()
    size8 = export.export((model, VOCAB), tmp_path / "a.js", quant="int8").stat().st_size
    size16 = export.export((model, VOCAB), tmp_path / "b.js", quant="float16").stat().st_size
    assert size8 < 1.45 * n and size16 < 2.8 * n  # base64 costs 4/3


def test_a_checkpoint_path_exports_like_the_model(tmp_path):
    model = _model(cell="gru")
    ckpt = checkpoint.save(tmp_path / "run" / "gru_step000001_val1.0000.pt",
                           {"model_args": model.args, "model": model.state_dict(), "vocab": VOCAB.state_dict()})
    a = export.export(ckpt.parent, tmp_path / "from_folder.js", key="k")
    b = export.export((model, VOCAB), tmp_path / "from_model.js", key="k")
    assert a.read_text() == b.read_text()


def test_bytes_vocabulary_survives(tmp_path):
    vocab = Vocab.from_text("caf\u00e9 na\u00efve\n".encode("utf-8").decode("latin-1"), encoding="bytes")
    path = export.export((_model(vocab=vocab, hidden=8, layers=1), vocab), tmp_path / "b.js")
    back = export.load(path)[1]
    assert back.chars == vocab.chars and back.encoding == "bytes"


def test_errors_are_rnnkits_own_and_one_line(tmp_path):
    model = _model(hidden=8, layers=1)
    with pytest.raises(export.ExportError, match="unknown quantisation 'int4'"):
        export.export((model, VOCAB), tmp_path / "m.js", quant="int4")
    with pytest.raises(export.ExportError, match="model key 'a b'"):
        export.export((model, VOCAB), tmp_path / "a b.js")
    with pytest.raises(export.ExportError, match="checkpoint path or a"):
        export.export(model, tmp_path / "m.js")
    with pytest.raises(checkpoint.CheckpointError, match="no checkpoint"):
        export.export(tmp_path / "missing.pt", tmp_path / "m.js")
    (tmp_path / "other.js").write_text("console.log(1)")
    with pytest.raises(export.ExportError, match="not a model written by rnnkit.export"):
        export.read(tmp_path / "other.js")
    good = export.export((model, VOCAB), tmp_path / "m.js").read_text()
    (tmp_path / "cut.js").write_text(good[: len(good) // 2] + "};")
    with pytest.raises(export.ExportError, match="truncated or corrupt"):
        export.read(tmp_path / "cut.js")


# ---------------------------------------------------------------- the JavaScript step

@pytest.fixture(scope="module")
def page(browser):
    page = browser.new_page()
    page.route("**/*", lambda route: route.abort())  # nothing may be fetched
    page.add_script_tag(path=str(MODEL_JS))
    yield page
    page.close()


def _load(page, path, key):
    page.add_script_tag(path=str(path))
    assert page.evaluate(f"() => !!globalThis.rnnkitModels[{key!r}]")


RUN = """([key, ids, wasm]) => {
  const m = new rnnkitLive.Model(globalThis.rnnkitModels[key], {wasm});
  const state = m.initState();
  return {kernel: m.kernel, logits: ids.map(x => Array.from(m.step(x, state)))};
}"""


@pytest.mark.parametrize("cell,embed,layers", KINDS, ids=[f"{c}-{'embed' if e else 'onehot'}-{n}" for c, e, n in KINDS])
def test_javascript_step_matches_torch_for_200_steps(page, tmp_path, cell, embed, layers):
    key = f"{cell}{embed}x{layers}"
    path = export.export((_model(cell, embed, layers), VOCAB), tmp_path / f"{key}.js")
    _load(page, path, key)
    model, vocab = export.load(path)  # the browser's weights, in torch
    ids = torch.randint(len(vocab), (200,), generator=torch.Generator().manual_seed(1))
    state, want = model.init_state(1), []
    with torch.no_grad():
        for x in ids:
            logits, state = model.step(x.view(1), state)
            want.append(logits[0])
    want = torch.stack(want)
    for wasm in (True, False):
        got = page.evaluate(RUN, [key, ids.tolist(), wasm])
        assert got["kernel"] == ("WebAssembly SIMD" if wasm else "JavaScript")
        diff = (torch.tensor(got["logits"]) - want).abs().max().item()
        assert diff <= 1e-4, f"{key}, {got['kernel']}: logits differ by {diff:.2e}"
    # greedy sampling: the same 200 characters as rnnkit.sample
    text = page.evaluate("([key]) => rnnkitLive.sample(new rnnkitLive.Model(globalThis.rnnkitModels[key]),"
                         " {prime: 'Be', length: 200, temperature: 0, seed: 3})", [key])
    assert text == sample(model, vocab, length=200, prime="Be", argmax=True)


def test_sampling_is_seeded_and_the_temperature_matters(page, tmp_path):
    path = export.export((_model(), VOCAB), tmp_path / "s.js")
    _load(page, path, "s")
    draw = ("([t, seed, k]) => rnnkitLive.sample(new rnnkitLive.Model(globalThis.rnnkitModels.s),"
            " {prime: 'First', length: 120, temperature: t, seed: seed, topK: k})")
    a, b, c = (page.evaluate(draw, args) for args in ([1.0, 1, 0], [1.0, 1, 0], [1.0, 2, 0]))
    assert a == b and a != c and a.startswith("First") and len(a) == 125
    assert page.evaluate(draw, [0.3, 1, 0]) != a
    assert page.evaluate(draw, [5.0, 1, 1]) == page.evaluate(draw, [0, 1, 0])  # top-1 is greedy
    no_prime = page.evaluate(draw.replace("'First'", "''"), [1.0, 1, 0])
    assert len(no_prime) == 120  # starts after an unseen line break, as rnnkit.sample


@pytest.mark.parametrize("prime", ["Zebra", "caf\u00e9 \u2603", "'q", "\\\t\x00", "0123456789AZYXW", "\U0001f600!"])
def test_unknown_characters_give_pythons_message(page, tmp_path, prime):
    path = export.export((_model(hidden=8, layers=1), VOCAB), tmp_path / "u.js")
    _load(page, path, "u")
    with pytest.raises(ValueError) as python:
        VOCAB.encode(prime, what="prime text")
    js = page.evaluate("""(prime) => { try { new rnnkitLive.Sampling(new rnnkitLive.Model(globalThis.rnnkitModels.u),
        {prime, temperature: 1}); return null; } catch (e) { return e.message; } }""", prime)
    assert js == str(python.value)


def test_a_byte_model_reads_utf8_and_names_unknown_bytes_as_python(page, tmp_path):
    vocab = Vocab.from_text("caf\u00e9 au lait\n".encode("utf-8").decode("latin-1"), encoding="bytes")
    model = _model(vocab=vocab, hidden=16, layers=1)
    path = export.export((model, vocab), tmp_path / "b.js")
    _load(page, path, "b")
    model, vocab = export.load(path)
    text = page.evaluate("() => rnnkitLive.sample(new rnnkitLive.Model(globalThis.rnnkitModels.b),"
                         " {prime: 'caf\u00e9', length: 60, temperature: 0})")
    assert text == sample(model, vocab, length=60, prime="caf\u00e9", argmax=True)
    with pytest.raises(ValueError) as python:
        vocab.encode("na\u00efve", what="prime text")
    js = page.evaluate("""() => { try { new rnnkitLive.Model(globalThis.rnnkitModels.b).encode('na\u00efve', 'prime text'); }
        catch (e) { return e.message; } }""")
    assert js == str(python.value)


def test_byte_decoding_leaves_out_broken_characters_as_python(page, tmp_path):
    vocab = Vocab([chr(b) for b in range(256)], encoding="bytes")
    path = export.export((_model(vocab=vocab, hidden=4, layers=1), vocab), tmp_path / "all.js")
    _load(page, path, "all")
    g = torch.Generator().manual_seed(0)
    valid = list("a\u00e9\u20ac\U0001f600\ud7ff\ue000".encode("utf-8", "surrogatepass"))
    for _ in range(5):  # valid characters, cut and mixed with random bytes
        ids = [b for i in range(300) for b in ([valid[i % len(valid)]] if torch.rand(1, generator=g) < 0.7
                                               else [int(torch.randint(256, (1,), generator=g))])]
        got = page.evaluate("(ids) => { const d = new rnnkitLive.Model(globalThis.rnnkitModels.all).decoder();"
                            " return ids.map(i => d.push(i)).join(''); }", ids)
        assert got == vocab.decode(ids)
