#!/usr/bin/env python3
"""Write the demo corpus in data/ and its expectations manifest, deterministically.

Every story is public-domain novel text from ELTeC (cut and dressed as fan fiction of
that novel) or original writing from ``tools/_demo_texts.py``; every title, pseudonym,
summary, note, tag, date and id around it is invented. Run it from the repository root::

    .venv/bin/python tools/make_demo_corpus.py            # writes data/ and the manifest
    .venv/bin/python tools/make_demo_corpus.py --out DIR  # writes elsewhere (tests use this)

The ELTeC texts are read from ``../shared/corpus/eltec`` next to the checkout, or from
``--eltec DIR``. The same inputs always give byte-identical output (fixed dates, no
randomness, fixed zip timestamps).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import textwrap
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _demo_texts as own  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ELTEC = REPO.parent / "shared" / "corpus" / "eltec"
DEFAULT_OUT = REPO / "data"
DEFAULT_MANIFEST = REPO / "tools" / "demo_expectations.json"
ZIP_TIME = (2024, 1, 1, 0, 0, 0)  # fixed, so EPUB bytes do not depend on the clock
_HEADING = re.compile(
    r"^(CHAPTER|Chapter|FINALE|CAPÍTULO|Capítulo|Kapitel)\b|^[IVXLC]+\.?$"
    r"|^[A-ZÄÖÜ][a-zäöü]+es Kapitel$|^\d{1,2} de [A-Z][a-z]+$"
)

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "de": "Deutsch", "es": "Español"}


# ---------------------------------------------------------------------------- sources
class Eltec:
    """Paragraphs of ELTeC plain-text novels (one paragraph per line, blank-line separated)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @cache  # noqa: B019 - one instance per run; the cache is the point
    def paras(self, rel: str) -> tuple[str, ...]:
        text = (self.root / rel).read_text(encoding="utf-8")
        _header, _, rest = text.partition("\n\n")  # the Title/Author/... block
        return tuple(p.strip() for p in rest.split("\n") if p.strip())

    def take(self, rel: str, start: str, words: int, *, stop_at_heading: bool = True) -> list[str]:
        """Return paragraphs from the first one containing ``start`` until ``words`` words."""
        paras = self.paras(rel)
        i = next((k for k, p in enumerate(paras) if start in p), None)
        if i is None:
            raise SystemExit(f"make_demo_corpus: {rel}: no paragraph contains {start!r}")
        out: list[str] = []
        total = 0
        for p in paras[i:]:
            if out and stop_at_heading and _HEADING.match(p):
                break
            if _HEADING.match(p):
                continue
            out.append(p)
            total += len(p.split())
            if total >= words:
                break
        return out


def count(paras: Sequence[str]) -> int:
    return sum(len(p.split()) for p in paras)


def split_paras(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


# ---------------------------------------------------------------------------- model
@dataclass(frozen=True)
class Chapter:
    title: str
    paras: tuple[str, ...]
    summary: str = ""
    notes: str = ""
    end_notes: str = ""


@dataclass
class Spec:
    """One demo story: what the file says and what a parser should get back."""

    path: str
    writer: str
    format: str
    title: str
    authors: list[str]
    fandoms: list[str]
    pairings: list[tuple[str, str]]  # (as the file writes it, as the record should hold it)
    rating: str  # as the file writes it ("" = no rating line)
    rating_ao3: str
    language: str
    chapters: list[Chapter]
    characters: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    notes: str = ""
    published: str | None = None
    updated: str | None = None
    complete: bool | None = None
    total_chapters: int | None = None  # None = unknown ("?")
    url: str | None = None
    source: str = ""  # credit line for data/README.md
    shows: str = ""  # what the file demonstrates, for data/README.md
    opt: dict = field(default_factory=dict)  # writer-specific details
    lenient: dict = field(default_factory=dict)  # field -> other acceptable values
    excludes: list[str] = field(default_factory=list)  # strings that must stay out of body

    @property
    def paras(self) -> list[str]:
        return [p for c in self.chapters for p in c.paras]

    @property
    def words(self) -> int:
        return count(self.paras)


def one(title: str, paras: Sequence[str]) -> list[Chapter]:
    return [Chapter(title, tuple(paras))]


# ---------------------------------------------------------------------------- helpers
def esc(s: str) -> str:
    return html.escape(s, quote=True)


def esc_text(s: str) -> str:
    # AO3 and FanFicFare write text nodes with &#39; for apostrophes only inside attributes;
    # in text they escape <, > and & (and quotes as &quot; only in attributes).
    return html.escape(s, quote=False)


def ascii_fold(s: str) -> str:
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


def cut24(s: str) -> str:
    """AO3's 2019-2022 <title>/file-name part: ASCII, no punctuation, cut to 24 at a word."""
    s = re.sub(r"[^A-Za-z0-9 _\-]", "", ascii_fold(s))
    s = re.sub(r"\s+", " ", s).strip()
    if len(s) <= 24:
        return s
    cut = s[:24]
    if s[24] != " " and " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip()


def ao3_tag_url(host: str, tag: str) -> str:
    t = tag
    for a, b in (("/", "*s*"), ("&", "*a*"), (".", "*d*"), ("?", "*q*"), ("#", "*h*")):
        t = t.replace(a, b)
    return f"{host}/tags/{quote(t)}"


def split_author(display: str) -> tuple[str, str]:
    m = re.fullmatch(r"(.+?) \((.+)\)", display)
    return (m.group(1), m.group(2)) if m else (display, display)


def p_html(paras: Sequence[str], cls: str = "", indent: str = "  ") -> str:
    c = f' class="{cls}"' if cls else ""
    return "\n".join(f"{indent}<p{c}>{esc_text(p)}</p>" for p in paras)


def wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [""]


def zip_write(path: Path, members: list[tuple[str, str | bytes]]) -> None:
    """Write an EPUB: ``mimetype`` first and stored, everything else deflated, fixed times."""
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)


def fixed_uuid(s: Spec) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "searchfic-demo:" + s.path))


CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
   <rootfiles>
      <rootfile full-path="{opf}" media-type="application/oebps-package+xml"/>
   </rootfiles>
</container>
"""


# ---------------------------------------------------------------------------- AO3
class Ao3:
    """The pieces of an AO3 download, for the HTML file and the calibre-made EPUB."""

    def __init__(self, s: Spec, era: str) -> None:
        self.s, self.era = s, era
        self.current = era == "current"
        self.host = "https://archiveofourown.org" if self.current else "http://archiveofourown.org"
        self.work_url = f"{self.host}/works/{s.opt['work_id']}"

    def label(self, singular: str, plural: str, n: int) -> str:
        return plural if (self.current and n > 1) else singular

    def dd(self, tags: Sequence[str]) -> str:
        return ", ".join(
            f'<a href="{esc(ao3_tag_url(self.host, t))}">{esc_text(t)}</a>' for t in tags
        )

    def chaptered(self) -> bool:
        return not (len(self.s.chapters) == 1 and self.s.total_chapters == 1)

    def tag_rows(self) -> list[tuple[str, str]]:
        s = self.s
        rows = [("Rating:", self.dd([s.rating]))]
        rows.append(
            (
                self.label("Archive Warning:", "Archive Warnings:", len(s.warnings)),
                self.dd(s.warnings),
            )
        )
        if s.categories:
            rows.append(
                (self.label("Category:", "Categories:", len(s.categories)), self.dd(s.categories))
            )
        rows.append((self.label("Fandom:", "Fandoms:", len(s.fandoms)), self.dd(s.fandoms)))
        if s.pairings:
            rels = [w for w, _ in s.pairings]
            rows.append((self.label("Relationship:", "Relationships:", len(rels)), self.dd(rels)))
        if s.characters:
            rows.append(
                (self.label("Character:", "Characters:", len(s.characters)), self.dd(s.characters))
            )
        if s.tags:
            rows.append(("Additional Tags:", self.dd(s.tags)))
        return rows

    def stats(self) -> str:
        s = self.s
        n, total = len(s.chapters), s.total_chapters
        chap = f"{n}/{total if total else '?'}"
        lines = [f"Published: {s.published}"]
        if self.current:
            if s.updated:
                lines.append(f"{'Completed' if s.complete else 'Updated'}: {s.updated}")
            lines.append(f"Words: {s.words:,}")
            lines.append(f"Chapters: {chap}")
        else:
            if s.updated:
                lines.append(f"{'Completed' if s.complete else 'Updated'}: {s.updated}")
            if self.chaptered():
                lines.append(f"Chapters: {chap}")
            lines.append(f"Words: {s.words}")
        return "\n".join("        " + x for x in lines)

    def title_element(self) -> str:
        s = self.s
        logins = [split_author(a)[1] for a in s.authors]
        if self.current:
            fandom = "Multifandom" if len(s.fandoms) > 3 else ", ".join(s.fandoms)
            return f"{s.title} - {', '.join(s.authors)} - {fandom}"
        return " - ".join([cut24(s.title), cut24(", ".join(logins)), cut24(s.fandoms[0])])

    def byline(self) -> str:
        links = []
        for a in self.s.authors:
            pseud, login = split_author(a)
            href = f"{self.host}/users/{quote(login)}/pseuds/{quote(pseud)}"
            links.append(f'<a rel="author" href="{esc(href)}">{esc_text(a)}</a>')
        return "by " + ", ".join(links)

    def chapter_heading(self, i: int, c: Chapter) -> str:
        if self.current:
            return f"Chapter {i}: {c.title}" if c.title else f"Chapter {i}"
        return c.title or f"Chapter {i}"

    def message_end(self) -> str:
        if self.current:
            return (
                f'Please <a href="{self.work_url}/comments/new">drop by the Archive and comment</a>'
                " to let the creator know if you enjoyed their work!"
            )
        return (
            f'Please <a href="{self.work_url}/comments/new">drop by the archive and comment</a>'
            " to let the author know if you enjoyed their work!"
        )

    def endnote_link(self, target: str, what: str) -> str:
        if self.current:
            return f'See the end of the {what} for <a href="{target}">more notes</a>'
        return f'See the end of the {what} for more <a href="{target}">notes</a>'


def ao3_html(s: Spec, era: str) -> bytes:
    a = Ao3(s, era)
    dl = []
    for dt, dd in a.tag_rows():
        dl.append(f"          <dt>{dt}</dt>\n          <dd>{dd}</dd>")
    if a.current:
        dl.append(f"\n        <dt>Language:</dt>\n        <dd>{LANGUAGE_NAMES[s.language]}</dd>\n")
    if s.opt.get("series"):
        name, part, sid = s.opt["series"]
        dl.append(
            f"        <dt>Series:</dt>\n        <dd>Part {part} of "
            f'<a href="{a.host}/series/{sid}">{esc_text(name)}</a></dd>'
        )
    dl.append(f"      <dt>Stats:</dt>\n      <dd>\n{a.stats()}\n      </dd>")
    pre = []
    if s.summary:
        pre.append(
            '      <p>Summary</p>\n      <blockquote class="userstuff">'
            + "".join(f"<p>{esc_text(x)}</p>" for x in split_paras(s.summary))
            + "</blockquote>"
        )
    if s.notes:
        pre.append(
            '      <p>Notes</p>\n        <blockquote class="userstuff">'
            + "".join(f"<p>{esc_text(x)}</p>" for x in split_paras(s.notes))
            + "</blockquote>"
        )
        if s.opt.get("end_notes"):
            pre.append(
                f'        <div class="endnote-link">\n          {a.endnote_link("#endnotes", "work")}\n        </div>'
            )
    body: list[str] = []
    if not a.chaptered():
        body.append(f'    <h2 class="toc-heading">{esc_text(s.title)}</h2>')
        body.append(
            '    <div class="userstuff">\n'
            + p_html(s.chapters[0].paras, indent="      ")
            + "\n    </div>"
        )
    else:
        for i, c in enumerate(s.chapters, 1):
            meta = [
                f'<div class="meta group">\n  <h2 class="heading">\n      {esc_text(a.chapter_heading(i, c))}\n  </h2>'
            ]
            if c.summary:
                meta.append(
                    f'    <p>Chapter Summary</p>\n    <blockquote class="userstuff"><p>{esc_text(c.summary)}</p></blockquote>'
                )
            if c.notes:
                meta.append(
                    f'    <p>Chapter Notes</p>\n      <blockquote class="userstuff"><p>{esc_text(c.notes)}</p></blockquote>'
                )
                if c.end_notes:
                    meta.append(
                        f'      <div class="endnote-link">\n        {a.endnote_link(f"#endnotes{i}", "chapter")}\n      </div>'
                    )
            body.append("\n".join(meta) + "\n</div>\n")
            body.append(
                '<!--chapter content-->\n<div class="userstuff">\n'
                + p_html(c.paras)
                + "\n</div>\n<!--/chapter content-->\n"
            )
            if c.end_notes:
                body.append(
                    f'  <div class="meta" id="endnotes{i}">\n    <p>Chapter End Notes</p>\n    <blockquote class="userstuff"><p>{esc_text(c.end_notes)}</p></blockquote>\n  </div>\n'
                )
    after = []
    if s.opt.get("end_notes"):
        after.append(
            '    <div class="meta">\n        <div id="endnotes">\n          <p>End Notes</p>\n'
            f'          <blockquote class="userstuff"><p>{esc_text(s.opt["end_notes"])}</p></blockquote>\n'
            "        </div>\n    </div>"
        )
    style = (
        "p.message{text-align:center}.meta h1{font-size:1.5em;text-align:center}"
        ".meta .byline{text-align:center}.meta dl.tags{border:1px solid;padding:1em}"
        ".meta dd{margin:-1em 0 0 10em}.toc-heading{display:none}"
    )
    doc = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
<head>
  <meta charset="utf-8"/>
  <meta http-equiv="x-ua-compatible" content="ie=edge"/>
  <title>{esc_text(a.title_element())}</title>
  <style type="text/css">{style}</style>
</head>
<body>

<div id="preface">
  <h2 class="toc-heading">Preface</h2>

  <p class="message">
    <b>{esc_text(s.title)}</b><br/>
    Posted originally on the <a href="{a.host}/">Archive of Our Own</a> at <a href="{a.work_url}">{a.work_url}</a>.
  </p>

  <div class="meta">
    <dl class="tags">
{chr(10).join(dl)}
    </dl>
    <h1>{esc_text(s.title)}</h1>
    <div class="byline">{a.byline()}</div>
{chr(10).join(pre)}
  </div>
</div>

<div id="chapters" class="userstuff">
{chr(10).join(body)}
</div>

<div id="afterword">
  <h2 class="toc-heading">Afterword</h2>
{chr(10).join(after)}
  <p class="message">{a.message_end()}</p>
</div>

</body>
</html>
"""
    return doc.encode("utf-8")


def _calibre_page(title: str, inner: str) -> str:
    return f"""<?xml version='1.0' encoding='utf-8'?>
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
  <head>
    <meta http-equiv="x-ua-compatible" content="ie=edge"/>
    <title>{esc_text(title)}</title>
    <meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>
  <link rel="stylesheet" type="text/css" href="stylesheet.css"/>
<link rel="stylesheet" type="text/css" href="page_styles.css"/>
</head>
  <body class="calibre">
{inner}
</body>
</html>
"""


def ao3_epub(s: Spec, path: Path) -> None:
    """An AO3 EPUB as calibre's ebook-convert shapes it (formats.md section 2)."""
    a = Ao3(s, "current")
    stem = ascii_fold(s.title).replace(" ", "_")
    stem = cut24(stem.replace("_", " ")).replace(" ", "_")
    title_el = a.title_element()
    pages: list[str] = []
    rows = "\n".join(
        f'          <dt class="calibre3">{dt}</dt>\n          <dd class="calibre4">{dd}</dd>'
        for dt, dd in a.tag_rows()
    )
    pages.append(f"""<div id="preface" class="calibre1">
  <h2 class="toc-heading" id="calibre_toc_1">Preface</h2>

  <p class="message">
    <b class="calibre2">{esc_text(s.title)}</b><br class="calibre1"/>
    Posted originally on the <a href="{a.host}/">Archive of Our Own</a> at <a href="{a.work_url}">{a.work_url}</a>.
  </p>

  <div class="calibre1">
    <dl class="tags">
{rows}

        <dt class="calibre3">Language:</dt>
        <dd class="calibre4">{LANGUAGE_NAMES[s.language]}</dd>

      <dt class="calibre3">Stats:</dt>
      <dd class="calibre4">
{a.stats()}
      </dd>
    </dl>
    </div>
</div>""")
    summ = "".join(f'<p class="calibre6">{esc_text(x)}</p>' for x in split_paras(s.summary))
    notes = "".join(f'<p class="calibre6">{esc_text(x)}</p>' for x in split_paras(s.notes))
    p1 = f"""<div id="preface" class="calibre1">
<div class="calibre1">
<h1 class="calibre5" id="calibre_pb_1">{esc_text(s.title)}</h1>
    <div class="byline">{a.byline()}</div>
      <p class="calibre6">Summary</p>
      <blockquote class="userstuff">{summ}</blockquote>"""
    if notes:
        p1 += f"""

      <p class="calibre6">Notes</p>
        <blockquote class="userstuff">{notes}</blockquote>"""
    p1 += """

  </div>
</div>

<div id="chapters" class="userstuff1">

<div class="calibre1">
  <div class="calibre8" id="calibre_pb_2"></div>
</div>

</div>"""
    pages.append(p1)
    for i, c in enumerate(s.chapters, 1):
        if a.chaptered():
            meta = f'<h2 class="heading" id="calibre_toc_{i + 1}">\n      {esc_text(a.chapter_heading(i, c))}\n  </h2>'
            if c.summary:
                meta += f'\n\n    <p class="calibre6">Chapter Summary</p>\n    <blockquote class="userstuff"><p class="calibre6">{esc_text(c.summary)}</p></blockquote>'
            if c.notes:
                meta += f'\n\n    <p class="calibre6">Chapter Notes</p>\n      <blockquote class="userstuff"><p class="calibre6">{esc_text(c.notes)}</p></blockquote>'
            inner = f"""<div id="chapters" class="userstuff1">
<div class="calibre1">
{meta}
</div>

<!--chapter content-->
<div class="userstuff1">
{p_html(c.paras, "calibre6")}
</div>
<!--/chapter content-->
"""
            if c.end_notes:
                inner += f'\n  <div class="calibre1" id="endnotes{i}">\n    <p class="calibre6">Chapter End Notes</p>\n    <blockquote class="userstuff"><p class="calibre6">{esc_text(c.end_notes)}</p></blockquote>\n  </div>\n'
            inner += "\n</div>"
        else:
            inner = f"""<div id="chapters" class="userstuff1">
    <h2 class="toc-heading" id="calibre_toc_2">{esc_text(s.title)}</h2>
    <div class="userstuff1">
{p_html(c.paras, "calibre6", "      ")}
    </div>
</div>"""
        pages.append(inner)
    end = ""
    if s.opt.get("end_notes"):
        end = f"""
    <div class="calibre1">
        <div id="endnotes" class="calibre1">
          <p class="calibre6">End Notes</p>
          <blockquote class="userstuff"><p class="calibre6">{esc_text(s.opt["end_notes"])}</p></blockquote>
        </div>
    </div>
"""
    pages.append(f"""<div id="afterword" class="calibre1">
<h2 class="toc-heading" id="calibre_toc_{len(s.chapters) + 2}">Afterword</h2>
{end}
  <p class="message">{a.message_end()}</p>
</div>""")
    names = [f"{stem}_split_{k:03d}.html" for k in range(len(pages))]
    uid = fixed_uuid(s)
    subjects = ["Fanworks", s.rating, *s.warnings, *s.categories, *s.fandoms]
    subjects += [w for w, _ in s.pairings] + s.characters + s.tags
    creators = ", ".join(s.authors)
    desc = esc("".join(f"<p>{esc_text(x)}</p>" for x in split_paras(s.summary)))
    opf = f"""<?xml version='1.0' encoding='utf-8'?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="uuid_id">
  <metadata xmlns:opf="http://www.idpf.org/2007/opf" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:calibre="http://calibre.kovidgoyal.net/2009/metadata">
    <dc:title>{esc_text(s.title)}</dc:title>
    <meta name="calibre:timestamp" content="{s.updated or s.published}T12:00:00+00:00"/>
    <dc:language>{s.language}</dc:language>
    <dc:creator opf:role="aut">{esc_text(creators)}</dc:creator>
    <dc:identifier id="uuid_id" opf:scheme="uuid">{uid}</dc:identifier>
    <dc:description>{desc}</dc:description>
    <dc:publisher>Archive of Our Own</dc:publisher>
{chr(10).join(f"    <dc:subject>{esc_text(x)}</dc:subject>" for x in subjects)}
    <dc:date>{s.updated or s.published}T00:00:00+00:00</dc:date>
  </metadata>
  <manifest>
{chr(10).join(f'    <item id="html{len(names) - k}" href="{n}" media-type="application/xhtml+xml"/>' for k, n in enumerate(names))}
    <item id="page_css" href="page_styles.css" media-type="text/css"/>
    <item id="css" href="stylesheet.css" media-type="text/css"/>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
  </manifest>
  <spine toc="ncx">
{chr(10).join(f'    <itemref idref="html{len(names) - k}"/>' for k in range(len(names)))}
  </spine>
</package>
"""
    nav = [("Preface", names[0])]
    for i, c in enumerate(s.chapters, 1):
        nav.append((a.chapter_heading(i, c) if a.chaptered() else s.title, names[i + 1]))
    nav.append(("Afterword", names[-1]))
    ncx = _ncx(uid, s.title, nav, generator="calibre (6.13.0)")
    members: list[tuple[str, str | bytes]] = [
        ("mimetype", "application/epub+zip"),
        ("META-INF/container.xml", CONTAINER.format(opf="content.opf")),
    ]
    members += [(n, _calibre_page(title_el, p)) for n, p in zip(names, pages, strict=True)]
    members += [
        ("content.opf", opf),
        ("page_styles.css", "@page { margin-bottom: 5pt; margin-top: 5pt }\n"),
        (
            "stylesheet.css",
            ".calibre { display: block }\n.calibre6 { display: block; margin: 1em 0 }\n",
        ),
        ("toc.ncx", ncx),
    ]
    zip_write(path, members)


def _ncx(uid: str, title: str, nav: list[tuple[str, str]], generator: str = "") -> str:
    points = "\n".join(
        f"""    <navPoint id="np{k}" playOrder="{k}">
      <navLabel>
        <text>{esc_text(label)}</text>
      </navLabel>
      <content src="{src}"/>
    </navPoint>"""
        for k, (label, src) in enumerate(nav, 1)
    )
    gen = f'\n    <meta name="dtb:generator" content="{generator}"/>' if generator else ""
    return f"""<?xml version='1.0' encoding='utf-8'?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
  <head>
    <meta name="dtb:uid" content="{esc(uid)}"/>
    <meta name="dtb:depth" content="1"/>{gen}
    <meta name="dtb:totalPageCount" content="0"/>
    <meta name="dtb:maxPageNumber" content="0"/>
  </head>
  <docTitle>
    <text>{esc_text(title)}</text>
  </docTitle>
  <navMap>
{points}
  </navMap>
</ncx>
"""


# ---------------------------------------------------------------------------- FanFicFare
def fff_site(s: Spec) -> tuple[str, str, str]:
    """Return (publisher host, story URL, author URL) for the FanFicFare source site."""
    sid, uid = s.opt["story_id"], s.opt["author_id"]
    if s.opt["site"] == "ao3":
        login = split_author(s.authors[0])[1]
        return (
            "archiveofourown.org",
            f"https://archiveofourown.org/works/{sid}",
            f"https://archiveofourown.org/users/{login}/pseuds/{login}",
        )
    return (
        "www.fanfiction.net",
        f"https://www.fanfiction.net/s/{sid}/1/",
        f"https://www.fanfiction.net/u/{uid}/",
    )


def fff_entries(s: Spec) -> list[tuple[str, str]]:
    """FanFicFare's title-page entries, in its order, as plain text."""
    publisher, story_url, author_url = fff_site(s)
    genre = list(s.tags) + (list(s.categories) if s.opt["site"] == "ao3" else [])
    e: list[tuple[str, str]] = []
    if s.opt.get("series"):
        e.append(("Series", s.opt["series"]))
    e.append(("Category", ", ".join(s.fandoms)))
    if genre:
        e.append(("Genre", ", ".join(genre)))
    if s.opt.get("fff_language", True):
        e.append(
            (
                "Language",
                {"en": "English", "fr": "Français", "de": "Deutsch", "es": "Español"}[s.language],
            )
        )
    if s.characters:
        e.append(("Characters", ", ".join(s.characters)))
    if s.pairings:
        e.append(("Relationships", ", ".join(w for w, _ in s.pairings)))
    e.append(("Status", "Completed" if s.complete else "In-Progress"))
    e.append(("Published", s.published or ""))
    e.append(("Updated", s.updated or s.published or ""))
    e.append(("Packaged", s.opt.get("packaged", "2024-05-04 18:22:10")))
    e.append(("Rating", s.rating))
    if s.warnings:
        e.append(("Warnings", ", ".join(s.warnings)))
    e.append(("Chapters", str(len(s.chapters))))
    e.append(("Words", f"{s.words:,}"))
    e.append(("Publisher", publisher))
    e.append(("Story URL", story_url))
    e.append(("Author URL", author_url))
    return e


def fff_txt(s: Spec) -> bytes:
    out: list[str] = ["", "", ""]
    out += wrap(s.title, 78)
    out += ["", "by " + ", ".join(s.authors), "", "", ""]
    for label, value in fff_entries(s):
        out += wrap(f"{label}: {value}", 78)
    summ = split_paras(s.summary)
    out += wrap("Summary: " + summ[0], 78)
    for para in summ[1:]:
        out += [""] + wrap(para, 78)
    out += ["", "", "", "", ""]
    if len(s.chapters) > 1:
        out += ["TABLE OF CONTENTS", "", ""]
        for c in s.chapters:
            out += [c.title, ""]
        out += ["", "", ""]
    for c in s.chapters:
        out += ["        " + c.title, "", ""]
        for para in c.paras:
            out += wrap(para, 78) + [""]
        out += ["", "", ""]
    out += ["End file.", ""]
    return ("\r\n".join(out) + "\r\n").encode("utf-8")


FFF_CSS = """body { background-color: #ffffff; }
.CI {
text-align:center;
margin-top:0px;
margin-bottom:0px;
padding:0px;
}
.center   {text-align: center;}
.full     {width: 100%; }
"""


def _fff_value_html(label: str, value: str, s: Spec) -> str:
    if label == "Series":
        return f"<a class='serieslink' href='{fff_site(s)[1]}'>{esc_text(value)}</a>"
    return esc_text(value)


def _fff_summary_html(s: Spec) -> str:
    paras = split_paras(s.summary)
    rest = "".join(f"\n<p>\n{esc_text(x)}\n</p>" for x in paras[1:])
    return f"<div>{esc_text(paras[0])}{rest}</div>"


def fff_html(s: Spec) -> bytes:
    _, story_url, author_url = fff_site(s)
    authors = ", ".join(s.authors)
    rows = "\n".join(
        f"<tr><td><b>{label}:</b></td><td>{_fff_value_html(label, value, s)}</td></tr>\n"
        for label, value in fff_entries(s)
    )
    rows += f"\n<tr><td><b>Summary:</b></td><td>{_fff_summary_html(s)}</td></tr>\n"
    toc = "".join(
        f'\n<a href="#section{k:04d}">{esc_text(c.title)}</a><br />\n'
        for k, c in enumerate(s.chapters, 1)
    )
    chapters = "".join(
        f'\n<a name="section{k:04d}"><h2>{esc_text(c.title)}</h2></a>\n<div>\n'
        + "\n".join(f"<p>{esc_text(p)}</p>" for p in c.paras)
        + "\n</div>\n"
        for k, c in enumerate(s.chapters, 1)
    )
    doc = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8">
<title>{esc_text(s.title)} by {esc_text(authors)}</title>
<style type="text/css">
{FFF_CSS}</style>
</head>
<body>
<h1><a href="{esc(story_url)}">{esc_text(s.title)}</a> by <a class='authorlink' href='{esc(author_url)}'>{esc_text(authors)}</a></h1>

<table class="full">

{rows}
</table>

<a name="TOCTOP"><h2>Table of Contents</h2></a>
<p>
{toc}
</p>
{chapters}
</body>
</html>
"""
    return doc.encode("utf-8")


def fff_epub(s: Spec, path: Path) -> None:
    publisher, story_url, author_url = fff_site(s)
    authors = ", ".join(s.authors)
    uid = f"fanficfare-uid:{publisher}-u{s.opt['author_id']}-s{s.opt['story_id']}"
    title_rows = "\n".join(
        f"<b>{label}:</b> {_fff_value_html(label, value, s)}<br />\n"
        for label, value in fff_entries(s)
    )
    title_page = f"""<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<title>{esc_text(s.title)} by {esc_text(authors)}</title>
<link href="stylesheet.css" type="text/css" rel="stylesheet"/>
</head>
<body class="fff_titlepage">
<h3><a href="{esc(story_url)}">{esc_text(s.title)}</a> by <a class='authorlink' href='{esc(author_url)}'>{esc_text(authors)}</a></h3>
<div>

{title_rows}
<b>Summary:</b> {_fff_summary_html(s)}<br />

</div>

</body>
</html>
"""
    files: list[tuple[str, str]] = [("OEBPS/title_page.xhtml", title_page)]
    for k, c in enumerate(s.chapters, 1):
        t = esc(c.title)
        files.append(
            (
                f"OEBPS/file{k:04d}.xhtml",
                f"""<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<title>{esc_text(c.title)}</title>
<link href="stylesheet.css" type="text/css" rel="stylesheet"/>
<meta name="chapterorigtitle" content="{t}" />
<meta name="chaptertoctitle" content="{t}" />
<meta name="chaptertitle" content="{t}" />
</head>
<body class="fff_chapter">
<h3 class="fff_chapter_title">{esc_text(c.title)}</h3>
<div>
{chr(10).join(f"<p>{esc_text(p)}</p>" for p in c.paras)}
</div>
</body>
</html>
""",
            )
        )

    def dbl(x: str) -> str:  # FanFicFare escapes some OPF values twice (formats.md section 3)
        return esc_text(esc_text(x))

    genre = list(s.tags) + (list(s.categories) if s.opt["site"] == "ao3" else [])
    subjects = ["FanFiction", *genre, *s.fandoms, *s.characters]
    subj = [f"\t\t<dc:subject>{esc_text(x)}</dc:subject>" for x in subjects]
    subj += [f"\t\t<dc:subject>{dbl(w)}</dc:subject>" for w, _ in s.pairings]
    upd = s.updated or s.published or ""
    subj += [
        f"\t\t<dc:subject>Last Update Year/Month: {upd[:4]}/{upd[5:7]}</dc:subject>",
        f"\t\t<dc:subject>Last Update: {upd.replace('-', '/')}</dc:subject>",
        f"\t\t<dc:subject>{'Completed' if s.complete else 'In-Progress'}</dc:subject>",
    ]
    desc = esc_text("\n\n".join(split_paras(s.summary)))
    creators = "\n".join(f'\t\t<dc:creator opf:role="aut">{dbl(a)}</dc:creator>' for a in s.authors)
    manifest = "\n".join(
        f'\t\t<item id="{Path(n).stem}" href="{n}" media-type="application/xhtml+xml"/>'
        for n, _ in files
    )
    spine = "\n".join(f'\t\t<itemref idref="{Path(n).stem}" linear="yes"/>' for n, _ in files)
    opf = f"""<?xml version="1.0" encoding="utf-8"?>
<package version="2.0" xmlns="http://www.idpf.org/2007/opf" unique-identifier="fanficfare-uid">
	<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
		<dc:identifier id="fanficfare-uid">{uid}</dc:identifier>
		<dc:title id="id">{esc_text(s.title)}</dc:title>
{creators}
		<dc:contributor id="id-2">FanFicFare [https://github.com/JimmXinu/FanFicFare]</dc:contributor>
		<dc:language>{s.language}</dc:language>
		<dc:date opf:event="publication">{s.published}</dc:date>
		<dc:date opf:event="creation">{s.opt.get("packaged", "2024-05-04")[:10]}</dc:date>
		<dc:date opf:event="modification">{upd}</dc:date>
		<dc:description>{desc}</dc:description>
{chr(10).join(subj)}
		<dc:publisher>{publisher}</dc:publisher>
		<dc:identifier opf:scheme="URL">{esc_text(story_url)}</dc:identifier>
		<dc:source>{esc_text(story_url)}</dc:source>
	</metadata>
	<manifest>
		<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
		<item id="style" href="OEBPS/stylesheet.css" media-type="text/css"/>
{manifest}
	</manifest>
	<spine toc="ncx">
{spine}
	</spine>
</package>
"""
    nav = [("Title Page", "OEBPS/title_page.xhtml")] + [
        (c.title, f"OEBPS/file{k:04d}.xhtml") for k, c in enumerate(s.chapters, 1)
    ]
    members: list[tuple[str, str | bytes]] = [
        ("mimetype", "application/epub+zip"),
        ("META-INF/container.xml", CONTAINER.format(opf="content.opf")),
        ("OEBPS/stylesheet.css", FFF_CSS),
        *files,
        ("content.opf", opf),
        ("toc.ncx", _ncx(uid, s.title, nav)),
    ]
    zip_write(path, members)


# ---------------------------------------------------------------------------- classic text
def classic_text(s: Spec) -> bytes:
    """A plain-text story with a classic header block (formats.md section 4)."""
    o = s.opt
    sep = o.get("sep", ": ")
    deco = o.get("deco", "plain")
    lines: list[str] = list(o.get("preamble", []))
    header: list[str] = []
    for entry in o["header"]:
        if isinstance(entry, str):  # a raw line ("Written by X", "DO NOT ARCHIVE")
            header.append(entry)
            continue
        label, value = entry
        if deco == "caps":
            head = label.upper() + sep
        elif deco == "brackets":
            head = f"[{label}] "
        elif deco == "bold":
            head = f"**{label}:** "
        else:
            head = label + sep
        header.append(head + value)
    hw = o.get("wrap_header")
    if o.get("reflow"):  # all labels run together, then hard-wrapped (formats.md 4.2)
        header = wrap(" ".join(header), hw or 72)
    elif hw:
        header = [w for h in header for w in wrap(h, hw)]
    if o.get("blank_between"):
        header = [x for h in header for x in (h, "")][:-1]
    lines += header
    lines += [""]
    if o.get("separator"):
        lines += [o["separator"], ""]
    bw = o.get("wrap_body")
    for p in s.paras:
        lines += (wrap(p, bw) if bw else [p]) + [""]
    lines += list(o.get("footer", []))
    eol = o.get("eol", "\n")
    text = eol.join(lines)
    if o.get("final_newline", True):
        text += eol
    return encode(text, o.get("encoding", "utf-8"))


def encode(text: str, encoding: str) -> bytes:
    if encoding == "mojibake":  # UTF-8 bytes read as cp1252 and saved again as UTF-8
        return text.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    if encoding == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode(encoding)


def saved_page(s: Spec) -> bytes:
    """A saved web page's text, shaped like a site-builder page (top/bottom of page chrome)."""
    o = s.opt
    out = ["top of page", "", s.title, "", "", "", f"FANDOM: {s.fandoms[0]}", ""]
    out += [f"PAIRING: {s.pairings[0][0]}", "", "", f"RATING: {s.rating} {o['rating_prose']}", ""]
    out += [f"LEGAL STUFF: {o['legal']}", "", f"SPOILER: {o['spoiler']}", ""]
    out += [f"SUMMARY FOR STORY: {s.summary}", "", "", f"FEEDBACK: {o['feedback']}", ""]
    for p in s.paras:
        out += [p, ""]
    out += ["", "Recent Posts", "", "See All", "", ""]
    for t in own.TEASERS:
        out += [t, "", ""]
    out = out[:-1]
    out += [
        f"© {o['footer_year']} {o['footer_name']} ",
        "",
        f"Website Design by {o['designer']}",
        "",
    ]
    out += ["bottom of page"]
    return "\n".join(out).encode("utf-8")  # no final newline, as saved pages often have


# ---------------------------------------------------------------------------- generic HTML
def journal_entry(s: Spec) -> bytes:
    """A LiveJournal/Dreamwidth-style entry: bold labels, a cut, tags and comments around."""
    o = s.opt
    labels = "\n".join(f"<b>{esc_text(k)}:</b> {esc_text(v)}<br />" for k, v in o["header"])
    story = "\n".join(f"<p>{esc_text(p)}</p>" for p in s.paras)
    doc = f"""<!DOCTYPE html>
<html lang="{s.language}">
<head>
<meta charset="utf-8">
<title>{esc_text(o["journal"])}: {esc_text(o["subject"])}</title>
<link rel="stylesheet" href="/static/journal.css">
</head>
<body>
<div id="header"><a href="/">{esc_text(o["journal"])}</a> | <a href="/profile">Profile</a> | <a href="/archive">Archive</a> | <a href="/tag/">Tags</a></div>
<div class="entry">
<h3 class="entry-title"><a href="{esc(o["entry_url"])}">{esc_text(o["subject"])}</a></h3>
<div class="datetime">{esc_text(o["when"])}</div>
<div class="entry-content">
{labels}
<br />
<a name="cutid1"></a>
{story}
<p>~fin~</p>
</div>
<div class="tag">Tags: {", ".join(f'<a href="/tag/{quote(t)}">{esc_text(t)}</a>' for t in o["journal_tags"])}</div>
<div class="comments"><a href="{esc(o["entry_url"])}#comments">7 comments</a> | <a href="{esc(o["entry_url"])}?mode=reply">Leave a comment</a></div>
</div>
<div class="sidebar"><h4>Recent Entries</h4><ul><li><a href="/2009/03/01/">FIC: A Study in Lamplight (Holmes/Lestrade, G)</a></li><li><a href="/2009/02/11/">meme: ten favourite cases</a></li></ul></div>
<div id="footer">Powered by a journal site that no longer exists. Page saved for offline reading.</div>
</body>
</html>
"""
    return doc.encode("utf-8")


def efiction_page(s: Spec) -> bytes:
    """An eFiction 'printable' story page: span.label fields, site chrome, latin-1 bytes."""
    o = s.opt
    fields = "\n".join(
        f'<span class="label">{esc_text(k)}:</span> {esc_text(v)}<br />' for k, v in o["header"]
    )
    story = "\n".join(f"<p>{esc_text(p)}</p>" for p in s.paras)
    doc = f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html lang="{s.language}">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={o["charset"]}">
<title>{esc_text(o["site"])} :: {esc_text(s.title)}</title>
</head>
<body>
<div id="menu"><a href="index.php">Startseite</a> | <a href="browse.php">Geschichten</a> | <a href="search.php">Suche</a> | <a href="authors.php">Autorinnen</a></div>
<div id="pagetitle"><b>{esc_text(s.title)}</b> by <a href="viewuser.php?uid={o["uid"]}">{esc_text(s.authors[0])}</a></div>
<div class="content">
<span class="label">Summary:</span> {esc_text(s.summary)}<br />
{fields}
</div>
<div class="chaptertitle"><b>{esc_text(s.chapters[0].title)}</b></div>
<div class="chapter">
{story}
</div>
<div id="footer">Alle Rechte an den Figuren liegen bei den Erben Theodor Fontanes. Diese Seite ist privat und nicht kommerziell.<br />Powered by eFiction 3.5</div>
</body>
</html>
"""
    return doc.encode(o["charset"], errors="xmlcharrefreplace")  # as browsers submit it


# ---------------------------------------------------------------------------- generic EPUB
def generic_epub(s: Spec, path: Path) -> None:
    """A home-made EPUB (Sigil-style): OPF metadata, a title page with a header, chapters."""
    o = s.opt
    v3 = o.get("epub_version", 3) == 3
    base = "OEBPS" if v3 else "OPS"
    opf_path = f"{base}/content.opf" if v3 else f"{base}/package.opf"
    lang = s.language

    def page(title: str, body: str) -> str:
        return f"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{lang}" xml:lang="{lang}">
<head>
  <title>{esc_text(title)}</title>
  <link href="../Styles/style.css" rel="stylesheet" type="text/css"/>
</head>
<body>
{body}
</body>
</html>
"""

    head_lines = "\n".join(
        f'  <p class="meta">{esc_text(k)}{o.get("sep", ": ")}{esc_text(v)}</p>'
        for k, v in o["header"]
    )
    files = [
        (
            "Text/titlepage.xhtml",
            page(
                s.title,
                f'<h1 class="title">{esc_text(s.title)}</h1>\n<p class="author">{esc_text(", ".join(s.authors))}</p>\n<div class="header">\n{head_lines}\n</div>',
            ),
        )
    ]
    for k, c in enumerate(s.chapters, 1):
        body = f"<h2>{esc_text(c.title)}</h2>\n" + "\n".join(
            f"<p>{esc_text(p)}</p>" for p in c.paras
        )
        files.append((f"Text/chapter{k:02d}.xhtml", page(c.title, body)))
    uid = "urn:uuid:" + fixed_uuid(s)
    creators = "\n".join(
        f'    <dc:creator id="creator{k}">{esc_text(a)}</dc:creator>'
        for k, a in enumerate(s.authors)
    )
    subjects = "\n".join(f"    <dc:subject>{esc_text(x)}</dc:subject>" for x in o["subjects"])
    items = "\n".join(
        f'    <item id="p{k}" href="{n}" media-type="application/xhtml+xml"/>'
        for k, (n, _) in enumerate(files)
    )
    spine = "\n".join(f'    <itemref idref="p{k}"/>' for k in range(len(files)))
    if v3:
        nav_items = "\n".join(
            f'      <li><a href="{n}">{esc_text(t)}</a></li>'
            for n, t in [(files[0][0], s.title)]
            + [(files[k][0], c.title) for k, c in enumerate(s.chapters, 1)]
        )
        nav = f"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{lang}" xml:lang="{lang}">
<head><title>{esc_text(s.title)}</title></head>
<body>
  <nav epub:type="toc" id="toc">
    <ol>
{nav_items}
    </ol>
  </nav>
</body>
</html>
"""
        opf = f"""<?xml version="1.0" encoding="utf-8"?>
<package version="3.0" unique-identifier="BookId" xmlns="http://www.idpf.org/2007/opf">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    <dc:identifier id="BookId">{uid}</dc:identifier>
    <dc:title>{esc_text(s.title)}</dc:title>
{creators}
    <dc:language>{lang}</dc:language>
    <dc:description>{esc_text(s.summary)}</dc:description>
{subjects}
    <dc:date>{s.published}</dc:date>
    <meta property="dcterms:modified">{s.updated or s.published}T00:00:00Z</meta>
    <meta name="generator" content="Sigil"/>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="css" href="Styles/style.css" media-type="text/css"/>
{items}
  </manifest>
  <spine>
{spine}
  </spine>
</package>
"""
        extra: list[tuple[str, str | bytes]] = [(f"{base}/nav.xhtml", nav)]
    else:
        opf = f"""<?xml version="1.0" encoding="utf-8"?>
<package version="2.0" unique-identifier="BookId" xmlns="http://www.idpf.org/2007/opf">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    <dc:identifier id="BookId" opf:scheme="UUID">{uid}</dc:identifier>
    <dc:title>{esc_text(s.title)}</dc:title>
{creators.replace('id="creator', 'opf:role="aut" id="creator')}
    <dc:language>{lang}</dc:language>
    <dc:description>{esc_text(s.summary)}</dc:description>
{subjects}
    <dc:date opf:event="publication">{s.published}</dc:date>
  </metadata>
  <manifest>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
    <item id="css" href="Styles/style.css" media-type="text/css"/>
{items}
  </manifest>
  <spine toc="ncx">
{spine}
  </spine>
</package>
"""
        nav_pts = [(s.title, files[0][0])] + [
            (c.title, files[k][0]) for k, c in enumerate(s.chapters, 1)
        ]
        extra = [(f"{base}/toc.ncx", _ncx(uid, s.title, nav_pts))]
    members: list[tuple[str, str | bytes]] = [
        ("mimetype", "application/epub+zip"),
        ("META-INF/container.xml", CONTAINER.format(opf=opf_path)),
        (opf_path, opf),
        *extra,
        (f"{base}/Styles/style.css", "body { font-family: serif; }\np.meta { margin: 0; }\n"),
        *[(f"{base}/{n}", t) for n, t in files],
    ]
    zip_write(path, members)


# ---------------------------------------------------------------------------- the stories
WH = "eng/ENG18471_Bronte.txt"
MM = "eng/ENG18721_Eliot.txt"
S4 = "eng/ENG18900_Doyle.txt"
AL = "eng/ENG18652_Carroll.txt"
TM = "eng/ENG18952_Wells.txt"
HT = "eng/ENG18540_Dickens.txt"
ND = "eng/ENG19192_Woolf.txt"
MT = "eng/ENG19080_Chesterton.txt"
TS = "eng/ENG19150_Buchan.txt"
BOV = "fra/FRA01302_Flaubert.txt"
BEL = "fra/FRA02701_Maupassant.txt"
MAR = "fra/FRA04901_Dumas.txt"
HEI = "deu/DEU052.txt"
IRR = "deu/DEU059.txt"
CAS = "deu/DEU091.txt"
PEP = "spa/SPA2017_JuanValera_PepitaJimenez.txt"
MNL = "spa/SPA2009_PerezGaldos_Marianela.txt"
REG = "spa/SPA3002_LeopoldoAlas_LaRegenta.txt"

F_WH = "Wuthering Heights - Emily Brontë"
F_MM = "Middlemarch - George Eliot"
F_SH = "Sherlock Holmes - Arthur Conan Doyle"
F_AL = "Alice's Adventures in Wonderland - Lewis Carroll"
F_TM = "The Time Machine - H. G. Wells"
F_HT = "Hard Times - Charles Dickens"
F_ND = "Night and Day - Virginia Woolf"
F_MT = "The Man Who Was Thursday - G. K. Chesterton"
F_TS = "The Thirty-Nine Steps - John Buchan"
F_BOV = "Madame Bovary - Gustave Flaubert"
F_BEL = "Bel-Ami - Guy de Maupassant"
F_MAR = "La Reine Margot - Alexandre Dumas"
F_HEI = "Heidi - Johanna Spyri"
F_IRR = "Irrungen, Wirrungen - Theodor Fontane"
F_CAS = "Casanovas Heimfahrt - Arthur Schnitzler"
F_PEP = "Pepita Jiménez - Juan Valera"
F_MNL = "Marianela - Benito Pérez Galdós"
F_REG = "La Regenta - Leopoldo Alas"

NO_WARN = ["No Archive Warnings Apply"]


def cite(title: str, author: str, year: str, eltec_id: str) -> str:
    return f"*{title}*, {author} ({year}), ELTeC {eltec_id}"


def ao3_specs(e: Eltec) -> list[Spec]:
    specs: list[Spec] = []
    specs.append(
        Spec(
            path="ao3/The_Weight_of_the_Jewels.html",
            writer="ao3-current",
            format="ao3-html",
            title="The Weight of the Jewels",
            authors=["tipton_grange_archivist"],
            fandoms=[F_MM],
            pairings=[("Celia Brooke & Dorothea Brooke", "Celia Brooke & Dorothea Brooke")],
            characters=["Dorothea Brooke", "Celia Brooke", "Arthur Brooke"],
            rating="General Audiences",
            rating_ao3="General Audiences",
            language="en",
            warnings=NO_WARN,
            categories=["Gen"],
            tags=["Sisters", "Jewelry", "Canon Era", "Character Study"],
            summary="Celia wants the emeralds. Dorothea wants to want nothing at all. A rainy afternoon at Tipton Grange.",
            notes="The text is the first chapter of Middlemarch (1871-72, public domain), cut for length. Only the tags and this note are mine.",
            published="2023-11-05",
            complete=True,
            total_chapters=1,
            chapters=one("", e.take(MM, "Miss Brooke had that kind of beauty", 2300)),
            opt={
                "work_id": 51177204,
                "end_notes": "Thank you for reading, and for letting Celia have the emeralds.",
            },
            source=cite("Middlemarch", "George Eliot", "1871–72", "ENG18721_Eliot ch. I"),
            shows="AO3 current template, single-chapter layout, platonic `&` pairing, General Audiences, Gen category, end notes",
            url="https://archiveofourown.org/works/51177204",
        )
    )
    s6 = e.take(S4, "'You will not apply my precept,'", 1500)
    s1 = e.take(S4, "Sherlock Holmes took his bottle from the corner", 1700)
    specs.append(
        Spec(
            path="ao3/What_Remains_However.html",
            writer="ao3-current",
            format="ao3-html",
            title="What Remains, However Improbable",
            authors=["lamplighter_221", "Ormond (ormond_sholto)"],
            fandoms=[F_SH],
            pairings=[("Sherlock Holmes/John Watson", "Sherlock Holmes/John Watson")],
            characters=["Sherlock Holmes", "John Watson", "Athelney Jones"],
            rating="Mature",
            rating_ao3="Mature",
            language="en",
            warnings=["Creator Chose Not To Use Archive Warnings"],
            categories=["M/M"],
            tags=["Drug Use", "Canon Era", "Pining", "Slow Burn", "Found Text Remix"],
            summary="Two evenings in Baker Street, a seven-per-cent solution, and a precept that Watson never applies.",
            notes="Found-text remix of The Sign of Four (1890). The chapter titles and the order are ours.",
            published="2024-01-20",
            updated="2024-02-02",
            complete=True,
            total_chapters=2,
            chapters=[
                Chapter(
                    "The Seven-Per-Cent Solution",
                    tuple(s1),
                    summary="Holmes takes out the morocco case; Watson objects.",
                    notes="Co-written over a long weekend.",
                ),
                Chapter(
                    "Whatever Remains",
                    tuple(s6),
                    summary="Pondicherry Lodge, and the precept.",
                    end_notes="Thank you to everyone who left kudos on chapter one.",
                ),
            ],
            opt={"work_id": 52841109, "series": ("Lamplight and Fog", 1, 3301827)},
            source=cite(
                "The Sign of Four", "Arthur Conan Doyle", "1890", "ENG18900_Doyle ch. I and VI"
            ),
            shows="AO3 current template, chaptered (2/2), two co-creators one shown as `pseud (login)`, series, Mature, `Creator Chose Not To Use Archive Warnings`; quote: “when you have eliminated the impossible”",
            url="https://archiveofourown.org/works/52841109",
        )
    )
    wh = [
        ("Mr. Lockwood Calls", e.take(WH, "1801——I have just returned from a visit", 4000)),
        ("The Snow", e.take(WH, "Yesterday afternoon set in misty and cold", 4000)),
        ("The Oak Closet", e.take(WH, "While leading the way up-stairs, she recommended", 4200)),
        ("Nelly Begins", e.take(WH, "What vain weather-cocks we are!", 2800)),
        ("The Old Master", e.take(WH, "In the course of time, Mr. Earnshaw began to fail", 2200)),
        ("The Funeral", e.take(WH, "Mr. Hindley came home to the funeral", 2200)),
    ]
    specs.append(
        Spec(
            path="ao3/Snow_at_the_Heights.html",
            writer="ao3-current",
            format="ao3-html",
            title="Snow at the Heights",
            authors=["moorland_lantern"],
            fandoms=[F_WH],
            pairings=[("Catherine Earnshaw/Heathcliff", "Catherine Earnshaw/Heathcliff")],
            characters=[
                "Mr. Lockwood",
                "Heathcliff (Wuthering Heights)",
                "Ellen Dean",
                "Joseph (Wuthering Heights)",
                "Catherine Earnshaw",
                "Hareton Earnshaw",
            ],
            rating="Teen And Up Audiences",
            rating_ao3="Teen And Up Audiences",
            language="en",
            warnings=NO_WARN,
            categories=["F/M", "Gen"],
            tags=["Canon Era", "Ghosts", "Unreliable Narrator", "Snowed In", "Work In Progress"],
            summary="A tenant calls on his landlord, twice, and the second time it snows. Told by Lockwood, who understands nothing.",
            notes="The first six chapters of Emily Brontë's novel, reproduced as found. Four more chapters are planned.",
            published="2024-09-01",
            updated="2025-01-12",
            complete=False,
            total_chapters=10,
            chapters=[Chapter(t, tuple(p)) for t, p in wh],
            opt={"work_id": 58833012},
            source=cite("Wuthering Heights", "Emily Brontë", "1847", "ENG18471_Bronte ch. I–VI"),
            shows="AO3 current template, long work in progress (6/10 chapters, `Updated:`), ~15,000 words; quote: “Let me in—let me in!”",
            url="https://archiveofourown.org/works/58833012",
        )
    )
    specs.append(
        Spec(
            path="ao3/Les_Comices.html",
            writer="ao3-current",
            format="ao3-html",
            title="Les Comices",
            authors=["Yonville (yonville_rouen)"],
            fandoms=[F_BOV],
            pairings=[("Emma Bovary/Rodolphe Boulanger", "Emma Bovary/Rodolphe Boulanger")],
            characters=["Emma Bovary", "Rodolphe Boulanger", "Charles Bovary"],
            rating="Explicit",
            rating_ao3="Explicit",
            language="fr",
            warnings=NO_WARN,
            categories=["F/M"],
            tags=["Adultère", "Campagne normande", "Canon Era"],
            summary="Rodolphe Boulanger de la Huchette amène son valet se faire saigner chez le médecin, et regarde la femme du médecin.",
            notes="Texte de Flaubert (1857, domaine public), coupé au bon endroit. La classification est une blague d'atelier d'écriture.",
            published="2024-03-14",
            complete=True,
            total_chapters=1,
            chapters=one(
                "", e.take(BOV, "Dites-lui que M. Rodolphe Boulanger", 2600, stop_at_heading=False)
            ),
            opt={"work_id": 53390077},
            source=cite("Madame Bovary", "Gustave Flaubert", "1857", "FRA01302_Flaubert"),
            shows="AO3 current template in French (`Language: Français`), Explicit, pseud differs from login",
            url="https://archiveofourown.org/works/53390077",
        )
    )
    specs.append(
        Spec(
            path="ao3/Auf_die_Alm.html",
            writer="ao3-current",
            format="ao3-html",
            title="Auf die Alm",
            authors=["geissenpeter_fan"],
            fandoms=[F_HEI],
            pairings=[("Heidi & Peter", "Heidi & Peter")],
            characters=["Heidi", "Dete", "Barbel", "Peter"],
            rating="General Audiences",
            rating_ao3="General Audiences",
            language="de",
            warnings=NO_WARN,
            categories=["Gen"],
            tags=["Kindheit", "Berge", "Canon Era", "Freundschaft"],
            summary="Dete bringt das Kind zum Großvater hinauf. Unterwegs wird viel geredet und wenig gefragt.",
            notes="Das erste Kapitel von Johanna Spyris Roman (1880, gemeinfrei), gekürzt.",
            published="2023-07-30",
            complete=True,
            total_chapters=1,
            chapters=one("", e.take(HEI, "Vom freundlichen Dorfe Maienfeld", 2400)),
            opt={"work_id": 48817331},
            source=cite("Heidis Lehr- und Wanderjahre", "Johanna Spyri", "1880", "DEU052"),
            shows="AO3 current template in German (`Language: Deutsch`), platonic pairing",
            url="https://archiveofourown.org/works/48817331",
        )
    )
    bold = e.take(S4, "'The division seems rather unfair,'", 120)
    specs.append(
        Spec(
            path="ao3/The_Bold_and_the_Cocaine.html",
            writer="ao3-current",
            format="ao3-html",
            title="The <b>Bold</b> & the Cocaine-Bottle",
            authors=["marginal_notes"],
            fandoms=[F_SH],
            pairings=[
                ("John Watson/Mary Morstan", "John Watson/Mary Morstan"),
                ("Sherlock Holmes & John Watson", "Sherlock Holmes & John Watson"),
            ],
            characters=["Sherlock Holmes", "John Watson", "Mary Morstan"],
            rating="Teen And Up Audiences",
            rating_ao3="Teen And Up Audiences",
            language="en",
            warnings=NO_WARN,
            categories=["F/M", "Gen"],
            tags=['"Quotation Marks" & <Angle Brackets>', "Meta", "Humor", "Canon Era"],
            summary=(
                "Watson's draft of the last page, with Holmes's notes in the margin. "
                "(\"If you write <script>alert('romance')</script> into my case again, Watson, "
                'I shall deduce where you live." "You live there too, Holmes.")'
            ),
            notes="The title's <b> is deliberate: it is the joke. Everything after the rule is Doyle's.",
            published="2024-04-01",
            complete=True,
            total_chapters=1,
            chapters=one("", split_paras(own.HOSTILE_WATSON) + bold),
            opt={"work_id": 54020401},
            source=cite(
                "The Sign of Four",
                "Arthur Conan Doyle",
                "1890",
                "ENG18900_Doyle ch. XII (last lines)",
            )
            + " and original text",
            shows='escaping: `<b>` and `&` in the title, a `<script>`-like joke in the summary, `<` `>` `"` in a tag; both `/` and `&` relationships of one character; quote: “there still remains the cocaine-bottle”',
            url="https://archiveofourown.org/works/54020401",
        )
    )
    specs.append(
        Spec(
            path="ao3/Always_Six_OClock.html",
            writer="ao3-current",
            format="ao3-html",
            title="Always Six O'Clock",
            authors=["teapot_chronometer"],
            fandoms=[F_AL, F_TM],
            pairings=[("Hatter & The Time Traveller", "Hatter & The Time Traveller")],
            characters=[
                "Hatter (Alice in Wonderland)",
                "March Hare",
                "Dormouse",
                "The Time Traveller",
            ],
            rating="General Audiences",
            rating_ao3="General Audiences",
            language="en",
            warnings=NO_WARN,
            categories=["Gen"],
            tags=["Crossover", "Tea Parties", "Time Travel", "Fluff"],
            summary="The Time Traveller lands in the middle of a tea-party that has been going on since March.",
            notes='Written for a crossover exchange; the prompt was "a machine that cannot tell the time".',
            published="2024-06-06",
            complete=True,
            total_chapters=1,
            chapters=one("", split_paras(own.CROSSOVER_HATTER)),
            opt={"work_id": 55512006},
            source="original text (CC0)",
            shows="crossover: two fandoms in one story (it counts in both fandom facets)",
            url="https://archiveofourown.org/works/55512006",
        )
    )
    # 2019-2022 template
    specs.append(
        Spec(
            path="ao3/Nelly I Am Heathcliff.html",
            writer="ao3-2019",
            format="ao3-html",
            title="Nelly, I Am Heathcliff",
            authors=["bellflower_lane"],
            fandoms=[F_WH],
            pairings=[
                ("Catherine Earnshaw/Heathcliff", "Catherine Earnshaw/Heathcliff"),
                (
                    "Catherine Earnshaw/Edgar Linton/Heathcliff",
                    "Catherine Earnshaw/Edgar Linton/Heathcliff",
                ),
            ],
            characters=[
                "Catherine Earnshaw",
                "Ellen Dean",
                "Heathcliff (Wuthering Heights)",
                "Edgar Linton",
            ],
            rating="Teen And Up Audiences",
            rating_ao3="Teen And Up Audiences",
            language="en",
            warnings=["Choose Not To Use Archive Warnings"],
            categories=["F/M", "Multi"],
            tags=["Canon Era", "Angst", "Dreams", "Love Triangle"],
            summary="Catherine has dreamt that heaven did not seem to be her home. Nelly would rather not hear the rest.",
            notes="Chapter IX again, the second half. The first half is in The Foliage and the Rocks.",
            published="2021-03-02",
            complete=True,
            total_chapters=1,
            chapters=one("", e.take(WH, "do you never dream queer dreams", 2000)),
            opt={"work_id": 29940112},
            source=cite("Wuthering Heights", "Emily Brontë", "1847", "ENG18471_Bronte ch. IX"),
            shows="AO3 2019–2022 template (singular labels, no Language, no thousands separator, ASCII-cut `<title>`, http links), threesome `A/B/C`; quote: “Nelly, I am Heathcliff”",
            url="http://archiveofourown.org/works/29940112",
            lenient={"language": [None]},
        )
    )
    specs.append(
        Spec(
            path="ao3/Facts Alone Are Wanted.html",
            writer="ao3-2019",
            format="ao3-html",
            title="Facts Alone Are Wanted",
            authors=["coketown_clerk"],
            fandoms=[F_HT],
            pairings=[("Louisa Gradgrind & Sissy Jupe", "Louisa Gradgrind & Sissy Jupe")],
            characters=["Thomas Gradgrind", "Sissy Jupe", "Bitzer", "Louisa Gradgrind"],
            rating="General Audiences",
            rating_ao3="General Audiences",
            language="en",
            warnings=NO_WARN,
            categories=["Gen"],
            tags=["Schools", "Canon Era", "Satire"],
            summary="Girl number twenty is asked to define a horse.",
            notes="Chapters I and II of Hard Times (1854). Louisa comes in part two.",
            published="2020-05-17",
            updated="2020-05-17",
            complete=False,
            total_chapters=3,
            chapters=one(
                "", e.take(HT, "‘Now, what I want is, Facts.", 2000, stop_at_heading=False)
            ),
            opt={"work_id": 24190411},
            source=cite("Hard Times", "Charles Dickens", "1854", "ENG18540_Dickens ch. I–II"),
            shows="AO3 2019–2022 template, work in progress with one posted chapter in the single-chapter layout (`Chapters: 1/3`); quote: “Now, what I want is, Facts”",
            url="http://archiveofourown.org/works/24190411",
            lenient={"language": [None]},
        )
    )
    specs.append(
        Spec(
            path="ao3/Nach Pfingsten.html",
            writer="ao3-2019",
            format="ao3-html",
            title="Nach Pfingsten",
            authors=["wilmersdorf_1875"],
            fandoms=[F_IRR],
            pairings=[("Botho von Rienäcker/Lene Nimptsch", "Botho von Rienäcker/Lene Nimptsch")],
            characters=["Lene Nimptsch", "Botho von Rienäcker", "Frau Dörr", "Frau Nimptsch"],
            rating="Mature",
            rating_ao3="Mature",
            language="de",
            warnings=NO_WARN,
            categories=["F/M"],
            tags=["Berlin", "Klassenunterschiede", "Canon Era"],
            summary="Die Woche nach Pfingsten, eine Gärtnerei am Kurfürstendamm, und ein Besuch, der nicht gesehen werden soll.",
            notes="Fontanes erstes Kapitel (1887/88, gemeinfrei).",
            published="2022-04-10",
            complete=True,
            total_chapters=1,
            chapters=one("", e.take(IRR, "An dem Schnittpunkte", 2200)),
            opt={"work_id": 38811020},
            source=cite("Irrungen, Wirrungen", "Theodor Fontane", "1888", "DEU059 ch. 1"),
            shows="AO3 2019–2022 template in German: no `Language:` line, so the language comes from detection",
            url="http://archiveofourown.org/works/38811020",
            lenient={"language": [None]},
        )
    )
    # AO3 EPUBs
    specs.append(
        Spec(
            path="ao3/A_Storm_at_Lowick.epub",
            writer="ao3-epub",
            format="ao3-epub",
            title="A Storm at Lowick",
            authors=["Hester Wren (hesterwren)"],
            fandoms=[F_MM],
            pairings=[("Dorothea Brooke/Will Ladislaw", "Dorothea Brooke/Will Ladislaw")],
            characters=["Dorothea Brooke", "Will Ladislaw", "Celia Brooke"],
            rating="Teen And Up Audiences",
            rating_ao3="Teen And Up Audiences",
            language="en",
            warnings=NO_WARN,
            categories=["F/M"],
            tags=["Love Confessions", "Thunderstorms", "Happy Ending", "Canon Era"],
            summary="Will comes to say goodbye. The weather has other plans. (And afterwards: what became of them.)",
            notes="Chapter LXXXIII and the Finale of Middlemarch, both public domain.",
            published="2024-02-14",
            updated="2024-02-21",
            complete=True,
            total_chapters=2,
            chapters=[
                Chapter(
                    "The Storm",
                    tuple(e.take(MM, "On the second morning after Dorothea's visit", 2500)),
                ),
                Chapter(
                    "Finale",
                    tuple(e.take(MM, "Every limit is a beginning as well as an ending", 3000)),
                ),
            ],
            opt={
                "work_id": 53101441,
                "end_notes": "For everyone who lives faithfully a hidden life.",
            },
            source=cite(
                "Middlemarch", "George Eliot", "1871–72", "ENG18721_Eliot ch. LXXXIII and Finale"
            ),
            shows="AO3 EPUB as calibre makes it (one comma-joined `dc:creator`, untyped `dc:subject`s, preface split over two files, renamed classes); quote: “unhistoric acts”",
            url="https://archiveofourown.org/works/53101441",
        )
    )
    specs.append(
        Spec(
            path="ao3/Cartas_de_mi_sobrino.epub",
            writer="ao3-epub",
            format="ao3-epub",
            title="Cartas de mi sobrino",
            authors=["dean_de_la_catedral"],
            fandoms=[F_PEP],
            pairings=[("Luis de Vargas/Pepita Jiménez", "Luis de Vargas/Pepita Jiménez")],
            characters=["Luis de Vargas", "Pepita Jiménez", "Pedro de Vargas"],
            rating="Mature",
            rating_ao3="Mature",
            language="es",
            warnings=NO_WARN,
            categories=["F/M"],
            tags=["Epistolar", "Andalucía", "Canon Era"],
            summary="Un seminarista escribe a su tío el deán. No habla de ninguna viuda. Habla mucho de ella.",
            notes="Las primeras cartas de la novela de Juan Valera (1874, dominio público).",
            published="2023-10-02",
            updated="2023-10-09",
            complete=False,
            total_chapters=None,
            chapters=[
                Chapter("22 de marzo", tuple(e.take(PEP, "Querido tío y venerado maestro", 1700))),
                Chapter(
                    "28 de marzo",
                    tuple(e.take(PEP, "Me voy cansando de mi residencia en este lugar", 1500)),
                ),
            ],
            opt={"work_id": 50277418},
            source=cite(
                "Pepita Jiménez", "Juan Valera", "1874", "SPA2017_JuanValera_PepitaJimenez"
            ),
            shows="AO3 EPUB in Spanish, work in progress with an unknown total (`Chapters: 2/?`)",
            url="https://archiveofourown.org/works/50277418",
        )
    )
    specs.append(
        Spec(
            path="ao3/Were_All_Mad_Here.epub",
            writer="ao3-epub",
            format="ao3-epub",
            title="We're All Mad Here",
            authors=["duchess_kitchen"],
            fandoms=[F_AL],
            pairings=[("Alice & Cheshire Cat", "Alice & Cheshire Cat")],
            characters=[
                "Alice (Alice in Wonderland)",
                "Cheshire Cat",
                "The Duchess",
                "Fish-Footman",
            ],
            rating="General Audiences",
            rating_ao3="General Audiences",
            language="en",
            warnings=NO_WARN,
            categories=["Gen"],
            tags=["Pepper", "Babies", "Nonsense", "Canon Era"],
            summary="A letter for the Duchess, a great deal of pepper, and a cat who vanishes from the tail end first.",
            notes="Chapter VI of Alice's Adventures in Wonderland (1865).",
            published="2023-08-08",
            complete=True,
            total_chapters=1,
            chapters=one(
                "", e.take(AL, "For a minute or two she stood looking at the house", 2700)
            ),
            opt={"work_id": 49001866},
            source=cite(
                "Alice's Adventures in Wonderland",
                "Lewis Carroll",
                "1865",
                "ENG18652_Carroll ch. VI",
            ),
            shows="AO3 EPUB, single chapter; quote with curly quotes: “we’re all mad here”",
            url="https://archiveofourown.org/works/49001866",
        )
    )
    return specs


def fff_specs(e: Eltec) -> list[Spec]:
    specs: list[Spec] = []
    specs.append(
        Spec(
            path="fanficfare/Delightfully Agreeable-ffnet_4410021.txt",
            writer="fff-txt",
            format="fff-txt",
            title="Delightfully Agreeable",
            authors=["Casaubon's Footnote"],
            fandoms=["Middlemarch"],
            pairings=[("Brooke/Ladislaw", "Brooke/Ladislaw")],
            characters=["Dorothea B.", "Will L."],
            rating="K+",
            rating_ao3="Teen And Up Audiences",
            language="en",
            tags=["Romance", "Drama"],
            summary=(
                "Will Ladislaw dines with the Casaubons in Rome and is delightfully agreeable, "
                "which is to say he is up to something.\n\nReviews are loved. Flames will be "
                "used to toast crumpets."
            ),
            published="2006-08-19",
            updated="2006-09-02",
            complete=True,
            chapters=[
                Chapter(
                    "Chapter 1: At Dinner",
                    tuple(e.take(MM, "Will Ladislaw was delightfully agreeable at dinner", 1500)),
                ),
                Chapter(
                    "Chapter 2: The Studio",
                    tuple(
                        e.take(
                            MM,
                            "Dorothea, who had not been made aware that her former reception",
                            1700,
                        )
                    ),
                ),
            ],
            opt={
                "site": "ffnet",
                "story_id": 4410021,
                "author_id": 1190734,
                "packaged": "2024-05-04 18:22:10",
            },
            url="https://www.fanfiction.net/s/4410021/1/",
            source=cite("Middlemarch", "George Eliot", "1871–72", "ENG18721_Eliot ch. XXII"),
            shows="FanFicFare TXT of a FanFiction.net story: CRLF, 78-column wrapping, `K+` rating, surname-only pairing `Brooke/Ladislaw`, table of contents, `End file.`",
        )
    )
    specs.append(
        Spec(
            path="fanficfare/Little White Flowers-ffnet_5120388.txt",
            writer="fff-txt",
            format="fff-txt",
            title="Little White Flowers",
            authors=["Eloi Garden"],
            fandoms=["Time Machine"],
            pairings=[("Time Traveller/Weena", "Time Traveller/Weena")],
            characters=["Time Traveller", "Weena"],
            rating="T",
            rating_ao3="Teen And Up Audiences",
            language="en",
            tags=["Romance", "Sci-Fi"],
            summary="Eight hundred thousand years from now, the only person who is kind to the Time Traveller is very small and afraid of the dark.",
            published="2009-10-31",
            updated="2010-02-14",
            complete=False,
            chapters=[
                Chapter(
                    "The Dinner Guests",
                    tuple(e.take(TM, "The Time Traveller (for so it will be convenient", 1500)),
                ),
                Chapter(
                    "Weena",
                    tuple(
                        e.take(
                            TM,
                            "This happened in the morning. In the afternoon I met my little woman",
                            1500,
                        )
                    ),
                ),
            ],
            opt={
                "site": "ffnet",
                "story_id": 5120388,
                "author_id": 2001457,
                "packaged": "2024-05-04 18:25:41",
            },
            url="https://www.fanfiction.net/s/5120388/1/",
            source=cite("The Time Machine", "H. G. Wells", "1895", "ENG18952_Wells"),
            shows="FanFicFare TXT, `T` rating, `Status: In-Progress`",
        )
    )
    specs.append(
        Spec(
            path="fanficfare/La heroica ciudad-ao3_40277311.txt",
            writer="fff-txt",
            format="fff-txt",
            title="La heroica ciudad dormía la siesta",
            authors=["vetusta_mirador"],
            fandoms=[F_REG],
            pairings=[("Ana Ozores/Álvaro Mesía", "Ana Ozores/Álvaro Mesía")],
            characters=["Ana Ozores", "Álvaro Mesía", "Fermín de Pas"],
            rating="Mature",
            rating_ao3="Mature",
            language="es",
            warnings=NO_WARN,
            categories=["F/M"],
            tags=["Provincias", "Canon Era", "Siesta"],
            summary="Vetusta hace la digestión. Desde la torre de la catedral, alguien mira con un catalejo.",
            published="2022-08-01",
            updated="2022-08-01",
            complete=True,
            chapters=one(
                "La heroica ciudad", e.take(REG, "La heroica ciudad dormía la siesta", 2300)
            ),
            opt={"site": "ao3", "story_id": 40277311, "author_id": 3317},
            url="https://archiveofourown.org/works/40277311",
            source=cite(
                "La Regenta", "Leopoldo Alas «Clarín»", "1884–85", "SPA3002_LeopoldoAlas_LaRegenta"
            ),
            shows="FanFicFare TXT of an AO3 story in Spanish: AO3 categories folded into `Genre` (split back out), `Language: Español`",
        )
    )
    specs.append(
        Spec(
            path="fanficfare/Toby Has Lost His Character-ffnet_3981554.html",
            writer="fff-html",
            format="fff-html",
            title="Toby Has Lost His Character",
            authors=["Norwood Builder"],
            fandoms=["Sherlock Holmes"],
            pairings=[("Watson/Holmes", "Watson/Holmes")],
            characters=["Sherlock H.", "Dr. Watson", "Toby"],
            rating="M",
            rating_ao3="Mature",
            language="en",
            tags=["Adventure", "Romance"],
            summary="A dog, a barrel of creosote, and a chase across half of south London. Watson is not looking at Holmes. Much.",
            published="2007-12-24",
            updated="2008-01-30",
            complete=False,
            chapters=[
                Chapter("1. The Barrel", tuple(e.take(S4, "' What now?' I asked.", 1400))),
                Chapter(
                    "2. The Irregulars",
                    tuple(
                        e.take(S4, "'This is just the case where they might be invaluable.", 1200)
                    ),
                ),
            ],
            opt={
                "site": "ffnet",
                "story_id": 3981554,
                "author_id": 977123,
                "packaged": "2024-05-05 09:01:12",
            },
            url="https://www.fanfiction.net/s/3981554/1/",
            source=cite(
                "The Sign of Four", "Arthur Conan Doyle", "1890", "ENG18900_Doyle ch. VII–VIII"
            ),
            shows="FanFicFare HTML, FanFiction.net `M` rating, reversed surname pairing `Watson/Holmes`",
        )
    )
    specs.append(
        Spec(
            path="fanficfare/Cent Sous-ao3_47712093.html",
            writer="fff-html",
            format="fff-html",
            title="Cent sous",
            authors=["boulevard_poissonniere"],
            fandoms=[F_BEL],
            pairings=[("Georges Duroy/Madeleine Forestier", "Georges Duroy/Madeleine Forestier")],
            characters=["Georges Duroy", "Charles Forestier", "Madeleine Forestier"],
            rating="Not Rated",
            rating_ao3="Not Rated",
            language="fr",
            warnings=["Creator Chose Not To Use Archive Warnings"],
            categories=["F/M"],
            tags=["Paris", "Ambition", "Journalisme", "Canon Era"],
            summary="Georges Duroy sort du restaurant avec trois francs quarante en poche, et la soirée est chaude.",
            published="2023-06-21",
            updated="2023-06-21",
            complete=True,
            chapters=one("Cent sous", e.take(BEL, "Quand la caissière lui eut rendu", 2600)),
            opt={"site": "ao3", "story_id": 47712093, "author_id": 55410},
            url="https://archiveofourown.org/works/47712093",
            source=cite("Bel-Ami", "Guy de Maupassant", "1885", "FRA02701_Maupassant"),
            shows="FanFicFare HTML of an AO3 story in French, `Not Rated`",
        )
    )
    specs.append(
        Spec(
            path="fanficfare/Das Haus in Frankfurt-ao3_36601875.html",
            writer="fff-html",
            format="fff-html",
            title="Das Haus in Frankfurt",
            authors=["fraeulein_rottenmeier"],
            fandoms=[F_HEI],
            pairings=[("Heidi & Klara Sesemann", "Heidi & Klara Sesemann")],
            characters=["Heidi", "Klara Sesemann", "Fräulein Rottenmeier", "Sebastian"],
            rating="General Audiences",
            rating_ao3="General Audiences",
            language="de",
            warnings=NO_WARN,
            categories=["Gen"],
            tags=["Freundschaft", "Heimweh", "Canon Era"],
            summary="Klara wartet im Rollstuhl. Fräulein Rottenmeier wartet auf ein ordentliches Kind. Es kommt Heidi.",
            published="2022-01-09",
            updated="2022-01-23",
            complete=True,
            chapters=one(
                "Das Haus in Frankfurt",
                e.take(HEI, "Im Hause des Herrn Sesemann in Frankfurt", 2600),
            ),
            opt={"site": "ao3", "story_id": 36601875, "author_id": 1204},
            url="https://archiveofourown.org/works/36601875",
            source=cite("Heidis Lehr- und Wanderjahre", "Johanna Spyri", "1880", "DEU052"),
            shows="FanFicFare HTML of an AO3 story in German",
        )
    )
    specs.append(
        Spec(
            path="fanficfare/A Poet of Order-ffnet_2770145.epub",
            writer="fff-epub",
            format="fff-epub",
            title="A Poet of Order",
            authors=["Saffron & Lamp-post"],
            fandoms=["Man Who Was Thursday"],
            pairings=[("Gregory/Syme", "Gregory/Syme")],
            characters=["Gabriel Syme", "Lucian Gregory"],
            rating="T",
            rating_ao3="Teen And Up Audiences",
            language="en",
            tags=["Drama", "Suspense"],
            summary="Gregory takes Syme to a little tavern to prove that he is serious. The sausages are surprisingly good.",
            published="2005-04-02",
            updated="2005-04-02",
            complete=True,
            chapters=one(
                "The Secret of Gabriel Syme",
                e.take(MT, "THE cab pulled up before a particularly dreary", 2600),
            ),
            opt={
                "site": "ffnet",
                "story_id": 2770145,
                "author_id": 640310,
                "packaged": "2024-05-05 09:12:40",
            },
            url="https://www.fanfiction.net/s/2770145/1/",
            source=cite(
                "The Man Who Was Thursday", "G. K. Chesterton", "1908", "ENG19080_Chesterton ch. II"
            ),
            shows="FanFicFare EPUB (OPF `fanficfare-uid:`, double-escaped `&amp;amp;` in the creator), reversed surname pairing",
        )
    )
    specs.append(
        Spec(
            path="fanficfare/Se puso el sol-ao3_45500210.epub",
            writer="fff-epub",
            format="fff-epub",
            title="Se puso el sol",
            authors=["socartes_minero"],
            fandoms=[F_MNL],
            pairings=[("Marianela/Pablo Penáguilas", "Marianela/Pablo Penáguilas")],
            characters=["Marianela", "Pablo Penáguilas", "Teodoro Golfín"],
            rating="Teen And Up Audiences",
            rating_ao3="Teen And Up Audiences",
            language="es",
            warnings=NO_WARN,
            categories=["F/M"],
            tags=["Minas", "Ceguera", "Canon Era"],
            summary="Un forastero se pierde entre las minas de Socartes al caer la noche, y una voz le guía.",
            published="2023-03-03",
            updated="2023-04-15",
            complete=False,
            chapters=[
                Chapter("Perdido", tuple(e.take(MNL, "Se puso el sol.", 1500))),
                Chapter(
                    "Guiado",
                    tuple(
                        e.take(
                            MNL,
                            "Detúvose, y mirando a todo el círculo del horizonte",
                            1500,
                            stop_at_heading=False,
                        )
                    ),
                ),
            ],
            opt={"site": "ao3", "story_id": 45500210, "author_id": 88012},
            url="https://archiveofourown.org/works/45500210",
            source=cite(
                "Marianela", "Benito Pérez Galdós", "1878", "SPA2009_PerezGaldos_Marianela"
            ),
            shows="FanFicFare EPUB of an AO3 story in Spanish, work in progress",
        )
    )
    nd = [
        ("The Slammed Door", e.take(ND, "The young man shut the door with a sharper slam", 3000)),
        ("The Distinguished Families", e.take(ND, "Denham had accused Katharine Hilbery", 3000)),
        (
            "Mary Datchet",
            e.take(ND, "At about nine o’clock at night, on every alternate Wednesday", 2000),
        ),
    ]
    specs.append(
        Spec(
            path="fanficfare/The Relics of Cheyne Walk-ao3_33104457.epub",
            writer="fff-epub",
            format="fff-epub",
            title="The Relics of Cheyne Walk",
            authors=["denham_of_highgate"],
            fandoms=[F_ND],
            pairings=[
                ("Katharine Hilbery/Ralph Denham", "Katharine Hilbery/Ralph Denham"),
                ("Mary Datchet & Ralph Denham", "Mary Datchet & Ralph Denham"),
            ],
            characters=["Katharine Hilbery", "Ralph Denham", "Mary Datchet"],
            rating="Explicit",
            rating_ao3="Explicit",
            language="en",
            warnings=NO_WARN,
            categories=["F/M"],
            tags=["Slow Burn", "London", "Suffrage", "Canon Era"],
            summary="After the tea-party: Ralph walks home in a temper, goes up to his attic, and cannot stop thinking about a woman who poured out tea.",
            published="2021-07-04",
            updated="2021-08-15",
            complete=True,
            chapters=[Chapter(t, tuple(p)) for t, p in nd],
            opt={"site": "ao3", "story_id": 33104457, "author_id": 40770},
            url="https://archiveofourown.org/works/33104457",
            source=cite("Night and Day", "Virginia Woolf", "1919", "ENG19192_Woolf ch. II–IV"),
            shows="FanFicFare EPUB, three chapters (~8,000 words), Explicit",
        )
    )
    return specs


def archive_specs(e: Eltec) -> list[Spec]:
    specs: list[Spec] = []
    s = Spec(
        path="archive/hay-ricks-at-stone-court_caps-labels_wrapped72.txt",
        writer="text",
        format="text",
        title="Hay-Ricks at Stone Court",
        authors=["Hester Wren"],
        fandoms=["Middlemarch"],
        pairings=[("Will Ladislaw / Dorothea Brooke", "Will Ladislaw/Dorothea Brooke")],
        rating="PG-13",
        rating_ao3="Teen And Up Audiences",
        language="en",
        summary="Dorothea comes home to Lowick in June, and finds the country less dull than she left it.",
        chapters=one("", e.take(MM, "By that delightful morning when the hay-ricks", 2100)),
        source=cite("Middlemarch", "George Eliot", "1871–72", "ENG18721_Eliot ch. LIV"),
        shows="mailing-list header in capitals (`TITLE:` … `FEEDBACK:`) with a `*****` separator; header and body hard-wrapped at 72; spaced, reversed pairing `Will Ladislaw / Dorothea Brooke`; `PG-13`",
        lenient={"language": [None]},
    )
    s.opt = {
        "deco": "caps",
        "wrap_header": 72,
        "wrap_body": 72,
        "separator": "*****",
        "header": [
            ("Title", s.title),
            ("Author", "Hester Wren"),
            ("E-mail", "hester.wren@example.invalid"),
            ("Fandom", "Middlemarch"),
            ("Pairing", s.pairings[0][0]),
            ("Rating", "PG-13"),
            ("Archive", "Lowick list archive yes; anywhere else, please ask first."),
            ("Spoilers", "Book V, after Mr. Casaubon's death."),
            (
                "Disclaimer",
                "Dorothea, Will and the hay-ricks belong to George Eliot. I only moved the furniture a little. No money is being made.",
            ),
            ("Summary", s.summary),
            ("Feedback", "Yes please, on list or off."),
        ],
        "footer": ["*****", "", "THE END"],
    }
    specs.append(s)

    s = Spec(
        path="archive/before-the-gallery_mail-post_crlf.txt",
        writer="text",
        format="text",
        title="Before the Gallery",
        authors=["quietanarchist"],
        fandoms=["Middlemarch"],
        pairings=[
            ("Dorothea x Will", "Dorothea/Will"),
            ("Will & Rosamond (friendship)", "Will & Rosamond"),
        ],
        rating="R",
        rating_ao3="Mature",
        language="en",
        warnings=["Angst", "Misunderstandings"],
        summary="Will has made up his mind to leave Middlemarch. He has not made up his mind to say goodbye.",
        chapters=one(
            "",
            e.take(MM, "Will Ladislaw's mind was now wholly bent on seeing Dorothea again", 2300),
        ),
        source=cite("Middlemarch", "George Eliot", "1871–72", "ENG18721_Eliot ch. LXII"),
        shows="saved mailing-list post: RFC-822 headers first (the `Subject:` is not the title), dash labels (`Title - …`), anime-style `Dorothea x Will`, platonic pairing with a parenthetical, `R`, CRLF, `(end)` and a `--` signature",
        lenient={"language": [None], "published": [None]},
    )
    s.published = "2004-02-29"
    s.opt = {
        "sep": " - ",
        "eol": "\r\n",
        "separator": "----------",
        "preamble": [
            "From: quietanarchist <quietanarchist@example.invalid>",
            "Subject: [FIC] Before the Gallery (Dorothea x Will) 1/1",
            "Date: Sun, 29 Feb 2004 22:41:07 +0000",
            "To: lowick-fic@example.invalid",
            "",
        ],
        "header": [
            ("Title", s.title),
            ("Author", "quietanarchist"),
            ("Fandom", "Middlemarch"),
            ("Pairing", "Dorothea x Will"),
            ("Other pairings", "Will & Rosamond (friendship)"),
            ("Rating", "R"),
            ("Warnings", "Angst, Misunderstandings"),
            ("Summary", s.summary),
            ("Disclaimer", "George Eliot's, not mine."),
        ],
        "wrap_header": 72,
        "footer": [
            "----------",
            "",
            "(end)",
            "",
            "-- ",
            "quietanarchist",
            '"The rare, strange thing is to hit the mark."',
        ],
    }
    specs.append(s)

    s = Spec(
        path="archive/indebted-to-the-rain_brackets_nc17_wip.txt",
        writer="text",
        format="text",
        title="Indebted to the Rain",
        authors=["Lowick Library"],
        fandoms=["Middlemarch"],
        pairings=[("Will/Dorothea", "Will/Dorothea")],
        rating="NC-17",
        rating_ao3="Explicit",
        language="en",
        complete=False,
        tags=["Romance", "Angst"],
        summary="It rains, and Will has a reason to come in. Part one of three.",
        chapters=one("", e.take(MM, "But Will wanted to talk with Dorothea alone", 2200)),
        source=cite("Middlemarch", "George Eliot", "1871–72", "ENG18721_Eliot ch. XXXVII"),
        shows="bracketed labels (`[Title] …`), first-name-only pairing `Will/Dorothea`, `NC-17`, `Status: WIP` (work in progress), `~~~~~` separator",
        lenient={"language": [None]},
    )
    s.opt = {
        "deco": "brackets",
        "separator": "~~~~~~~~~~~~~~~~~~~~",
        "header": [
            ("Title", s.title),
            ("Author", "Lowick Library"),
            ("Fandom", "Middlemarch"),
            ("Ship", "Will/Dorothea"),
            ("Rating", "NC-17"),
            ("Genre", "Romance, Angst"),
            ("Status", "WIP"),
            ("Summary", s.summary),
            ("Disclaimer", "Not mine. The rain is mine."),
        ],
        "footer": ["~~~~~~~~~~~~~~~~~~~~", "", "To be continued in part two."],
    }
    specs.append(s)

    s = Spec(
        path="archive/sissys-progress_written-by_cp1252_crlf.txt",
        writer="text",
        format="text",
        title="Sissy’s Progress",
        authors=["coketown_clerk"],
        fandoms=["Hard Times"],
        pairings=[("Louisa & Sissy", "Louisa & Sissy")],
        characters=["Sissy Jupe", "Louisa Gradgrind", "Mr. M’Choakumchild"],
        rating="G",
        rating_ao3="General Audiences",
        language="en",
        tags=["Friendship", "School"],
        summary="Sissy Jupe is not getting on at school. Louisa notices.",
        chapters=one("", e.take(HT, "Sissy Jupe had not an easy time of it", 2000)),
        source=cite("Hard Times", "Charles Dickens", "1854", "ENG18540_Dickens ch. IX"),
        shows="Windows-1252 bytes with CRLF line ends (curly quotes are 0x91–0x94); `Story Title:`, `Written by` without a colon, platonic first-name pairing, `G`",
        lenient={"language": [None]},
    )
    s.opt = {
        "eol": "\r\n",
        "encoding": "cp1252",
        "separator": "- - - - - - - - - -",
        "header": [
            ("Story Title", s.title),
            "Written by coketown_clerk",
            ("Fandom", "Hard Times"),
            ("Pairing", "Louisa & Sissy"),
            ("Characters", ", ".join(s.characters)),
            ("Rated", "G"),
            ("Genre", "Friendship, School"),
            ("Summary", s.summary),
            ("Author’s Note", "For my sister, who also hated arithmetic."),
        ],
        "footer": ["- - - - - - - - - -", "", "Fin"],
    }
    specs.append(s)

    s = Spec(
        path="archive/les-noces-du-louvre_mojibake.txt",
        writer="text",
        format="text",
        title="Les noces du Louvre",
        authors=["Saint-Germain-l'Auxerrois"],
        fandoms=["La Reine Margot"],
        pairings=[
            ("Henri de Navarre/Marguerite de Valois", "Henri de Navarre/Marguerite de Valois")
        ],
        rating="PG",
        rating_ao3="Teen And Up Audiences",
        language="fr",
        summary="Le lundi 18 août 1572, on célèbre au Louvre des noces que personne n'a voulues.",
        chapters=one("", e.take(MAR, "Le lundi, dix-huitième jour du mois d'août 1572", 2300)),
        source=cite("La Reine Margot", "Alexandre Dumas", "1845", "FRA04901_Dumas ch. I"),
        shows="mojibake damage (UTF-8 read as Windows-1252 and saved again: `Ã©` for `é`, `â€™` for `’`); the parser repairs it",
        lenient={"language": [None]},
    )
    s.opt = {
        "encoding": "mojibake",
        "separator": "* * *",
        "header": [
            ("Title", s.title),
            ("Author", "Saint-Germain-l'Auxerrois"),
            ("Fandom", "La Reine Margot"),
            ("Pairing", s.pairings[0][0]),
            ("Rating", "PG"),
            ("Summary", s.summary),
            ("Disclaimer", "Tout est à Dumas, sauf les fautes de frappe."),
        ],
        "footer": ["* * *", "", "FIN"],
    }
    specs.append(s)

    s = Spec(
        path="archive/beim-grossvater_utf8-bom_crlf.txt",
        writer="text",
        format="text",
        title="Beim Großvater",
        authors=["Dörfli-Chronistin"],
        fandoms=["Heidi"],
        pairings=[("Heidi & Alm-Öhi", "Heidi & Alm-Öhi")],
        characters=["Heidi", "Alm-Öhi", "Schwänli", "Bärli"],
        rating="M",
        rating_ao3="Mature",
        language="de",
        warnings=["Ziegen"],
        summary="Der erste Abend auf der Alm: Heu, Käse und eine Bettstatt unter dem Dach.",
        chapters=one("", e.take(HEI, "Nachdem die Dete verschwunden war", 2200)),
        source=cite("Heidis Lehr- und Wanderjahre", "Johanna Spyri", "1880", "DEU052 ch. 2"),
        shows="UTF-8 with a byte-order mark and CRLF line ends; a German story with English labels; `M` (the rating is a joke about goats, as the warning says)",
        lenient={"language": [None]},
    )
    s.opt = {
        "encoding": "utf-8-bom",
        "eol": "\r\n",
        "separator": "==========",
        "header": [
            ("Title", s.title),
            ("Author", "Dörfli-Chronistin"),
            ("Fandom", "Heidi"),
            ("Pairing", "Heidi & Alm-Öhi"),
            ("Characters", ", ".join(s.characters)),
            ("Rating", "M"),
            ("Warnings", "Ziegen"),
            ("Summary", s.summary),
        ],
        "footer": ["==========", "", "Ende"],
    }
    specs.append(s)

    s = Spec(
        path="archive/the-man-who-died_reflowed-header.txt",
        writer="text",
        format="text",
        title="The Man Who Died",
        authors=["stonebridge"],
        fandoms=["The Thirty-Nine Steps"],
        pairings=[("Richard Hannay & Franklin Scudder", "Richard Hannay & Franklin Scudder")],
        rating="Mature",
        rating_ao3="Mature",
        language="en",
        warnings=["Violence", "Character Death"],
        summary="A bored colonial in a London flat opens his door to a neighbour who says he is already dead.",
        chapters=one("", e.take(TS, "I returned from the City about three o'clock", 2400)),
        source=cite("The Thirty-Nine Steps", "John Buchan", "1915", "ENG19150_Buchan ch. I"),
        shows="degenerate header: every label reflowed onto a few long lines (`TITLE: … AUTHOR: … FANDOM: …`), hard-wrapped body, `Mature`",
        lenient={"language": [None]},
    )
    s.opt = {
        "deco": "caps",
        "reflow": True,
        "wrap_body": 72,
        "separator": "********************",
        "header": [
            ("Title", s.title),
            ("Author", "stonebridge"),
            ("Fandom", "The Thirty-Nine Steps"),
            ("Pairing", s.pairings[0][0]),
            ("Rating", "Mature"),
            ("Warnings", "Violence, Character Death"),
            ("Summary", s.summary),
        ],
        "footer": ["********************"],
    }
    specs.append(s)

    s = Spec(
        path="archive/seven-per-cent-of-nothing_drabble.txt",
        writer="text",
        format="text",
        title="Seven Per Cent of Nothing",
        authors=["rainy_baker_street"],
        fandoms=["Sherlock Holmes"],
        pairings=[("Holmes x Watson", "Holmes/Watson")],
        rating="",
        rating_ao3="Not Rated",
        language="en",
        complete=True,
        summary="Three days of rain, one drawer, one problem.",
        chapters=one("", split_paras(own.DRABBLE_HOLMES)),
        source="original text (CC0)",
        shows="a drabble (~300 words) with `**Title:**`-style labels, no rating at all (Not Rated), `Holmes x Watson`, `Status: Complete`",
        lenient={"language": [None]},
    )
    s.opt = {
        "deco": "bold",
        "separator": "oOoOoOoOo",
        "header": [
            ("Title", s.title),
            ("Author", "rainy_baker_street"),
            ("Fandom", "Sherlock Holmes"),
            ("Pairing", "Holmes x Watson"),
            ("Word Count", "300"),
            ("Status", "Complete"),
            ("Summary", s.summary),
        ],
        "footer": ["oOoOoOoOo"],
    }
    specs.append(s)

    s = Spec(
        path="archive/tea-and-sympathy_equals-labels_hostile.txt",
        writer="text",
        format="text",
        title="Tea & <i>Sympathy</i>",
        authors=["<croquet>", "hedgehogs"],
        fandoms=["Alice in Wonderland"],
        pairings=[("Alice & Queen of Hearts", "Alice & Queen of Hearts")],
        rating="none",
        rating_ao3="Not Rated",
        language="en",
        tags=["Humor", "Croquet"],
        summary=(
            'The Queen says "<script>" is not a word. Alice says it is a tag, and both are right. '
            "(&amp; is not a typo either.)"
        ),
        chapters=one(
            "", e.take(AL, "A large rose-tree stood near the entrance of the garden", 2000)
        ),
        source=cite(
            "Alice's Adventures in Wonderland", "Lewis Carroll", "1865", "ENG18652_Carroll ch. VIII"
        ),
        shows="escaping in plain text: `<i>` and `&` in the title, two co-authors joined by `&`, one of them `<croquet>`, a `<script>` joke in the summary; `=` label separator; `Rating = none`; quote: “Off with her head!”",
        lenient={"language": [None]},
    )
    s.opt = {
        "sep": " = ",
        "separator": "=-=-=-=-=-=-=-=-=-=",
        "header": [
            ("Title", s.title),
            ("Author", " & ".join(s.authors)),
            ("Fandom", "Alice in Wonderland"),
            ("Pairing", "Alice & Queen of Hearts"),
            ("Rating", "none"),
            ("Genre", "Humor, Croquet"),
            ("Summary", s.summary),
        ],
        "footer": ["=-=-=-=-=-=-=-=-=-=", "", "THE END"],
    }
    specs.append(s)
    return specs


def web_specs(e: Eltec) -> list[Spec]:
    specs: list[Spec] = []
    s = Spec(
        path="web/the-library-at-lowick.txt",
        writer="saved-page",
        format="text",
        title="The Library at Lowick",
        authors=["Rowan Ashcombe"],
        fandoms=["Middlemarch"],
        pairings=[("Dorothea Brooke / Will Ladislaw", "Dorothea Brooke/Will Ladislaw")],
        rating="G",
        rating_ao3="General Audiences",
        language="en",
        summary="A borrowed book, a wet coat, and an argument in a sad room.",
        chapters=one("", split_paras(own.SAVED_PAGE_STORY)),
        source="original text (CC0); the “Recent Posts” teasers are original too",
        shows="text of a saved web page: `top of page` chrome, an unlabelled title, `RATING: G` followed by prose, author only in the `LEGAL STUFF` copyright line and the `©` footer, curly quotes, then `Recent Posts` teasers with their own `TITLE:`/`PAIRING:` labels that must not leak; quote: “A library is only a room until somebody argues in it”",
        lenient={"authors": [[]], "language": [None]},
        excludes=[
            "Recent Posts",
            "See All",
            "SEVEN GRAINS OF SAND",
            "Holmes / Lestrade",
            "Website Design by",
            "bottom of page",
            "LEGAL STUFF",
            "SUMMARY FOR STORY",
        ],
    )
    s.opt = {
        "rating_prose": "Nothing here that would trouble Mrs. Cadwallader.",
        "legal": "Copyrighted 2009 by Rowan Ashcombe. The characters belong to George Eliot and are borrowed for love, not money; the story itself is mine. Please ask before reposting.",
        "spoiler": "Set during Book IV. Mr. Casaubon is still alive, and still writing.",
        "feedback": "Always welcome! The comment box is below.",
        "footer_year": "2015",
        "footer_name": "Rowan Ashcombe",
        "designer": "M. Quillfeather",
    }
    specs.append(s)

    s = Spec(
        path="web/fic-the-cab-to-camberwell_journal-entry.html",
        writer="journal",
        format="html",
        title="The Cab to Camberwell",
        authors=["quietly_deducing"],
        fandoms=["Sherlock Holmes"],
        pairings=[("Watson/Morstan", "Watson/Morstan")],
        rating="PG",
        rating_ao3="Teen And Up Audiences",
        language="en",
        summary="Watson sees Miss Morstan home, and says all the wrong things, and means all of them.",
        chapters=one("", e.take(S4, "The police had brought a cab with them", 1500)),
        source=cite("The Sign of Four", "Arthur Conan Doyle", "1890", "ENG18900_Doyle ch. VII"),
        shows="a saved LiveJournal-style entry (generic HTML): bold labels in the entry, navigation, tags, comment links and a sidebar of other entries around the story",
        lenient={"language": [None]},
        excludes=["Leave a comment", "Recent Entries", "A Study in Lamplight", "Powered by"],
    )
    s.opt = {
        "journal": "quietly_deducing",
        "subject": "FIC: The Cab to Camberwell (Watson/Morstan, PG)",
        "entry_url": "https://quietly-deducing.journal.example.invalid/2009/03/03/",
        "when": "Mar. 3rd, 2009 | 10:14 pm",
        "journal_tags": ["fic", "sherlock holmes", "watson/morstan"],
        "header": [
            ("Title", s.title),
            ("Author", "quietly_deducing"),
            ("Fandom", "Sherlock Holmes"),
            ("Pairing", "Watson/Morstan"),
            ("Rating", "PG"),
            ("Summary", s.summary),
            ("Disclaimer", "Conan Doyle's, all of it."),
        ],
    }
    specs.append(s)

    s = Spec(
        path="web/casanovas-heimfahrt_efiction-printable.html",
        writer="efiction",
        format="html",
        title="Der Brief aus Venedig",
        authors=["Mantua-Leserin"],
        fandoms=["Casanovas Heimfahrt"],
        pairings=[("Casanova/Marcolina", "Casanova/Marcolina")],
        characters=["Casanova", "Olivo", "Amalia", "Marcolina"],
        rating="P16",
        rating_ao3="Not Rated",
        language="de",
        complete=True,
        summary="Casanova ist dreiundfünfzig, wartet auf einen Brief aus Venedig und wird von einem alten Freund erkannt.",
        chapters=one("Kapitel 1", e.take(CAS, "In seinem dreiundfünfzigsten Lebensjahre", 2200)),
        source=cite("Casanovas Heimfahrt", "Arthur Schnitzler", "1918", "DEU091"),
        shows="an eFiction “printable” page (generic HTML) in ISO-8859-1 with `span.label` fields; a site-specific rating `P16` that maps to Not Rated",
        lenient={"language": [None]},
        excludes=["Startseite", "Powered by eFiction", "Alle Rechte"],
    )
    s.opt = {
        "charset": "iso-8859-1",
        "site": "Mantua-Archiv",
        "uid": 41,
        "header": [
            ("Rated", "P16"),
            ("Categories", "Casanovas Heimfahrt"),
            ("Characters", ", ".join(s.characters)),
            ("Pairing", "Casanova/Marcolina"),
            ("Genres", "Drama"),
            ("Warnings", "Keine"),
            ("Chapters", "1"),
            ("Completed", "Yes"),
            ("Word count", str(s.words)),
            ("Published", "2008-05-14"),
            ("Updated", "2008-05-14"),
        ],
    }
    s.published = "2008-05-14"
    specs.append(s)
    return specs


def ebook_specs(e: Eltec) -> list[Spec]:
    specs: list[Spec] = []
    s = Spec(
        path="ebooks/Le_bal_a_la_Vaubyessard.epub",
        writer="epub",
        format="epub",
        title="Le bal à la Vaubyessard",
        authors=["Tostes-Yonville"],
        fandoms=["Madame Bovary"],
        pairings=[("Charles Bovary/Emma Bovary", "Charles Bovary/Emma Bovary")],
        rating="PG-13",
        rating_ao3="Teen And Up Audiences",
        language="fr",
        summary="Fin septembre, une invitation au château. Emma n'oubliera jamais cette nuit-là ; Charles a mal aux pieds.",
        published="2012-09-30",
        chapters=[
            Chapter(
                "L'invitation",
                tuple(
                    e.take(
                        BOV, "Mais, vers la fin de septembre, quelque chose d'extraordinaire", 1300
                    )
                ),
            ),
            Chapter("Le bal", tuple(e.take(BOV, "Le château, de construction moderne", 2200))),
        ],
        source=cite("Madame Bovary", "Gustave Flaubert", "1857", "FRA01302_Flaubert"),
        shows="a home-made EPUB 3 (Sigil-style, `nav.xhtml`) in French: metadata from the OPF, the fandom and pairing only on the title page, French spacing before the colon (`Fandom : …`)",
    )
    s.opt = {
        "sep": "\u00a0: ",
        "subjects": ["Fanfiction", "Romance", "XIXe siècle"],
        "header": [("Fandom", "Madame Bovary"), ("Pairing", s.pairings[0][0]), ("Rating", "PG-13")],
    }
    specs.append(s)

    s = Spec(
        path="ebooks/An_Avenue_of_Limes.epub",
        writer="epub",
        format="epub",
        title="An Avenue of Limes",
        authors=["Audley Court Press", "Phoebe M."],
        fandoms=["Lady Audley's Secret"],
        pairings=[("Sir Michael Audley/Lucy Graham", "Sir Michael Audley/Lucy Graham")],
        rating="PG",
        rating_ao3="Teen And Up Audiences",
        language="en",
        summary="Audley Court, its lime-walk, and the governess whom everybody loves.",
        published="2016-04-03",
        chapters=one(
            "Lucy",
            e.take(
                "eng/ENG18621_Braddon.txt",
                "It lay down in a hollow, rich with fine old timber",
                2500,
            ),
        ),
        source=cite(
            "Lady Audley's Secret", "Mary Elizabeth Braddon", "1862", "ENG18621_Braddon ch. I"
        ),
        shows="a home-made EPUB 2 with its OPF in a sub-folder (`OPS/package.opf`), two `dc:creator`s, header lines on the title page",
    )
    s.opt = {
        "epub_version": 2,
        "subjects": ["Fan fiction", "Victorian", "Mystery"],
        "header": [
            ("Fandom", "Lady Audley's Secret"),
            ("Pairing", s.pairings[0][0]),
            ("Rating", "PG"),
        ],
    }
    specs.append(s)
    return specs


# ---------------------------------------------------------------------------- output
ALIASES = """# searchfic-aliases.toml: variant spellings in the demo corpus mapped to one canonical value.
# `searchfic index` applies this file (see searchfic/aliases.py); the demo stories keep the
# spellings their authors used, so the facets show why an alias table is useful.

[fandom]
"Middlemarch - George Eliot" = ["Middlemarch"]
"Sherlock Holmes - Arthur Conan Doyle" = ["Sherlock Holmes"]
"Hard Times - Charles Dickens" = ["Hard Times"]
"The Time Machine - H. G. Wells" = ["Time Machine"]
"The Man Who Was Thursday - G. K. Chesterton" = ["Man Who Was Thursday"]
"Alice's Adventures in Wonderland - Lewis Carroll" = ["Alice in Wonderland"]
"Heidi - Johanna Spyri" = ["Heidi"]
"Madame Bovary - Gustave Flaubert" = ["Madame Bovary"]
"La Reine Margot - Alexandre Dumas" = ["La Reine Margot"]
"The Thirty-Nine Steps - John Buchan" = ["The Thirty-Nine Steps"]
"Casanovas Heimfahrt - Arthur Schnitzler" = ["Casanovas Heimfahrt"]
"Lady Audley's Secret - Mary Elizabeth Braddon" = ["Lady Audley's Secret"]

[pairing]
"Dorothea Brooke/Will Ladislaw" = ["Brooke/Ladislaw", "Dorothea/Will"]
"Sherlock Holmes/John Watson" = ["Holmes/Watson"]
"John Watson/Mary Morstan" = ["Watson/Morstan"]
"Louisa Gradgrind & Sissy Jupe" = ["Louisa & Sissy"]
"Gabriel Syme/Lucian Gregory" = ["Gregory/Syme", "Syme/Gregory"]

[character]
"Dorothea Brooke" = ["Dorothea B."]
"Will Ladislaw" = ["Will L."]
"Sherlock Holmes" = ["Sherlock H."]
"John Watson" = ["Dr. Watson"]
"Heathcliff (Wuthering Heights)" = ["Heathcliff"]
"""

# Memorable lines the README offers as quote searches: (quote, the one file that holds it).
DEMO_QUOTES: list[tuple[str, str]] = [
    ("when you have eliminated the impossible", "ao3/What_Remains_However.html"),
    ("we're all mad here", "ao3/Were_All_Mad_Here.epub"),
    ("Nelly, I am Heathcliff", "ao3/Nelly I Am Heathcliff.html"),
    ("Now, what I want is, Facts", "ao3/Facts Alone Are Wanted.html"),
    ("unhistoric acts", "ao3/A_Storm_at_Lowick.epub"),
    ("Let me in - let me in!", "ao3/Snow_at_the_Heights.html"),
    ("there still remains the cocaine-bottle", "ao3/The_Bold_and_the_Cocaine.html"),
    ("Off with her head", "archive/tea-and-sympathy_equals-labels_hostile.txt"),
    ("It's always six o'clock now", "ao3/Always_Six_OClock.html"),
    ("A library is only a room until somebody argues in it", "web/the-library-at-lowick.txt"),
]

WRITERS: dict[str, Callable[[Spec, Path], None]] = {
    "ao3-current": lambda s, p: p.write_bytes(ao3_html(s, "current")),
    "ao3-2019": lambda s, p: p.write_bytes(ao3_html(s, "2019")),
    "ao3-epub": ao3_epub,
    "fff-txt": lambda s, p: p.write_bytes(fff_txt(s)),
    "fff-html": lambda s, p: p.write_bytes(fff_html(s)),
    "fff-epub": fff_epub,
    "text": lambda s, p: p.write_bytes(classic_text(s)),
    "saved-page": lambda s, p: p.write_bytes(saved_page(s)),
    "journal": lambda s, p: p.write_bytes(journal_entry(s)),
    "efiction": lambda s, p: p.write_bytes(efiction_page(s)),
    "epub": generic_epub,
}

# Text that belongs to the file but never to the story text, per writer.
CHROME = {
    "ao3-current": [
        "Posted originally on the",
        "drop by the Archive",
        "See the end of the",
        "Chapter End Notes",
    ],
    "ao3-2019": ["Posted originally on the", "drop by the archive"],
    "ao3-epub": ["Posted originally on the", "drop by the Archive", "Chapter End Notes"],
    "fff-txt": ["End file.", "Packaged:", "TABLE OF CONTENTS", "Story URL:"],
    "fff-html": ["Table of Contents", "Packaged:", "Story URL"],
    "fff-epub": ["Packaged:", "Story URL"],
    "saved-page": [],
    "journal": ["Leave a comment"],
    "efiction": ["Powered by eFiction"],
    "epub": [],
    "text": [],
}


def all_specs(e: Eltec) -> list[Spec]:
    specs = ao3_specs(e) + fff_specs(e) + archive_specs(e) + web_specs(e) + ebook_specs(e)
    paths = [s.path for s in specs]
    dupes = {p for p in paths if paths.count(p) > 1}
    if dupes:
        raise SystemExit(f"make_demo_corpus: duplicate paths: {sorted(dupes)}")
    return specs


def first_words(paras: Sequence[str], n: int = 8) -> str:
    return " ".join(" ".join(paras).split()[:n])


def last_words(paras: Sequence[str], n: int = 8) -> str:
    return " ".join(" ".join(paras).split()[-n:])


def expectation(s: Spec) -> dict:
    """What `searchfic.ingest.parse_file` should return for this file (the test reads this)."""
    rich = s.writer.startswith(("ao3", "fff"))
    exp: dict = {
        "path": s.path,
        "format": s.format,
        "title": s.title,
        "authors": s.authors,
        "fandoms": s.fandoms,
        "pairings": [p for _, p in s.pairings],
        "rating": s.rating_ao3,
        "rating_original": s.rating,
        "language": s.language,
        "complete": s.complete,
        "words": s.words,
        "body_start": first_words(s.chapters[0].paras),
        "body_end": last_words(s.chapters[-1].paras),
        "summary_start": first_words(split_paras(s.summary), 6) if s.summary else "",
    }
    if rich or s.characters:
        exp["characters"] = s.characters
    if rich or s.warnings:
        exp["warnings"] = s.warnings
    if rich:
        exp["categories"] = s.categories
    if rich or (s.tags and s.writer != "epub"):
        exp["tags"] = s.tags
    if rich:
        exp["url"] = s.url
        exp["chapters"] = len(s.chapters)
        exp["published"] = s.published
        # FanFicFare always writes Updated (the publication date when never updated).
        exp["updated"] = s.updated or (s.published if s.writer.startswith("fff") else None)
    if s.writer == "text" and s.opt.get("preamble"):
        exp["published"] = s.published
    excludes = list(CHROME[s.writer]) + list(s.excludes)
    for c in s.chapters:
        excludes += [x for x in (c.summary, c.notes, c.end_notes) if x]
    if s.opt.get("end_notes"):
        excludes.append(s.opt["end_notes"])
    exp["excludes"] = excludes
    footer = [x for x in s.opt.get("footer", []) if x.strip()]
    exp["excluded_paragraphs"] = footer
    exp["lenient"] = s.lenient
    return exp


def readme(specs: list[Spec], aliases: bool = False) -> str:
    rows = []
    for s in specs:
        pairs = "; ".join(f"`{w}`" for w, _ in s.pairings) or "—"
        rating = f"{s.rating_ao3} (`{s.rating}`)" if s.rating else f"{s.rating_ao3} (none)"
        status = {True: "complete", False: "WIP", None: "—"}[s.complete]
        rows.append(
            f"| `{s.path}` | {s.format} | {s.title.replace('<', '&lt;').replace('|', '/')} | "
            f"{'; '.join(s.fandoms)} | {pairs.replace('|', '/')} | {rating} | {s.language} | "
            f"{status} | {s.words:,} | {s.shows} | {s.source} |"
        )
    total = sum(s.words for s in specs)
    langs = sorted({s.language for s in specs})
    quotes = ", ".join(f'`"{q}"`' for q, _ in DEMO_QUOTES)
    aliases_line = (
        "- `searchfic-aliases.toml`: the alias file: variant fandom, pairing and character\n"
        "  spellings mapped to one canonical value.\n"
        if aliases
        else ""
    )
    fandoms = sorted({f for s in specs for f in s.fandoms})
    return f"""# The searchfic demo corpus

`searchfic serve` with no arguments indexes this folder and serves it, so this is the first
thing a new user searches. It holds {len(specs)} stories ({total:,} words) in every input format
searchfic reads, in {len(langs)} languages ({", ".join(langs)}) and {len(fandoms)} fandom spellings, with the
same relationships written many ways. **None of it is third-party fan fiction**: the story text
is public-domain novel text or original writing, and everything around it (titles, pseudonyms,
summaries, notes, tags, dates, work ids, e-mail addresses) is invented.

Everything here is written by `tools/make_demo_corpus.py`; do not edit these files by hand.
Rebuild with `.venv/bin/python tools/make_demo_corpus.py` (it needs the ELTeC texts in
`../shared/corpus/eltec/` or `--eltec DIR`); the output is byte-identical on every run. The
generator also writes `tools/demo_expectations.json`, the metadata each file should parse to,
which `tests/test_demo_corpus.py` checks.

## Try these

| to see | search |
|---|---|
| a memorable line, whatever its typography (`'` = `’`, `-` = `—`) | {quotes} |
| one relationship however it was written | pairing `Dorothea Brooke/Will Ladislaw` (also written `Will Ladislaw / Dorothea Brooke`, `Dorothea x Will`, `Will/Dorothea`, `Brooke/Ladislaw`, `Dorothea Brooke / Will Ladislaw`) |
| romantic versus platonic | pairing `Holmes/Watson` against `Holmes & Watson` |
| a threesome is not a pair | pairing `Catherine/Heathcliff/Edgar` against `Catherine/Heathcliff` |
| a crossover | fandom `Alice's Adventures in Wonderland - Lewis Carroll` and fandom `The Time Machine - H. G. Wells` both find *Always Six O'Clock* |
| ratings written many ways | rating `PG-13`, `K+`, `NC-17`, `M`, or the AO3 names |
| languages | language `fr`, `de`, `es` |
| length and status | `--words "<1000"`, `--words ">10000"`, `--incomplete` |
| escaping | search `bold`, `script` or `sympathy`: titles and summaries with `<b>`, `<i>`, `&` and `<script>` are shown as text |

## Folders

- `ao3/`: AO3 "Download" files: HTML in the current template and in the 2019–2022 template, and
  EPUBs shaped as calibre makes them for AO3.
- `fanficfare/`: FanFicFare TXT, HTML and EPUB output, of AO3 and FanFiction.net stories.
- `archive/`: plain-text stories with classic header blocks (mailing lists, Usenet, personal
  archives): many label styles and separators, hard-wrapped text, CRLF, Windows-1252, a UTF-8
  byte-order mark, and one file with mojibake damage.
- `web/`: the text of a saved site-builder page (with "Recent Posts" teasers of other stories
  that must not leak into the story), a saved journal entry and an eFiction printable page.
- `ebooks/`: home-made EPUBs (EPUB 3 and EPUB 2) that are neither AO3 nor FanFicFare files.
{aliases_line}
## The files

| File | Format | Title | Fandoms | Pairings as written | Rating (as written) | Lang | Status | Words | Shows | Text source |
|---|---|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

## Credits and licences

- **Public-domain novel text** comes from the European Literary Text Collection (ELTeC):
  English Novel Corpus (ELTeC-eng), French Novel Corpus (ELTeC-fra), German Novel Corpus
  (ELTeC-deu) and Spanish Novel Corpus (ELTeC-spa), COST Action CA16204 "Distant Reading for
  European Literary History" (ELTeC-eng ed. Lou Burnard, DOI 10.5281/zenodo.3533868; the other
  collections' DOIs are given in their repositories). The novels' texts are in the public
  domain; the ELTeC markup they were converted from is licensed CC BY 4.0. Each row above names
  the novel and the ELTeC file the excerpt was cut from. Excerpts were cut at paragraph
  boundaries and are otherwise unchanged (except where a file deliberately shows an encoding or
  wrapping problem).
- **Original writing** (the stories marked "original text", the "Recent Posts" teasers, the
  framing text of *The &lt;b&gt;Bold&lt;/b&gt; & the Cocaine-Bottle*) and **all metadata** (titles, pseudonyms, summaries,
  notes, tags, dates, ids) were written for searchfic and are dedicated to the public domain
  under **CC0 1.0** (https://creativecommons.org/publicdomain/zero/1.0/).
- The file **formats** imitate AO3's download templates, calibre's EPUB conversion and
  FanFicFare's output, as described in the project's format notes; no file was copied from
  those sites or programs. Pseudonyms, work ids and URLs are invented; any resemblance to a real
  account or work is accidental. E-mail addresses use the reserved `example.invalid` domain.
"""


def build(eltec: Path, out: Path, manifest: Path | None, aliases: bool = True) -> list[Spec]:
    e = Eltec(eltec)
    specs = all_specs(e)
    for s in specs:
        target = out / s.path
        target.parent.mkdir(parents=True, exist_ok=True)
        WRITERS[s.writer](s, target)
    (out / "README.md").write_text(readme(specs, aliases), encoding="utf-8")
    if aliases:
        (out / "searchfic-aliases.toml").write_text(ALIASES, encoding="utf-8")
    if manifest is not None:
        data = {
            "about": "Expected parse results for data/, written by tools/make_demo_corpus.py",
            "stories": [expectation(s) for s in specs],
            "quotes": [{"quote": q, "path": p} for q, p in DEMO_QUOTES],
        }
        manifest.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return specs


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eltec", type=Path, default=DEFAULT_ELTEC, help="the ELTeC plain-text folder")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the corpus")
    ap.add_argument(
        "--manifest",
        type=Path,
        default=None,
        help="where to write the expectations (default: tools/demo_expectations.json "
        "when writing data/, none otherwise)",
    )
    ap.add_argument(
        "--no-aliases",
        dest="with_aliases",
        action="store_false",
        help="leave out data/searchfic-aliases.toml (the alias file that merges variant "
        "fandom, pairing and character spellings)",
    )
    args = ap.parse_args(argv)
    if not (args.eltec / "eng").is_dir():
        print(
            f"make_demo_corpus: {args.eltec}: no ELTeC texts there (use --eltec DIR)",
            file=sys.stderr,
        )
        return 2
    manifest = args.manifest
    if manifest is None and args.out.resolve() == DEFAULT_OUT.resolve():
        manifest = DEFAULT_MANIFEST
    specs = build(args.eltec, args.out, manifest, args.with_aliases)
    total = sum(s.words for s in specs)
    print(f"wrote {len(specs)} stories ({total:,} words) to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
