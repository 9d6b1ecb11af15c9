"""The CLI's failure modes: coded messages and exit status 2, never a traceback."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args, cwd):
    return subprocess.run([sys.executable, "-c", "from newsledger.cli import main; main()", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


def test_unwritable_output_is_a_coded_error(tmp_path):
    out = tmp_path / "missing-folder" / "x.txt"
    r = _run("digest", "--input", str(ROOT / "examples" / "cn_digest.txt"), "--script", "simp", "--out", str(out),
             cwd=tmp_path)
    assert r.returncode == 2
    assert "[E104]" in r.stderr and str(out) in r.stderr and "Traceback" not in r.stderr


def test_reading_commands_refuse_a_missing_ledger(tmp_path):
    db = tmp_path / "typo.db"
    for args in (["search", "数据"], ["stats"], ["export", "--what", "figures"]):
        r = _run(*args, "--db", str(db), cwd=tmp_path)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert "[E404]" in r.stderr and "no ledger at" in r.stderr
    assert not db.exists()  # nothing was created
