"""Chapter 12 (one to many, names from a label): the label fed at every step, and the Wilson
interval the chapter puts around every share it measures."""
import math

import torch

from ...tasks.classify import Accuracy
from .core import Case, Exercise, Mistake
from .quiz import Option, Question

_EMBEDS = (  # (characters' embeddings (T, E), the label's embedding (L,))
    (torch.tensor([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]], dtype=torch.float64),
     torch.tensor([1.0, -1.0], dtype=torch.float64)),
    (torch.tensor([[1.0, 0.0, 2.0], [0.5, 0.5, -1.0]], dtype=torch.float64), torch.tensor([0.25], dtype=torch.float64)),
)


def _label_first_step_only(chars, label):
    rest = torch.zeros(chars.shape[0], label.shape[0], dtype=chars.dtype)
    rest[0] = label
    return torch.cat([chars, rest], dim=1)


def _label_first(chars, label):
    return torch.cat([label.expand(chars.shape[0], -1), chars], dim=1)


def _label_added(chars, label):
    return chars + label


def _wald(k, n, z=1.96):
    p = k / n
    half = z * math.sqrt(p * (1 - p) / n)
    return p - half, p + half


def _wald_z1(k, n):
    return _wald(k, n, 1.0)


_COUNTS = ((45, 100), (0, 20), (98, 100), (410, 500))

EXERCISES = (
    Exercise(
        "12.1", "Feed the label at every step",
        cases=tuple(Case((c, l), torch.cat([c, l.expand(c.shape[0], -1)], dim=1),
                         f"characters {c.tolist()}, label {l.tolist()}") for c, l in _EMBEDS),
        mistakes=(
            Mistake(_label_first_step_only,
                    "The label is there at the first step only: the model reads it at every step, so "
                    "that it is still in front of the model when it writes the end of the name."),
            Mistake(_label_first, "The label comes first: each row is the character's embedding, then the label's."),
            Mistake(_label_added,
                    "The label's embedding is added: it is concatenated, a few more numbers in each row."),
        ),
    ),
    Exercise(
        "12.2", "A 95% interval for a share: Wilson's score interval",
        cases=tuple(Case((k, n), Accuracy(k, n).interval(), f"{k} of {n}") for k, n in _COUNTS),
        rtol=1e-3,
        mistakes=(
            Mistake(_wald, "That is the normal (Wald) interval p ± 1.96·se: it collapses to a point at 0 "
                           "or 1 of n and can leave [0, 1]. Wilson's interval moves the centre towards 1/2."),
            Mistake(_wald_z1, "z = 1 gives a 68% interval: a 95% interval uses z = 1.96."),
        ),
    ),
)

QUIZ = (
    Question("Why does the chapter feed the label at every step rather than only through the initial state?",
             (Option("The end of a name says much about its list, and an input at every step keeps the label "
                     "in front of the model when it writes that end.", True,
                     "Through the initial state alone, the state would have to carry the label intact through "
                     "the whole name."),
              Option("Setting the initial state from a label is impossible.", False,
                     "It is the other common choice; the chapter's first exploration tries it."),
              Option("It makes the model smaller.", False, "It adds a label embedding to every step's input: slightly larger."))),
    Question("When does the chapter count a generated name as new?",
             (Option("When it is in neither CMU list.", True,
                     "Not in training, validation or test, and not among the names in both lists."),
              Option("When it is not in the training names.", False,
                     "A test or validation name is still a known name, so it does not count as new."),
              Option("When the judge is unsure about it.", False, "Newness is about the lists, not the judge."))),
    Question("What is the fair yardstick for \"the judge calls 80% of the names written for 'female' female\"?",
             (Option("How often the judge calls real female test names female: its recall for female.", True,
                     "The judge misses some real female names too: its recall is the level to read the 80% against."),
              Option("The judge's accuracy on all test names.", False,
                     "That mixes both lists; the names written for one label are compared with that list."),
              Option("100%.", False, "The judge is wrong about some real names too."))),
    Question("Both labels are sampled with the same seed. What does that show?",
             (Option("Where a female and a male name begin alike and then part, the label alone made the "
                     "difference.", True, "The random draws are the same; only the label input differs."),
              Option("That the two lists are the same.", False, "The label changes the probabilities, so the names part."),
              Option("Nothing: seeds do not affect sampling.", False, "The seed fixes the random draws of the sampler."))),
)
