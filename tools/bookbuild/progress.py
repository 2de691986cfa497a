"""The build log a newcomer reads: one line per chapter, with the time left by the last build.

    executing 3 of 17 chapters at scale=cpu, 2 at a time (14 cached); about 9 min by the last build
    [ 1/17] 01_rnn_api          cached
    [15/17] 06_latex            executed   212.4 s  its code changed; about 4 min left
    [16/17] 07_linux            FAILED
        chapters/07_linux.ipynb: cell index 9 (execution count 7) raised ...

The time left: each chapter still to finish takes what it took last time, scaled by how this
build's finished chapters compare with theirs (a busy machine), less what a running one has
already had; they share `jobs` slots, in the order they were started (the executor's order).
"""
import time
from pathlib import Path


# Seconds each chapter took at scale=cpu in a clean build (2-core AMD EPYC, AVX2, fp32; one thread
# per chapter): only the order of a build without timings of its own comes from it, longest first.
TYPICAL = {"01_rnn_api": 6, "02_helo": 76, "03_paulgraham": 206, "04_shakespeare": 394, "05_wikipedia": 283,
           "06_latex": 142, "07_linux": 186, "08_names": 153, "09_evolution": 254, "10_inside_lstm": 499,
           "11_classify_names": 80, "12_names_from_a_label": 50, "13_seq2seq_addition": 90,
           "14_vanishing_gradients": 167, "15_rnn_vs_transformer": 147, "16_chars_vs_words": 148,
           "17_sampling": 74, "18_parallel_rnn": 230}


def duration(seconds):
    """'40 s', '6 min', '1 h 05 min': as precise as a wait needs."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds // 3600:.0f} h {seconds % 3600 / 60:02.0f} min"


class Progress:
    """Counts chapters as they finish and estimates the wait from `last` ({chapter: seconds})."""

    def __init__(self, chapters, last, jobs, log, clock=time.monotonic):
        self.total, self.done, self.last, self.jobs, self.log = len(chapters), 0, last, max(1, jobs), log
        self.width = max((len(Path(c).stem) for c in chapters), default=0)
        self.clock, self.queue, self.started, self.took = clock, [], {}, {}

    def order(self, todo):
        """The longest chapters first, so that the last to start is short: by the last build's
        times, else (a clean clone) by TYPICAL; a chapter in neither counts as the longest."""
        return sorted(todo, key=lambda c: -self.last.get(c, TYPICAL.get(Path(c).stem, float("inf"))))

    def start(self, todo, scale, cached):
        """Say what will run; `todo` in the order it is submitted."""
        self.queue = list(todo)
        for chapter in self.queue[:self.jobs]:
            self.started[chapter] = self.clock()
        line = f"executing {len(todo)} of {self.total} chapters at scale={scale}, {min(self.jobs, len(todo))} at a time"
        line += f" ({cached} cached)" if cached else ""
        if left := self.left():
            line += f"; {left.removesuffix(' left')} by the last build"
        self.log(line)

    def left(self):
        """'about 6 min left' ('almost done' when they are over their time), or '' when a chapter
        still to finish has no timing."""
        if not self.queue or any(c not in self.last for c in self.queue):
            return ""
        slower = sum(self.took.values()) / sum(self.last[c] for c in self.took) if self.took else 1.0
        now = self.clock()
        work = [max(0.0, self.last[c] * slower - (now - self.started[c]) if c in self.started else self.last[c] * slower)
                for c in self.queue]
        seconds = max(max(work), sum(work) / self.jobs)
        return f"about {duration(seconds)} left" if seconds >= 1 else "almost done"

    def _finish(self, chapter):
        self.done += 1
        if chapter in self.queue:
            self.queue.remove(chapter)
            waiting = [c for c in self.queue if c not in self.started]
            if waiting:  # its slot goes to the next one submitted
                self.started[waiting[0]] = self.clock()

    def _say(self, chapter, what):
        count = f"{self.done:>{len(str(self.total))}}/{self.total}"
        self.log(f"[{count}] {Path(chapter).stem:<{self.width}}  {what}".rstrip())

    def cached(self, chapter):
        self._finish(chapter)
        self._say(chapter, "cached")

    def executed(self, chapter, seconds, why=""):
        if chapter in self.last:
            self.took[chapter] = seconds
        self._finish(chapter)
        notes = "; ".join(n for n in (why, self.left()) if n)
        self._say(chapter, f"executed {seconds:7.1f} s  {notes}")

    def failed(self, chapter, message):
        self._finish(chapter)
        self._say(chapter, "FAILED")
        self.log("    " + message.replace("\n", "\n    "))
