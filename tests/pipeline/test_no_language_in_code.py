"""No module under kwatch/pipeline/ holds words of a natural language: they live in the lexicons.

What the code may still spell out: messages and provenance notes for people (never matched against
a text), lexicon keys, field names and canonical values ('attack', 'killed'). What it may not:
a word inside a regular expression, or a word tested against the text (`"toll" in text`,
`text.startswith("the ")`). The test reads every module's syntax tree and checks

- every string that reaches the `re` module or holds regex syntax (a backslash, "(?", "|", "["),
- every string on the left of `in` or given to `startswith`/`endswith`,

for runs of two or more letters (any script) outside regex syntax (`\\s`, `(?P<name>`, `(?i:`,
`{day}` template fields). `ALLOWED` lists the few technical tokens that may appear there.
"""

from __future__ import annotations

import ast
import re
from importlib import resources
from pathlib import Path

import pytest

PIPELINE = Path(str(resources.files("kwatch"))) / "pipeline"

#: Letters that are regex or format syntax, not words: inline flags and group names are stripped
#: before this; what remains here is read by `re` itself.
ALLOWED = frozenset({
    "language",  # cues.py: the internal cue kind prefix "language:<code>"
    "https", "www",  # releases.py: links stripped from captions are protocol syntax, not words
})

_SYNTAX = re.compile(
    r"\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}"  # code points
    r"|\\[A-Za-z]"  # \s \w \d \b \N
    r"|\w-\w"  # character ranges (A-Z)
    r"|\(\?P<\w+>|\(\?P=\w+\)|\(\?[aiLmsux-]+[:)]"  # named groups, inline flags
    r"|\{\w*\}"  # str.format fields and f-string holes
    r"|\\N\{[^}]*\}"
)
_REGEX_HINT = re.compile(r"\\|\(\?|\||\[")
_LETTERS = re.compile(r"[^\W\d_]{2,}")
_RE_FUNCTIONS = frozenset({"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"})


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            found.add(id(node.value))
    return found


def _strings(node: ast.AST) -> list[ast.Constant]:
    """The string constants inside `node` (an f-string's literal parts included)."""
    return [n for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


_TEXT_METHODS = frozenset({"lower", "casefold", "upper", "strip", "group", "read_text"})


def _texty(node: ast.expr) -> bool:
    """An expression that holds text of a document: `text`, `m.text`, `match.group(0).lower()`."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in _TEXT_METHODS or _texty(node.func.value)
    if isinstance(node, ast.Subscript):
        return _texty(node.value)
    return "text" in ast.unparse(node)


def _keys(tree: ast.AST) -> set[int]:
    """Constants that are keys: `data["weekdays"]`, `data.get("ordinal_suffixes")`, `m.group("rel")`."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            found.add(id(node.slice))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "group", "span", "start", "end"):
            found.update(id(a) for a in node.args if isinstance(a, ast.Constant))
    return found


def _checked(tree: ast.AST) -> list[ast.Constant]:
    docs = _docstrings(tree) | _keys(tree)
    checked: list[ast.Constant] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            is_re = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "re" and name in _RE_FUNCTIONS
            if is_re or name in ("startswith", "endswith"):
                for arg in node.args[:1] if is_re else node.args:
                    checked += [n for n in _strings(arg) if id(n) not in docs]
        elif isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops):
            # `"toll" in text.lower()`: a word looked for in text (not a value looked up in a set).
            if _texty(node.comparators[0]) and isinstance(node.left, (ast.Constant, ast.JoinedStr)):
                checked += [n for n in _strings(node.left) if id(n) not in docs]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs and _REGEX_HINT.search(node.value):
            checked.append(node)
    return checked


def words_in_code(path: Path) -> list[tuple[int, str]]:
    """(line, word) of every natural-language word in the matching code of one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for constant in _checked(tree):
        for word in _LETTERS.findall(_SYNTAX.sub(" ", constant.value)):
            if word not in ALLOWED:
                found.append((constant.lineno, word))
    return sorted(set(found))


@pytest.mark.parametrize("module", sorted(p.name for p in PIPELINE.glob("*.py")))
def test_no_natural_language_words_in_pipeline_code(module: str) -> None:
    found = words_in_code(PIPELINE / module)
    assert not found, f"{module}: words belong in lexicons/<lang>/*.yaml: {found}"


@pytest.mark.parametrize(
    "source, word",
    [
        ('import re\nX = re.compile(r"\\b(?:since|until)\\b")\n', "since"),
        ('def f(text):\n    return "toll" in text.lower()\n', "toll"),
        ('def f(text):\n    return text.startswith("the ")\n', "the"),
        ('import re\nX = re.compile(r"\\s+взрыв")\n', "взрыв"),
        ('X = r"(?:killed|died)\\s"\n', "killed"),
    ],
)
def test_the_scan_finds_words(tmp_path: Path, source: str, word: str) -> None:
    module = tmp_path / "m.py"
    module.write_text(source, encoding="utf-8")
    assert word in {w for _, w in words_in_code(module)}


def test_the_scan_leaves_messages_keys_and_syntax() -> None:
    source = (
        'import re\n'
        'def f(doc, data):\n'
        '    """Docstrings may say "since"."""\n'
        '    notes = [f"date {doc} inferred: the text gives none"]\n'
        '    return data["relative_days"], re.compile(r"(?P<day>\\d{1,2})\\s*(?i:\\w+)"), notes\n'
    )
    path = Path(str(resources.files("kwatch"))).parent / "_scan_probe_unused.py"
    tree = ast.parse(source)
    assert not [c.value for c in _checked(tree) if _LETTERS.findall(_SYNTAX.sub(" ", c.value))], path
