"""Write the markup fixtures of this folder from ELTeC public-domain prose.

Every title, pseudonym, tag, date, summary, note, URL and work id here is invented; the
story paragraphs are public-domain novel text from ELTeC (English/French Novel Corpus,
ELTeC-eng/-fra, COST Action CA16204; ELTeC-eng ed. Lou Burnard, DOI 10.5281/zenodo.3533868;
the texts are public domain, the ELTeC markup CC BY 4.0). Run from the repository root:

    .venv/bin/python tests/data/markup/make_fixtures.py /path/to/shared/corpus/eltec

The generated files are committed; the tests never run this script.
"""

from __future__ import annotations

import html
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def eltec(root: Path, name: str, start: int, count: int) -> list[str]:
    """Return ``count`` prose paragraphs (80+ characters) from an ELTeC text."""
    text = (root / name).read_text(encoding="utf-8")
    body = text.split("\n\n", 1)[1]
    paras = [" ".join(p.split()) for p in body.split("\n\n")]
    prose = [p for p in paras if len(p) >= 80]
    return prose[start : start + count]


def words(paras: list[str]) -> int:
    return sum(len(p.split()) for p in paras)


def esc(s: str) -> str:
    return html.escape(s, quote=False)


def ao3_tag_url(base: str, name: str) -> str:
    from urllib.parse import quote

    slug = name.replace("/", "*s*").replace("&", "*a*").replace(".", "*d*")
    return f"{base}/tags/{quote(slug)}/works"


def dd_links(base: str, names: list[str]) -> str:
    return ", ".join(f'<a href="{ao3_tag_url(base, n)}">{esc(n)}</a>' for n in names)


def ao3_html(
    *,
    base: str,
    title: str,
    page_title: str,
    work_id: int,
    byline: str,
    labels: dict[str, str],
    tags: dict[str, list[str]],
    language: str | None,
    stats: list[tuple[str, str]],
    summary: str,
    notes: str,
    chapters: list[tuple[str | None, str | None, list[str]]],
    chaptered: bool,
    end_notes: str,
    afterword_word: str,
) -> str:
    """Render an AO3 "Download → HTML" file in the shape of the otwarchive templates."""
    rows = []
    for key in ("rating", "warning", "category", "fandom", "relationship", "character", "tags"):
        if tags.get(key):
            rows.append(
                f"          <dt>{labels[key]}</dt>\n          <dd>{dd_links(base, tags[key])}</dd>"
            )
    if language:
        rows.append(f"        <dt>Language:</dt>\n        <dd>{esc(language)}</dd>")
    stats_text = "\n".join(f"        {k}: {v}" for k, v in stats)
    rows.append(f"      <dt>Stats:</dt>\n      <dd>\n{stats_text}\n      </dd>")
    parts = []
    if chaptered:
        for i, (heading, chapter_notes, paras) in enumerate(chapters, start=1):
            meta = [
                f'<div class="meta group">\n  <h2 class="heading">\n      {esc(heading or "")}\n  </h2>'
            ]
            if chapter_notes:
                meta.append(
                    "    <p>Chapter Notes</p>\n"
                    f'    <blockquote class="userstuff"><p>{esc(chapter_notes)}</p></blockquote>'
                )
            meta.append("</div>")
            text = "\n".join(f"  <p>{esc(p)}</p>" for p in paras)
            parts.append(
                "\n".join(meta)
                + f'\n\n<!--chapter content-->\n<div class="userstuff">\n{text}\n</div>\n'
                + "<!--/chapter content-->\n"
                + (
                    f'\n  <div class="meta" id="endnotes{i}">\n    <p>Chapter End Notes</p>\n'
                    f'    <blockquote class="userstuff"><p>End of part {i}.</p></blockquote>\n'
                    "  </div>\n"
                    if i == 1
                    else ""
                )
            )
    else:
        text = "\n".join(f"      <p>{esc(p)}</p>" for p in chapters[0][2])
        parts.append(
            f'    <h2 class="toc-heading">{esc(title)}</h2>\n'
            f'    <div class="userstuff">\n{text}\n    </div>'
        )
    body = "\n\n".join(parts)
    url = f"{base}/works/{work_id}"
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
<head>
  <meta charset="utf-8"/>
  <meta http-equiv="x-ua-compatible" content="ie=edge"/>
  <title>{esc(page_title)}</title>
  <style type="text/css">p.message{{text-align:center}}.meta h1{{font-size:1.5em}}.toc-heading{{display:none}}</style>
</head>
<body>

<div id="preface">
  <h2 class="toc-heading">Preface</h2>

  <p class="message">
    <b>{esc(title)}</b><br/>
    Posted originally on the <a href="{base}/">Archive of Our Own</a> at <a href="{url}">{url}</a>.
  </p>

  <div class="meta">
    <dl class="tags">
{chr(10).join(rows)}
    </dl>
    <h1>{esc(title)}</h1>
    <div class="byline">{byline}</div>
      <p>Summary</p>
      <blockquote class="userstuff"><p>{esc(summary)}</p></blockquote>

      <p>Notes</p>
        <blockquote class="userstuff"><p>{esc(notes)}</p></blockquote>
        <div class="endnote-link">
          See the end of the work for <a href="#endnotes">more notes</a>
        </div>
  </div>
</div>

<div id="chapters" class="userstuff">
{body}
</div>

<div id="afterword">
  <h2 class="toc-heading">Afterword</h2>
    <div class="meta">
        <div id="endnotes">
          <p>End Notes</p>
          <blockquote class="userstuff"><p>{esc(end_notes)}</p></blockquote>
        </div>
    </div>
  <p class="message">Please <a href="{url}/comments/new">drop by the Archive and comment</a> to let the {afterword_word} know if you enjoyed their work!</p>
</div>

</body>
</html>
"""


def write_ao3(root: Path) -> None:
    eng = root / "eng"
    # 2023-06 template: singular labels, Language present, "Creator Chose Not To Use..."
    # names, Words with separators and Chapters after it, http links, title-only headings.
    ch1 = eltec(eng, "ENG18860_Hardy.txt", 3, 9)
    ch2 = eltec(eng, "ENG18860_Hardy.txt", 12, 8)
    n = words(ch1 + ch2)
    (HERE / "ao3_2023_The_Hay_Trusser.html").write_text(
        ao3_html(
            base="http://archiveofourown.org",
            title="The Hay-Trusser's Bargain",
            page_title="The Hay-Trusser's Bargain - wessex_weaver - The Mayor of Casterbridge - Thomas Hardy",
            work_id=47110233,
            byline='by <a rel="author" href="http://archiveofourown.org/users/wessex_weaver/pseuds/wessex_weaver">wessex_weaver</a>',
            labels={
                "rating": "Rating:",
                "warning": "Archive Warning:",
                "category": "Category:",
                "fandom": "Fandom:",
                "relationship": "Relationship:",
                "character": "Character:",
                "tags": "Additional Tags:",
            },
            tags={
                "rating": ["Mature"],
                "warning": ["Creator Chose Not To Use Archive Warnings"],
                "category": ["F/M", "Gen"],
                "fandom": ["The Mayor of Casterbridge - Thomas Hardy"],
                "relationship": [
                    "Michael Henchard/Susan Henchard",
                    "Elizabeth-Jane & Susan Henchard",
                ],
                "character": ["Michael Henchard", "Susan Henchard", "Elizabeth-Jane Newson"],
                "tags": ["Alcohol", "Fairs & Markets", "Regret | Remorse", "Dad Michael Henchard"],
            },
            language="English",
            stats=[
                ("Published", "2023-06-04"),
                ("Updated", "2023-07-15"),
                ("Words", f"{n:,}"),
                ("Chapters", "2/?"),
            ],
            summary="A fair on the hill, a basin of furmity, and a bargain nobody should make.",
            notes="Hardy's own words, rearranged by nobody: the chapters are his prose.",
            chapters=[
                ("Hilltop Bargains", "Set in the 1820s.", ch1),
                ("The Second Evening Under Canvas", None, ch2),
            ],
            chaptered=True,
            end_notes="More soon, probably.",
            afterword_word="creator",
        ),
        encoding="utf-8",
    )
    # 2026-03: a chaptered work with one chapter gets the chaptered layout; "Chapter 1: T".
    only = eltec(eng, "ENG18570_Bronte.txt", 5, 10)
    n = words(only)
    (HERE / "ao3_2026_single_chapter_chaptered.html").write_text(
        ao3_html(
            base="https://archiveofourown.org",
            title="Letters from Brussels",
            page_title="Letters from Brussels - Verity Crimsworth (verity_c) - The Professor - Charlotte Brontë",
            work_id=71234567,
            byline='by <a rel="author" href="https://archiveofourown.org/users/verity_c/pseuds/Verity%20Crimsworth">Verity Crimsworth (verity_c)</a>',
            labels={
                "rating": "Rating:",
                "warning": "Archive Warning:",
                "category": "Category:",
                "fandom": "Fandom:",
                "relationship": "Relationship:",
                "character": "Characters:",
                "tags": "Additional Tags:",
            },
            tags={
                "rating": ["General Audiences"],
                "warning": ["No Archive Warnings Apply"],
                "category": ["F/M"],
                "fandom": ["The Professor - Charlotte Brontë"],
                "relationship": ["William Crimsworth/Frances Evans Henri"],
                "character": ["William Crimsworth", "Frances Evans Henri"],
                "tags": ["Epistolary", "Canon Era"],
            },
            language="English",
            stats=[("Published", "2026-03-02"), ("Words", f"{n:,}"), ("Chapters", "1/1")],
            summary="William writes home. Nobody answers.",
            notes="A one-shot posted as a chaptered work.",
            chapters=[("Chapter 1: The Counting-House", None, only)],
            chaptered=True,
            end_notes="Thanks for reading.",
            afterword_word="creator",
        ),
        encoding="utf-8",
    )
    # 2024: an anonymous work (collection reveal pending), no author link.
    anon = eltec(eng, "ENG18610_Eliot.txt", 2, 8)
    n = words(anon)
    (HERE / "ao3_2024_anonymous.html").write_text(
        ao3_html(
            base="https://archiveofourown.org",
            title="The Weaver's Gold",
            page_title="The Weaver's Gold - Anonymous - Silas Marner - George Eliot",
            work_id=55500011,
            byline="by Anonymous",
            labels={
                "rating": "Rating:",
                "warning": "Archive Warning:",
                "category": "Category:",
                "fandom": "Fandom:",
                "relationship": "Relationship:",
                "character": "Characters:",
                "tags": "Additional Tags:",
            },
            tags={
                "rating": ["Teen And Up Audiences"],
                "warning": ["No Archive Warnings Apply"],
                "category": ["Gen"],
                "fandom": ["Silas Marner - George Eliot"],
                "character": ["Silas Marner", "Eppie (Silas Marner)"],
                "tags": ["Found Family", "Gift Exchange"],
            },
            language="English",
            stats=[("Published", "2024-12-25"), ("Words", f"{n:,}"), ("Chapters", "1/1")],
            summary="Raveloe, and the gold that came back with curls.",
            notes="Written for a winter gift exchange.",
            chapters=[(None, None, anon)],
            chaptered=False,
            end_notes="Happy holidays, recipient!",
            afterword_word="creator",
        ),
        encoding="utf-8",
    )
    # 2025-09: four fandoms, so <title> says Multifandom; plural labels; two co-creators.
    c1 = eltec(eng, "ENG18530_Dickens.txt", 4, 4)
    c2 = eltec(eng, "ENG18540_Dickens.txt", 4, 4)
    n = words(c1 + c2)
    (HERE / "ao3_2025_multifandom.html").write_text(
        ao3_html(
            base="https://archiveofourown.org",
            title="Fog, Facts and Other Weathers",
            page_title="Fog, Facts and Other Weathers - inkwell_and_quill, Pip (pocket_pip) - Multifandom",
            work_id=66001234,
            byline=(
                'by <a rel="author" href="https://archiveofourown.org/users/inkwell_and_quill/pseuds/inkwell_and_quill">inkwell_and_quill</a>, '
                '<a rel="author" href="https://archiveofourown.org/users/pocket_pip/pseuds/Pip">Pip (pocket_pip)</a>'
            ),
            labels={
                "rating": "Rating:",
                "warning": "Archive Warnings:",
                "category": "Categories:",
                "fandom": "Fandoms:",
                "relationship": "Relationships:",
                "character": "Characters:",
                "tags": "Additional Tags:",
            },
            tags={
                "rating": ["Not Rated"],
                "warning": [
                    "Creator Chose Not To Use Archive Warnings",
                    "No Archive Warnings Apply",
                ],
                "category": ["Gen", "Multi"],
                "fandom": [
                    "Bleak House - Charles Dickens",
                    "Hard Times - Charles Dickens",
                    "Dickens - Works",
                    "Victorian Literature (Anthology)",
                ],
                "relationship": [
                    "Esther Summerson/Allan Woodcourt",
                    "Louisa Gradgrind & Tom Gradgrind",
                ],
                "character": ["Esther Summerson", "Thomas Gradgrind", "Mr. Jarndyce"],
                "tags": ["Crossover", "Weather", "Fog"],
            },
            language="English",
            stats=[
                ("Published", "2025-01-19"),
                ("Completed", "2025-09-01"),
                ("Words", f"{n:,}"),
                ("Chapters", "2/2"),
            ],
            summary="Two openings, one weather report.",
            notes="A crossover that never crosses.",
            chapters=[("Chapter 1: Fog", None, c1), ("Chapter 2: Facts", "Gradgrind time.", c2)],
            chaptered=True,
            end_notes="Both chapters are the novels' own openings.",
            afterword_word="creator",
        ),
        encoding="utf-8",
    )


def write_ao3_work_page(root: Path) -> None:
    """A work page saved from the browser (not a download): AO3's site markup and chrome."""
    eng = root / "eng"
    ch1 = eltec(eng, "ENG18482_Gaskell.txt", 20, 5)
    ch2 = eltec(eng, "ENG18482_Gaskell.txt", 25, 5)
    n = words(ch1 + ch2)

    def tags(kind: str, label: str, names: list[str]) -> str:
        items = "".join(
            f'<li><a class="tag" href="/tags/{html.escape(x)}/works">{esc(x)}</a></li>'
            for x in names
        )
        return (
            f'<dt class="{kind} tags">{label}</dt>\n'
            f'<dd class="{kind} tags"><ul class="commas">{items}</ul></dd>'
        )

    def chapter(i: int, title: str, summary: str | None, paras: list[str]) -> str:
        summary_html = (
            '<div id="summary" class="summary module" role="complementary">'
            '<h3 class="heading">Summary:</h3><blockquote class="userstuff">'
            f"<p>{esc(summary)}</p></blockquote></div>"
            if summary
            else ""
        )
        text = "\n".join(f"<p>{esc(p)}</p>" for p in paras)
        return (
            f'<div class="chapter" id="chapter-{i}" role="article">\n'
            '<div class="chapter preface group" role="complementary">'
            f'<h3 class="title"><a href="/works/60708090/chapters/{1000 + i}">Chapter {i}</a>: '
            f"{esc(title)}</h3>{summary_html}</div>\n"
            '<div class="userstuff module" role="article">\n'
            '<h3 class="landmark heading" id="work">Chapter Text</h3>\n'
            f"{text}\n</div>\n</div>"
        )

    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>The Weaver's Daughter - Chapter 1 - manchester_rain - Mary Barton - Elizabeth Gaskell [Archive of Our Own]</title>
</head>
<body class="logged-out">
<div id="outer" class="wrapper">
<ul id="skiplinks"><li><a href="#main">Main Content</a></li></ul>
<header id="header" class="region"><h1 class="heading"><a href="/"><span>Archive of Our Own</span></a></h1>
<nav aria-label="Site"><ul class="primary navigation actions"><li><a href="/menu/fandoms">Fandoms</a></li><li><a href="/works/search">Search</a></li></ul></nav></header>
<div id="inner" class="wrapper"><div id="main" class="works-show region" role="main">
<ul class="work navigation actions"><li class="chapter entire"><a href="/works/60708090?view_full_work=true">Entire Work</a></li></ul>
<div class="wrapper"><h3 class="landmark heading">Work Header</h3>
<dl class="work meta group">
{tags("rating", "Rating:", ["Teen And Up Audiences"])}
{tags("warning", "Archive Warning:", ["No Archive Warnings Apply"])}
{tags("category", "Category:", ["F/M"])}
{tags("fandom", "Fandom:", ["Mary Barton - Elizabeth Gaskell"])}
{tags("relationship", "Relationship:", ["Jem Wilson/Mary Barton"])}
{tags("character", "Characters:", ["Mary Barton", "Jem Wilson", "John Barton"])}
{tags("freeform", "Additional Tags:", ["Industrial Revolution", "Manchester"])}
<dt class="language" lang="en">Language:</dt><dd class="language" lang="en">English</dd>
<dt class="series">Series:</dt><dd class="series"><span class="series"><span class="position">Part 1 of <a href="/series/777">Cotton Town</a></span></span></dd>
<dt class="stats">Stats:</dt>
<dd class="stats"><dl class="stats"><dt class="published">Published:</dt><dd class="published">2022-05-01</dd><dt class="status">Updated:</dt><dd class="status">2022-06-12</dd><dt class="words">Words:</dt><dd class="words">{n:,}</dd><dt class="chapters">Chapters:</dt><dd class="chapters">2/4</dd><dt class="comments">Comments:</dt><dd class="comments">7</dd><dt class="kudos">Kudos:</dt><dd class="kudos">45</dd><dt class="hits">Hits:</dt><dd class="hits">1,203</dd></dl></dd>
</dl></div>
<div id="workskin">
<div class="preface group">
<h2 class="title heading">The Weaver's Daughter</h2>
<h3 class="byline heading"><a rel="author" href="/users/manchester_rain/pseuds/manchester_rain">manchester_rain</a></h3>
<div class="summary module" role="complementary"><h3 class="heading">Summary:</h3><blockquote class="userstuff"><p>Green Heys Fields on a holiday afternoon.</p></blockquote></div>
<div class="notes module" role="complementary"><h3 class="heading">Notes:</h3><blockquote class="userstuff"><p>Gaskell's words; the chapter breaks are mine.</p></blockquote></div>
</div>
<div id="chapters" role="article">
{chapter(1, "Green Heys Fields", "A walk in the fields.", ch1)}
{chapter(2, "Tea at the Bartons'", None, ch2)}
</div>
<div id="work_endnotes" class="afterword preface group"><div class="end notes module"><h3 class="heading">Notes:</h3><blockquote class="userstuff"><p>Two more chapters to come.</p></blockquote></div></div>
</div>
<div id="feedback" class="feedback"><ul class="actions"><li><a href="/works/60708090/kudos">Kudos</a></li></ul>
<div id="comments_placeholder"><ol class="thread"><li class="comment"><blockquote class="userstuff"><p>Relationship: Mary/Jem forever! Loved it.</p></blockquote></li></ol></div></div>
</div></div>
<footer id="footer" class="region"><p>Archive of Our Own, a project of the Organization for Transformative Works</p></footer>
</div>
</body>
</html>
"""
    (HERE / "ao3_saved_work_page.html").write_text(page, encoding="utf-8")


def write_pages(root: Path) -> None:
    eng = root / "eng"
    story = eltec(eng, "ENG18920_Grossmith.txt", 6, 10)
    paras = "\n".join(f"<p>{esc(p)}</p>" for p in story)
    (HERE / "page_blog_with_chrome.html").write_text(
        f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>The Laurels, Brickfield Terrace | Pooter Fans Fiction Blog</title>
<meta name="author" content="Carrie Lupin">
<meta property="og:title" content="The Laurels, Brickfield Terrace">
<meta property="og:url" content="https://pooterfans.example.invalid/2019/04/the-laurels/">
<meta property="article:published_time" content="2019-04-07T18:22:00+00:00">
<link rel="stylesheet" href="style.css">
<script>window.dataLayer = [];</script>
</head>
<body class="post-template has-sidebar">
<header class="site-header"><a href="/">Pooter Fans Fiction Blog</a>
<nav class="main-navigation"><ul><li><a href="/">Home</a></li><li><a href="/fics">All Fics</a></li><li><a href="/about">About</a></li></ul></nav>
</header>
<div class="site-content">
<main id="main">
<article class="post">
<h1 class="entry-title">The Laurels, Brickfield Terrace</h1>
<div class="entry-meta">Posted on <time datetime="2019-04-07">April 7, 2019</time> by <a rel="author" href="/author/carrie">Carrie Lupin</a></div>
<div class="entry-content">
<p><strong>Fandom:</strong> The Diary of a Nobody<br/>
<strong>Pairing:</strong> Charles Pooter/Carrie Pooter<br/>
<strong>Rating:</strong> G<br/>
<strong>Summary:</strong> Moving in, the scraper, and a disagreeable butcher.<br/>
<strong>Disclaimer:</strong> The Pooters belong to the Grossmiths.</p>
<hr/>
{paras}
<p>~ fin ~</p>
</div>
<footer class="entry-footer">Tags: <a href="/tag/pooter">pooter</a>, <a href="/tag/fluff">fluff</a></footer>
</article>
<div id="comments" class="comments-area">
<h2 class="comments-title">3 thoughts on "The Laurels"</h2>
<ol class="comment-list">
<li class="comment"><p>PAIRING: Lupin/Daisy next please! Title: anything you like.</p></li>
<li class="comment"><p>I laughed so much at the scraper.</p></li>
</ol>
</div>
</main>
<aside class="widget-area"><section class="widget widget_recent_entries"><h2>Recent Posts</h2>
<ul><li><a href="/2019/03/holloway">A Night at Holloway</a></li><li><a href="/2019/02/mansion">The Mansion House Ball</a></li></ul></section></aside>
</div>
<footer class="site-footer"><p>&copy; 2019 Carrie Lupin. Website design by Nobody Themes.</p></footer>
</body>
</html>
""",
        encoding="utf-8",
    )
    printable = eltec(eng, "ENG18830_Broughton.txt", 8, 7)
    chapter2 = eltec(eng, "ENG18830_Broughton.txt", 15, 5)
    ch_html = "<br />\n<br />\n".join(esc(p) for p in printable)
    ch2_html = "".join(f"<p>{esc(p)}</p>" for p in chapter2)
    (HERE / "efiction_printable.html").write_text(
        f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<title>Victorian Archive :: A Garden Party at Oxford by Dora Marsh</title>
<link rel="stylesheet" type="text/css" href="skins/default/style.css" /></head>
<body>
<div id="pagetitle"><a href="viewstory.php?sid=1042">A Garden Party at Oxford</a> by <a href="viewuser.php?uid=77">Dora Marsh</a></div>
<div class="infobox">
<div class="content"><span class="label">Summary: </span>Belinda is bored, the Professor is late, and the strawberries are over.<br />
<span class="label">Rated:</span> PG-13<br />
<span class="label">Categories:</span> <a href="browse.php?type=categories&amp;catid=4">Belinda - Rhoda Broughton</a> <span class="label">Characters: </span> <a href="browse.php?type=characters&amp;charid=9">Belinda Churchill</a>, <a href="browse.php?type=characters&amp;charid=10">Professor Forth</a><br />
<span class="label">Genre:</span> Drama, Romance<br />
<span class="label">Warnings:</span> None<br />
<span class="label">Challenges:</span> None<br /> <span class="label">Series:</span> None<br />
<span class="label">Chapters: </span> 2 <span class="label">Completed:</span> Yes
<span class="label">Word count:</span> 2501 <span class="label">Read:</span> 318
<span class="label"> Published: </span>03/14/2008 <span class="label">Updated:</span> 04/02/2008 </div>
</div>
<div class='notes'><div class='title'><span class='label'>Story Notes:</span></div><div class='noteinfo'>Written for the spring fest. Thanks to my beta, Sarah.</div></div>
<div class='chaptertitle'>1. Strawberries by Dora Marsh</div>
<div class='chapter'>{ch_html}</div>
<div class='toplink'><a href="javascript:pagetop()">Back to top</a></div>
<div class='chaptertitle'>2. Rain by Dora Marsh</div>
<div class='notes'><div class='title'><span class='label'>Author's Notes:</div><div class='noteinfo'>The last one, I promise.</div></div>
<div class='chapter'>{ch2_html}</div>
<div class='toplink'><a href="javascript:pagetop()">Back to top</a></div>
<div id="copyright">Disclaimer: All publicly recognizable characters and settings are the property of their respective owners.</div>
<div id="archivedat">This story archived at <a href="http://victorian.example.invalid/viewstory.php?sid=1042">http://victorian.example.invalid/viewstory.php?sid=1042</a></div>
</body></html>
""",
        encoding="utf-8",
    )
    entry = eltec(eng, "ENG18931_Harraden.txt", 3, 8)
    entry_html = "<br /><br />".join(esc(p) for p in entry)
    (HERE / "dreamwidth_entry.html").write_text(
        f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>bernardine_fic: [FIC] Ships that Pass (1/1)</title>
<meta property="og:title" content="[FIC] Ships that Pass (1/1)">
<meta property="og:url" content="https://bernardine-fic.dreamwidth.example.invalid/4242.html">
</head>
<body class="page-entry">
<div id="canvas"><div class="inner">
<div id="header"><h1 id="title">bernardine's fic journal</h1></div>
<div id="primary"><div class="inner">
<div class="navigation"><ul><li><a href="/">Previous Entry</a></li><li><a href="/">Next Entry</a></li></ul></div>
<div class="entry-wrapper"><div class="entry">
<div class="header"><h3 class="entry-title"><a href="https://bernardine-fic.dreamwidth.example.invalid/4242.html">[FIC] Ships that Pass (1/1)</a></h3>
<span class="datetime"><span class="date">Mar. 3rd, 2011</span> at 9:15 pm</span></div>
<div class="contents"><div class="inner">
<div class="poster"><span class="ljuser"><a href="https://bernardine-fic.dreamwidth.example.invalid/profile"><b>bernardine_fic</b></a></span></div>
<div class="entry-content"><b>Title:</b> Ships that Pass<br /><b>Author:</b> bernardine_fic<br /><b>Fandom:</b> Ships that Pass in the Night<br /><b>Pairing:</b> Bernardine Holme/Robert Allitsen<br /><b>Rating:</b> PG<br /><b>Summary:</b> Petershof, the snow, and a man who is rude on purpose.<br /><br /><a name="cutid1"></a>{entry_html}<br /><br />Comments and concrit welcome!</div>
</div></div>
<div class="footer"><ul class="entry-interaction-links"><li><a href="#">Reply</a></li><li><a href="#">Share</a></li></ul></div>
</div></div>
<div id="comments"><div class="comment-thread"><div class="comment"><div class="comment-content">Title: oh my heart. Pairing: yes.</div></div></div></div>
</div></div>
<div id="secondary"><div class="module-navlinks"><ul><li>Recent Entries</li><li>Archive</li></ul></div></div>
<div id="footer"><p>Powered by Dreamwidth Studios</p></div>
</div></div></body></html>
""",
        encoding="utf-8",
    )


def write_ffn_page(root: Path) -> None:
    """A FanFiction.Net chapter page saved from the browser (site chrome, one chapter)."""
    eng = root / "eng"
    story = eltec(eng, "ENG18720_Lynn.txt", 5, 6)
    text = "".join(f"<p>{esc(p)}</p>" for p in story)
    page = f"""<!DOCTYPE html><html><head>
<meta charset="utf-8"><title>Harbour Lights Chapter 2: The Pier, a joshua davidson fanfic | FanFiction</title>
<link rel="canonical" href="//www.fanfiction.net/s/9911223/2/Harbour-Lights">
<meta name="description" content="Chapter 2 of Harbour Lights.">
</head><body>
<div id="top"><div class="menulink"><a href="/">FanFiction</a> | unleash your imagination</div></div>
<div id="content_parent"><div id="content_wrapper"><div id="content_wrapper_inner">
<div id="pre_story_links"><span class="lc-left"><a class="xcontrast_txt" href="/book/">Books</a><span class="xcontrast_txt icon-chevron-right xicon-section-arrow"></span><a class="xcontrast_txt" href="/book/Joshua-Davidson/">Joshua Davidson</a></span></div>
<div id="profile_top" style="min-height:112px;">
<button class="btn pull-right" type="button">Follow/Fav</button>
<b class="xcontrast_txt">Harbour Lights</b>
<span class="xcontrast_txt"><div style="height:5px"></div>By:</span> <a class="xcontrast_txt" href="/u/4455667/tide-and-lantern">tide and lantern</a> <span class="icon-mail-1 xcontrast_txt"></span>
<div style="margin-top:2px" class="xcontrast_txt">A carpenter, a harbour, and the question of what a good man owes the town.</div>
<span class="xgray xcontrast_txt">Rated: <a class="xcontrast_txt" href="https://www.fictionratings.com/" target="rating">Fiction  K+</a> - English - Drama/Hurt/Comfort -  [Joshua D., Ruth S.] Thomas B. - Chapters: 3   - Words: 4,321 - Reviews: <a href="/r/9911223/">12</a> - Favs: 34 - Follows: 5 - Updated: <span data-xutime="1300060800">3/14/2011</span> - Published: <span data-xutime="1290038400">11/18/2010</span> - Status: Complete - id: 9911223 </span>
</div>
<span class="lc-left"><select id="chap_select" title="Chapter Navigation"><option value="1">1. The Workshop</option><option value="2" selected>2. The Pier</option><option value="3">3. Lanterns</option></select></span>
<div role="main" aria-label="story content" style="font-size:1.1em;"><div class="storytext xcontrast_txt nocopy" id="storytext">{text}</div></div>
<div style="height:5px"></div><span class="lc-left"><button class="btn" type="button">&lt; Prev</button> <button class="btn" type="button">Next &gt;</button></span>
<div id="review"><table><tr><td>Review this chapter</td></tr></table></div>
</div></div></div>
<div id="footer"><a href="/tos/">Terms of Service</a> | <a href="/privacy/">Privacy</a></div>
</body></html>
"""
    (HERE / "ffn_saved_chapter_page.html").write_text(page, encoding="utf-8")


def _zip(path: Path, members: list[tuple[str, str | bytes]]) -> None:
    # Fixed timestamps keep the generated files byte-identical from run to run.
    stamp = (2026, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype", stamp), "application/epub+zip")
        for name, data in members:
            zf.writestr(zipfile.ZipInfo(name, stamp), data, compress_type=zipfile.ZIP_DEFLATED)


def _xhtml(title: str, body: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>'
        f"{esc(title)}</title></head>\n<body>\n{body}\n</body></html>\n"
    )


CONTAINER = (
    '<?xml version="1.0"?>\n<container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n<rootfiles>'
    '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
    "</rootfiles>\n</container>\n"
)


def write_epubs(root: Path) -> None:
    fra = root / "fra"
    ch1 = eltec(fra, "FRA00101_Adam.txt", 10, 6)
    ch2 = eltec(fra, "FRA00101_Adam.txt", 16, 5)
    opf2 = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="bookid">
 <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
  <dc:title>Lettres de mon village</dc:title>
  <dc:creator opf:role="aut" opf:file-as="Brume, Odile">Odile Brume</dc:creator>
  <dc:creator opf:role="edt">Atelier Invent&#233;</dc:creator>
  <dc:description>&lt;p&gt;Un village, des voisins, et une pipe qui se casse.&lt;/p&gt;</dc:description>
  <dc:subject>Fiction</dc:subject>
  <dc:subject>Vie rurale</dc:subject>
  <dc:subject>Pastiche</dc:subject>
  <dc:language>fr</dc:language>
  <dc:date opf:event="publication">2019-05-04</dc:date>
  <dc:identifier id="bookid">urn:uuid:8f5b3f0e-1c52-4d55-9d0a-6f3a8a1b2c3d</dc:identifier>
  <dc:source>https://village.example.invalid/lettres</dc:source>
  <meta name="cover" content="cover-image"/>
 </metadata>
 <manifest>
  <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
  <item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>
  <item id="cover-image" href="images/cover.png" media-type="image/png"/>
  <item id="titlepage" href="titlepage.xhtml" media-type="application/xhtml+xml"/>
  <item id="toc" href="contents.xhtml" media-type="application/xhtml+xml"/>
  <item id="c1" href="text/chapitre1.xhtml" media-type="application/xhtml+xml"/>
  <item id="c2" href="text/chapitre2.xhtml" media-type="application/xhtml+xml"/>
 </manifest>
 <spine toc="ncx">
  <itemref idref="cover" linear="no"/>
  <itemref idref="titlepage"/>
  <itemref idref="toc"/>
  <itemref idref="c1"/>
  <itemref idref="c2"/>
 </spine>
 <guide>
  <reference type="cover" title="Couverture" href="cover.xhtml"/>
  <reference type="toc" title="Sommaire" href="contents.xhtml"/>
 </guide>
</package>
"""
    ncx = (
        '<?xml version="1.0" encoding="utf-8"?>\n<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" '
        'version="2005-1"><head/><docTitle><text>Lettres de mon village</text></docTitle>'
        '<navMap><navPoint id="n1" playOrder="1"><navLabel><text>I</text></navLabel>'
        '<content src="text/chapitre1.xhtml"/></navPoint></navMap></ncx>\n'
    )
    _zip(
        HERE / "generic_epub2.epub",
        [
            ("META-INF/container.xml", CONTAINER),
            ("OEBPS/content.opf", opf2),
            ("OEBPS/toc.ncx", ncx),
            (
                "OEBPS/cover.xhtml",
                _xhtml("Couverture", '<div><img src="images/cover.png" alt="Couverture"/></div>'),
            ),
            ("OEBPS/images/cover.png", b"\x89PNG\r\n\x1a\n"),
            (
                "OEBPS/titlepage.xhtml",
                _xhtml("Titre", '<h1>Lettres de mon village</h1><p class="author">Odile Brume</p>'),
            ),
            (
                "OEBPS/contents.xhtml",
                _xhtml(
                    "Sommaire",
                    '<h2>Sommaire</h2><p><a href="text/chapitre1.xhtml">I. Le village</a></p><p><a href="text/chapitre2.xhtml">II. Les voisins</a></p>',
                ),
            ),
            (
                "OEBPS/text/chapitre1.xhtml",
                _xhtml(
                    "I", "<h2>I. Le village</h2>\n" + "\n".join(f"<p>{esc(p)}</p>" for p in ch1)
                ),
            ),
            (
                "OEBPS/text/chapitre2.xhtml",
                _xhtml(
                    "II",
                    "<h2>II. Les voisins</h2>\n" + "\n".join(f"<p>{esc(p)}&nbsp;</p>" for p in ch2),
                ),
            ),
        ],
    )
    eng = root / "eng"
    e1 = eltec(eng, "ENG18952_Wells.txt", 6, 6)
    e2 = eltec(eng, "ENG18952_Wells.txt", 12, 6)
    opf3 = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="en">
 <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
  <dc:identifier id="uid">urn:uuid:2d7c9a44-7e0b-4c61-8f0e-0b1d2a3c4e5f</dc:identifier>
  <dc:title id="t1">The Medical Man's Evening</dc:title>
  <meta refines="#t1" property="title-type">main</meta>
  <dc:creator id="c1">Hester Filby</dc:creator>
  <meta refines="#c1" property="role" scheme="marc:relators">aut</meta>
  <dc:creator id="c2">Weena Ashdown</dc:creator>
  <meta refines="#c2" property="role" scheme="marc:relators">aut</meta>
  <dc:creator id="c3">Moses Eloi</dc:creator>
  <meta refines="#c3" property="role" scheme="marc:relators">trl</meta>
  <dc:language>en</dc:language>
  <dc:date>2021-10-31T09:00:00Z</dc:date>
  <dc:subject>Time Travel</dc:subject>
  <dc:subject>Dinner Party</dc:subject>
  <dc:description>The Time Traveller explains, and nobody believes him.</dc:description>
  <meta property="dcterms:modified">2022-01-02T10:00:00Z</meta>
 </metadata>
 <manifest>
  <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
  <item id="s1" href="s1.xhtml" media-type="application/xhtml+xml"/>
  <item id="s2" href="s2.xhtml" media-type="application/xhtml+xml"/>
 </manifest>
 <spine>
  <itemref idref="nav"/>
  <itemref idref="s1"/>
  <itemref idref="s2"/>
 </spine>
</package>
"""
    nav = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:epub="http://www.idpf.org/2007/ops"><head><title>Contents</title></head><body>'
        '<nav epub:type="toc"><h1>Contents</h1><ol><li><a href="s1.xhtml">One</a></li>'
        '<li><a href="s2.xhtml">Two</a></li></ol></nav></body></html>\n'
    )
    _zip(
        HERE / "generic_epub3.epub",
        [
            ("META-INF/container.xml", CONTAINER.replace("OEBPS/content.opf", "EPUB/package.opf")),
            ("EPUB/package.opf", opf3),
            ("EPUB/nav.xhtml", nav),
            (
                "EPUB/s1.xhtml",
                _xhtml(
                    "One",
                    "<section><h1>One</h1>\n"
                    + "\n".join(f"<p>{esc(p)}</p>" for p in e1)
                    + "</section>",
                ),
            ),
            (
                "EPUB/s2.xhtml",
                _xhtml(
                    "Two",
                    "<section><h1>Two</h1>\n"
                    + "\n".join(f"<p>{esc(p)}</p>" for p in e2)
                    + "</section>",
                ),
            ),
        ],
    )


def write_fff(root: Path) -> None:
    eng = root / "eng"
    story = eltec(eng, "ENG18471_Bronte.txt", 60, 6)
    import textwrap

    def wrap(s: str) -> list[str]:
        return textwrap.wrap(s, 78) or [""]

    lines = ["", "", "", "Moor Weather", "", "by moorland_lark", "", "", ""]
    for label, value in [
        ("Category", "Wuthering Heights - Emily Brontë"),
        ("Genre", "Angst, F/M, Gen, Hurt/Comfort"),
        ("Language", "English"),
        ("Characters", "Catherine Earnshaw, Heathcliff (Wuthering Heights)"),
        ("Relationships", "Catherine Earnshaw/Heathcliff"),
        ("Status", "Completed"),
        ("Published", "2022-02-14"),
        ("Updated", "2022-02-14"),
        ("Packaged", "2026-11-20 10:00:00"),
        ("Rating", "Mature"),
        ("Warnings", "No Archive Warnings Apply"),
        ("Chapters", "1"),
        ("Words", "1,234"),
        ("Publisher", "archiveofourown.org"),
        ("Story URL", "https://archiveofourown.org/works/36912345"),
        ("Author URL", "https://archiveofourown.org/users/moorland_lark/pseuds/moorland_lark"),
        ("Summary", "Rain on the moor, and two children who will not come in."),
    ]:
        lines.extend(wrap(f"{label}: {value}"))
    lines += ["", "", "", "", "", "        Moor Weather", "", ""]
    for p in story:
        lines.extend(wrap(p))
        lines.append("")
    lines += ["", "", "End file.", ""]
    (HERE / "fff_single_chapter_ao3.txt").write_bytes("\r\n".join(lines).encode("utf-8"))


def main() -> None:
    root = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[2].parent / "shared/corpus/eltec"
    )
    write_ao3(root)
    write_ao3_work_page(root)
    write_pages(root)
    write_ffn_page(root)
    write_epubs(root)
    write_fff(root)


if __name__ == "__main__":
    main()
