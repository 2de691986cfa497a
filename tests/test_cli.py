"""The command line as a user runs it: real subprocesses, one-line errors, exit codes."""
import os
import subprocess
import sys

import pytest


def rnnkit(*args, cwd=None):
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-m", "rnnkit", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=300)


def assert_one_line_error(r, *fragments):
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rnnkit: error:"), r.stderr
    for f in fragments:
        assert f in lines[0]


@pytest.fixture(scope="module")
def trained(tmp_path_factory, mirror):
    out = tmp_path_factory.mktemp("run")
    r = rnnkit("train", "--data", "tinyshakespeare", "--preset", "smoke", "--out", str(out), "--quiet",
               "--max-steps", "20", "--eval-every", "10")
    assert r.returncode == 0, r.stderr
    return out, r.stdout


def test_train_reports_and_writes_checkpoints_named_by_val_loss(trained):
    out, stdout = trained
    assert "vocabulary 65" in stdout and "best val" in stdout
    names = [p.name for p in out.glob("*.pt")]
    assert names and all("_val" in n for n in names)


def test_sample_starts_with_prime_and_is_reproducible(trained):
    out, _ = trained
    a = rnnkit("sample", str(out), "--prime", "ROMEO:", "--length", "80", "--seed", "7", "--temperature", "0.8")
    b = rnnkit("sample", str(out), "--prime", "ROMEO:", "--length", "80", "--seed", "7", "--temperature", "0.8")
    assert a.returncode == 0, a.stderr
    assert a.stdout.startswith("ROMEO:") and a.stdout == b.stdout
    assert len(a.stdout.rstrip("\n")) == len("ROMEO:") + 80


def test_sample_from_a_prime_file_and_argmax(trained, tmp_path):
    out, _ = trained
    prime = tmp_path / "prime.txt"
    prime.write_text("KING:\nWhat")
    r = rnnkit("sample", str(out), "--prime-file", str(prime), "--length", "30", "--argmax", "-n", "2")
    assert r.returncode == 0, r.stderr
    first, second = r.stdout.split("KING:\nWhat")[1:]
    assert first.strip() == second.strip()  # argmax ignores the seed: both samples agree


def test_top_p_from_the_command_line(trained, capsys):
    from rnnkit.cli import main  # in this process: a subprocess per call costs seconds of imports
    out, _ = trained
    assert main(["sample", str(out), "--prime", "ROMEO:", "--length", "40", "--argmax"]) == 0
    greedy = capsys.readouterr().out
    assert main(["sample", str(out), "--prime", "ROMEO:", "--length", "40", "--top-p", "1e-6", "--seed", "3"]) == 0
    assert capsys.readouterr().out == greedy and greedy.startswith("ROMEO:")
    assert main(["sample", str(out), "--top-p", "1.5"]) == 2
    assert capsys.readouterr().err.startswith("rnnkit: error: top_p")


def test_unknown_prime_character_is_one_clear_line(trained):
    out, _ = trained
    assert_one_line_error(rnnkit("sample", str(out), "--prime", "ROMEO€"), "prime text", "'€'")


def test_bad_inputs_are_one_clear_line(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert_one_line_error(rnnkit("train", "--data", str(empty), "--preset", "smoke", "--out", str(tmp_path / "o")),
                          "empty")
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 10)
    assert_one_line_error(rnnkit("train", "--data", str(binary), "--preset", "smoke", "--out", str(tmp_path / "o")))
    tiny = tmp_path / "tiny.txt"
    tiny.write_text("abc\n")
    assert_one_line_error(rnnkit("train", "--data", str(tiny), "--preset", "smoke", "--out", str(tmp_path / "o")),
                          "too small")
    assert_one_line_error(rnnkit("train", "--data", "no-such-corpus", "--preset", "smoke", "--out", str(tmp_path)),
                          "no-such-corpus")
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"\x00" * 100)
    assert_one_line_error(rnnkit("sample", str(bad)), "corrupt")
    assert_one_line_error(rnnkit("sample", str(tmp_path / "none.pt")), "no checkpoint")


def test_datasets_lists_every_corpus_with_licence():
    r = rnnkit("datasets")
    assert r.returncode == 0, r.stderr
    for name in ("tinyshakespeare", "warpeace", "paulgraham", "wikipedia", "latex", "linux", "names"):
        assert name in r.stdout
    assert "GPL" in r.stdout and "cached" in r.stdout


def test_every_config_field_has_one_train_flag_with_help():
    import argparse
    import dataclasses

    from rnnkit.cli import build_parser
    from rnnkit.presets import Config

    train = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)).choices["train"]
    by_dest = {}
    for action in train._actions:
        by_dest.setdefault(action.dest, []).append(action)
    for f in dataclasses.fields(Config):
        assert len(by_dest.get(f.name, [])) == 1, f"Config.{f.name} has no single train flag"
        assert by_dest[f.name][0].help, f"--{f.name} has no help"
    # char-rnn's spellings, with the field names as aliases
    a = train.parse_args(["--rnn-size", "64", "--num-layers", "3", "--seq-length", "40", "--learning-rate", "0.01",
                          "--model", "gru", "--preset", "smoke", "--split", "0.8", "0.1", "0.1", "--lr-decay", "0.5"])
    assert (a.hidden, a.n_layers, a.seq_len, a.lr, a.cell, a.scale) == (64, 3, 40, 0.01, "gru", "smoke")
    assert a.split == [0.8, 0.1, 0.1] and a.lr_decay == 0.5 and a.dropout is None
    assert train.parse_args(["--hidden", "8", "--cell", "rnn"]).hidden == 8


def test_the_core_does_not_import_plotting_or_widgets():
    code = ("import sys, rnnkit.cli, rnnkit.train, rnnkit.sample, rnnkit.checkpoint, rnnkit.data; "
            "rnnkit.cli.build_parser(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'ipywidgets', 'IPython')))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_export_verb(trained, tmp_path, capsys):
    from rnnkit.cli import main
    out, _ = trained
    assert main(["export", str(out), str(tmp_path / "model.js"), "--quant", "float16"]) == 0
    assert (tmp_path / "model.js").stat().st_size > 0 and "model.js" in capsys.readouterr().out
    with pytest.raises(SystemExit) as e:
        main(["export", str(out), str(tmp_path / "m.js"), "--quant", "int4"])
    err = capsys.readouterr().err.strip().splitlines()
    assert e.value.code == 2 and len(err) == 1 and err[0].startswith("rnnkit: error:") and "--quant" in err[0]
    assert main(["export", str(tmp_path / "none.pt"), str(tmp_path / "m.js")]) == 2
    assert "no such file" in capsys.readouterr().err
