"""manage.py export_claims: the same exports from the command line, provenance beside or inside the file."""

import io
import json
import os
import stat
import sys
import threading

import pytest
from django.core.management import CommandError, call_command

from tests.exports.util import body_before_last_line, run, sha

pytestmark = pytest.mark.django_db


def export(*args, **kwargs) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_claims", *args, stdout=out, stderr=err, **kwargs)
    return out.getvalue(), err.getvalue()


def test_csv_to_a_file_with_a_provenance_sidecar(sample, tmp_path):
    path = tmp_path / "claims.csv"
    _, err = export("--format", "csv", "--status", "verified", "--status", "refuted", "-o", str(path))
    data = path.read_bytes()
    provenance = json.loads((tmp_path / "claims.csv.provenance.json").read_text())["provenance"]
    assert provenance["sha256"] == sha(data)
    assert provenance["rows"] == 2
    assert provenance["filter"] == {"status": ["refuted", "verified"]}
    assert provenance["generated_by"]["via"] == "command"
    assert data == run("csv", status=["verified", "refuted"])[0]
    assert f"wrote 2 claims to {path}" in err
    assert not (tmp_path / "claims.csv.partial").exists()


def test_json_to_a_file_carries_its_provenance_inside(sample, tmp_path, editor):
    path = tmp_path / "claims.json"
    export("--format", "json", "--source", "Kyiv Post", "--user", "editor", "-o", str(path))
    data = path.read_bytes()
    provenance = json.loads(data)["provenance"]
    assert provenance["sha256"] == sha(body_before_last_line(data))
    assert provenance["generated_by"] == {"username": "editor", "via": "command"}
    assert not (tmp_path / "claims.json.provenance.json").exists()


def test_stdout_by_default_with_provenance_on_stderr(sample):
    out, err = export("--format", "markdown", "--article", str(sample.article.pk))
    assert out.encode() == run("markdown", article=str(sample.article.pk))[0]
    assert err.startswith("provenance: ")
    provenance = json.loads(err.removeprefix("provenance: "))["provenance"]
    assert provenance["sha256"] == sha(out.encode())
    assert "%|" not in err  # no progress bar: stderr is not a terminal here


def test_all_filter_options(sample):
    out, _ = export(
        "--format",
        "jsonl",
        "--article",
        str(sample.article.pk),
        "--band",
        "high",
        "--hedge",
        "none",
        "--from",
        "2024-11-01",
        "--to",
        "2024-11-30",
        "--search",
        "airport",
        "--decided",
    )
    lines = out.splitlines()
    assert json.loads(lines[-1])["provenance"]["rows"] == 1
    assert json.loads(lines[0])["id"] == sample.claims["hts"].pk
    out, _ = export("--format", "jsonl", "--tag", "citation_needed")
    assert json.loads(out.splitlines()[0])["id"] == sample.claims["sdf"].pk


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--status", "bogus"], "--status: 'bogus' is not one of"),
        (["--band", "abc"], "--band: 'abc' is not one of none, low, medium, high"),
        (["--from", "2024-13-01"], "--from: '2024-13-01' is not a date"),
        (["--search", "x" * 300], "--search: search text is longer than 200 characters"),
        (["--article", "12ab"], "--article: '12ab' is not a whole number"),
        (["--user", "ghost"], "--user: no user named 'ghost'"),
    ],
)
def test_bad_options_are_command_errors(sample, args, message):
    with pytest.raises(CommandError) as err:
        export("--format", "csv", *args)
    assert message in str(err.value)


def test_unknown_format_is_a_command_error(sample):
    with pytest.raises(CommandError, match="invalid choice: 'xlsx'"):
        export("--format", "xlsx")


def test_unwritable_output_is_a_command_error(sample, tmp_path):
    with pytest.raises(CommandError, match="No such file or directory"):
        export("--format", "csv", "-o", str(tmp_path / "missing" / "claims.csv"))


def test_a_pipe_or_device_is_written_in_place_never_replaced(sample, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    export("--format", "csv", "-o", str(fifo))
    reader.join(timeout=10)
    assert received[0] == run("csv")[0]
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still the pipe, not a file renamed over it


def test_progress_bar_on_a_terminal(sample, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    export("--format", "jsonl")
    assert "/5 [" in terminal.getvalue() and "claim/s" in terminal.getvalue()  # a bar over the 5 claims
