"""The command line end to end: a real SQLite file, real documents, the installed entry points."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from click.testing import CliRunner

from kwatch.cli import cli

DATA = Path(__file__).resolve().parent / "data"
BAD = DATA / "ingest" / "bad"


def run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the real `kwatch` program in a child process, as a user would."""
    return subprocess.run([sys.executable, "-m", "kwatch", "--db", str(db), *args], capture_output=True, text=True, timeout=300)


def test_ingest_seeds_stores_five_documents_with_manifest_titles_and_dates(shared_dir, tmp_path):
    db = tmp_path / "x.db"
    first = run(db, "ingest", str(shared_dir / "corpus" / "seeds"))
    assert first.returncode == 0, first.stderr
    assert "5 new, 0 already present, 0 failed" in first.stdout
    docs = json.loads(run(db, "docs", "--json").stdout)
    manifest = [json.loads(line) for line in (shared_dir / "corpus" / "seeds" / "manifest.jsonl").read_text().splitlines()]
    def key(row):
        return tuple("" if v is None else v for v in row)

    assert sorted(((d["title"], d["published"], d["language"]) for d in docs), key=key) == sorted(
        ((m["title"], m["published"], m["language"]) for m in manifest), key=key
    )
    for doc in docs:
        assert {"id", "title", "source", "published", "language", "chars"} <= doc.keys()
        assert doc["chars"] > 0
    again = run(db, "ingest", str(shared_dir / "corpus" / "seeds"))
    assert again.returncode == 0
    assert "0 new, 5 already present, 0 failed" in again.stdout
    assert len(json.loads(run(db, "docs", "--json").stdout)) == 5


def test_bad_files_are_each_reported_the_good_one_is_stored_and_the_exit_status_is_1(tmp_path):
    db = tmp_path / "x.db"
    result = run(db, "ingest", "--no-extract", str(BAD))
    assert result.returncode == 1
    bad_names = {"empty.txt", "image.html", "invalid_utf8.txt", "random_bytes.txt", "result.json", "truncated.pdf"}
    reported = {line.split(":", 1)[0].rsplit("/", 1)[-1].split("#", 1)[0] for line in result.stderr.splitlines() if ": " in line}
    assert bad_names <= reported, result.stderr
    titles = {d["path"].rsplit("/", 1)[-1] for d in json.loads(run(db, "docs", "--json").stdout)}
    assert {"good.txt", "script.html"} <= titles
    assert not titles & bad_names
    errors = json.loads(run(db, "errors", "--json").stdout)
    assert {e["path"].rsplit("/", 1)[-1].split("#", 1)[0] for e in errors} >= bad_names
    # a second run neither loses nor duplicates what is stored
    assert run(db, "ingest", "--no-extract", str(BAD)).returncode == 1
    assert len(json.loads(run(db, "docs", "--json").stdout)) == len(titles)


def test_a_script_tag_in_html_never_reaches_the_stored_text(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "x.db")
    assert runner.invoke(cli, ["--db", db, "ingest", "--no-extract", str(BAD / "script.html")]).exit_code == 0
    docs = json.loads(runner.invoke(cli, ["--db", db, "docs", "--json"]).output)
    from kwatch.store import open_store

    with open_store(db) as store:
        text = store.get_document(docs[0]["id"]).text
    assert "alert(" not in text and "<script" not in text


def test_search_finds_a_document_by_a_word_of_its_text(shared_dir, tmp_path):
    db = tmp_path / "x.db"
    run(db, "ingest", "--no-extract", str(shared_dir / "corpus" / "seeds"))
    hits = json.loads(run(db, "search", "Crocus", "--json").stdout)
    assert hits and all("Crocus" in h["snippet"] or "crocus" in h["snippet"].lower() for h in hits[:1])
    assert json.loads(run(db, "search", 'AND ("unbalanced', "--json").stdout) == []


def test_ingest_a_url_served_by_a_local_server(tmp_path):
    page = (DATA / "ingest" / "html" / "crocus.html").read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            if self.path == "/report.html":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(page)
            else:
                self.send_response(404)
                self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        db = tmp_path / "x.db"
        ok = run(db, "ingest", "--no-extract", f"{base}/report.html")
        assert ok.returncode == 0, ok.stderr
        assert "1 new" in ok.stdout
        missing = run(db, "ingest", "--no-extract", f"{base}/missing.html")
        assert missing.returncode == 1
        assert "/missing.html: " in missing.stderr and "404" in missing.stderr
    finally:
        server.shutdown()
    docs = json.loads(run(db, "docs", "--json").stdout)
    assert docs[0]["url"].endswith("/report.html") or docs[0]["url"]


def test_errors_a_user_can_fix_are_one_line_and_debug_shows_the_traceback(tmp_path):
    bad_url = "postgresql://nobody@127.0.0.1:1/none"
    plain = subprocess.run([sys.executable, "-m", "kwatch", "--db", bad_url, "docs"], capture_output=True, text=True)
    assert plain.returncode == 1
    assert len(plain.stderr.strip().splitlines()) == 1 and plain.stderr.startswith("Error: ")
    assert "Traceback" not in plain.stderr
    debug = subprocess.run([sys.executable, "-m", "kwatch", "--debug", "--db", bad_url, "docs"], capture_output=True, text=True)
    assert "Traceback" in debug.stderr


def test_a_missing_path_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "ingest", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_console_script_and_module_are_the_same_program():
    script = shutil.which("kwatch", path=str(Path(sys.executable).parent))
    assert script, "the kwatch console script is not installed in this environment"
    by_script = subprocess.run([script, "--version"], capture_output=True, text=True)
    by_module = subprocess.run([sys.executable, "-m", "kwatch", "--version"], capture_output=True, text=True)
    assert by_script.stdout == by_module.stdout and "kwatch" in by_script.stdout


def test_sample_corpus_ingests_cleanly_and_summary_counts_it(tmp_path):
    db = tmp_path / "x.db"
    result = run(db, "ingest", "--sample")
    assert result.returncode == 0, result.stderr
    summary = json.loads(run(db, "summary", "--json").stdout)
    assert summary["documents"] >= 16
    assert {"text", "html", "rss", "pdf", "telegram"} <= set(summary["by_kind"])
    assert summary["ingest_errors"] == 0
    assert summary["events"] > 0
    human = run(db, "summary")
    assert "Documents:" in human.stdout and "Events:" in human.stdout
