"""Unpacking the corpora that come inside archives (tar, deb or zip): which members a registry
file needs (`wants`: a member name, or globs where * and ? stay within one folder and **/ spans
folders), and every regular file of an archive as (name, read) pairs (`members`), read in stream
mode so a large archive is never held whole. rnnkit.data downloads, verifies and caches; this
module only reads. Errors are the archive modules' own, or ValueError for what is not an archive
of its kind; rnnkit.data turns them into one line.
"""
import functools
import re
import tarfile
import zipfile


def wants(spec, member):
    """Whether a registry file spec needs this archive member (by name, or by its globs)."""
    if "member" in spec:
        return member == spec["member"]
    return any(_glob(p).fullmatch(member) for p in spec.get("concat") or spec.get("list"))


@functools.lru_cache(maxsize=None)
def _glob(pattern):
    """A glob as a regex: * and ? stay within one folder, **/ spans any number of them."""
    parts = re.split(r"(\*\*/|\*|\?)", pattern)
    sub = {"**/": "(?:[^/]*/)*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(sub.get(p, re.escape(p)) for p in parts))


def members(archive, path):
    """Yield (name, read) for every regular file of a tar, deb or zip archive."""
    kind = archive["kind"]
    if kind == "zip":
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if not info.is_dir():
                    yield info.filename, lambda info=info: z.read(info)
    elif kind == "tar":
        with tarfile.open(path, "r|*") as t:
            yield from _tar_files(t)
    elif kind == "deb":
        # a .deb is an `ar` archive whose data.tar.* holds the tarball we want (archive["inner"])
        with open(path, "rb") as f:
            for member, size in _ar_members(f):
                if member.startswith("data.tar"):
                    with tarfile.open(fileobj=_Window(f, size), mode="r|*") as data:
                        for m in data:
                            if m.name.removeprefix("./") == archive["inner"]:
                                with tarfile.open(fileobj=data.extractfile(m), mode="r|*") as t:
                                    yield from _tar_files(t)
    else:
        raise ValueError(f"unknown archive kind {kind!r}")


def _tar_files(t):
    # stream mode ("r|"): each member must be read before moving on, which the caller does
    for m in t:
        if m.isfile():
            yield m.name, lambda m=m: t.extractfile(m).read()


def _ar_members(f):
    """Yield (name, size) for each member of a Unix `ar` archive, with f at its data."""
    if f.read(8) != b"!<arch>\n":
        raise ValueError(f"{f.name} is not an ar archive (.deb)")
    while len(header := f.read(60)) == 60:
        name, size = header[:16].decode().strip().rstrip("/"), int(header[48:58])
        start = f.tell()
        yield name, size
        f.seek(start + size + size % 2)  # members are padded to an even length


class _Window:
    """The next `size` bytes of f as a readable file: one ar member, read without copying."""

    def __init__(self, f, size):
        self.f, self.left = f, size

    def read(self, n=-1):
        data = self.f.read(self.left if n < 0 else min(n, self.left))
        self.left -= len(data)
        return data
