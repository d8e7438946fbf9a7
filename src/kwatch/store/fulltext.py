"""Full-text search, the one part of the schema that differs by dialect.

SQLite: an FTS5 table `documents_fts` (unicode61 tokenizer, diacritics folded) that the store
writes in the same transaction as the document row, ranked with bm25() and cut with snippet().
PostgreSQL: a generated `documents.tsv` column ('simple' configuration, so no language's stemming
or stop words favour one language) with a GIN index, queried with phraseto_tsquery() per term.

User input is never passed to either as syntax: `terms` reads it (words, "phrases", `or`,
`-word`, and `word*` for every word that begins so), then `fts5_query` rebuilds it from quoted
strings and `_tsquery` from bound phraseto_tsquery/to_tsquery values, so quotes, parentheses,
`*`, `:` and stray `AND`/`NOT` cannot raise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

#: What marks a matched term in a snippet, on both dialects.
HIGHLIGHT_START = "«"
HIGHLIGHT_STOP = "»"
ELLIPSIS = "…"
SNIPPET_TOKENS = 16

_TOKEN = re.compile(r'-?"[^"]*"?|\S+')
#: What a prefix word keeps: letters, digits, marks and inner hyphens (no tsquery or FTS5 syntax).
_PREFIX_WORD = re.compile(r"[^\w-]")


@dataclass(frozen=True, slots=True)
class FulltextRow:
    document_id: str
    snippet: str
    rank: float  # higher is better on both dialects


def create(conn: sa.Connection) -> None:
    """Create the full-text structures for the connection's dialect (used by 0001_initial)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE documents_fts USING fts5("
            "document_id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2')"
        )
    else:
        conn.exec_driver_sql(
            "ALTER TABLE documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('simple', coalesce(title, '')), 'A') || "
            "setweight(to_tsvector('simple', text), 'B')) STORED"
        )
        conn.exec_driver_sql("CREATE INDEX ix_documents_tsv ON documents USING GIN (tsv)")


def index_document(conn: sa.Connection, *, document_id: str, title: str | None, text: str) -> None:
    """Write a document's full-text row; call inside the transaction that inserts the document."""
    if conn.dialect.name == "sqlite":
        conn.execute(
            sa.text("INSERT INTO documents_fts (document_id, title, text) VALUES (:id, :title, :text)"),
            {"id": document_id, "title": title or "", "text": text},
        )
    # PostgreSQL: documents.tsv is a generated column, written with the row itself.


@dataclass(frozen=True, slots=True)
class Term:
    """One thing to look for: a word or a "quoted phrase"; `prefix` (a word typed `Kab*`) matches
    every word it begins; `negative` (`-word`) excludes; `either` (after `or`) is ORed with the term
    before it."""

    text: str
    prefix: bool = False
    negative: bool = False
    either: bool = False


def terms(query: str) -> list[Term]:
    """What a user typed, as terms (websearch_to_tsquery's syntax, plus `word*` for a prefix):
    words are ANDed, "quoted words" are a phrase, `or` between two terms is OR, `-word` excludes.
    Anything else (parentheses, `:`, `^`, stray `*` and quotes) is no syntax and is dropped."""
    found: list[Term] = []
    pending_or = False
    for token in _TOKEN.findall(query):
        if token.lower() == "or":
            pending_or = any(not t.negative for t in found)
            continue
        negative = token.startswith("-") and len(token) > 1
        phrase = token[1:] if negative else token
        quoted = phrase.startswith('"')
        phrase = phrase.strip('"')
        prefix = not quoted and phrase.endswith("*")
        if prefix:
            phrase = _PREFIX_WORD.sub("", phrase.rstrip("*"))
        if not any(ch.isalnum() for ch in phrase):
            continue
        found.append(Term(phrase, prefix=prefix, negative=negative, either=pending_or and not negative))
        pending_or = False
    return found


def searchable(query: str) -> bool:
    """The query has at least one term that is not an exclusion (else nothing can match)."""
    return any(not t.negative for t in terms(query))


def fts5_query(query: str) -> str | None:
    """Turn what a user typed (`terms`) into a safe FTS5 expression, or None when nothing is
    searchable. Every term is a quoted string (FTS5 has no unary NOT, so exclusions follow)."""
    found = terms(query)
    positives = [("OR " if t.either else "") + _fts5_string(t) for t in found if not t.negative]
    if not positives:
        return None
    expression = " ".join(positives)
    for term in (t for t in found if t.negative):
        expression = f"({expression}) NOT {_fts5_string(term)}"
    return expression


def _fts5_string(term: Term) -> str:
    return '"' + term.text.replace('"', '""') + '"' + ("*" if term.prefix else "")


def _tsquery(query: str) -> tuple[str, dict[str, str]] | None:
    """PostgreSQL: an SQL tsquery expression for `terms(query)` (with its bound values), or None.
    A phrase is phraseto_tsquery of its text; a prefix is to_tsquery of the quoted word with :*."""
    found = terms(query)
    if not any(not t.negative for t in found):
        return None
    values: dict[str, str] = {}

    def part(term: Term) -> str:
        key = f"t{len(values)}"
        if term.prefix:
            values[key] = "'" + term.text.replace("'", "''") + "':*"
            return f"to_tsquery('simple', :{key})"
        values[key] = term.text
        return f"phraseto_tsquery('simple', :{key})"

    expression = ""
    for term in (t for t in found if not t.negative):
        expression = part(term) if not expression else f"({expression} {'||' if term.either else '&&'} {part(term)})"
    for term in (t for t in found if t.negative):
        expression = f"({expression} && !!{part(term)})"
    return expression, values


def count(conn: sa.Connection, query: str) -> int:
    """How many documents match `query` (every one, not a page of them)."""
    if conn.dialect.name == "sqlite":
        expression = fts5_query(query)
        if expression is None:
            return 0
        return int(conn.execute(sa.text("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH :e"), {"e": expression}).scalar_one())
    built = _tsquery(query)
    if built is None:
        return 0
    tsquery, values = built
    return int(conn.execute(sa.text(f"SELECT count(*) FROM documents d WHERE d.tsv @@ {tsquery}"), values).scalar_one())  # noqa: S608 - values are bound


def search(conn: sa.Connection, query: str, *, limit: int, offset: int = 0) -> list[FulltextRow]:
    """Best matches first: (document id, highlighted snippet, rank)."""
    if conn.dialect.name == "sqlite":
        expression = fts5_query(query)
        if expression is None:
            return []
        rows = conn.execute(
            sa.text(
                "SELECT document_id, "
                "snippet(documents_fts, 2, :start, :stop, :ellipsis, :tokens) AS snippet, "
                "bm25(documents_fts, 0.0, 2.0, 1.0) AS score "
                "FROM documents_fts WHERE documents_fts MATCH :expression "
                "ORDER BY score, document_id LIMIT :limit OFFSET :offset"
            ),
            {
                "start": HIGHLIGHT_START,
                "stop": HIGHLIGHT_STOP,
                "ellipsis": ELLIPSIS,
                "tokens": SNIPPET_TOKENS,
                "expression": expression,
                "limit": limit,
                "offset": offset,
            },
        )
        # bm25() is lower-is-better; negate so rank means the same on both dialects.
        return [FulltextRow(row.document_id, row.snippet, -float(row.score)) for row in rows]
    built = _tsquery(query)
    if built is None:
        return []
    tsquery, values = built
    # Rank and limit first, then build headlines: ts_headline re-parses the whole text.
    rows = conn.execute(
        sa.text(
            f"WITH q AS (SELECT {tsquery} AS tsq), "  # noqa: S608 - the terms are bound values
            "top AS (SELECT d.id, d.text, ts_rank(d.tsv, q.tsq) AS score, q.tsq "
            "FROM documents d, q WHERE d.tsv @@ q.tsq ORDER BY score DESC, d.id LIMIT :limit OFFSET :offset) "
            "SELECT id AS document_id, score, "
            "ts_headline('simple', text, tsq, :options) AS snippet FROM top ORDER BY score DESC, id"
        ),
        {
            **values,
            "limit": limit,
            "offset": offset,
            "options": f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_STOP}, "
            f"FragmentDelimiter={ELLIPSIS}, MaxWords={SNIPPET_TOKENS}, MinWords={SNIPPET_TOKENS // 2}",
        },
    )
    return [FulltextRow(row.document_id, row.snippet, float(row.score)) for row in rows]
