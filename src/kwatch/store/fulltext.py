"""Full-text search, the one part of the schema that differs by dialect.

SQLite: an FTS5 table `documents_fts` (unicode61 tokenizer, diacritics folded) that the store
writes in the same transaction as the document row, ranked with bm25() and cut with snippet().
PostgreSQL: a generated `documents.tsv` column ('simple' configuration, so no language's stemming
or stop words favour one language) with a GIN index, queried with websearch_to_tsquery().

User input is never passed to FTS5 as syntax: `fts5_query` rebuilds it from quoted phrases, so
quotes, parentheses, `*`, `:` and stray `AND`/`NOT` cannot raise. websearch_to_tsquery never
raises on syntax by design.
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


def fts5_query(query: str) -> str | None:
    """Turn what a user typed into a safe FTS5 expression, or None when nothing is searchable.

    Mirrors websearch_to_tsquery: words are ANDed, "quoted words" are a phrase, `or` between two
    terms is OR, and `-word` excludes (only after at least one positive term: FTS5 has no unary NOT).
    """
    positives: list[str] = []
    negatives: list[str] = []
    pending_or = False
    for token in _TOKEN.findall(query):
        if token.lower() == "or":
            pending_or = bool(positives)
            continue
        negative = token.startswith("-") and len(token) > 1
        phrase = token[1:] if negative else token
        phrase = phrase.strip('"')
        if not any(ch.isalnum() for ch in phrase):
            continue
        quoted = '"' + phrase.replace('"', '""') + '"'
        if negative:
            negatives.append(quoted)
        elif pending_or:
            positives.append("OR " + quoted)
        else:
            positives.append(quoted)
        pending_or = False
    if not positives:
        return None
    expression = " ".join(positives)
    for term in negatives:
        expression = f"({expression}) NOT {term}"
    return expression


def search(conn: sa.Connection, query: str, *, limit: int) -> list[FulltextRow]:
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
                "ORDER BY score, document_id LIMIT :limit"
            ),
            {
                "start": HIGHLIGHT_START,
                "stop": HIGHLIGHT_STOP,
                "ellipsis": ELLIPSIS,
                "tokens": SNIPPET_TOKENS,
                "expression": expression,
                "limit": limit,
            },
        )
        # bm25() is lower-is-better; negate so rank means the same on both dialects.
        return [FulltextRow(row.document_id, row.snippet, -float(row.score)) for row in rows]
    if not query.strip():
        return []
    # Rank and limit first, then build headlines: ts_headline re-parses the whole text.
    rows = conn.execute(
        sa.text(
            "WITH q AS (SELECT websearch_to_tsquery('simple', :query) AS tsq), "
            "top AS (SELECT d.id, d.text, ts_rank(d.tsv, q.tsq) AS score, q.tsq "
            "FROM documents d, q WHERE d.tsv @@ q.tsq ORDER BY score DESC, d.id LIMIT :limit) "
            "SELECT id AS document_id, score, "
            "ts_headline('simple', text, tsq, :options) AS snippet FROM top ORDER BY score DESC, id"
        ),
        {
            "query": query,
            "limit": limit,
            "options": f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_STOP}, "
            f"FragmentDelimiter={ELLIPSIS}, MaxWords={SNIPPET_TOKENS}, MinWords={SNIPPET_TOKENS // 2}",
        },
    )
    return [FulltextRow(row.document_id, row.snippet, float(row.score)) for row in rows]
