"""The command line as a user runs it, and as a user throws things at it: every failure is
one line and exit 2, Ctrl-C is exit 130 and SIGTERM saves a checkpoint that --resume
continues (real subprocesses there; `main()` in this process where a subprocess per call
would cost seconds of imports)."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rnnkit import checkpoint, presets
from rnnkit.cli import main
from rnnkit.train import Trainer


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
    from rnnkit.config import Config

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
    out, _ = trained
    assert main(["export", str(out), str(tmp_path / "model.js"), "--quant", "float16"]) == 0
    assert (tmp_path / "model.js").stat().st_size > 0 and "model.js" in capsys.readouterr().out
    with pytest.raises(SystemExit) as e:
        main(["export", str(out), str(tmp_path / "m.js"), "--quant", "int4"])
    err = capsys.readouterr().err.strip().splitlines()
    assert e.value.code == 2 and len(err) == 1 and err[0].startswith("rnnkit: error:") and "--quant" in err[0]
    assert main(["export", str(tmp_path / "none.pt"), str(tmp_path / "m.js")]) == 2
    assert "no such file" in capsys.readouterr().err


# -- what a user throws at it ------------------------------------------------------------------
@pytest.fixture(scope="module")
def ckpt(shakespeare_file, tmp_path_factory):
    cfg = presets.get("tinyshakespeare", "smoke", data=str(shakespeare_file), max_steps=4, eval_every=2,
                      eval_batches=1, hidden=16)
    t = Trainer(cfg, out_dir=tmp_path_factory.mktemp("run"), device="cpu")
    t.fit(progress=False)
    return t.latest_path


def one_line_error(capsys, argv, *fragments):
    try:
        code = main(argv)
    except SystemExit as e:  # argparse's own errors exit from inside parse_args
        code = e.code
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2, err
    assert len(err) == 1 and err[0].startswith("rnnkit: error: "), err
    for f in fragments:
        assert f in err[0], err[0]
    return err[0]


def test_train_options_out_of_range(capsys, shakespeare_file, tmp_path):
    base = ["train", "--data", str(shakespeare_file), "--preset", "smoke", "--out", str(tmp_path / "o"), "--quiet"]
    for flags, fragment in [(["--seq-length", "0"], "seq_len"), (["--batch-size", "0"], "batch_size"),
                            (["--eval-every", "-5"], "eval_every"), (["--embed", "-1"], "embed"),
                            (["--max-steps", "0"], "nothing would be trained"),
                            (["--rnn-size", "many"], "--rnn-size"), (["--bogus"], "--bogus"),
                            (["--split", "0.5", "0.2", "0.2"], "split must be three fractions"),
                            (["--model", "transformer"], "--model")]:
        one_line_error(capsys, base + flags, fragment)
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").glob("*.pt"))


def test_sample_options_out_of_range(capsys, ckpt):
    for flags, fragment in [(["--temperature", "nan"], "temperature"), (["--top-k", "0"], "top_k"),
                            (["--temperature", "inf", "--top-k", "3"], "temperature"),
                            (["-n", "0"], "number of samples"), (["--top-p", "0"], "top_p"),
                            (["-n", "2", "--length", str(10 ** 15)], "GB of memory"),
                            (["-n", str(10 ** 12)], "GB of memory")]:
        one_line_error(capsys, ["sample", str(ckpt), *flags], fragment)


def test_missing_paths_say_no_such_file(capsys, tmp_path):
    one_line_error(capsys, ["train", "--data", str(tmp_path / "nope.txt"), "--out", str(tmp_path)], "no such file")
    one_line_error(capsys, ["train", "--data", "corpora/nope.txt", "--out", str(tmp_path)], "no such file")
    one_line_error(capsys, ["sample", str(tmp_path / "nope.pt")], "no such file")
    one_line_error(capsys, ["sample", str(tmp_path), "--prime-file", str(tmp_path / "p.txt")], "no such file")


def test_a_vocabulary_smaller_than_the_output_layer(capsys, ckpt, tmp_path):
    c = checkpoint.load(ckpt)
    c["vocab"] = {**c["vocab"], "chars": c["vocab"]["chars"][:-1]}
    bad = checkpoint.save(tmp_path / "short.pt", c)
    one_line_error(capsys, ["sample", str(bad)], "output layer")
    one_line_error(capsys, ["train", "--resume", str(bad), "--max-steps", "9"], "vocabulary differs")


def test_utf16_is_read_with_its_encoding_and_named_without(capsys, tmp_path):
    path = tmp_path / "wide.txt"
    path.write_text("hello wide world, é and ü\n" * 400, encoding="utf-16")
    out = tmp_path / "o"
    one_line_error(capsys, ["train", "--data", str(path), "--preset", "smoke", "--out", str(out)], "UTF-16",
                   "--encoding utf-16")
    code = main(["train", "--data", str(path), "--encoding", "utf-16", "--preset", "smoke", "--out", str(out),
                 "--quiet", "--max-steps", "2", "--eval-every", "2", "--rnn-size", "8"])
    assert code == 0, capsys.readouterr().err
    model, vocab, _ = checkpoint.load_model(out)
    assert set(vocab.chars) == set("hello wide world, é and ü\n")


def test_resume_rules_from_the_command_line(capsys, ckpt, shakespeare_file, tmp_path):
    one_line_error(capsys, ["train", "--resume", str(ckpt), "--rnn-size", "64"], "cannot change hidden")
    one_line_error(capsys, ["train", "--resume", str(ckpt), "--preset", "cpu"], "--preset")
    one_line_error(capsys, ["train", "--resume", str(ckpt)], "nothing to train")
    other = tmp_path / "other.txt"
    other.write_text(shakespeare_file.read_text().upper())
    one_line_error(capsys, ["train", "--resume", str(ckpt), "--data", str(other), "--max-steps", "9"],
                   "vocabulary differs")
    code = main(["train", "--resume", str(ckpt), "--data", str(shakespeare_file), "--out", str(tmp_path / "r"),
                 "--quiet", "--max-steps", "6", "--learning-rate", "1e-3"])
    assert code == 0 and "resuming at step 4" in capsys.readouterr().out
    assert checkpoint.load(tmp_path / "r")["step"] == 6


def _as_in_a_terminal():
    # Ctrl-C reaches a command typed in a terminal; a shell's background job (the test run
    # started with `&` or nohup) starts with SIGINT ignored, and its children would inherit that
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def rnnkit_process(*args, cwd=None):
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    return subprocess.Popen([sys.executable, "-m", "rnnkit", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=cwd, preexec_fn=_as_in_a_terminal)


def test_sigterm_saves_a_checkpoint_that_resume_continues(shakespeare_file, tmp_path):
    out = tmp_path / "run"
    p = rnnkit_process("train", "--data", str(shakespeare_file), "--preset", "smoke", "--out", str(out), "--quiet",
                       "--max-steps", "100000", "--eval-every", "5", "--eval-batches", "1", "--rnn-size", "16")
    deadline = time.time() + 240
    while not list(out.glob("*_val*.pt")) and p.poll() is None and time.time() < deadline:
        time.sleep(0.2)
    p.send_signal(signal.SIGTERM)
    stdout, stderr = p.communicate(timeout=120)
    assert p.returncode == 143, stderr
    assert "Traceback" not in stderr
    line = stderr.strip().splitlines()[-1]
    assert "interrupted (SIGTERM)" in line and "python -m rnnkit train --resume" in line
    saved = next(out.glob("interrupted_lstm1x16_step*.pt"))
    assert str(saved) in line
    step = checkpoint.load(saved)["step"]
    assert step >= 5
    r = rnnkit_process("train", "--resume", str(saved), "--max-steps", str(step + 3), "--quiet")
    stdout, stderr = r.communicate(timeout=240)
    assert r.returncode == 0, stderr
    assert f"resuming at step {step}" in stdout and f"step {step + 3}:" in stdout


def test_ctrl_c_during_start_up_and_during_sampling(ckpt, tmp_path):
    fifo = tmp_path / "prime"
    os.mkfifo(fifo)
    cmd = ("sample", str(ckpt), "--prime-file", str(fifo), "--length", str(10 ** 7))
    starting = rnnkit_process(*cmd)  # imports torch, then waits for the prime: start-up
    sampling = None
    try:
        maps, deadline = Path(f"/proc/{starting.pid}/maps"), time.time() + 120
        while starting.poll() is None and time.time() < deadline and "libtorch" not in maps.read_text():
            time.sleep(0.05)  # past Python's own start-up, into rnnkit's
        starting.send_signal(signal.SIGINT)
        sampling = rnnkit_process(*cmd)
        with open(fifo, "w") as f:  # returns once that process has opened the prime file
            f.write("ROMEO")
        time.sleep(1.5)  # model loaded, 10 million characters under way
        sampling.send_signal(signal.SIGINT)
        results = [(p, p.communicate(timeout=120)[1]) for p in (starting, sampling)]
    finally:  # a timed-out test must not leave a 10-million-character sampler running
        for p in (starting, sampling):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait()
    for p, stderr in results:
        assert p.returncode == 130 and stderr.strip() == "rnnkit: interrupted", stderr
