"""The build log a newcomer reads: one line per chapter, with the time left by the last build.

    executing 3 of 17 chapters at scale=cpu, 2 at a time (14 cached); about 9 min by the last build
    [ 1/17] 01_rnn_api          cached
    [15/17] 06_latex            executed   212.4 s  its code changed; about 4 min left
    [16/17] 07_linux            FAILED
        chapters/07_linux.ipynb: cell index 9 (execution count 7) raised ...
"""
from pathlib import Path


def duration(seconds):
    """'40 s', '6 min', '1 h 05 min': as precise as a wait needs."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds // 3600:.0f} h {seconds % 3600 / 60:02.0f} min"


class Progress:
    """Counts chapters as they finish and estimates the wait from `last` ({chapter: seconds})."""

    def __init__(self, chapters, last, jobs, log):
        self.total, self.done, self.last, self.jobs, self.log = len(chapters), 0, last, max(1, jobs), log
        self.width = max((len(Path(c).stem) for c in chapters), default=0)
        self.pending = set()

    def order(self, todo):
        """The longest chapters first (the unknown ones count as long): the last to start is short."""
        return sorted(todo, key=lambda c: -self.last.get(c, float("inf")))

    def left(self):
        """'about 6 min left' from the last timings of the chapters still running or waiting."""
        known = [self.last.get(c) for c in self.pending]
        if not known or None in known:
            return ""
        return f"about {duration(sum(known) / min(self.jobs, len(known)))} left"

    def start(self, todo, scale, cached):
        self.pending = set(todo)
        line = f"executing {len(todo)} of {self.total} chapters at scale={scale}, {min(self.jobs, len(todo))} at a time"
        line += f" ({cached} cached)" if cached else ""
        if left := self.left():
            line += f"; {left.removesuffix(' left')} by the last build"
        self.log(line)

    def _line(self, chapter, what):
        self.done += 1
        self.pending.discard(chapter)
        count = f"{self.done:>{len(str(self.total))}}/{self.total}"
        self.log(f"[{count}] {Path(chapter).stem:<{self.width}}  {what}".rstrip())

    def cached(self, chapter):
        self._line(chapter, "cached")

    def executed(self, chapter, seconds, why=""):
        notes = "; ".join(n for n in (why, self._left_after(chapter)) if n)
        self._line(chapter, f"executed {seconds:7.1f} s  {notes}")

    def failed(self, chapter, message):
        self._line(chapter, "FAILED")
        self.log("    " + message.replace("\n", "\n    "))

    def _left_after(self, chapter):
        self.pending.discard(chapter)
        return self.left()
