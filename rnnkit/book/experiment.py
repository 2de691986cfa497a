"""What every dataset chapter does, as calls: load a corpus, describe it, train a model at
the chapter's scale, plot the curve, glue the facts the prose cites, sample, compare with
references, and build the temperature slider.

    exp = Experiment("paulgraham", scale)     # the preset decides every size
    exp.describe()                            # characters, vocabulary, splits, parameters
    exp.train()                               # a live bar in Jupyter; one summary line in the book
    exp.plot()                                # train and val loss per character
    exp.glue_facts("pg")                      # pg_chars, pg_vocab, pg_model, ..., pg_val, pg_minutes
    exp.samples([0.5, 1.0], prime="The")      # one batched call
    exp.compare(4, 1500)                      # model / held-out real text / untrained model
    exp.slider(prime="The")                   # live in Jupyter/Colab, static in the book
"""
import copy
import math
import os

from .. import data, presets
from ..model import CharRNN
from ..sample import sample
from ..train import Trainer
from .glue import glue
from .measures import bits
from .plots import plot_history
from .prose import training_summary
from .slider import temperature_slider
from .views import samples_view

# The labels of a measured check's texts, shared by every chapter's tables.
REAL, UNTRAINED = "held-out real text", "untrained model, T=1"


def model_label(t):
    return f"model, T={t:g}"


def in_book_build():
    """True while tools/build_book.py executes the chapters (it sets RNNKIT_BOOK_BUILD)."""
    return bool(os.environ.get("RNNKIT_BOOK_BUILD"))


class Experiment:
    def __init__(self, name, scale="auto", seed=0, out_dir=None, device=None, **overrides):
        self.cfg = presets.get(name, scale, seed=seed, **overrides)
        self.name, self.seed = name, seed
        self.text = data.load(self.cfg.data, encoding=self.cfg.encoding)
        self.trainer = Trainer(self.cfg, out_dir=out_dir, device=device, text=self.text)
        # an untrained copy: the reference every chapter's measured check is compared with
        self.untrained = copy.deepcopy(self.trainer.model).eval()

    @property
    def model(self) -> CharRNN:
        return self.trainer.model

    @property
    def vocab(self):
        return self.trainer.vocab

    def model_name(self):
        return f"{self.cfg.n_layers}-layer, {self.cfg.hidden}-cell"

    def describe(self):
        t = self.trainer
        return {
            "characters": sum(len(s) for s in t.splits.values()),
            "vocabulary": len(t.vocab),
            "train": len(t.splits["train"]), "val": len(t.splits["val"]), "test": len(t.splits["test"]),
            "model": f"{self.cfg.cell.upper()} {self.cfg.n_layers}x{self.cfg.hidden}",
            "parameters": t.model.n_params(),
            "scale": self.cfg.scale,
            "steps": self.cfg.max_steps,
        }

    def heldout(self, n_chars=5000, which="test"):
        """Real text the model never trained on (for the measured checks), decoded."""
        ids = self.trainer.splits[which][:n_chars]
        return self.vocab.decode(ids.tolist())

    def excerpt(self, n_chars=600):
        return self.vocab.decode(self.trainer.splits["train"][:n_chars].tolist())

    def train(self, callback=None, every=100, progress=None):
        """Train to the preset's max_steps. progress=None: a live bar, except in the book build,
        where a bar's last state ("33.38 step/s") means nothing to a reader: there one line says
        what was trained and for how long."""
        quiet = in_book_build() if progress is None else not progress
        self.trainer.fit(callback=callback, every=every, progress=not quiet)
        if progress is None and quiet:
            print(self.summary())
        return self.trainer.history

    @property
    def unit(self):
        """What one symbol of the corpus is: "byte" for the byte-level corpora, else "char"."""
        return "byte" if self.cfg.encoding == "bytes" else "char"

    def summary(self):
        """One line: what was trained, how long, and where the validation loss ended."""
        val = self.trainer.history["val"]
        return training_summary(f"{self.model_name()} {self.cfg.cell.upper()}", self.cfg.data, self.trainer.step,
                                self.trainer.elapsed, val[-1][1] if val else None, self.unit)

    def glue_facts(self, prefix, chars="chars"):
        """Glue the corpus, model and training facts that a dataset chapter's prose cites, as
        {prefix}_{chars, vocab, model, params, steps, uniform, val, val_bits, minutes}
        (`chars="bytes"` for the byte-level corpora). Call it after train()."""
        info = self.describe()
        facts = {chars: f"{info['characters']:,}", "vocab": str(info["vocabulary"]),
                 "model": self.model_name(), "params": f"{info['parameters']:,}", "steps": f"{info['steps']:,}",
                 "uniform": f"{math.log(info['vocabulary']):.2f}"}
        if self.trainer.history["val"]:
            val = self.trainer.history["val"][-1][1]
            facts.update(val=f"{val:.3f}", val_bits=f"{bits(val):.2f}", minutes=f"{self.trainer.elapsed / 60:.1f}")
        for key, value in facts.items():
            glue(f"{prefix}_{key}", value)
        return facts

    def plot(self, marks=(), ax=None):
        return plot_history(self.trainer.history, marks=marks, ax=ax,
                            title=f"{self.name}: {self.describe()['model']}",
                            unit="byte" if self.unit == "byte" else "character")

    def samples(self, temperatures, prime="", length=400, seed=None, untrained=False):
        """One sample per temperature, all in one batched call."""
        model = self.untrained if untrained else self.model
        return sample(model, self.vocab, length=length, prime=prime, temperature=list(temperatures),
                      seed=self.seed if seed is None else seed)

    def show_samples(self, temperatures, prime="", length=400, seed=None):
        """The samples at each temperature, labelled and wrapped to the page's width."""
        texts = self.samples(temperatures, prime=prime, length=length, seed=seed)
        return samples_view({f"temperature {t:g}": text for t, text in zip(temperatures, texts)})

    def compare(self, n, length, prime="", temperatures=(1.0,), real=None, seed=None):
        """The texts of a measured check, {label: list of texts}: n samples of `length` characters
        per temperature ("model, T=1"), held-out real text ("held-out real text") and the
        untrained model at T = 1 ("untrained model, T=1"), all sampled with the same seed
        (default: the chapter's seed + 1, so they differ from the samples shown above).

        real: None: n pieces of the test split, each `length` characters long;
              an int: one piece of that many characters;
              a function of the whole test split's text returning the list of pieces.
        """
        seed = self.seed + 1 if seed is None else seed
        texts = {model_label(t): self.samples([t] * n, prime=prime, length=length, seed=seed)
                 for t in temperatures}
        if real is None:
            whole = self.heldout(n * length)
            texts[REAL] = [whole[i * length:(i + 1) * length] for i in range(n)]
        elif isinstance(real, int):
            texts[REAL] = [self.heldout(real)]
        else:
            texts[REAL] = list(real(self.heldout(None)))
        texts[UNTRAINED] = self.samples([1.0] * n, prime=prime, length=length, seed=seed, untrained=True)
        return texts

    def slider(self, prime="", length=400, **kw):
        # the slider passes a new seed on "new samples", so each press draws new text
        return temperature_slider(lambda temps, p, seed=None: self.samples(temps, prime=p, length=length, seed=seed),
                                  prime=prime, **kw)
