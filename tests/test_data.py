"""rnnkit.data: the real corpora from the mirror, the cache, downloads and archive recipes.

Downloads are tested against a tiny HTTP server on 127.0.0.1 started here; any other host
is refused, so the suite never touches the network."""
import hashlib
import http.server
import io
import shutil
import socket
import tarfile
import threading
import zipfile

import pytest

from rnnkit import data
from rnnkit.data import DataError


def sha(b):
    return hashlib.sha256(b).hexdigest()


@pytest.fixture(autouse=True)
def _local_network_only(monkeypatch):
    real = socket.getaddrinfo

    def local_only(host, *args, **kwargs):
        if host not in ("127.0.0.1", "localhost"):
            raise OSError(f"the tests may not reach {host}")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local_only)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    # an empty cache of this test's own (the conftest one is shared by the whole session)
    monkeypatch.setenv("RNNKIT_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def no_mirror(monkeypatch):
    monkeypatch.delenv("RNNKIT_MIRROR", raising=False)


def leftovers(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# ----------------------------------------------------------------------------- a local server

class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = self.server.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        # /cut/...: promise twice the body, send it, hang up (HTTP/1.0 closes after each reply)
        self.send_header("Content-Length", str(len(body) * (2 if self.path.startswith("/cut/") else 1)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _serve():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.files = {}
    httpd.url = lambda path: f"http://127.0.0.1:{httpd.server_port}{path}"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture(scope="module")
def server():
    httpd = _serve()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def second_server():
    """Another origin on its own port: the fallback tests need two."""
    httpd = _serve()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def entry(path, files, archives=None):
    e = {"title": "toy", "description": "a test corpus", "licence": "none", "path": path, "files": files}
    return {**e, "archives": archives} if archives else e


def spec(body, **how):
    return {"size": len(body), "sha256": sha(body), **how}


# ----------------------------------------------------------------------------- the real corpora

CORPORA = {  # name: (characters, distinct characters, newlines) in utf-8 mode, from SOURCES.md
    "tinyshakespeare": (1_115_394, 65, 40_000),
    "warpeace": (3_196_212, 82, 62_014),  # SOURCES' 3,196,213 and 83 count the BOM, which we drop
    "paulgraham": (2_341_830, 98, None),
    "wikipedia": (4_134_245, 1_522, 46_667),
    "latex": (16_694_382, 96, 452_132),
    "linux": (11_680_701, 102, 440_515),
    "names": (55_869, None, 7_944),
    "names-makemore": (228_145, 27, 32_032),
}


@pytest.mark.parametrize("name", CORPORA)
def test_registry_corpus_from_mirror(mirror, name):
    n_chars, n_distinct, n_lines = CORPORA[name]
    text = data.load(name)
    assert len(text) == n_chars
    if n_distinct:
        assert len(set(text)) == n_distinct
    if n_lines:
        assert text.count("\n") == n_lines


def test_warpeace_bytes_and_utf8(mirror):
    raw = data.load("warpeace", encoding="bytes")
    assert (len(raw), len(set(raw))) == (3_258_246, 87)  # the paper's K = 87
    assert raw.startswith("\xef\xbb\xbf") and "\r\n" in raw
    text = data.load("warpeace")
    assert "\r" not in text and "\ufeff" not in text


def test_names_is_female_then_male(mirror):
    path = data.fetch("names")
    assert path == data.cache_dir() / "names/cmu/input.txt"  # built in the cache
    female = (mirror / "names/cmu/female.txt").read_bytes()
    assert path.read_bytes() == female + (mirror / "names/cmu/male.txt").read_bytes()
    assert data.load("names").splitlines()[5000:5002] == ["Zuzana", "Aamir"]


def test_corpus_file_is_one_verified_file_of_a_corpus(mirror):
    female = data.corpus_file("names", "names/cmu/female.txt")
    assert female.read_bytes() == (mirror / "names/cmu/female.txt").read_bytes()
    assert data.read_text(female).split("\n")[0] and data.corpus_file("names", "names/cmu/male.txt") != female
    with pytest.raises(DataError, match="has no file 'names/cmu/other.txt'"):
        data.corpus_file("names", "names/cmu/other.txt")
    with pytest.raises(DataError, match="unknown dataset"):
        data.corpus_file("nmaes", "names/cmu/female.txt")


def test_registry_is_consistent():
    for name, e in data._registry().items():
        assert e["path"] in e["files"], name
        for rel, f in e["files"].items():
            assert len(f["sha256"]) == 64 and f["size"] > 0, rel
            assert sum(k in f for k in ("url", "urls", "from", "join")) == 1, rel
            assert "from" not in f or f["from"] in e["archives"], rel
            assert all(part in e["files"] for part in f.get("join", [])), rel
            assert all(u.startswith("https://") for u in f.get("urls", [f.get("url", "https://")])), rel
        for key, a in e.get("archives", {}).items():
            urls = a["urls"] if "urls" in a else [a["url"]]
            assert urls and all(u.startswith("https://") for u in urls), (name, key)


def test_linux_deb_tries_the_permanent_snapshot_archive_first():
    urls = data._registry()["linux"]["archives"]["deb"]["urls"]
    assert urls[0].startswith("https://snapshot.debian.org/archive/debian-security/")
    assert any(u.startswith("https://security.debian.org/") for u in urls[1:])
    assert len({u.rsplit("/", 1)[-1] for u in urls}) == 1  # the same .deb everywhere


def test_datasets(mirror, cache):
    rows = {r["name"]: r for r in data.datasets()}
    assert set(rows) == set(CORPORA)
    assert rows["tinyshakespeare"]["size"] == 1_115_394 and rows["tinyshakespeare"]["cached"]
    assert "6f9487a6fe5b420b7ca9afb0d7c078e37c1d1b4e" in rows["tinyshakespeare"]["url"]
    assert rows["linux"]["url"].endswith(".deb") and "GPL-2.0" in rows["linux"]["licence"]


def test_datasets_nothing_cached(cache, no_mirror):
    assert not any(r["cached"] for r in data.datasets())


# ----------------------------------------------------------------------------- cache and mirror

def test_cache_comes_before_mirror(mirror, cache):
    rel = "tinyshakespeare/input.txt"
    assert data.fetch("tinyshakespeare") == mirror / rel
    (cache / rel).parent.mkdir(parents=True)
    shutil.copy(mirror / rel, cache / rel)
    assert data.fetch("tinyshakespeare") == cache / rel
    (cache / rel).write_bytes(b"x" * 1_115_394)  # a spoilt cache copy is passed over
    assert data.fetch("tinyshakespeare") == mirror / rel


def test_mirror_with_wrong_checksum(tmp_path, cache, monkeypatch):
    fake = tmp_path / "mirror" / "tinyshakespeare" / "input.txt"
    fake.parent.mkdir(parents=True)
    monkeypatch.setenv("RNNKIT_MIRROR", str(tmp_path / "mirror"))
    fake.write_text("not Shakespeare")
    with pytest.raises(DataError, match="mirror file .*input.txt of tinyshakespeare has 15 bytes"):
        data.fetch("tinyshakespeare")
    fake.write_bytes(b"y" * 1_115_394)  # right size, wrong bytes
    with pytest.raises(DataError, match="has sha256 .*expected 86c4e6aa9db7c042"):
        data.load("tinyshakespeare")


def test_offline_without_mirror_names_dataset_url_and_variable(cache, no_mirror):
    with pytest.raises(DataError) as e:
        data.fetch("tinyshakespeare")
    msg = str(e.value)
    assert "tinyshakespeare" in msg and "RNNKIT_MIRROR" in msg and "\n" not in msg
    assert "https://raw.githubusercontent.com/karpathy/char-rnn/6f9487a" in msg


def test_offline_closed_port(cache, no_mirror):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}/toy.txt"
    toy = entry("toy/input.txt", {"toy/input.txt": spec(b"hello\n", url=url)})
    with pytest.raises(DataError, match=f"cannot get toy: {url} is unreachable.*RNNKIT_MIRROR is not set"):
        data.fetch("toy", toy)
    assert leftovers(cache) == []


# ----------------------------------------------------------------------------- downloads

def test_download_lands_in_cache(server, cache, no_mirror):
    body = b"To be, or not to be\n" * 500
    server.files["/good.txt"] = body
    toy = entry("toy/input.txt", {"toy/input.txt": spec(body, url=server.url("/good.txt"))})
    path = data.fetch("toy", toy)
    assert path == cache / "toy/input.txt" and path.read_bytes() == body
    assert leftovers(cache) == ["toy/input.txt"]
    del server.files["/good.txt"]  # the second time comes from the cache
    assert data.fetch("toy", toy) == path


def test_download_with_wrong_checksum_keeps_nothing(server, cache, no_mirror):
    server.files["/bad.txt"] = b"tampered\n"
    toy = entry("toy/input.txt", {"toy/input.txt": spec(b"original\n", url=server.url("/bad.txt"))})
    with pytest.raises(DataError, match="download of toy from .*/bad.txt: checksum mismatch"):
        data.fetch("toy", toy)
    assert leftovers(cache) == []


def test_download_interrupted_keeps_nothing(server, cache, no_mirror):
    body = bytes(range(32, 127)) * 10  # 950 bytes; the server promises 1,900
    server.files["/cut/war.txt"] = body
    toy = entry("toy/input.txt", {"toy/input.txt": spec(body * 2, url=server.url("/cut/war.txt"))})
    with pytest.raises(DataError, match="download of toy interrupted after 950 of 1,900 bytes"):
        data.fetch("toy", toy)
    assert leftovers(cache) == []


def test_http_error(server, cache, no_mirror):
    toy = entry("toy/input.txt", {"toy/input.txt": spec(b"x", url=server.url("/missing.txt"))})
    with pytest.raises(DataError, match="HTTP 404"):
        data.fetch("toy", toy)


# ----------------------------------------------------------------------------- several origins

@pytest.mark.parametrize("first", ["missing", "wrong bytes", "cut short", "unreachable"])
def test_a_failing_first_origin_falls_back_to_the_second(server, second_server, cache, no_mirror, first,
                                                           capsys):
    body = b"First Citizen:\nBefore we proceed any further, hear me speak.\n" * 40
    path = f"/{first.replace(' ', '-')}/input.txt"
    if first == "wrong bytes":
        server.files[path] = body.replace(b"Citizen", b"Citizan")
    elif first == "cut short":
        path = "/cut" + path  # the server promises twice the body and hangs up
        server.files[path] = body
    first_url = server.url(path)
    if first == "unreachable":
        with socket.socket() as s:  # a port nobody listens on
            s.bind(("127.0.0.1", 0))
            first_url = f"http://127.0.0.1:{s.getsockname()[1]}/input.txt"
    second_server.files["/input.txt"] = body
    toy = entry("toy/input.txt", {"toy/input.txt": spec(body, urls=[first_url, second_server.url("/input.txt")])})
    got = data.fetch("toy", toy)
    assert got.read_bytes() == body and leftovers(cache) == ["toy/input.txt"]
    assert "trying the next origin" in capsys.readouterr().err


def test_every_origin_failing_names_each_failure(server, second_server, cache, no_mirror):
    server.files["/bad/input.txt"] = b"tampered\n"
    toy = entry("toy/input.txt", {"toy/input.txt": spec(b"original\n", urls=[
        server.url("/bad/input.txt"), second_server.url("/nothing-here.txt")])})
    with pytest.raises(DataError, match=r"no origin of toy gave the right file \(2 tried\): "
                                        r".*checksum mismatch.* \| .*HTTP 404"):
        data.fetch("toy", toy)
    assert leftovers(cache) == []


def test_an_archive_falls_back_to_its_second_origin(server, second_server, cache, no_mirror):
    """A .deb gone from its first origin (404) and an archive whose files do not verify (no
    archive checksum to catch it earlier) both move on to the next origin."""
    names = b"Abagael\nZuzana\n"
    good, stale = io.BytesIO(), io.BytesIO()
    with zipfile.ZipFile(good, "w") as z:
        z.writestr("names/female.txt", names)
    with zipfile.ZipFile(stale, "w") as z:
        z.writestr("names/female.txt", b"Abagael\n")
    server.files["/stale.zip"] = stale.getvalue()
    second_server.files["/names.zip"] = good.getvalue()
    toy = entry("names/female.txt", {"names/female.txt": spec(names, **{"from": "zip", "member": "names/female.txt"})},
                {"zip": {"kind": "zip", "urls": [server.url("/gone.zip"), server.url("/stale.zip"),
                                                 second_server.url("/names.zip")]}})
    assert data.fetch("names", toy).read_bytes() == names
    assert leftovers(cache) == ["names/female.txt"]  # no archive left behind from any origin


# ----------------------------------------------------------------------------- recipes

def tar_bytes(files, mode):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as t:
        folder = tarfile.TarInfo(next(iter(files)).split("/")[0])
        folder.type = tarfile.DIRTYPE
        t.addfile(folder)
        for name, body in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            t.addfile(info, io.BytesIO(body))
    return buf.getvalue()


def ar_bytes(members):
    out = b"!<arch>\n"
    for name, body in members:
        header = f"{name + '/':<16}{0:<12}{0:<6}{0:<6}{'100644':<8}{len(body):<10}`\n".encode()
        out += header + body + b"\n" * (len(body) % 2)
    return out


def test_recipe_tar_concat(server, cache, no_mirror):
    tex = {"b.tex": b"\\section{b}\n", "a.tex": b"\\section{a}\n", "B.tex": b"\\section{B}\n"}
    files = {f"proj-abc/{k}": v for k, v in tex.items()}
    files.update({"proj-abc/sub/c.tex": b"nested\n", "proj-abc/COPYING": b"GFDL\n", "proj-abc/x.txt": b"no\n"})
    server.files["/proj.tar.gz"] = tar_bytes(files, "w:gz")
    text = tex["B.tex"] + tex["a.tex"] + tex["b.tex"]  # byte order: capitals first; top level only
    toy = entry("latex/input.txt",
                {"latex/input.txt": spec(text, **{"from": "tarball", "concat": ["*.tex"]}),
                 "latex/COPYING": spec(b"GFDL\n", **{"from": "tarball", "member": "COPYING"})},
                {"tarball": {"kind": "tar", "url": server.url("/proj.tar.gz"), "strip": 1}})
    assert data.fetch("latex", toy).read_bytes() == text
    assert leftovers(cache) == ["latex/COPYING", "latex/input.txt"]  # the tarball is gone


def test_two_builders_of_one_archive_at_once_each_delete_only_their_own_download(server, cache, no_mirror,
                                                                                 monkeypatch):
    import threading
    text = b"\\section{a}\n"
    server.files["/p.tar"] = tar_bytes({"p/a.tex": text}, "w")
    toy = entry("t/input.txt", {"t/input.txt": spec(text, **{"from": "t", "concat": ["*.tex"]})},
                {"t": {"kind": "tar", "url": server.url("/p.tar"), "strip": 1}})
    both_downloaded = threading.Barrier(2, timeout=20)
    members = data.archives.members

    def in_step(archive, path):  # neither reads (then deletes) its download before both have one
        both_downloaded.wait()
        return members(archive, path)
    monkeypatch.setattr(data.archives, "members", in_step)
    results, errors = [], []

    def build():
        try:
            results.append(data.fetch("t", toy).read_bytes())
        except Exception as err:  # noqa: BLE001 - the assertion below shows it
            errors.append(repr(err))
    workers = [threading.Thread(target=build) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(30)
    assert errors == [] and results == [text, text]
    assert leftovers(cache) == ["t/input.txt"]  # both downloads gone, each by its own builder


def test_recipe_deb(server, cache, no_mirror):
    src = {"kernel/b.c": b"int b;\n", "kernel/a.h": b"#define A\n", "kernel/Z.c": b"int Z;\n",
           "kernel/sched/core.c": b"void schedule(void);\n", "kernel/notes.txt": b"no\n",
           "drivers/x.c": b"no\n", "COPYING": b"GPL-2.0\n"}
    inner = tar_bytes({f"linux-source-6.1/{k}": v for k, v in src.items()}, "w:xz")
    data_tar = tar_bytes({"./usr/src/linux-source-6.1.tar.xz": inner, "./usr/share/doc/x": b"doc"}, "w:xz")
    deb = ar_bytes([("debian-binary", b"2.0\n"), ("control.tar.xz", b"odd"), ("data.tar.xz", data_tar)])
    server.files["/linux.deb"] = deb
    order = ["kernel/Z.c", "kernel/a.h", "kernel/b.c", "kernel/sched/core.c"]  # byte order, .c and .h mixed
    text = b"".join(src[k] for k in order)
    globs = ["kernel/**/*.c", "kernel/**/*.h"]
    toy = entry("linux/input.txt",
                {"linux/input.txt": spec(text, **{"from": "deb", "concat": globs}),
                 "linux/FILES.txt": spec("".join(k + "\n" for k in order).encode(), **{"from": "deb", "list": globs}),
                 "linux/COPYING": spec(b"GPL-2.0\n", **{"from": "deb", "member": "COPYING"})},
                {"deb": {"kind": "deb", "url": server.url("/linux.deb"), "sha256": sha(deb), "size": len(deb),
                         "inner": "usr/src/linux-source-6.1.tar.xz", "strip": 1}})
    assert data.fetch("linux", toy).read_bytes() == text
    assert leftovers(cache) == ["linux/COPYING", "linux/FILES.txt", "linux/input.txt"]


def test_recipe_prefix(server, cache, no_mirror):
    body = b"<page>wiki</page>\n" * 100
    server.files["/enwik8"] = body
    toy = entry("wikipedia/input.txt",
                {"wikipedia/input.txt": spec(body[:180], url=server.url("/enwik8"), prefix=180)})
    assert data.fetch("wikipedia", toy).read_bytes() == body[:180]


def test_recipe_zip_members_joined(server, cache, no_mirror):
    female, male, readme = b"Abagael\nZuzana\n", b"Aamir\nZeus\n", b"Names Corpus\n"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, body in [("names/", b""), ("names/female.txt", female), ("names/male.txt", male),
                           ("names/README", readme)]:
            z.writestr(name, body)
    server.files["/names.zip"] = buf.getvalue()
    toy = entry("names/cmu/input.txt",
                {"names/cmu/female.txt": spec(female, **{"from": "zip", "member": "names/female.txt"}),
                 "names/cmu/male.txt": spec(male, **{"from": "zip", "member": "names/male.txt"}),
                 "names/cmu/README": spec(readme, **{"from": "zip", "member": "names/README"}),
                 "names/cmu/input.txt": spec(female + male, join=["names/cmu/female.txt", "names/cmu/male.txt"])},
                {"zip": {"kind": "zip", "url": server.url("/names.zip")}})
    assert data.fetch("names", toy).read_text().splitlines() == ["Abagael", "Zuzana", "Aamir", "Zeus"]
    assert (cache / "names/cmu/README").read_bytes() == readme


def test_recipe_output_that_does_not_verify(server, cache, no_mirror):
    server.files["/p.tar"] = tar_bytes({"p/a.tex": b"changed upstream\n"}, "w")
    toy = entry("t/input.txt", {"t/input.txt": spec(b"expected\n", **{"from": "t", "concat": ["*.tex"]})},
                {"t": {"kind": "tar", "url": server.url("/p.tar"), "strip": 1}})
    with pytest.raises(DataError, match="t/input.txt of toy built from .* does not match"):
        data.fetch("toy", toy)
    assert leftovers(cache) == []


# ----------------------------------------------------------------------------- read_text and load

def write(tmp_path, body, name="f.txt"):
    (tmp_path / name).write_bytes(body)
    return tmp_path / name


def test_read_text_empty(tmp_path):
    with pytest.raises(DataError, match="f.txt is empty"):
        data.read_text(write(tmp_path, b""))


def test_read_text_binary(tmp_path):
    with pytest.raises(DataError, match="binary.*NUL"):
        data.read_text(write(tmp_path, b"PK\x03\x04\x00\x00hello"))
    with pytest.raises(DataError, match="binary.*control"):
        data.read_text(write(tmp_path, bytes(range(1, 9)) * 20 + b"some text"))


def test_read_text_invalid_utf8_gives_offset(tmp_path):
    with pytest.raises(DataError, match=r"f.txt is not valid utf-8: byte 0xe9 at offset 3 .*encoding='bytes'"):
        data.read_text(write(tmp_path, b"caf\xe9 au lait\n"))
    assert data.read_text(tmp_path / "f.txt", encoding="latin-1") == "café au lait\n"


def test_read_text_bom_and_line_ends(tmp_path):
    path = write(tmp_path, b"\xef\xbb\xbfone\r\ntwo\rthree\n")
    assert data.read_text(path) == "one\ntwo\nthree\n"
    raw = data.read_text(path, encoding="bytes")  # untouched, one character per byte
    assert raw == "\xef\xbb\xbfone\r\ntwo\rthree\n" and len(raw) == 18


def test_read_text_unknown_encoding(tmp_path):
    with pytest.raises(DataError, match="unknown encoding 'klingon' for .*f.txt"):
        data.read_text(write(tmp_path, b"hello"), encoding="klingon")
    for codec in ("rot13", "base64", "zlib"):  # codecs, but bytes to bytes: no text comes out of them
        with pytest.raises(DataError, match=f"unknown encoding '{codec}'"):
            data.read_text(write(tmp_path, b"hello"), encoding=codec)


def test_load_path_and_unknown_name(tmp_path):
    assert data.load(str(write(tmp_path, b"hi\r\n"))) == "hi\n"
    with pytest.raises(DataError, match=r"unknown dataset 'shakespear'; known: tinyshakespeare, .*a path"):
        data.load("shakespear")
    with pytest.raises(DataError, match="cannot read"):
        data.read_text(tmp_path / "absent.txt")


# ----------------------------------------------------------------------------- byte vocabularies

def test_byte_vocabulary_never_shows_replacement_characters():
    """A byte-level model (Wikipedia) can write half of a multi-byte character; decoding leaves
    such bytes out rather than showing U+FFFD, and keeps every whole character."""
    from rnnkit.text import Vocab
    text = "Zürich – 東京\n".encode("utf-8").decode("latin-1")  # one symbol per byte, as read_text does
    vocab = Vocab.from_text(text, encoding="bytes")
    ids = vocab.encode("Zürich – 東京\n").tolist()
    assert vocab.decode(ids) == "Zürich – 東京\n"
    half = ids[:2] + ids[3:]  # 'ü' loses its second byte
    cut = ids[:-2]  # '京' loses its last byte, then the newline
    lead = [vocab.stoi["\xe6"]] + ids  # a lone lead byte before the text
    for broken, want in [(half, "Zrich – 東京\n"), (cut, "Zürich – 東"), (lead, "Zürich – 東京\n")]:
        shown = vocab.decode(broken)
        assert "\ufffd" not in shown and shown == want
