"""benchmarks/lighthouse.py without Lighthouse: its rows, its skip without npm, its gzip server.
(The measurement itself needs npx and minutes: it is a benchmark, run by make bench.)"""
import gzip
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import lighthouse  # noqa: E402


def test_without_npx_or_under_quick_nothing_is_measured(monkeypatch, capsys, tmp_path):
    assert lighthouse.main(["--quick"])[0]["measured"] == "not measured (--quick)"
    monkeypatch.setattr(lighthouse.shutil, "which", lambda name: None)
    row, = lighthouse.main([str(tmp_path)])
    assert row["measured"] == "not measured (no npx)" and row["met"] is None
    assert "npx not found" in capsys.readouterr().out


def test_rows_compare_each_page_with_the_goal():
    rows = lighthouse.rows({"intro": dict(score=91, lcp_s=2.1), "10_inside_lstm": dict(score=84, lcp_s=3.9)})
    assert [(r["target"], r["met"]) for r in rows] == [("13. Lighthouse mobile: intro", True),
                                                       ("13. Lighthouse mobile: 10_inside_lstm", False)]


def test_the_site_is_served_compressed_as_a_host_serves_it(tmp_path):
    (tmp_path / "a.css").write_text("body { color: red }\n" * 200)
    (tmp_path / "b.png").write_bytes(b"\x89PNG" + bytes(100))
    server, base = lighthouse.serve(tmp_path)
    try:
        asked = urllib.request.Request(base + "a.css", headers={"Accept-Encoding": "gzip, deflate"})
        with urllib.request.urlopen(asked) as r:
            assert r.headers["Content-Encoding"] == "gzip" and r.headers["Content-Type"] == "text/css"
            assert gzip.decompress(r.read()) == (tmp_path / "a.css").read_bytes()
        with urllib.request.urlopen(base + "a.css") as r:  # a client that does not accept gzip
            assert r.headers["Content-Encoding"] is None and len(r.read()) == 4000
        with urllib.request.urlopen(urllib.request.Request(base + "b.png", headers={"Accept-Encoding": "gzip"})) as r:
            assert r.headers["Content-Encoding"] is None and r.read().startswith(b"\x89PNG")
    finally:
        server.shutdown()
