"""Documentation links point inside the repository, at files and sections that exist.

Checked: every relative Markdown link (and its ``#anchor``) in the repository's .md files; every
``docs/….md`` path cited in a .py file (and its ``§Section``, when given); and that no .py or .md
file outside docs/ cites the design documents or papers that live outside the repository.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
THIS = Path(__file__).resolve()
SKIP_DIRS = {".venv", ".git", "build", "dist", "__pycache__", ".mypy_cache", ".ruff_cache"}

LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
DOC_CITE = re.compile(r"docs/[\w./-]+\.md")
SECTION = re.compile(r"[ \t]+§([^\n§]+)")
# Names spelled in parts so this file does not itself match a search for them.
OUTSIDE = re.compile(
    r"\b(?:" + "|".join(("METHODS", "EVALUATION", "ARCHITECTURE", "UI")) + r")\.md\b"
    r"|shared/(?:docs|papers)\b"
    r"|(?i:\bpapers? 0{2}\d\b)"
)


def repo_files(suffix: str) -> list[Path]:
    """Files of the repository with ``suffix``, outside virtual environments and caches."""
    return sorted(
        path
        for path in REPO.rglob(f"*{suffix}")
        if not SKIP_DIRS.intersection(part for part in path.relative_to(REPO).parts)
    )


def prose(markdown: str) -> str:
    """Markdown without fenced code blocks and inline code (links there are not links)."""
    return INLINE_CODE.sub("", FENCE.sub("", markdown))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def headings(markdown: str) -> list[str]:
    return [match.group(1) for match in HEADING.finditer(FENCE.sub("", markdown))]


def broken_links(md_file: Path, root: Path) -> list[str]:
    """Relative links of ``md_file`` whose target (or anchor) does not exist under ``root``."""
    problems = []
    for target in LINK.findall(prose(md_file.read_text(encoding="utf-8"))):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
            continue  # http:, https:, mailto:
        path_part, _, anchor = target.partition("#")
        dest = (md_file.parent / path_part).resolve() if path_part else md_file
        where = f"{md_file.relative_to(root)}: {target}"
        if not dest.exists():
            problems.append(f"{where} (no such file)")
        elif not dest.resolve().is_relative_to(root.resolve()):
            problems.append(f"{where} (outside the repository)")
        elif (
            anchor
            and dest.suffix == ".md"
            and anchor not in {slug(h) for h in headings(dest.read_text(encoding="utf-8"))}
        ):
            problems.append(f"{where} (no heading with that anchor)")
    return problems


def broken_citations(py_file: Path, root: Path) -> list[str]:
    """``docs/….md [§Section]`` citations of ``py_file`` that name no file or no heading.

    A section is found when some heading of the file starts the text after ``§`` (any case).
    """
    problems = []
    text = py_file.read_text(encoding="utf-8")
    for match in DOC_CITE.finditer(text):
        where = f"{py_file.relative_to(root)}: {match.group(0)}"
        doc = root / match.group(0)
        section = SECTION.match(text, match.end())
        if not doc.is_file():
            problems.append(f"{where} (no such file)")
        elif section:
            after = section.group(1).strip().lower()
            names = [h.lower() for h in headings(doc.read_text(encoding="utf-8"))]
            if not any(after.startswith(name) for name in names):
                problems.append(f"{where} §{section.group(1).split()[0]} (no such section)")
    return problems


def outside_citations(path: Path, root: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [
        f"{path.relative_to(root)}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}"
        for m in OUTSIDE.finditer(text)
    ]


def test_markdown_links_point_at_files_and_headings_in_the_repository() -> None:
    files = repo_files(".md")
    assert REPO / "README.md" in files and REPO / "docs" / "README.md" in files
    assert [p for f in files for p in broken_links(f, REPO)] == []


def test_docs_cited_in_code_exist_with_their_sections() -> None:
    files = [f for f in repo_files(".py") if f != THIS]  # this file's examples are meant broken
    assert len(files) > 100
    assert [p for f in files for p in broken_citations(f, REPO)] == []


def test_no_code_or_readme_cites_documents_outside_the_repository() -> None:
    docs = REPO / "docs"
    files = [f for f in repo_files(".py") + repo_files(".md") if not f.is_relative_to(docs)]
    assert [p for f in files for p in outside_citations(f, REPO)] == []


@pytest.fixture
def tiny_repo(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "methods.md").write_text("# Methods\n\n## CRSum\n\n## Rank correlation\n")
    return tmp_path


def test_the_checks_catch_what_they_are_for(tiny_repo: Path) -> None:
    readme = tiny_repo / "README.md"
    readme.write_text(
        "[ok](docs/methods.md#crsum) [anchor](docs/methods.md#rank-correlation) "
        "[web](https://example.org/x.md) `[code](nowhere.md)`\n"
        "[gone](docs/missing.md) [bad anchor](docs/methods.md#csum) [out](../elsewhere.md)\n"
        "```\n[fenced](nowhere.md)\n```\n"
    )
    (tiny_repo.parent / "elsewhere.md").write_text("# Elsewhere\n")
    assert broken_links(readme, tiny_repo) == [
        "README.md: docs/missing.md (no such file)",
        "README.md: docs/methods.md#csum (no heading with that anchor)",
        "README.md: ../elsewhere.md (outside the repository)",
    ]
    code = tiny_repo / "mod.py"
    code.write_text(
        '"""Loss of docs/methods.md §CRSum (eq. 12); docs/methods.md §Rank correlation.\n'
        "See docs/methods.md §CSUM and docs/nothing.md.\n"
        + "Old: "
        + "METHODS"
        + ".md §5, paper "
        + "003, ../shared/"
        + 'papers/x.txt."""\n'
    )
    assert broken_citations(code, tiny_repo) == [
        "mod.py: docs/methods.md §CSUM (no such section)",
        "mod.py: docs/nothing.md (no such file)",
    ]
    assert [line.split(": ", 1)[1] for line in outside_citations(code, tiny_repo)] == [
        "METHODS" + ".md",
        "paper " + "003",
        "shared/" + "papers",
    ]
