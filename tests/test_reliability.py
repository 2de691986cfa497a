"""What a user can throw at the command line: every failure is one line and exit 2, Ctrl-C is
exit 130 and SIGTERM saves a checkpoint that --resume continues (real subprocesses there)."""
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


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, mirror):
    folder = tmp_path_factory.mktemp("corpus")
    path = folder / "shakespeare.txt"
    path.write_text((mirror / "tinyshakespeare" / "input.txt").read_text()[:20000])
    return path


@pytest.fixture(scope="module")
def ckpt(corpus, tmp_path_factory):
    cfg = presets.get("tinyshakespeare", "smoke").replace(data=str(corpus), max_steps=4, eval_every=2,
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


def test_train_options_out_of_range(capsys, corpus, tmp_path):
    base = ["train", "--data", str(corpus), "--preset", "smoke", "--out", str(tmp_path / "o"), "--quiet"]
    for flags, fragment in [(["--seq-length", "0"], "seq_len"), (["--batch-size", "0"], "batch_size"),
                            (["--eval-every", "-5"], "eval_every"), (["--embed", "-1"], "embed"),
                            (["--max-steps", "0"], "nothing would be trained"),
                            (["--rnn-size", "many"], "--rnn-size"), (["--bogus"], "--bogus")]:
        one_line_error(capsys, base + flags, fragment)
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").glob("*.pt"))


def test_sample_options_out_of_range(capsys, ckpt):
    for flags, fragment in [(["--temperature", "nan"], "temperature"), (["--top-k", "0"], "top_k"),
                            (["--temperature", "inf", "--top-k", "3"], "temperature"),
                            (["-n", "0"], "number of samples"), (["--top-p", "0"], "top_p"),
                            (["--length", str(10 ** 15)], "GB of memory"),
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


def test_resume_rules_from_the_command_line(capsys, ckpt, corpus, tmp_path):
    one_line_error(capsys, ["train", "--resume", str(ckpt), "--rnn-size", "64"], "cannot change hidden")
    one_line_error(capsys, ["train", "--resume", str(ckpt), "--preset", "cpu"], "--preset")
    one_line_error(capsys, ["train", "--resume", str(ckpt)], "nothing to train")
    other = tmp_path / "other.txt"
    other.write_text(corpus.read_text().upper())
    one_line_error(capsys, ["train", "--resume", str(ckpt), "--data", str(other), "--max-steps", "9"],
                   "vocabulary differs")
    code = main(["train", "--resume", str(ckpt), "--data", str(corpus), "--out", str(tmp_path / "r"), "--quiet",
                 "--max-steps", "6", "--learning-rate", "1e-3"])
    assert code == 0 and "resuming at step 4" in capsys.readouterr().out
    assert checkpoint.load(tmp_path / "r")["step"] == 6


def rnnkit_process(*args, cwd=None):
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    return subprocess.Popen([sys.executable, "-m", "rnnkit", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)


def test_sigterm_saves_a_checkpoint_that_resume_continues(corpus, tmp_path):
    out = tmp_path / "run"
    p = rnnkit_process("train", "--data", str(corpus), "--preset", "smoke", "--out", str(out), "--quiet",
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
    saved = next(out.glob("interrupted_step*.pt"))
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
    maps, deadline = Path(f"/proc/{starting.pid}/maps"), time.time() + 120
    while starting.poll() is None and time.time() < deadline and "libtorch" not in maps.read_text():
        time.sleep(0.05)  # past Python's own start-up, into rnnkit's
    starting.send_signal(signal.SIGINT)
    sampling = rnnkit_process(*cmd)
    with open(fifo, "w") as f:  # returns once that process has opened the prime file
        f.write("ROMEO")
    time.sleep(1.5)  # model loaded, 10 million characters under way
    sampling.send_signal(signal.SIGINT)
    for p in (starting, sampling):
        _, stderr = p.communicate(timeout=120)
        assert p.returncode == 130 and stderr.strip() == "rnnkit: interrupted", stderr
