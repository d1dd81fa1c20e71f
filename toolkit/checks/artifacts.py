"""A0xx artifacts: read ``build/`` back and compare it with the source (``stdkit check --artifacts``).

:func:`check_artifacts` ``(corpus, build_dir) -> list[Finding]`` reads what
``stdkit build`` wrote and reports every record that is missing or different:

* ``data/corpus.json`` — every measure, indicator and standard, by id, with its
  title (indicator: name) equal to the source;
* ``matrices/strategy-matrix.xlsx`` — a cell × domain matrix (a sheet whose rows
  are the 五级三类 cells and whose columns are the domains): counts equal the
  corpus's measure counts; where the matrix lists measures, every measure id is
  in its cell;
* ``indicators/indicators.xlsx`` — one row per indicator id, holding its name;
* ``drafts/<id>.docx`` (python-docx) — every clause number and title of the
  document model, every annex title;
* ``drafts/<id>.pdf`` (``pdftotext``) — the title and every chapter heading;
* ``site/standards/<id>/index.html`` and ``site/indicators/<id>/index.html`` —
  a page per standard and per indicator, showing its title.

Codes: A001 artifact missing, A002 artifact unreadable, A003 record missing
from an artifact, A004 record differs from the source, A005 record in an
artifact that is not in the source (stale).  Findings point at the artifact
(path relative to the corpus root when possible).  At most
:data:`MAX_PER_ARTIFACT` findings are reported per artifact, then a summary.
Nothing is raised for broken artifacts; readers are imported lazily.
"""
from __future__ import annotations

import html
import json
import shutil
import subprocess
from pathlib import Path

from toolkit.corpus import Corpus
from toolkit.findings import Finding, Location
from toolkit.model import ID_RE
from toolkit.textfmt import squash

CODES: dict[str, dict[str, str]] = {
    "A001": {"severity": "error", "title": "build artifact missing (build/, a file, or a site page)",
             "fix": "run `stdkit build`"},
    "A002": {"severity": "error", "title": "build artifact cannot be read (corrupt JSON, XLSX, DOCX or PDF)",
             "fix": "rebuild; if it persists, the writer has a bug"},
    "A003": {"severity": "error", "title": "record of the source missing from a build artifact",
             "fix": "rebuild; if it persists, the writer drops the record"},
    "A004": {"severity": "error", "title": "record in a build artifact differs from the source",
             "fix": "rebuild; if it persists, the writer alters the record"},
    "A005": {"severity": "error", "title": "build artifact holds a record that is not in the source (stale build)",
             "fix": "rebuild"},
}
"""Finding codes this module emits (collected by :mod:`toolkit.codes`)."""

MAX_PER_ARTIFACT = 20


class _Report:
    """Collects findings for one artifact, capped at :data:`MAX_PER_ARTIFACT`."""

    def __init__(self, loc: Location):
        self.loc = loc
        self.items: list[Finding] = []
        self.dropped = 0

    def add(self, code: str, message: str, hint: str) -> None:
        if len(self.items) < MAX_PER_ARTIFACT:
            self.items.append(Finding(code, "error", message, self.loc, hint))
        else:
            self.dropped += 1

    def findings(self) -> list[Finding]:
        if self.dropped:
            return self.items + [Finding("A004", "error", f"… and {self.dropped} more difference(s) in this artifact",
                                         self.loc, "rebuild with `stdkit build`")]
        return self.items


REBUILD = "rebuild with `stdkit build`; if it persists, the writer for this format has a bug"


def check_artifacts(corpus: Corpus, build_dir: Path) -> list[Finding]:
    """Compare ``build_dir`` (normally ``<root>/build``) with ``corpus``; see module doc."""
    build_dir = Path(build_dir)
    out: list[Finding] = []

    def loc(rel: str) -> Location:
        p = (build_dir / rel) if rel else build_dir
        try:
            shown = p.resolve().relative_to(Path(corpus.root).resolve()).as_posix()
        except ValueError:  # a build folder outside the project: show it as given
            shown = p.as_posix()
        return Location(shown, 1, 1)  # artifacts are binary or generated: point at their start

    if not build_dir.is_dir():
        return [Finding("A001", "error", f"no build folder `{build_dir.name}/` to compare with the source",
                        loc(""), "run `stdkit build` first")]
    out += _corpus_json(corpus, build_dir / "data" / "corpus.json", loc("data/corpus.json"))
    out += _strategy_matrix(corpus, build_dir / "matrices" / "strategy-matrix.xlsx", loc("matrices/strategy-matrix.xlsx"))
    out += _indicators_xlsx(corpus, build_dir / "indicators" / "indicators.xlsx", loc("indicators/indicators.xlsx"))
    for sid in sorted(corpus.drafts):
        if sid not in corpus.standards:
            continue  # E201: no document can be built
        from toolkit.document import build_document

        doc = build_document(corpus, sid)
        out += _docx(doc, build_dir / "drafts" / f"{sid}.docx", loc(f"drafts/{sid}.docx"))
        out += _pdf(doc, build_dir / "drafts" / f"{sid}.pdf", loc(f"drafts/{sid}.pdf"))
    out += _site(corpus, build_dir / "site", loc)
    return out


def _missing_file(path: Path, where: Location, what: str) -> list[Finding]:
    return [Finding("A001", "error", f"{what} `{path.name}` is missing", where, "run `stdkit build`")]


# ---------------------------------------------------------------------- corpus.json
def _corpus_json(c: Corpus, path: Path, where: Location) -> list[Finding]:
    if not path.is_file():
        return _missing_file(path, where, "corpus data")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return [Finding("A002", "error", f"corpus.json cannot be read: {type(exc).__name__}: {exc}", where, REBUILD)]
    if not isinstance(data, dict):
        return [Finding("A002", "error", "corpus.json is not a JSON object", where, REBUILD)]
    rep = _Report(where)
    for key, store, attr in (("measures", c.measures, "title"), ("indicators", c.indicators, "name"),
                             ("standards", c.standards, "title")):
        records = data.get(key)
        if not isinstance(records, list):
            rep.add("A003", f"corpus.json has no `{key}` list", REBUILD)
            continue
        found: dict[str, object] = {}
        for r in records:
            if isinstance(r, dict) and isinstance(r.get("id"), str):
                found.setdefault(r["id"], r.get(attr))
        kind = key[:-1]
        for id_, rec in store.items():
            if id_ not in found:
                rep.add("A003", f"{kind} `{id_}` is missing from corpus.json", REBUILD)
            elif found[id_] != getattr(rec, attr):
                rep.add("A004", f"{kind} `{id_}` has {attr} 「{found[id_]}」 in corpus.json but 「{getattr(rec, attr)}」 "
                                "in the source", REBUILD)
        for id_ in found:
            if id_ not in store:
                rep.add("A005", f"corpus.json has {kind} `{id_}`, which is not in the source (stale build?)", REBUILD)
    return rep.findings()


# ---------------------------------------------------------------------- xlsx helpers
def _open_xlsx(path: Path, where: Location):
    """``(workbook, None)`` or ``(None, [finding])``."""
    if not path.is_file():
        return None, _missing_file(path, where, "workbook")
    try:
        import openpyxl

        return openpyxl.load_workbook(path, read_only=True, data_only=True), None
    except Exception as exc:  # openpyxl raises many types for corrupt files (zip, xml, key errors)
        return None, [Finding("A002", "error", f"`{path.name}` cannot be read as XLSX: {type(exc).__name__}: {exc}",
                              where, REBUILD)]


def _sheet_rows(ws) -> list[list]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _as_count(v) -> int | None:
    if v is None or v == "":
        return 0
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)) and float(v).is_integer():
        return int(v)
    if isinstance(v, str) and v.strip().isdigit():
        return int(v.strip())
    return None


def _find_matrix(c: Corpus, rows: list[list]):
    """Locate a cell × domain matrix in a sheet: ``(domain column map, {cell id: row})`` or None."""
    domain_keys = {}
    for d in c.domains.values():
        domain_keys[squash(d.name)] = d.id
        domain_keys[d.id] = d.id
    cell_keys = {}
    for cell in c.cells.values():
        cell_keys[squash(cell.name)] = cell.id
        cell_keys[cell.id] = cell.id
    for hi, header in enumerate(rows):
        cols = {j: domain_keys[squash(v)] for j, v in enumerate(header) if isinstance(v, str) and squash(v) in domain_keys}
        if len(set(cols.values())) < max(1, len(c.domains) // 2):
            continue
        body: dict[str, list] = {}
        for row in rows[hi + 1:]:
            for v in row[:3]:
                if isinstance(v, str) and squash(v) in cell_keys:
                    body.setdefault(cell_keys[squash(v)], row)
                    break
        if body:
            return cols, body
    return None


# ---------------------------------------------------------------------- strategy matrix
def _strategy_matrix(c: Corpus, path: Path, where: Location) -> list[Finding]:
    wb, err = _open_xlsx(path, where)
    if err:
        return err
    rep = _Report(where)
    counted = listed = False
    try:
        for ws in wb.worksheets:
            found = _find_matrix(c, _sheet_rows(ws))
            if not found:
                continue
            cols, body = found
            values = [row[j] if j < len(row) else None for row in body.values() for j in cols]
            numeric = all(_as_count(v) is not None for v in values)
            if numeric and not counted:
                counted = True
                _compare_counts(c, ws.title, cols, body, rep)
            elif not numeric and not listed:
                listed = True
                _compare_listing(c, ws.title, cols, body, rep)
    finally:
        wb.close()
    if not counted and not listed:
        rep.add("A003", "no cell × domain matrix (rows 五级三类 cells, columns domains) found in any sheet", REBUILD)
    return rep.findings()


def _cell_rows(c: Corpus, sheet: str, body: dict, rep: _Report):
    """Yield ``(cell, row)`` for every 五级三类 cell that has a row in ``body``; report A003 for the others."""
    for cell in c.cells_sorted():
        row = body.get(cell.id)
        if row is None:
            rep.add("A003", f"sheet 「{sheet}」 has no row for cell `{cell.id}`（{cell.name}）", REBUILD)
            continue
        yield cell, row


def _compare_counts(c: Corpus, sheet: str, cols: dict, body: dict, rep: _Report) -> None:
    for cell, row in _cell_rows(c, sheet, body, rep):
        for j, did in cols.items():
            got = _as_count(row[j] if j < len(row) else None)
            want = len(c.measures_in(cell, did))
            if got != want:
                rep.add("A004", f"sheet 「{sheet}」 counts {got} measure(s) in {cell.name} × {c.domains[did].name}; "
                                f"the corpus has {want}", REBUILD)


def _compare_listing(c: Corpus, sheet: str, cols: dict, body: dict, rep: _Report) -> None:
    for cell, row in _cell_rows(c, sheet, body, rep):
        for j, did in cols.items():
            text = str(row[j] if j < len(row) and row[j] is not None else "")
            tokens = set(text.split())
            want = {ms.id for ms in c.measures_in(cell, did)}
            for mid in sorted(want - tokens):
                rep.add("A003", f"sheet 「{sheet}」 does not list measure `{mid}` under {cell.name} × "
                                f"{c.domains[did].name}", REBUILD)
            for tok in sorted(tokens - want):
                if ID_RE.match(tok) and tok.startswith("m-"):
                    rep.add("A005", f"sheet 「{sheet}」 lists `{tok}` under {cell.name} × {c.domains[did].name}, "
                                    "which is not a measure of that cell and domain", REBUILD)


# ---------------------------------------------------------------------- indicators.xlsx
def _indicators_xlsx(c: Corpus, path: Path, where: Location) -> list[Finding]:
    wb, err = _open_xlsx(path, where)
    if err:
        return err
    rep = _Report(where)
    try:
        best = None  # (hits, sheet title, column, rows)
        for ws in wb.worksheets:
            rows = _sheet_rows(ws)
            width = max((len(r) for r in rows), default=0)
            for j in range(width):
                hits = sum(1 for r in rows if j < len(r) and r[j] in c.indicators)
                if hits and (best is None or hits > best[0]):
                    best = (hits, ws.title, j, rows)
    finally:
        wb.close()
    if best is None:
        if c.indicators:
            rep.add("A003", f"no column of indicator ids found; {len(c.indicators)} indicator(s) missing", REBUILD)
        return rep.findings()
    _, sheet, j, rows = best
    seen: dict[str, int] = {}
    for r in rows:
        v = r[j] if j < len(r) else None
        if not isinstance(v, str):
            continue
        if v in c.indicators:
            seen[v] = seen.get(v, 0) + 1
            name = c.indicators[v].name
            if not any(isinstance(x, str) and squash(x) == squash(name) for x in r):
                rep.add("A004", f"sheet 「{sheet}」: the row of `{v}` does not show its name 「{name}」", REBUILD)
        elif ID_RE.match(v) and "-" in v:
            rep.add("A005", f"sheet 「{sheet}」 has a row for `{v}`, which is not an indicator in the source", REBUILD)
    for iid in c.indicators:
        n = seen.get(iid, 0)
        if n == 0:
            rep.add("A003", f"sheet 「{sheet}」 has no row for indicator `{iid}`", REBUILD)
        elif n > 1:
            rep.add("A004", f"sheet 「{sheet}」 has {n} rows for indicator `{iid}` (one expected)", REBUILD)
    return rep.findings()


# ---------------------------------------------------------------------- drafts
def _heading_found(number: str, title: str, paras: list[str]) -> bool:
    """Is ``number`` + ``title`` a heading in ``paras`` (squashed paragraph texts)?"""
    key = squash(number + title)
    for i, p in enumerate(paras):
        k = p.find(key)
        while k >= 0:
            before = p[k - 1] if k > 0 else ""
            after = p[k + len(key)] if k + len(key) < len(p) else ""
            if not (before.isdigit() or before == ".") and not (not title and (after.isdigit() or after == ".")):
                return True
            k = p.find(key, k + 1)
        if title and p == squash(number) and i + 1 < len(paras) and paras[i + 1].startswith(squash(title)):
            return True
    return False


def _is_toc(paragraph) -> bool:
    """Is a python-docx paragraph a 目次 (table of contents) entry (style ``toc N``/``TOC N``)?"""
    try:
        name = paragraph.style.name if paragraph.style is not None else ""
    except (KeyError, AttributeError, ValueError):
        return False
    return name.lower().startswith("toc")


def _docx(doc, path: Path, where: Location) -> list[Finding]:
    if not path.is_file():
        return _missing_file(path, where, "draft")
    try:
        import docx

        d = docx.Document(str(path))
        # 目次 entries repeat the headings: they must not stand in for a missing clause
        paras = [squash(p.text) for p in d.paragraphs if not _is_toc(p)]
        for t in d.tables:
            for row in t.rows:
                for cell in row.cells:
                    paras.extend(squash(p.text) for p in cell.paragraphs)
    except Exception as exc:  # python-docx raises zip/xml/key errors on corrupt files
        return [Finding("A002", "error", f"`{path.name}` cannot be read as DOCX: {type(exc).__name__}: {exc}",
                        where, REBUILD)]
    rep = _Report(where)
    paras = [p for p in paras if p]
    for sec in doc.walk():
        if not _heading_found(sec.number, sec.title, paras):
            shown = f"{sec.number} {sec.title}".strip()
            rep.add("A003", f"clause 「{shown}」 (`{sec.id}`) is not in the DOCX", REBUILD)
    for a in doc.annexes:
        if not any(squash(a.title) in p for p in paras):
            rep.add("A003", f"{a.label} 「{a.title}」 (`{a.id}`) is not in the DOCX", REBUILD)
    return rep.findings()


def pdf_text(path: Path) -> str:
    """Text of a PDF via ``pdftotext`` (poppler-utils); raises ``OSError``/``ValueError`` when it cannot."""
    exe = shutil.which("pdftotext")
    if not exe:
        raise OSError("pdftotext (poppler-utils) is not installed")
    with open(path, "rb") as fh:
        head = fh.read(5)
    if head != b"%PDF-":
        raise ValueError("not a PDF file")
    res = subprocess.run([exe, "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=120)
    if res.returncode != 0:
        raise ValueError(res.stderr.decode("utf-8", "replace").strip() or f"pdftotext exit {res.returncode}")
    return res.stdout.decode("utf-8", "replace")


def _pdf(doc, path: Path, where: Location) -> list[Finding]:
    if not path.is_file():
        return _missing_file(path, where, "draft")
    try:
        text = squash(pdf_text(path))
    except (OSError, ValueError, subprocess.SubprocessError) as exc:
        return [Finding("A002", "error", f"`{path.name}` cannot be read as PDF: {exc}", where, REBUILD)]
    rep = _Report(where)
    if squash(doc.title) not in text:
        rep.add("A003", f"the title 「{doc.title}」 is not in the PDF text", REBUILD)
    for sec in doc.sections:
        if squash(sec.number + sec.title) not in text:
            rep.add("A003", f"chapter 「{sec.number} {sec.title}」 (`{sec.id}`) is not in the PDF text", REBUILD)
    return rep.findings()


# ---------------------------------------------------------------------- site
def _site(c: Corpus, site: Path, loc) -> list[Finding]:
    if not site.is_dir():
        return [Finding("A001", "error", "the site folder `site/` is missing", loc("site"), "run `stdkit build`")]
    out: list[Finding] = []
    pages = [("standards", sid, st.title, "standard") for sid, st in c.standards.items()]
    pages += [("indicators", iid, ind.name, "indicator") for iid, ind in c.indicators.items()]
    for section, id_, title, kind in pages:
        rel = f"site/{section}/{id_}/index.html"
        page = site / section / id_ / "index.html"
        if not page.is_file():
            out.append(Finding("A001", "error", f"the site has no page for {kind} `{id_}`", loc(rel),
                               "run `stdkit build`"))
            continue
        try:
            text = html.unescape(page.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            out.append(Finding("A002", "error", f"page of {kind} `{id_}` cannot be read: {exc}", loc(rel), REBUILD))
            continue
        if squash(title) not in squash(text):
            out.append(Finding("A004", "error", f"the page of {kind} `{id_}` does not show its title 「{title}」",
                               loc(rel), REBUILD))
    return out
