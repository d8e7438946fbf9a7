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
from kwatch.export import FORMATS as EXPORT_FORMATS

stdout = Console(highlight=False, soft_wrap=True)
if not stdout.is_terminal:  # piped into a file or another program: do not wrap tables at 80 columns
    stdout = Console(highlight=False, soft_wrap=True, width=200)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


class BadUsage(click.ClickException):
    """A bad argument, told in one line (not click's usage block) with exit status 2."""

    exit_code = 2


class DateType(click.ParamType[str | None]):
    """A calendar date as every view filters by (`kwatch.query.check_date`); a bad one is a
    one-line error with exit status 2."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from kwatch.query import check_date

        try:
            return check_date(f"--{param.name}" if param is not None and param.name else "date", value)
        except KwatchError as error:
            raise BadUsage(str(error)) from None


DATE = DateType()


class KwatchGroup(click.Group):
    """Turns a KwatchError into one line (exit 1; a QueryError exit 2) unless --debug asks for
    the traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KwatchError as error:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            from kwatch.errors import QueryError

            # A filter or query that cannot be answered is bad usage: exit status 2, as click's own.
            raise (BadUsage if isinstance(error, QueryError) else click.ClickException)(str(error)) from None


def _api(ctx: click.Context, *, create: bool = False) -> Any:
    """Open the store lazily (so `kwatch --help` never touches it) and close it at the end. Only
    the commands that put data in (`ingest`, `token create`) create a store that does not exist;
    every other one says it does not exist and how to create it."""
    obj = ctx.find_root().obj
    if obj.get("api") is None:
        import kwatch

        obj["api"] = kwatch.open(obj["db"], create=create)
        ctx.find_root().call_on_close(obj["api"].close)
    return obj["api"]


def _print_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def _note_if_stale(api: Any) -> None:
    """One line on stderr (never stdout: JSON output stays clean) when the events shown are from a
    resolution older than the extracted events; reads never resolve."""
    status = api.resolution_status()
    if status.current:
        return
    if status.resolved_at is None:
        line = f"Note: no resolution yet, so {status.unresolved_events} extracted events are not shown."
    else:
        line = f"Note: events are from the resolution of {status.resolved_at:%Y-%m-%d %H:%M} UTC; documents were extracted since."
    if status.unfinished_since is not None:
        line += f" A resolution started {status.unfinished_since:%Y-%m-%d %H:%M} has not finished (it goes on elsewhere, or was interrupted)."
    click.echo(line + " Run `kwatch resolve`.", err=True)


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
    the rest of the batch goes on. Then extract, as `kwatch extract` does. Exit status 1 when any
    input or any document's extraction failed."""
    from kwatch.api import sample_corpus_path
    from kwatch.ingest.batch import IngestEvent, count_files, is_url

    paths = list(inputs) + ([str(sample_corpus_path())] if sample else [])
    if not paths:
        raise click.UsageError("Give at least one PATH or URL, or --sample.")
    for path in paths:
        if not is_url(path) and not Path(path).exists():
            raise BadUsage(f"{path} does not exist. Hint: give a file, a folder or an http(s) URL")
    api = _api(ctx, create=True)
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
            task = progress.add_task("Extracting", total=None)
            extracted = api.extract(on_start=lambda plan: _extract_started(progress, task, plan), on_document=lambda doc, n: progress.advance(task))
    line = f"Ingested: {report.new} new, {report.present} already present, {report.failed} failed"
    if report.near_duplicates:
        line += f" ({report.near_duplicates} near-duplicate{'s' if report.near_duplicates != 1 else ''} linked)"
    if extracted is not None:
        line += f"; extracted {extracted.events} events from {extracted.documents} documents"
        if extracted.skipped or extracted.failed:
            line += " (" + ", ".join(f"{n} {what}" for n, what in ((extracted.skipped, "skipped"), (extracted.failed, "failed")) if n) + ")"
        _print_failures(extracted)
    click.echo(line + ".")
    if report.failed or (extracted is not None and extracted.failed):
        ctx.exit(1)


def _extract_started(progress: Progress, task: Any, plan: Any) -> None:
    """Size the progress bar; say which interrupted run this one finishes (`ExtractPlan`)."""
    progress.update(task, total=len(plan.ids))
    if plan.resumed is not None:
        started = plan.resumed["started_at"]
        progress.console.print(
            f"Resuming extraction run {plan.resumed['id']} (started {started:%Y-%m-%d %H:%M:%S}): {len(plan.ids)} documents left.",
            markup=False,
        )


def _print_failures(report: Any) -> None:
    for f in report.failures:
        click.echo(f"{f.name}: extraction failed in stage {f.stage}: {f.reason}", err=True)


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
@click.option("--all", "redo", is_flag=True, help="Redo every document, not only new ones (failed ones included).")
@click.option("--retry", is_flag=True, help="Also try again the documents whose extraction failed.")
@click.pass_context
def extract(ctx: click.Context, redo: bool, retry: bool) -> None:
    """Extract events from stored documents not yet processed.

    A document whose extraction fails is reported as `NAME: extraction failed in stage X: why`,
    marked failed (see `kwatch errors`) and keeps its earlier events; the rest goes on. It is not
    tried again unless --retry (or --all) asks. A run that was interrupted (see `kwatch runs`) is
    finished by the next one. Exit status 1 when any document failed."""
    if redo and retry:
        raise click.UsageError("--all already retries the failed documents: give --all or --retry.")
    api = _api(ctx)
    with _progress(stderr.is_terminal) as progress:
        task = progress.add_task("Extracting", total=None)
        report = api.extract(
            redo=redo, retry=retry, on_start=lambda plan: _extract_started(progress, task, plan), on_document=lambda doc, n: progress.advance(task)
        )
    _print_failures(report)
    click.echo(f"Extracted {report.events} events from {report.documents} documents ({report.skipped} skipped, {report.failed} failed).")
    if report.failed:
        ctx.exit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Show at most this many, newest first.")
@click.pass_context
def runs(ctx: click.Context, as_json: bool, limit: int) -> None:
    """List the extraction and resolution runs, newest first: scope, when, how many documents,
    how many failed, the pipeline version. An unfinished run is running, or was interrupted (the
    next `kwatch extract` finishes its job)."""
    records = _api(ctx).runs(limit=limit)
    if as_json:
        _print_json(records)
        return
    table = Table("id", "kind", "scope", "started", "finished", "documents", "failed", "pipeline", "note", box=None)
    for r in records:
        finished = f"{r['finished_at']:%Y-%m-%d %H:%M:%S}" if r["finished_at"] else "interrupted/running"
        table.add_row(str(r["id"]), r["kind"], r["scope"], f"{r['started_at']:%Y-%m-%d %H:%M:%S}", finished, str(r["documents"]), str(r["failed"]), r["pipeline_version"], r["note"] or "")
    stdout.print(table)
    click.echo(f"{len(records)} runs.")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most this many.")
@click.pass_context
def docs(ctx: click.Context, as_json: bool, limit: int | None) -> None:
    """List the stored documents, oldest first: id, publication date, language, kind, source,
    title (a Telegram post's is its first words), length, and the extraction status: ok,
    skipped (not a report of an event; `--json` says why), failed (`kwatch errors`), or
    pending (not extracted yet: `kwatch extract`)."""
    documents = _api(ctx).documents(limit=limit)
    if as_json:
        _print_json([d.record() for d in documents])
        return
    table = Table("id", "published", "lang", "kind", "source", "title", "chars", "extraction", box=None)
    for d in documents:
        title = d.title or ""
        if d.source and title.startswith(d.source + ": "):  # a post's title: the source column has the channel
            title = title[len(d.source) + 2 :]
        table.add_row(d.id[:12], d.published or "", d.language or "", d.kind, _clip(d.source, 28), _clip(title, 50), str(d.chars), d.extract_status or "pending")
    stdout.print(table)
    click.echo(f"{_count(len(documents), 'document')}.")


def _where(record: dict[str, Any]) -> str:
    """Place, district, province, country, each named once; for a release its outlet and languages."""
    if record["type"] == "propaganda":
        return " · ".join(x for x in (record.get("outlet"), ",".join(record.get("languages") or [])) if x)
    names: list[str] = []
    for name in (record.get("place"), record.get("admin2"), record.get("admin1"), record.get("country")):
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return ", ".join(names)


def _clip(text: str | None, width: int) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("words", nargs=-1, required=True, metavar="QUERY...")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Show at most this many, best first.")
@click.pass_context
def search(ctx: click.Context, words: tuple[str, ...], as_json: bool, limit: int) -> None:
    """Full-text search over the stored documents' titles and texts. Words are all required;
    "a phrase" in quotes; `or` between two terms; `-word` leaves out (kwatch search Kandahar
    -Kabul, or after `--`: kwatch search -- -Kabul Kandahar); `word*` finds every word that
    begins so (Kab*: quote it, 'Kab*', so the shell does not expand it). The footer gives the
    total found."""
    page = _api(ctx).search_page(" ".join(words), limit=limit)
    if as_json:
        _print_json([h.record() for h in page.hits])
        return
    for h in page.hits:
        stdout.print(f"[bold]{h.document_id[:12]}[/bold] {h.published or ''} {_clip(h.title, 70)}", markup=True)
        stdout.print(f"    {_clip(h.snippet, 160)}", markup=False)
    if page.total > len(page.hits):
        click.echo(f"{len(page.hits)} of {page.total} matching documents shown (--limit {page.total} shows them all).")
    else:
        click.echo(f"{_count(page.total, 'matching document')}.")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.pass_context
def errors(ctx: click.Context, as_json: bool) -> None:
    """List the inputs that could not be ingested and the documents whose extraction failed:
    when, which input or document, in which stage ('read' for an input), and why."""
    records = _api(ctx).errors()
    if as_json:
        _print_json([e.record() for e in records])
        return
    for e in records:
        click.echo(f"{e.at:%Y-%m-%d %H:%M} {e.kind} {e.stage} {e.path}: {e.reason}")
    ingest_count = sum(1 for e in records if e.kind == "ingest")
    click.echo(f"{ingest_count} ingest errors, {len(records) - ingest_count} extraction failures.")


#: `kwatch.query.REVIEW_STATES`, written out: importing the query module (and the records it
#: types) at start-up would slow every command, `--version` included (tests/test_startup.py).
_REVIEW_STATES = ("any", "unreviewed", "confirmed", "rejected")


@cli.command()
@click.option("--type", "type_", type=click.Choice(["attack", "plot", "arrest", "raid", "propaganda"]), help="Only this type.")
@click.option("--since", type=DATE, metavar="DATE", help="Only events on or after DATE (YYYY[-MM[-DD]]).")
@click.option("--until", type=DATE, metavar="DATE", help="Only events on or before DATE.")
@click.option("--country", metavar="ISO2", help="Only events in this country (ISO 3166-1 alpha-2).")
@click.option("--province", metavar="NAME", help="Only events in this province (admin1, e.g. Kabul).")
@click.option("--actor", metavar="NAME", help="Only events by this actor (ISKP, IS, Taliban ...).")
@click.option("--text", metavar="WORDS", help="Only events with these words in the place, actor, outlet, method, target or a quote.")
@click.option("--review", "review_state", type=click.Choice(_REVIEW_STATES), default="any", show_default=True, help="Only events in this review state (rejected ones are listed only with rejected).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show at most this many.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of event records.")
@click.pass_context
def events(ctx: click.Context, /, type_: str | None, review_state: str, as_json: bool, country: str | None, **filters: Any) -> None:
    """List events: one per real event, with every source (see `kwatch event ID`), as analysts
    reviewed them. The `reports` column counts the documents that tell of the event; `kwatch
    event ID` shows each one's figures and quote."""
    api = _api(ctx)
    records = api.event_records(type=type_, country=(country or None) and country.upper(), review=review_state, **filters)
    _note_if_stale(api)
    if as_json:
        _print_json(records)
        return
    table = Table("id", "date", "type", "where", "actor", "method", "killed", "injured", "claimed", "review", "reports", box=None)
    for r in records:
        where = _where(r)
        claimed = "" if r.get("claimed") is None else ("yes" if r["claimed"] else "no")
        killed = "" if r.get("killed") is None else str(r["killed"])
        if r.get("killed_claimed") is not None:
            killed += f" (claimed {r['killed_claimed']})"
        injured = "" if r.get("injured") is None else str(r["injured"])
        method = r.get("method") or r.get("medium") or ""
        table.add_row(
            r["id"][:10], r.get("date") or "", r["type"], _clip(where, 40), r.get("actor") or "", method, killed, injured, claimed,
            _review_word(r.get("review")), str(_reports(r)),
        )  # fmt: skip
    stdout.print(table)
    click.echo(f"{len(records)} events.")


def _reports(record: dict[str, Any]) -> int:
    """How many documents tell of the event (its `sources` are quotes, several per document)."""
    documents = (record.get("detail") or {}).get("documents")
    return len(documents) if documents else len({s.get("document_id") or s.get("doc") for s in record.get("sources") or ()})


def _review_word(review: dict[str, Any] | None) -> str:
    """The review state in one word: confirmed, rejected, edited (edited but not confirmed), or ''."""
    review = review or {}
    return str(review.get("status") or ("edited" if review.get("edited") else ""))


@cli.command()
@click.option("--format", "fmt", default="jsonl", show_default=True, metavar="[" + "|".join(EXPORT_FORMATS) + "]", help="Export format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write here instead of standard output.")
@click.option("--bom", is_flag=True, help="csv: start with a UTF-8 byte-order mark, for spreadsheet tools.")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: str | None, bom: bool) -> None:
    """Export events: jsonl (one FORMAT.md record per line), csv (one row per event, conflict-data
    columns), geojson (a FeatureCollection of the events with coordinates), stix (a STIX 2.1
    bundle). docs/exports.md describes each."""
    from kwatch.export import check_export

    options = {"bom": True} if bom else {}
    check_export(fmt, options)  # before the output file is created
    api = _api(ctx)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fp:
            count = api.export(fmt, fp, options=options)
        click.echo(f"Wrote {count} events to {output}.", err=True)
    else:
        api.export(fmt, sys.stdout, options=options)
    _note_if_stale(api)


@cli.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--corpus", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path), help="Folder of the documents the gold file annotates.")
@click.option("--split", type=click.Choice(["dev", "test"]), help="Score only the documents the corpus manifest puts in this split.")
@click.option("--predictions", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Score this export (JSON lines) instead of extracting the corpus.")
@click.option("--save-predictions", type=click.Path(dir_okay=False, writable=True, path_type=Path), help="Write the extracted records (every split) to this file.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def eval_command(gold: Path, corpus: Path, split: str | None, predictions: Path | None, save_predictions: Path | None, as_json: bool) -> None:
    """Score extraction against a gold file: ingest CORPUS into a temporary store, extract, and
    compare with GOLD by the rules of FORMAT.md (per-field precision, recall and F1). The figures
    are those of ../shared/eval/score.py on the same records (docs/evaluation.md)."""
    from kwatch.api import evaluate_corpus, report_dict

    if predictions is not None and save_predictions is not None:
        raise click.UsageError("--predictions scores an existing export; --save-predictions writes a new one: give one of them.")
    data = report_dict(evaluate_corpus(gold, corpus, split=split, predictions=predictions, save_predictions=save_predictions))
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
    if data["languages"]:
        by_language = Table("language", "events P", "R", "F1", "fields F1", "score", box=None)
        for language, part in data["languages"].items():
            e = part["events"]
            by_language.add_row(language, f"{e['precision']:.3f}", f"{e['recall']:.3f}", f"{e['f1']:.3f}", f"{part['fields_micro']['f1']:.3f}", f"{part['score']:.3f}")
        stdout.print(by_language)
    click.echo(f"score: {data['score']:.3f}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def summary(ctx: click.Context, as_json: bool) -> None:
    """Summarise the store: documents by kind and language, events by type."""
    api = _api(ctx)
    data = api.summary()
    if not data["resolution"]["current"]:
        _note_if_stale(api)
    if as_json:
        _print_json(data)
        return
    stdout.print(f"[bold]Khorasan Watch[/bold] — {data['store']}")
    rng = data["published_range"]
    stdout.print(f"Documents: {data['documents']}" + (f" published {rng[0]} … {rng[1]}" if rng else ""))
    stdout.print("  by kind: " + ", ".join(f"{k} {v}" for k, v in data["by_kind"].items()))
    stdout.print("  by language: " + ", ".join(f"{k} {v}" for k, v in data["by_language"].items()))
    stdout.print(
        f"  near-duplicates linked: {data['near_duplicates']}; skipped by extraction: {data['skipped']}; "
        f"extraction failed: {data['extraction_failed']}; ingest errors: {data['ingest_errors']}"
    )
    if data["unfinished_extraction"]:
        run = data["unfinished_extraction"]
        stdout.print(f"  extraction run {run['run']} ({run['scope']}, started {run['started_at'][:16]}) never finished: `kwatch extract` finishes it")
    stdout.print(f"Events: {data['events']}" + (" — " + ", ".join(f"{k} {v}" for k, v in data["events_by_type"].items()) if data["events_by_type"] else ""))


# -- resolution and analytics: event, merge, split, resolve, stats, plot -------------------------


@cli.command("event")
@click.argument("event_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def event_command(ctx: click.Context, event_id: str, as_json: bool) -> None:
    """Show one event (ID: its id, a member's id, or the first characters of either) as analysts
    reviewed it: its fields with their edits, its sources, each one's figures and quote, why
    they were merged, and its audit log. --json prints the record every view and export reads."""
    from kwatch.records import merge_reason

    api = _api(ctx)
    view = api.event_view(event_id)
    record = view["event"]
    _note_if_stale(api)
    if as_json:
        _print_json(record)
        return
    edited = set((record.get("review") or {}).get("edited") or ())
    where = ", ".join(x for x in (record.get("place"), record.get("admin2"), record.get("admin1"), record.get("country")) if x)
    stdout.print(f"[bold]{record['id']}[/bold]  {record['type']} {record.get('date') or 'undated'}  {where}", markup=True)
    claimed = {True: "claimed", False: "not claimed", None: "claim not stated"}[record.get("claimed")]
    stdout.print(f"actor {record.get('actor') or '?'} ({claimed}); method {record.get('method') or '?'}; target {record.get('target') or '?'}", markup=False)
    for line in _attribution_lines(record.get("attribution")):
        stdout.print(line, markup=False)
    for line in _review_lines(record.get("review")):
        stdout.print(line, markup=False)
    for name in ("killed", "injured"):
        if record.get(name) is not None:
            reported = f"low {record[name + '_low']}, high {record[name + '_high']}"
            line = f"{name} {record[name]} (" + (f"edited by an analyst; the reports give {reported})" if name in edited else f"{reported})")
            if record.get(name + "_claimed") is not None:
                line += f"; claimed by the group: {record[name + '_claimed']}"
            stdout.print(line, markup=False)
    for link in record["detail"].get("claimed_by", []):
        stdout.print(f"claim of responsibility: release {link}", markup=False)
    if record["detail"].get("claims"):
        stdout.print(f"claims the attack {record['detail']['claims']}", markup=False)
    stdout.print(f"rule: {record['detail'].get('figure_rule', '')}", markup=False, style="dim")
    table = Table("document", "published", "stated by", "killed", "injured", "claimed", "why merged", box=None)
    for m in record["members"]:
        f = m["figures"] or {}
        table.add_row(
            _clip(m["doc"], 34), f.get("published") or "", _clip(f.get("stated_by"), 24),
            _figure(f.get("killed"), f.get("killed_claimed")), _figure(f.get("injured"), f.get("injured_claimed")),
            {True: "yes", False: "no", None: ""}[f.get("claimed")], merge_reason(m["reason"]),
        )  # fmt: skip
    stdout.print(table)
    for m in record["members"]:
        quote = (m["figures"] or {}).get("quote")
        if quote:
            stdout.print(f"{_clip(m['doc'], 34)}: “{quote}”", markup=False)
    if view["audit"]:
        stdout.print("audit log (newest first):", markup=False)
        for line in _audit_lines(view["audit"]):
            stdout.print("  " + line, markup=False)


def _review_lines(review: dict[str, Any] | None) -> list[str]:
    """The analysts' review in words: its status and the fields they edited."""
    review = review or {}
    lines = []
    if review.get("status"):
        lines.append(f"review: {review['status']} by an analyst")
    if review.get("edited"):
        lines.append("edited by analysts: " + ", ".join(review["edited"]) + " (the values shown; the audit log has the old ones)")
    return lines


def _attribution_lines(attribution: dict[str, Any] | None) -> list[str]:
    """The attribution in words: basis, confidence and reason, the quote and its document, then
    each other basis the sources state."""
    from kwatch.records import BASIS_WORDS

    if attribution is None:
        return ["attribution: not read (extracted before attribution.v1; `kwatch extract --all` reads it)"]
    confidence = f"{attribution['confidence']} confidence" if attribution.get("confidence") else "no confidence"
    lines = [f"attribution: {attribution['basis']} ({BASIS_WORDS[attribution['basis']]}; {confidence}): {attribution['reason']}"]
    if attribution.get("quote"):
        lines.append(f"  {attribution.get('doc') or ''}: “{_clip(attribution['quote'], 300)}”")
    for other in attribution.get("others") or ():
        lines.append(f"  also stated: {other['basis']} ({BASIS_WORDS[other['basis']]}): {other['reason']} [{other.get('doc') or ''}]")
    return lines


def _figure(reported: int | None, claimed: int | None) -> str:
    text = "" if reported is None else str(reported)
    return text + (f" (claimed {claimed})" if claimed is not None else "")


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _local_user() -> str:
    """Who a command-line review is by, unless --who says: the user logged in here."""
    import getpass

    try:
        return f"{getpass.getuser()} (cli)"
    except (OSError, KeyError):  # no user name in the environment or the password database
        return "cli"


_WHO = click.option("--who", default=_local_user, show_default="your user name", help="Who decides (kept in the audit log).")


@cli.command()
@click.argument("first", metavar="ID")
@click.argument("second", metavar="ID")
@click.option("--why", metavar="TEXT", help="The reason, kept in the audit log.")
@_WHO
@click.pass_context
def merge(ctx: click.Context, first: str, second: str, why: str | None, who: str) -> None:
    """Merge two events into one by hand. The decision is kept, survives re-extraction and is in
    the audit log (`kwatch audit`)."""
    record = _api(ctx).merge(first, second, who=who, why=why)
    click.echo(f"Merged into {record['id']} ({_count(len(record['members']), 'report')}).")


@cli.command()
@click.argument("event_id", metavar="ID")
@click.argument("document", metavar="DOC")
@click.option("--why", metavar="TEXT", help="The reason, kept in the audit log.")
@_WHO
@click.pass_context
def split(ctx: click.Context, event_id: str, document: str, why: str | None, who: str) -> None:
    """Take document DOC (its id, the first characters of it, or its name as `kwatch event`
    shows it) out of event ID. The decision is kept, survives re-extraction and is in the audit
    log (`kwatch audit`)."""
    records = _api(ctx).split(event_id, document, who=who, why=why)
    click.echo("Split into " + " and ".join(f"{r['id']} ({_count(len(r['members']), 'report')})" for r in records) + ".")


@cli.group()
def review() -> None:
    """Confirm, edit or reject an event, as an analyst does on the event page. Each change is
    laid over the extracted event (every view and export shows it, and it survives
    re-extraction) and written to the audit log (`kwatch audit`). Merge and split are
    `kwatch merge` and `kwatch split`."""


@review.command("confirm")
@click.argument("event_id", metavar="ID")
@click.option("--why", metavar="TEXT", help="The reason, kept in the audit log.")
@_WHO
@click.pass_context
def review_confirm(ctx: click.Context, event_id: str, why: str | None, who: str) -> None:
    """Mark event ID (its id, a member's id or the first characters of either) as checked."""
    record = _api(ctx).confirm(event_id, who=who, why=why)
    click.echo(f"Confirmed {record['id']}.")


@review.command("edit")
@click.argument("event_id", metavar="ID")
@click.argument("field", metavar="FIELD")
@click.argument("value", metavar="VALUE")
@click.option("--why", metavar="TEXT", help="The reason, kept in the audit log.")
@_WHO
@click.pass_context
def review_edit(ctx: click.Context, event_id: str, field: str, value: str, why: str | None, who: str) -> None:
    """Set FIELD of event ID to VALUE: a whole number for killed, injured, killed_claimed and
    injured_claimed; true or false for claimed; YYYY[-MM[-DD]] for date; comma-separated codes
    for languages (ps,fa); null when unknown; else text (admin1 Kunduz)."""
    from kwatch.review import from_text

    record = _api(ctx).edit(event_id, field, from_text(field, value), who=who, why=why)
    shown = record.get(field)
    click.echo(f"Edited {record['id']}: {field} is now {json.dumps(shown, ensure_ascii=False)}.")


@review.command("reject")
@click.argument("event_id", metavar="ID")
@click.option("--why", metavar="TEXT", required=True, help="Why it is wrong (required; kept in the audit log).")
@_WHO
@click.pass_context
def review_reject(ctx: click.Context, event_id: str, why: str, who: str) -> None:
    """Mark event ID as wrong (not an event, or not this group's). It leaves every list, stats
    table and export; `kwatch event ID` still shows it."""
    record = _api(ctx).reject(event_id, who=who, why=why)
    click.echo(f"Rejected {record['id']}.")


@cli.command()
@click.option("--event", "event_id", metavar="ID", help="Only the entries of this event.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Show at most this many, newest first.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.pass_context
def audit(ctx: click.Context, event_id: str | None, limit: int, as_json: bool) -> None:
    """The audit log, newest first: every confirm, edit, reject, merge and split, from the web
    or the command line: when, who, which event and field, old and new value, why."""
    api = _api(ctx)
    entries = api.audit(event_id=api.reviewed_event(event_id)["id"] if event_id else None, limit=limit)
    if as_json:
        _print_json(entries)
        return
    lines = _audit_lines(entries)
    for line in lines:
        click.echo(line)
    click.echo(_count(len(lines), "change") + (f" ({len(entries)} entries: a merge or split has one under each event it touched)." if len(lines) != len(entries) else "."))


def _audit_lines(entries: list[dict[str, Any]]) -> list[str]:
    """One line per audit entry, in words."""
    lines = []
    seen: set[tuple[Any, ...]] = set()
    for e in entries:
        decision = e["new"].get("decision") if isinstance(e.get("new"), dict) else None
        if decision is not None:  # a merge or split has an entry under each event it touched: say it once
            if (e["action"], decision) in seen:
                continue
            seen.add((e["action"], decision))
        what = _audit_what(e)
        why = f" — {e['why']}" if e.get("why") else ""
        lines.append(f"{e['at']:%Y-%m-%d %H:%M} {e['who']}: {what}{why}")
    return lines


def _audit_what(e: dict[str, Any]) -> str:
    event, new = e["event_id"][:10], e.get("new")
    if e["action"] == "edit":
        return f"edit {event} {e['field']}: {json.dumps(e.get('old'), ensure_ascii=False)} → {json.dumps(new, ensure_ascii=False)}"
    if e["action"] == "merge" and isinstance(new, dict):
        return f"merge {' + '.join(i[:10] for i in new.get('merged', []))}"
    if e["action"] == "split" and isinstance(new, dict):
        return f"split {new.get('doc') or new.get('document_id')} out of {str(new.get('from') or event)[:10]}"
    return f"{e['action']} {event}"


@cli.command()
@click.option("--full", is_flag=True, help="Resolve every event, not only the part that changed since the last resolution.")
@click.pass_context
def resolve(ctx: click.Context, full: bool) -> None:
    """Group the extracted events into one event per real event. This runs after every
    extraction and every merge or split; reads never run it, they serve the last complete
    resolution and say when documents were extracted since: run it then. Only the events new
    or changed since the last resolution, and the events they can join, are resolved again
    (when that resolution was made by the same rules; else every event)."""
    api = _api(ctx)
    report = api.resolve(full=full)
    how = "" if report.full else f" (incremental: {report.redone} resolved again)"
    click.echo(f"Resolved {report.events} extracted events into {report.resolved} events{how} ({report.merged} from several reports; {report.decisions} analyst decisions applied).")
    _note_if_stale(api)  # another process extracted while this ran


def _analysis_options(command: Any) -> Any:
    for option in reversed(
        [
            click.option("--since", type=DATE, metavar="DATE", help="Only events on or after DATE (YYYY[-MM[-DD]])."),
            click.option("--until", type=DATE, metavar="DATE", help="Only events on or before DATE."),
            click.option("--country", metavar="ISO2", help="Only events in this country."),
            click.option("--province", metavar="NAME", help="Only events in this province (admin1)."),
            click.option("--actor", metavar="NAME", help="Only events by this actor (ISKP, IS, Taliban ...)."),
        ]
    ):
        command = option(command)
    return command


@cli.command()
@_analysis_options
@click.option("--all-months", is_flag=True, help="Show every month, also runs of months without events (the tables fold those into one line).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with a key per analysis (every month, always).")
@click.pass_context
def stats(ctx: click.Context, /, as_json: bool, all_months: bool, **filters: Any) -> None:
    """The analyses: ISKP attacks vs raids per month, propaganda by language and medium,
    casualties by category, incidents abroad, events by province. In the monthly tables, three or
    more months in a row without events are one line (`2021-12 … 2022-03  (4 months, none)`)
    unless --all-months."""
    from kwatch.analytics import ANALYSES, to_json

    api = _api(ctx)
    tables = api.stats(**filters)
    _note_if_stale(api)
    if as_json:
        _print_json(to_json(tables))
        return
    for name in [*ANALYSES, *(n for n in tables if n not in ANALYSES)]:
        table = tables[name]
        flat = table.reset_index() if table.index.name else table
        out = Table(*[str(c) for c in flat.columns], title=name.replace("_", " "), title_justify="left", box=None)
        rows = [["" if v is None or v != v else (f"{v:.3f}" if isinstance(v, float) else str(v)) for v in row] for row in flat.itertuples(index=False)]
        if not all_months and list(flat.columns[:1]) == ["month"]:
            rows = _fold_empty_months(rows)
        for cells in rows:
            out.add_row(*cells)
        stdout.print(out)
        if flat.empty:
            click.echo("  (no events)")


def _fold_empty_months(rows: list[list[str]]) -> list[list[str]]:
    """Rows of a monthly table (month first, then counts) with each run of three or more months
    whose counts are all zero (or blank) folded into one row: `first … last`, `(N months, none)`."""
    out: list[list[str]] = []
    run: list[list[str]] = []

    def flush() -> None:
        if len(run) >= 3:
            out.append([f"{run[0][0]} … {run[-1][0]}", f"({len(run)} months, none)", *[""] * (len(run[0]) - 2)])
        else:
            out.extend(run)
        run.clear()

    for cells in rows:
        if all(c in ("0", "") for c in cells[1:]):
            run.append(cells)
        else:
            flush()
            out.append(cells)
    flush()
    return out


@cli.command()
@click.argument("kind", type=click.Choice(["monthly", "propaganda", "casualties", "abroad", "provinces"]))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True), help="The PNG file to write.")
@_analysis_options
@click.pass_context
def plot(ctx: click.Context, /, kind: str, output: str, **filters: Any) -> None:
    """Draw one analysis as a PNG chart, for reports."""
    from kwatch.plots import plot as draw

    draw(kind, _api(ctx).stats(**filters), output)
    click.echo(f"Wrote {output}.", err=True)


# -- web: serve the API and dashboard; API tokens ---------------------------------------------


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind; the default serves this machine only.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME", help="Also answer to this Host name or address (repeatable; adds to the allowed_hosts setting, env KWATCH_ALLOWED_HOSTS).")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, allow_hosts: tuple[str, ...]) -> None:
    """Serve the dashboard and the JSON API (OpenAPI at /api/docs) until Ctrl-C.

    Reads are open to this machine. Bound elsewhere (--host 0.0.0.0), every request from another
    machine needs a bearer token or a login at /login with one, and its Host header must be a
    loopback name, the bound address or an allowed host (else 421). Every write (review) needs
    an analyst token: `kwatch token create --role analyst`. At most `web_max_requests` requests
    are worked on at once; more are answered 503 with Retry-After."""
    import uvicorn

    from kwatch.web import create_app
    from kwatch.web.guard import WILDCARD_HOSTS, allowed_host_names, binds_loopback, check_port, uvicorn_options

    kw = _api(ctx)
    check_port(host, port)  # before "Serving ...": a port in use is one line with the fix
    hosts = allowed_host_names(kw.settings["allowed_hosts"], allow_hosts, [host])
    max_requests = int(kw.settings["web_max_requests"])
    app = create_app(kw, allowed_hosts=hosts, max_requests=max_requests)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    if binds_loopback(host):
        click.echo(f"Serving the dashboard at {url} (API: {url}api/docs) to this machine only: reads need no token, writes an analyst token. Ctrl-C stops.")
    else:
        click.echo(
            f"Serving the dashboard at {url} (API: {url}api/docs) — reachable from other machines: every request from "
            "elsewhere needs a token or a login at /login (`kwatch token create --role viewer`). Ctrl-C stops."
        )
        extra = sorted(hosts - allowed_host_names())
        click.echo(f"Hosts accepted: {', '.join(sorted(allowed_host_names()))}{''.join(', ' + h for h in extra)}; add more with --allow-host NAME or KWATCH_ALLOWED_HOSTS.")
        if host.strip() in WILDCARD_HOSTS and not extra:
            click.echo("Warning: no host name is allowed besides loopback, so other machines get 421; add the name or address they use with --allow-host.", err=True)
        click.echo("Warning: this server speaks plain HTTP: login cookies and tokens cross the network in clear. Put it behind an HTTPS proxy unless the network is trusted.", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", **uvicorn_options(max_requests))


@cli.group()
def token() -> None:
    """Create, list and revoke API tokens (stored hashed; roles viewer, analyst, admin)."""


@token.command("create")
@click.option("--role", required=True, type=click.Choice(["viewer", "analyst", "admin"]), help="viewer reads; analyst also reviews; admin also manages tokens.")
@click.option("--name", metavar="N", help="Who holds it (shown in the audit log).")
@click.pass_context
def token_create(ctx: click.Context, role: str, name: str | None) -> None:
    """Create a token and print it once: only its hash is stored."""
    new = _api(ctx, create=True).create_token(role=role, name=name)
    click.echo(f"Created {new.principal.role} token {new.principal.token_id} for {new.principal.name}. It is shown only now:", err=True)
    click.echo(new.token)


@token.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.pass_context
def token_list(ctx: click.Context, as_json: bool) -> None:
    """List tokens (never their secrets)."""
    tokens = _api(ctx).tokens()
    if as_json:
        _print_json(tokens)
        return
    for t in tokens:
        state = f"revoked {t['revoked_at']:%Y-%m-%d}" if t["revoked_at"] else "live"
        click.echo(f"{t['id']}  {t['role']:<8} {state:<18} {t['name']}")
    click.echo(f"{len(tokens)} tokens.")


@token.command("revoke")
@click.argument("token_id")
@click.pass_context
def token_revoke(ctx: click.Context, token_id: str) -> None:
    """Revoke the token with this id (see `kwatch token list`)."""
    if not _api(ctx).revoke_token(token_id):
        raise click.ClickException(f"No live token {token_id}. Hint: see `kwatch token list`")
    click.echo(f"Revoked token {token_id}.")


@cli.group()
def lexicons() -> None:
    """Check and list the lexicons in use: the built-in ones and the user folders of
    lexicon_dirs (KWATCH_LEXICON_DIRS) merged over them (docs/lexicons.md)."""


def _lexicon_dirs() -> str:
    from kwatch import settings

    return str(settings.resolve()["lexicon_dirs"])


@lexicons.command("check")
@click.argument("dirs", nargs=-1, metavar="[DIR...]")
def lexicons_check(dirs: tuple[str, ...]) -> None:
    """Check user lexicon folders (default: the configured lexicon_dirs): YAML syntax, file names
    with no built-in counterpart, the shape of each entry against the built-in file and its
    schema, places of place_names.yaml the gazetteer does not have. Prints one
    `FILE: key: what is wrong` line per problem; exit status 1 when there is any."""
    from kwatch import lexicon
    from kwatch.pipeline.places import place_name_problems

    folders = list(dirs) if dirs else lexicon.parse_dirs(_lexicon_dirs())
    if not folders:
        click.echo("No user lexicon folder: give DIR... or set KWATCH_LEXICON_DIRS.", err=True)
        return
    problems = lexicon.check(folders) or place_name_problems(lexicon.search_path(folders))
    for line in problems:
        click.echo(line)
    if problems:
        click.echo(f"{len(problems)} problem(s) in {', '.join(folders)}.", err=True)
        raise SystemExit(1)
    click.echo(f"No problems in {', '.join(folders)}.", err=True)


@lexicons.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.option("--all", "show_all", is_flag=True, help="Also list the built-in files no user file extends.")
def lexicons_list(as_json: bool, show_all: bool) -> None:
    """List the lexicon files in use: each built-in file and the user files merged over it, in
    the order they apply."""
    from kwatch import lexicon

    files = lexicon.files_in_use(lexicon.search_path(_lexicon_dirs()))
    shown = [f for f in files if show_all or f["user"]]
    if as_json:
        _print_json(shown)
        return
    for entry in shown:
        click.echo(entry["builtin"] + "".join(f"\n  + {path}" for path in entry["user"]))
    extended = sum(bool(f["user"]) for f in files)
    click.echo(f"{len(files)} built-in lexicon files, {extended} extended by user files.", err=True)


def main() -> None:
    cli(prog_name="kwatch")


if __name__ == "__main__":
    main()
