"""What every dataset chapter does, as calls: load a corpus, describe it, train a model at
the chapter's scale, plot the curve, sample, and build the temperature slider.

    exp = Experiment("paulgraham", scale)     # the preset decides every size
    exp.describe()                            # characters, vocabulary, splits, parameters
    exp.train()                               # progress bar; history in exp.trainer.history
    exp.plot()                                # train and val loss per character
    exp.samples([0.5, 1.0], prime="The")      # one batched call
    exp.slider(prime="The")                   # live in Jupyter/Colab, static in the book
"""
import copy

from .. import data, presets
from ..model import CharRNN
from .plots import plot_history
from ..sample import sample
from .slider import temperature_slider
from ..train import Trainer


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

    def train(self, callback=None, every=100, progress=True):
        self.trainer.fit(callback=callback, every=every, progress=progress)
        return self.trainer.history

    def plot(self, marks=(), ax=None):
        return plot_history(self.trainer.history, marks=marks, ax=ax,
                            title=f"{self.name}: {self.describe()['model']}")

    def samples(self, temperatures, prime="", length=400, seed=None, untrained=False):
        """One sample per temperature, all in one batched call."""
        model = self.untrained if untrained else self.model
        return sample(model, self.vocab, length=length, prime=prime, temperature=list(temperatures),
                      seed=self.seed if seed is None else seed)

    def slider(self, prime="", length=400, **kw):
        return temperature_slider(lambda temps, p: self.samples(temps, prime=p, length=length), prime=prime, **kw)
