"""Live panels: the budgets of the model that runs in the reader's browser (rnnkit.export, live/).

  8a. speed: a 2x256 LSTM, the chapters' cpu size (Tiny Shakespeare's cpu preset, trained briefly),
      exported int8, samples >= 1,000 characters/s in headless Chromium. Measured twice: the bare
      loop (rnnkitLive.sample, median of rounds) and the panel itself (press "sample", wait for
      the text: wall time, with the slices that keep the page responsive);
  8b. page weight: every chapter's cpu-scale model, exported int8, adds <= 1.5 MB to its page;
  8c. quantisation: on the held-out test split, loss of the dequantized int8 (and float16) model
      minus the float32 model's <= 0.01 nats/char.
Baseline beside each: the same model in float32 (torch's sample() per character; its file size).
"""
import statistics
import tempfile
import time
from pathlib import Path

import torch

import common
from rnnkit import data, export, presets
from rnnkit.book.live import save_page
from rnnkit.model import CharRNN
from rnnkit.sample import sample
from rnnkit.train import Trainer

BUDGET_MB, SPEED, COST = 1.5, 1000, 0.01
# each chapter's models at cpu scale: (chapter, preset, overrides); chapter 10 shrinks its three
CHAPTERS = [("03", "paulgraham", {}), ("04", "tinyshakespeare", {}), ("05", "wikipedia", {}),
            ("06", "latex", {}), ("07", "linux", {}), ("08", "names", {}), ("09", "warpeace", {}),
            ("10", "warpeace", {"hidden": 128}), ("10", "linux", {"hidden": 128}),
            ("10", "wikipedia", {"hidden": 128})]


def train_briefly(steps, threads):
    cfg = presets.get("tinyshakespeare", "cpu")
    trainer = Trainer(cfg)
    with common.Clock() as c:
        for _ in range(steps):
            trainer.train_step()
    return trainer, c


def quantisation_rows(trainer, steps, clock, quick):
    batches = 20 if quick else 0  # 0: the whole test split
    base = trainer.evaluate("test", max_batches=batches)
    out, tmp = {}, Path(tempfile.mkdtemp())
    original = {k: v.clone() for k, v in trainer.model.state_dict().items()}
    for quant in export.QUANTS:
        path = export.export((trainer.model, trainer.vocab), tmp / f"{quant}.js", quant=quant)
        trainer.model.load_state_dict(export.dequantize(path))
        out[quant] = (trainer.evaluate("test", max_batches=batches) - base, path.stat().st_size)
        trainer.model.load_state_dict(original)
    cost, size = out["int8"]
    return [common.row("8c. quantisation cost, int8 per-row, test split",
                       f"{cost:+.4f} nats/char (float16: {out['float16'][0]:+.4f})",
                       f"float32 test loss {base:.3f} after {steps} steps ({clock.cpu:.0f} CPU s)",
                       f"<= {COST}", cost <= COST, test_loss=base, cost_int8=cost, cost_float16=out["float16"][0],
                       bytes_int8=size, bytes_float16=out["float16"][1], steps=steps)]


def weight_rows(quick):
    rows, tmp = [], Path(tempfile.mkdtemp())
    pages = {}
    for chapter, name, over in CHAPTERS[:2] if quick else CHAPTERS:
        cfg = presets.get(name, "cpu", **over)
        text = data.load(cfg.data, encoding=cfg.encoding)
        model = CharRNN(len(set(text)), cfg.cell, cfg.n_layers, cfg.hidden, embed=cfg.embed)
        from rnnkit.text import Vocab
        vocab = Vocab.from_text(text, cfg.encoding)
        size = export.export((model, vocab), tmp / f"{chapter}-{name}.js").stat().st_size
        pages.setdefault(chapter, []).append((name, cfg, size, model.n_params()))
    for chapter, models in pages.items():
        total = sum(s for _, _, s, _ in models)
        what = ", ".join(f"{n} {c.n_layers}x{c.hidden} ({s / 1e6:.2f} MB)" for n, c, s, _ in models)
        f32 = sum(4 * p for *_, p in models)
        rows.append(common.row(f"8b. page weight, chapter {chapter}", f"{total / 1e6:.2f} MB: {what}",
                               f"float32 weights {f32 / 1e6:.2f} MB", f"<= {BUDGET_MB} MB per model",
                               all(s <= BUDGET_MB * 1e6 for _, _, s, _ in models), bytes=total))
    return rows


def speed_rows(trainer, rounds, length):
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp())
    page_path = save_page(trainer.model, trainer.vocab, folder, key="bench", prime="ROMEO:", length=length)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
        page.goto(page_path.as_uri())
        page.wait_for_selector(".rnnkit-live[data-ready]", timeout=30_000)
        loop = page.evaluate("""([rounds, length]) => {
          const m = new rnnkitLive.Model(rnnkitModels.bench), rates = [];
          rnnkitLive.sample(m, {prime: "ROMEO:", length: 200, temperature: 0.8});  // warm up
          for (let r = 0; r < rounds; r++) {
            const t0 = performance.now();
            rnnkitLive.sample(m, {prime: "ROMEO:", length, temperature: 0.8, seed: r});
            rates.push(length / ((performance.now() - t0) / 1000));
          }
          return {rates, kernel: m.kernel};
        }""", [rounds, length])
        walls = []
        for r in range(rounds):
            page.fill(".rnnkit-live-seed", str(r))
            t0 = time.perf_counter()
            page.click(".rnnkit-live-go")
            page.wait_for_function(f"document.querySelector('.rnnkit-live').dataset.done >= {r + 1}", timeout=60_000)
            walls.append(length / (time.perf_counter() - t0))
        browser.close()
    # the baseline: torch's own sampling of the same model, per character, one thread
    with common.Clock() as c:
        sample(trainer.model, trainer.vocab, length=length, prime="ROMEO:", temperature=0.8, seed=0)
    rate, wall = statistics.median(loop["rates"]), statistics.median(walls)
    return [common.row("8a. browser sampling, 2x256 LSTM (embed 64), int8",
                       f"{rate:,.0f} chars/s ({loop['kernel']}); panel {wall:,.0f} chars/s wall",
                       f"torch sample(): {length / c.wall:,.0f} chars/s", f">= {SPEED:,} chars/s",
                       min(rate, wall) >= SPEED, loop_rates=loop["rates"], panel_rates=walls, kernel=loop["kernel"],
                       length=length)]


def main(argv=None):
    p = common.parser(__doc__)
    p.add_argument("--steps", type=int, default=1500, help="training steps before measuring (cpu preset)")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--length", type=int, default=2000)
    args = p.parse_args(argv)
    common.setup(args)
    steps, rounds, length = (20, 2, 300) if args.quick else (args.steps, args.rounds, args.length)
    trainer, clock = train_briefly(steps, args.threads)
    rows = speed_rows(trainer, rounds, length)
    rows += quantisation_rows(trainer, steps, clock, args.quick)
    rows += weight_rows(args.quick)
    return common.report(rows, args, "live")


if __name__ == "__main__":
    main()
