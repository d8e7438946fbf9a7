"""The `kwatch` command: a thin layer over `kwatch.api`. It parses options, calls the library and
formats what comes back; errors a user can fix are one line with the fix (tracebacks with --debug)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from kwatch import __version__
from kwatch.errors import KwatchError

stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


class KwatchGroup(click.Group):
    """Turns a KwatchError into one line (exit 1) unless --debug asks for the traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KwatchError as error:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise click.ClickException(str(error)) from None


def _api(ctx: click.Context) -> Any:
    """Open the store lazily (so `kwatch --help` never touches it) and close it at the end."""
    obj = ctx.find_root().obj
    if obj.get("api") is None:
        import kwatch

        obj["api"] = kwatch.open(obj["db"])
        ctx.find_root().call_on_close(obj["api"].close)
    return obj["api"]


def _print_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


@click.group(cls=KwatchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="KWATCH_DB", metavar="PATH_OR_URL", help="Store: a SQLite file or a sqlite:/// or postgresql:// URL (env KWATCH_DB; default: kwatch.db in your data folder).")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(__version__, prog_name="kwatch")
@click.pass_context
def cli(ctx: click.Context, db: str | None, debug: bool) -> None:
    """Khorasan Watch: an evidence-linked dataset of ISKP attacks, raids, plots, arrests and
    propaganda releases, built from open-source reports."""
    ctx.obj = {"db": db, "debug": debug, "api": None}


@cli.command()
@click.argument("inputs", nargs=-1, metavar="PATH_OR_URL...")
@click.option("--sample", is_flag=True, help="Also ingest the bundled sample corpus.")
@click.option("--no-extract", is_flag=True, help="Store the documents without extracting events.")
@click.pass_context
def ingest(ctx: click.Context, inputs: tuple[str, ...], sample: bool, no_extract: bool) -> None:
    """Ingest files, folders (recursively) and URLs: text, HTML, PDF, RSS/Atom, Telegram exports.

    Each unreadable input is reported as `PATH: what is wrong` and recorded (see `kwatch errors`);
    the rest of the batch goes on. Exit status 1 when any input failed."""
    from kwatch.api import sample_corpus_path
    from kwatch.ingestion import IngestEvent, count_files

    paths = list(inputs) + ([str(sample_corpus_path())] if sample else [])
    if not paths:
        raise click.UsageError("Give at least one PATH or URL, or --sample.")
    for path in paths:
        if not path.startswith(("http://", "https://")) and not Path(path).exists():
            raise click.BadParameter(f"{path} does not exist.", param_hint="PATH_OR_URL")
    api = _api(ctx)
    live = stderr.is_terminal
    with _progress(live) as progress:
        task = progress.add_task("Ingesting", total=count_files(paths) if live else None)
        seen: set[str] = set()

        def on_item(event: IngestEvent) -> None:
            if event.outcome == "failed":
                progress.console.print(f"{event.path}: {event.detail}", markup=False, style="red" if live else None)
            file = event.path.split("#", 1)[0]
            if file not in seen:
                seen.add(file)
                progress.advance(task)

        report, _ = api.ingest(paths, extract=False, on_item=on_item)
        extracted = None
        if not no_extract:
            ids = api.store.documents_to_extract()
            task = progress.add_task("Extracting", total=len(ids))
            extracted = api.extract(on_document=lambda doc, n: progress.advance(task))
    line = f"Ingested: {report.new} new, {report.present} already present, {report.failed} failed"
    if report.near_duplicates:
        line += f" ({report.near_duplicates} near-duplicate{'s' if report.near_duplicates != 1 else ''} linked)"
    if extracted is not None:
        line += f"; extracted {extracted.events} events from {extracted.documents} documents"
        if extracted.skipped:
            line += f" ({extracted.skipped} skipped)"
    click.echo(line + ".")
    if report.failed:
        ctx.exit(1)


def _progress(live: bool) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        disable=not live,
        transient=True,
    )


@cli.command()
@click.option("--all", "redo", is_flag=True, help="Redo every document, not only new ones.")
@click.pass_context
def extract(ctx: click.Context, redo: bool) -> None:
    """Extract events from stored documents not yet processed."""
    api = _api(ctx)
    ids = api.store.documents_to_extract(redo=redo)
    with _progress(stderr.is_terminal) as progress:
        task = progress.add_task("Extracting", total=len(ids))
        report = api.extract(redo=redo, on_document=lambda doc, n: progress.advance(task))
    click.echo(f"Extracted {report.events} events from {report.documents} documents ({report.skipped} skipped).")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.option("--limit", type=int, default=None, help="Show at most this many.")
@click.pass_context
def docs(ctx: click.Context, as_json: bool, limit: int | None) -> None:
    """List the stored documents."""
    documents = _api(ctx).documents(limit=limit)
    if as_json:
        _print_json([_doc_json(d) for d in documents])
        return
    table = Table("id", "published", "lang", "kind", "source", "title", "chars", box=None)
    for d in documents:
        table.add_row(d.id[:12], d.published or "", d.language or "", d.kind, _clip(d.source, 28), _clip(d.title, 50), str(d.chars))
    stdout.print(table)
    click.echo(f"{len(documents)} documents.")


def _doc_json(d: Any) -> dict[str, Any]:
    return {
        "id": d.id,
        "title": d.title,
        "source": d.source,
        "published": d.published,
        "published_precision": d.published_precision,
        "language": d.language,
        "kind": d.kind,
        "chars": d.chars,
        "url": d.url,
        "path": d.path,
        "locator": d.locator,
        "duplicate_of": d.duplicate_of,
        "extract_status": d.extract_status,
        "extract_note": d.extract_note,
        "ingested_at": d.ingested_at.isoformat() if d.ingested_at else None,
    }


def _clip(text: str | None, width: int) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


@cli.command()
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.option("--limit", type=int, default=20, show_default=True)
@click.pass_context
def search(ctx: click.Context, query: str, as_json: bool, limit: int) -> None:
    """Full-text search over the stored documents."""
    hits = _api(ctx).search(query, limit=limit)
    if as_json:
        _print_json([{"id": h.document_id, "title": h.title, "source": h.source, "published": h.published, "snippet": h.snippet, "rank": h.rank} for h in hits])
        return
    for h in hits:
        stdout.print(f"[bold]{h.document_id[:12]}[/bold] {h.published or ''} {_clip(h.title, 70)}")
        stdout.print(f"    {_clip(h.snippet, 160)}", markup=False)
    click.echo(f"{len(hits)} matches.")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.pass_context
def errors(ctx: click.Context, as_json: bool) -> None:
    """List the inputs that could not be ingested, and why."""
    records = _api(ctx).errors()
    if as_json:
        _print_json([{"path": e.path, "reason": e.reason, "at": e.at.isoformat()} for e in records])
        return
    for e in records:
        click.echo(f"{e.at:%Y-%m-%d %H:%M} {e.path}: {e.reason}")
    click.echo(f"{len(records)} ingest errors.")


@cli.command()
@click.option("--type", "type_", type=click.Choice(["attack", "plot", "arrest", "raid", "propaganda"]), help="Only this type.")
@click.option("--since", metavar="DATE", help="Only events on or after DATE (YYYY[-MM[-DD]]).")
@click.option("--until", metavar="DATE", help="Only events on or before DATE.")
@click.option("--country", metavar="ISO2", help="Only events in this country (ISO 3166-1 alpha-2).")
@click.option("--limit", type=int, default=None)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of event records.")
@click.pass_context
def events(ctx: click.Context, type_: str | None, since: str | None, until: str | None, country: str | None, limit: int | None, as_json: bool) -> None:
    """List extracted events."""
    records = _api(ctx).events(type=type_, since=since, until=until, country=(country or None) and country.upper(), limit=limit)
    if as_json:
        _print_json(records)
        return
    table = Table("date", "type", "where", "actor", "method", "killed", "injured", "claimed", "sources", box=None)
    for r in records:
        where = ", ".join(x for x in (r.get("place"), r.get("admin2"), r.get("admin1"), r.get("country")) if x)
        claimed = "" if r.get("claimed") is None else ("yes" if r["claimed"] else "no")
        killed = "" if r.get("killed") is None else str(r["killed"])
        if r.get("killed_claimed") is not None:
            killed += f" (claimed {r['killed_claimed']})"
        table.add_row(r.get("date") or "", r["type"], _clip(where, 40), r.get("actor") or "", r.get("method") or r.get("medium") or "", killed, "" if r.get("injured") is None else str(r["injured"]), claimed, str(len(r["sources"])))
    stdout.print(table)
    click.echo(f"{len(records)} events.")


@cli.command()
@click.option("--format", "fmt", default="jsonl", show_default=True, help="Export format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write here instead of standard output.")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: str | None) -> None:
    """Export events (jsonl: one FORMAT.md record per line)."""
    api = _api(ctx)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fp:
            count = api.export(fmt, fp)
        click.echo(f"Wrote {count} events to {output}.", err=True)
    else:
        api.export(fmt, sys.stdout)


@cli.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--corpus", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path), help="Folder of the documents the gold file annotates.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def eval_command(gold: Path, corpus: Path, as_json: bool) -> None:
    """Score extraction against a gold file: ingest CORPUS into a temporary store, extract, and
    compare with GOLD by the rules of FORMAT.md (per-field precision, recall and F1)."""
    from kwatch.api import evaluate_corpus, report_dict

    data = report_dict(evaluate_corpus(gold, corpus))
    if as_json:
        _print_json(data)
        return
    ev = data["events"]
    click.echo(f"events  P {ev['precision']:.3f}  R {ev['recall']:.3f}  F1 {ev['f1']:.3f}   (tp {ev['tp']}, fp {ev['fp']}, fn {ev['fn']})")
    table = Table("field", "P", "R", "F1", "tp", "fp", "fn", box=None)
    for name, c in [*data["fields"].items(), ("fields (micro)", data["fields_micro"])]:
        table.add_row(name, f"{c['precision']:.3f}", f"{c['recall']:.3f}", f"{c['f1']:.3f}", str(c["tp"]), str(c["fp"]), str(c["fn"]))
    stdout.print(table)
    if data["missed"]:
        click.echo("missed gold events: " + ", ".join(str(m) for m in data["missed"]))
    for p in data["spurious"]:
        click.echo(f"spurious: {p['type']} {p['date'] or '?'} in {', '.join(p['docs'])}")
    if data["quotes"] is not None:
        click.echo(f"evidence: {data['quotes_found']}/{data['quotes']} quotes found verbatim")
    click.echo(f"score: {data['score']:.3f}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def summary(ctx: click.Context, as_json: bool) -> None:
    """Summarise the store: documents by kind and language, events by type."""
    data = _api(ctx).summary()
    if as_json:
        _print_json(data)
        return
    stdout.print(f"[bold]Khorasan Watch[/bold] — {data['store']}")
    rng = data["published_range"]
    stdout.print(f"Documents: {data['documents']}" + (f" published {rng[0]} … {rng[1]}" if rng else ""))
    stdout.print("  by kind: " + ", ".join(f"{k} {v}" for k, v in data["by_kind"].items()))
    stdout.print("  by language: " + ", ".join(f"{k} {v}" for k, v in data["by_language"].items()))
    stdout.print(f"  near-duplicates linked: {data['near_duplicates']}; skipped by extraction: {data['skipped']}; ingest errors: {data['ingest_errors']}")
    stdout.print(f"Events: {data['events']}" + (" — " + ", ".join(f"{k} {v}" for k, v in data["events_by_type"].items()) if data["events_by_type"] else ""))


def main() -> None:
    cli(prog_name="kwatch")


if __name__ == "__main__":
    main()
