"""Ingest: every format, and every way a user's input can be wrong, on real files."""

from __future__ import annotations

import difflib
import io
import json
import os
import tracemalloc
from datetime import date
from pathlib import Path

import pytest

from counterclaim.ingest import count_inputs, demo_dir, demo_paths, read_inputs
from counterclaim.records import Article, InputProblem

STORY = (
    "Seven soldiers were killed and more than 30 attackers died when the army repelled an "
    "attack on a border post near Nakonde on Tuesday, the defence ministry said. "
    "The ministry denied reports that the post had been overrun by the rebels."
)
SHARED_SEED = Path(__file__).resolve().parents[1].parent / "shared/examples/seed-2026-02-27/article.txt"


def read(*paths, **options):
    records = list(read_inputs([str(p) for p in paths], **options))
    return (
        [r for r in records if isinstance(r, Article)],
        [r for r in records if isinstance(r, InputProblem)],
    )


def only_article(*paths, **options) -> Article:
    articles, problems = read(*paths, **options)
    assert [p for p in problems if p.fatal] == [], problems
    assert len(articles) == 1, articles
    return articles[0]


def only_problem(path, **options) -> InputProblem:
    articles, problems = read(path, **options)
    assert articles == []
    assert len(problems) == 1, problems
    return problems[0]


# --- plain text and its metadata -------------------------------------------------------


def test_date_prefix_on_the_same_line_as_the_text(tmp_path):
    f = tmp_path / "article.txt"
    f.write_text(" date 2026-02-27 The harbour authority closed the northern pier for repairs.\n\nMore text.")
    a = only_article(f)
    assert a.published == date(2026, 2, 27)
    assert a.text == "The harbour authority closed the northern pier for repairs.\n\nMore text."
    assert a.origin == str(f)
    assert a.id == Article.make_id(a.text)


@pytest.mark.shared
@pytest.mark.skipif(not SHARED_SEED.exists(), reason="needs ../shared beside the clone")
def test_the_shared_example_article_loses_its_date_prefix():
    a = only_article(SHARED_SEED)
    assert a.published == date(2026, 2, 27)
    raw = SHARED_SEED.read_text(encoding="utf-8")
    assert raw.lstrip().lower().startswith("date") and not a.text.lower().startswith("date")
    assert a.text[:60] in raw  # the text itself is kept as written
    assert a.language == "en"


def test_date_on_its_own_line_then_header_lines(tmp_path):
    f = tmp_path / "ledger.txt"
    f.write_text("date 2026-03-16\nSource: The Ledger\nTitle: Truce holds\n\n" + STORY + "\n")
    a = only_article(f)
    assert (a.published, a.source, a.title) == (date(2026, 3, 16), "The Ledger", "Truce holds")
    assert a.text == STORY


def test_front_matter_is_metadata_not_text(tmp_path):
    f = tmp_path / "wire.md"
    f.write_text(
        "---\ntitle: \"Clash: 7 killed\"\ndate: 2026-03-11\nsource: Meridian Press Agency\n"
        "url: https://example.org/a\nauthor: A. Reporter\n---\n\n" + STORY
    )
    a = only_article(f)
    assert a.title == "Clash: 7 killed"
    assert a.published == date(2026, 3, 11)
    assert a.source == "Meridian Press Agency"
    assert a.url == "https://example.org/a"
    assert a.text == STORY


def test_written_dates_and_crlf_headers(tmp_path):
    f = tmp_path / "courier.text"
    f.write_bytes(("Title: Attack\r\nDate: Wednesday, 11 March 2026\r\nBy: Staff\r\n\r\n" + STORY).encode())
    a = only_article(f)
    assert a.published == date(2026, 3, 11)
    assert a.text == STORY
    assert "\r" not in a.text


def test_a_colon_in_the_first_sentence_is_text(tmp_path):
    f = tmp_path / "dateline.txt"
    f.write_text("NAKONDE: " + STORY)
    assert only_article(f).text == "NAKONDE: " + STORY


def test_unparseable_date_is_a_warning_and_the_article_is_kept(tmp_path):
    f = tmp_path / "odd-date.txt"
    f.write_text("Date: the day before yesterday\n\n" + STORY)
    articles, problems = read(f)
    assert len(articles) == 1 and articles[0].published is None
    assert [(p.origin, p.fatal) for p in problems] == [(str(f), False)]
    assert "unrecognised date" in problems[0].reason


def test_options_fill_missing_metadata_but_never_override_the_file(tmp_path):
    dated = tmp_path / "dated.txt"
    dated.write_text("Date: 2026-03-11\nSource: Copperbelt Courier\n\n" + STORY)
    bare = tmp_path / "bare.txt"
    bare.write_text(STORY + " Residents fled.")
    articles, _ = read(dated, bare, published=date(2026, 1, 1), source="Field notes")
    by_origin = {a.origin: a for a in articles}
    assert (by_origin[str(dated)].published, by_origin[str(dated)].source) == (date(2026, 3, 11), "Copperbelt Courier")
    assert (by_origin[str(bare)].published, by_origin[str(bare)].source) == (date(2026, 1, 1), "Field notes")


def test_a_bad_published_option_is_refused_before_reading(tmp_path):
    with pytest.raises(ValueError, match="not a date"):
        read_inputs([str(tmp_path)], published="last week")


def test_same_text_with_different_whitespace_has_the_same_id(tmp_path):
    one = tmp_path / "wire.txt"
    one.write_text("Source: Wire\n\n" + STORY)
    two = tmp_path / "republished.txt"
    two.write_text("Source: Paper\n\n   " + STORY.replace(". ", ".\n\n  ").replace(" the ", "  the\t") + "\n\n")
    a, b = only_article(one), only_article(two)
    assert a.text != b.text
    assert a.id == b.id
    assert (a.source, b.source) == ("Wire", "Paper")


# --- language ------------------------------------------------------------------------


def test_language_is_guessed_and_non_english_articles_are_still_yielded(tmp_path):
    en = tmp_path / "en.txt"
    en.write_text(STORY)
    fr = tmp_path / "fr.txt"
    fr.write_text(
        "Sept soldats ont été tués dans une attaque contre un poste frontière près de Nakonde, "
        "selon le ministère de la Défense, qui a démenti les informations sur la chute du poste."
    )
    ru = tmp_path / "ru.txt"
    ru.write_text("Семь военнослужащих погибли при нападении на пограничный пост, заявило министерство обороны.")
    articles, problems = read(en, fr, ru)
    assert problems == []
    assert [a.language for a in articles] == ["en", "fr", "ru"]


def test_declared_language_wins_over_the_guess(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps({"text": STORY, "language": "en-GB"}) + "\n")
    assert only_article(f).language == "en"


def test_too_little_text_to_tell_is_undetermined(tmp_path):
    f = tmp_path / "names.txt"
    f.write_text("Nakonde Tunduma Kasama")
    assert only_article(f).language == "und"


# --- HTML ----------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Army repels attack near Nakonde | NBS</title>
<meta property="og:title" content="Army repels attack near Nakonde">
<meta property="og:site_name" content="National Broadcasting Service">
<meta property="og:url" content="https://nbs.example/news/1">
<meta property="article:published_time" content="2026-03-11T09:30:00+02:00">
</head><body><nav><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/tv">Watch NBS TV live</a></nav>
<article><h1>Army repels attack near Nakonde</h1><p>{p1}</p><p>{p2}</p></article>
<aside><h2>Related stories</h2><ul><li><a href="/x">Copper output rises in February</a></li></ul></aside>
<footer>&copy; 2026 National Broadcasting Service</footer></body></html>"""


def test_html_page_gives_the_article_body_and_page_metadata(tmp_path):
    p1, p2 = STORY.split(". ", 1)
    f = tmp_path / "nbs.html"
    f.write_text(PAGE.format(p1=p1 + ".", p2=p2))
    a = only_article(f)
    assert a.text.startswith("Seven soldiers were killed")
    assert "denied reports" in a.text
    for boilerplate in ("Watch NBS TV live", "Copper output", "All rights", "Army repels attack near Nakonde"):
        assert boilerplate not in a.text
    assert a.title == "Army repels attack near Nakonde"
    assert a.source == "National Broadcasting Service"
    assert a.url == "https://nbs.example/news/1"
    assert a.published == date(2026, 3, 11)


def test_sloppy_but_readable_html_is_read(tmp_path):
    f = tmp_path / "sloppy.htm"
    f.write_text("<html><body><p>" + STORY + "<p>Residents fled towards Tunduma <b>on Tuesday</html>")
    assert "Residents fled towards Tunduma" in only_article(f).text


@pytest.mark.parametrize(
    "content",
    [
        "<html><head><title>Nakonde</title></head><body><div><p",  # truncated download
        "<<<>>> ]]> </div></span>",  # tag soup, no text
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",  # no article at all
    ],
)
def test_malformed_or_textless_html_is_reported(tmp_path, content):
    f = tmp_path / "broken.html"
    f.write_text(content)
    problem = only_problem(f)
    assert problem.origin == str(f) and problem.fatal
    assert "no article text found in the HTML" in problem.reason


@pytest.mark.parametrize("label", ["windows-1252", "ISO-8859-1"])
def test_html_meta_charset_is_honoured(tmp_path, label):
    f = tmp_path / "legacy.html"
    body = "<p>The café owner in Nakonde said the attackers came at dawn on Tuesday.</p>"
    f.write_bytes(f'<html><head><meta charset="{label}"></head><body>{body}</body></html>'.encode("cp1252"))
    articles, problems = read(f)
    assert problems == []
    assert articles[0].text == "The café owner in Nakonde said the attackers came at dawn on Tuesday."


def test_html_without_markup_is_reported(tmp_path):
    f = tmp_path / "plain.html"
    f.write_text(STORY)
    assert "no markup" in only_problem(f).reason


# --- feeds ---------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Voice of the North</title><link>https://votn.example/</link>
<item><title>Post seized</title><link>https://votn.example/1</link>
<pubDate>Tue, 10 Mar 2026 23:40:00 +0200</pubDate>
<description>&lt;p&gt;Fighters took the post at Nakonde, the spokesman said.&lt;/p&gt;&lt;p&gt;He denied that civilians were harmed.&lt;/p&gt;</description></item>
<item><title>Commander warns</title><link>https://votn.example/2</link>
<pubDate>Fri, 13 Mar 2026 12:15:00 +0200</pubDate>
<description>The commander warned the army against shelling villages.</description></item>
</channel></rss>"""


def test_each_feed_entry_is_an_article_named_by_its_position(tmp_path):
    f = tmp_path / "votn.rss"
    f.write_text(RSS)
    articles, problems = read(f)
    assert problems == []
    assert [a.origin for a in articles] == [f"{f}#1", f"{f}#2"]
    first = articles[0]
    assert first.text == "Fighters took the post at Nakonde, the spokesman said.\nHe denied that civilians were harmed."
    assert (first.title, first.url, first.source) == ("Post seized", "https://votn.example/1", "Voice of the North")
    assert first.published == date(2026, 3, 10)


def test_feed_dates_keep_the_publishers_calendar_day(tmp_path):
    f = tmp_path / "late.atom"
    f.write_text(
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>'
        "<entry><title>Late</title><link href='https://w.example/late'/>"
        "<published>2026-03-11T00:30:00+02:00</published>"
        "<content type='html'>&lt;p&gt;Fighting resumed after midnight.&lt;/p&gt;</content></entry></feed>"
    )
    a = only_article(f)
    assert a.published == date(2026, 3, 11)  # 22:30 UTC on the 10th
    assert a.text == "Fighting resumed after midnight."


def test_a_truncated_feed_keeps_what_parsed_and_reports_the_damage(tmp_path):
    f = tmp_path / "cut.xml"
    f.write_text(RSS[: RSS.index("<item><title>Commander")] + "<item><title>Comm")
    articles, problems = read(f)
    assert [a.origin for a in articles] == [f"{f}#1"]
    [damage, *rest] = problems
    assert damage.origin == str(f) and not damage.fatal
    assert "malformed feed" in damage.reason
    assert all(p.origin.startswith(f"{f}#") for p in rest)  # the cut entry, if kept, has no text


def test_an_unreadable_feed_is_one_fatal_problem(tmp_path):
    f = tmp_path / "garbage.feed"
    f.write_text("<rss><channel><<title>>")
    problem = only_problem(f)
    assert problem.origin == str(f) and problem.fatal
    assert "feed" in problem.reason


def test_xml_that_is_not_a_feed(tmp_path):
    f = tmp_path / "config.xml"
    f.write_text('<?xml version="1.0"?><config><timeout>30</timeout></config>')
    assert only_problem(f).reason == "not an RSS/Atom feed"


def test_feed_entry_without_text_is_reported_by_position(tmp_path):
    f = tmp_path / "thin.rss"
    f.write_text(RSS.replace("<description>The commander warned the army against shelling villages.</description>", ""))
    articles, problems = read(f)
    assert [a.origin for a in articles] == [f"{f}#1"]
    assert [(p.origin, p.fatal) for p in problems] == [(f"{f}#2", True)]
    assert "no text" in problems[0].reason


# --- JSON lines and JSON ----------------------------------------------------------------


def test_a_bad_json_line_among_good_ones_is_named_by_line(tmp_path):
    f = tmp_path / "scrape.jsonl"
    lines = [
        json.dumps({"text": STORY, "title": "One", "published": "2026-03-11T09:30:00+02:00", "source": "NBS"}),
        '{"text": "cut off in the middle',
        "",
        json.dumps(["not", "an", "object"]),
        json.dumps({"title": "no text here"}),
        json.dumps({"text": "Residents fled to Tunduma on Tuesday.", "published": "soon", "id": "x-2"}),
    ]
    f.write_text("\n".join(lines) + "\n")
    articles, problems = read(f)
    assert [(a.origin, a.title, a.source, a.published) for a in articles] == [
        (f"{f}:1", "One", "NBS", date(2026, 3, 11)),
        (f"{f}:6", None, None, None),
    ]
    reasons = {(p.origin, p.fatal): p.reason for p in problems}
    assert "not valid JSON" in reasons[(f"{f}:2", True)]
    assert "expected a JSON object" in reasons[(f"{f}:4", True)]
    assert 'no "text" field' in reasons[(f"{f}:5", True)]
    assert "unrecognised date 'soon'" in reasons[(f"{f}:6", False)]
    assert len(problems) == 4


def test_a_json_list_of_articles(tmp_path):
    f = tmp_path / "export.json"
    f.write_text(json.dumps([{"text": STORY, "date": "2026-03-12"}, {"text": 42}]))
    articles, problems = read(f)
    assert [(a.origin, a.published) for a in articles] == [(f"{f}#1", date(2026, 3, 12))]
    assert [(p.origin, p.fatal) for p in problems] == [(f"{f}#2", True)]
    assert '"text" is a number' in problems[0].reason


def test_a_csv_export_is_read_by_its_header_and_rows_are_named_by_line(tmp_path):
    f = tmp_path / "corpus.csv"
    quoted = STORY.replace("Tuesday,", "Tuesday,\n")  # a quoted field spanning two lines
    f.write_text(
        # the columns in an order of their own: they are found by their header, not their place
        "Article_Title,id,article_content,Source,date,location\n"
        f'Border post attacked,1,"{quoted}",NBS,3/11/2026,nakonde\n'
        "No body,2,,NBS,3/12/2026,nakonde\n"
        f'Second day,3,"{STORY}",Lakeside Wire,3/10/2026,isoka\n',
        encoding="utf-8",
    )
    articles, problems = read(f)
    assert [(a.origin, a.title, a.source, a.published) for a in articles] == [
        (f"{f}:2", "Border post attacked", "NBS", date(2026, 3, 11)),
        (f"{f}:5", "Second day", "Lakeside Wire", date(2026, 3, 10)),
    ]
    reasons = {(p.origin, p.fatal): p.reason for p in problems}
    assert "no text" in reasons[(f"{f}:4", True)]
    assert "month/day" in reasons[(str(f), False)]  # no row says which order 3/11 is in


def test_a_csv_decides_its_date_order_from_its_rows(tmp_path):
    f = tmp_path / "dmy.tsv"
    f.write_text("text\tdate\n" f"{STORY}\t25/03/2026\n" f"{STORY} Again.\t04/03/2026\n", encoding="utf-8")
    articles, problems = read(f)
    assert [a.published for a in articles] == [date(2026, 3, 25), date(2026, 3, 4)]
    assert problems == []


def test_a_csv_without_a_text_column_is_one_problem_naming_the_header(tmp_path):
    f = tmp_path / "prices.csv"
    f.write_text("item,price\nbread,2\n", encoding="utf-8")
    problem = only_problem(f)
    assert problem.fatal and "no text column" in problem.reason and "'item'" in problem.reason


def test_jsonl_limits_each_line_not_the_whole_corpus(tmp_path):
    f = tmp_path / "corpus.ndjson"
    good = json.dumps({"text": STORY})
    f.write_text("\n".join([good, json.dumps({"text": "x" * 5000}), good.replace("Seven", "Eight")]))
    articles, problems = read(f, max_bytes=len(good) + 10)
    assert [a.origin for a in articles] == [f"{f}:1", f"{f}:3"]
    assert [p.origin for p in problems] == [f"{f}:2"]
    assert "line too long: 5,012 bytes" in problems[0].reason


# --- bad inputs ------------------------------------------------------------------------


def test_empty_file(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    problem = only_problem(f)
    assert (problem.origin, problem.reason, problem.fatal) == (str(f), "empty file", True)


def test_whitespace_only_and_metadata_only_files_are_empty(tmp_path):
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\n\t \n")
    header_only = tmp_path / "header-only.txt"
    header_only.write_text("Title: Nothing yet\nDate: 2026-03-11\n\n")
    articles, problems = read(blank, header_only)
    assert articles == []
    assert [p.origin for p in problems] == [str(blank), str(header_only)]
    assert all(p.reason.startswith("empty") and p.fatal for p in problems)


def test_binary_files_are_not_text(tmp_path):
    png = tmp_path / "photo.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    controls = tmp_path / "dump.txt"
    controls.write_bytes(b"ab\x01\x02\x03\x04\x05\x06\x07\x08cd\x0e\x0f\x10\x11" * 50)
    articles, problems = read(png, controls)
    assert articles == []
    assert [(p.origin, p.reason) for p in problems] == [
        (str(png), "binary file, not text"),
        (str(controls), "binary file, not text"),
    ]


def test_damaged_utf8_is_decoded_with_replacement_and_a_warning(tmp_path):
    f = tmp_path / "damaged.txt"
    f.write_bytes("Fighting near Nakonde: “seven” soldiers killed, café closed. ".encode() + b"\xff\xfe bad " + STORY.encode())
    articles, problems = read(f)
    assert len(articles) == 1 and "\ufffd" in articles[0].text and "“seven”" in articles[0].text
    assert [(p.origin, p.fatal) for p in problems] == [(str(f), False)]
    assert "invalid UTF-8" in problems[0].reason and "replaced" in problems[0].reason


def test_legacy_windows_1252_is_decoded_with_a_warning(tmp_path):
    f = tmp_path / "legacy.txt"
    f.write_bytes("The café owner said: “they came at dawn”. ".encode("cp1252") + STORY.encode("cp1252"))
    articles, problems = read(f)
    assert articles[0].text.startswith("The café owner said: “they came at dawn”.")
    assert [(p.origin, p.fatal, p.reason) for p in problems] == [
        (str(f), False, "not valid UTF-8; decoded as Windows-1252")
    ]


def test_byte_order_marks_decide_the_encoding(tmp_path):
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(("Date: 2026-03-11\n\n" + STORY).encode("utf-16"))
    utf8sig = tmp_path / "utf8sig.txt"
    utf8sig.write_bytes(("Date: 2026-03-11\n\n" + STORY).encode("utf-8-sig"))
    articles, problems = read(utf16, utf8sig)
    assert problems == []
    assert [a.text for a in articles] == [STORY, STORY]
    assert [a.published for a in articles] == [date(2026, 3, 11)] * 2


def test_a_50_mb_file_is_refused_by_size_without_being_read(tmp_path):
    f = tmp_path / "huge.txt"
    line = (STORY + "\n").encode()
    with open(f, "wb") as out:
        for _ in range(50_000_000 // len(line) + 1):
            out.write(line)
    size = f.stat().st_size
    assert size > 50_000_000
    tracemalloc.start()
    try:
        problem = only_problem(f)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert problem.origin == str(f) and problem.fatal
    assert f"too large: {size:,} bytes" in problem.reason and "1,000,000 characters" in problem.reason
    assert peak < 2_000_000  # the 64 KiB head, not 50 MB: refused without reading the file


def test_oversized_stdin_is_refused_after_max_bytes(tmp_path):
    stream = io.BytesIO((STORY + "\n").encode() * 100)
    articles, problems = read("-", stdin=stream, max_bytes=1000)
    assert articles == []
    assert [(p.origin, p.fatal) for p in problems] == [("<stdin>", True)]
    assert "too large: more than 1,000 bytes" in problems[0].reason


def test_unknown_extension_given_explicitly_is_sniffed(tmp_path):
    page = tmp_path / "saved-page.aspx"
    page.write_text(PAGE.format(p1="Seven soldiers were killed near Nakonde.", p2="The ministry denied it."))
    lines = tmp_path / "export.dat"
    lines.write_text(json.dumps({"text": STORY}) + "\n" + json.dumps({"text": STORY + " More."}) + "\n")
    feed = tmp_path / "feed.php"
    feed.write_text(RSS)
    articles, problems = read(page, lines, feed)
    assert problems == []
    assert [a.origin for a in articles] == [str(page), f"{lines}:1", f"{lines}:2", f"{feed}#1", f"{feed}#2"]


def test_unknown_file_type_is_named(tmp_path):
    f = tmp_path / "notes.docx"
    f.write_text(STORY)
    problem = only_problem(f)
    assert problem.origin == str(f) and problem.fatal
    assert problem.reason.startswith("unknown file type (.docx)")
    assert ".txt" in problem.reason  # tells the user what would work


def test_nonexistent_path(tmp_path):
    missing = tmp_path / "no-such-article.txt"
    problem = only_problem(missing)
    assert (problem.origin, problem.fatal) == (str(missing), True)
    assert problem.reason == "not found: no such file or directory"


def test_broken_symlink_and_self_loop(tmp_path):
    broken = tmp_path / "broken.txt"
    broken.symlink_to(tmp_path / "deleted.txt")
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    articles, problems = read(broken, loop)
    assert articles == []
    assert [p.origin for p in problems] == [str(broken), str(loop)]
    assert "broken symbolic link" in problems[0].reason
    assert "symbolic link loop" in problems[1].reason


def test_a_directory_symlink_loop_is_walked_once(tmp_path):
    top = tmp_path / "news"
    (top / "2026" / "march").mkdir(parents=True)
    (top / "2026" / "march" / "a.txt").write_text(STORY)
    (top / "2026" / "march" / "back-to-top").symlink_to(top, target_is_directory=True)
    articles, problems = read(top)
    assert [a.origin for a in articles] == [str(top / "2026" / "march" / "a.txt")]
    assert [(p.origin, p.fatal) for p in problems] == [(str(top / "2026" / "march" / "back-to-top"), False)]
    assert "symbolic link loop" in problems[0].reason


def _as_nobody(path_in_cwd: str, cwd: Path) -> list[dict]:
    """Read as uid 65534 in a child process: root reads everything, whatever the mode bits."""
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never return into pytest
        try:
            os.close(rfd)
            os.chdir(cwd)  # relative paths need search permission on cwd only
            os.setgid(65534)
            os.setuid(65534)
            out = [r.to_dict() for r in read_inputs([path_in_cwd])]
            os.write(wfd, json.dumps(out, default=str).encode())
        except BaseException as exc:  # noqa: BLE001 - report to the parent, then exit
            os.write(wfd, json.dumps({"error": repr(exc)}).encode())
        finally:
            os._exit(0)
    os.close(wfd)
    with os.fdopen(rfd, "rb") as pipe:
        data = json.loads(pipe.read() or b"null")
    os.waitpid(pid, 0)
    if isinstance(data, dict):
        pytest.skip(f"cannot drop privileges here: {data['error']}")
    return data


def test_permission_denied_file_and_folder(tmp_path, monkeypatch):
    secret = tmp_path / "secret.txt"
    secret.write_text(STORY)
    secret.chmod(0o000)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text(STORY)
    locked.chmod(0o000)
    tmp_path.chmod(0o711)
    try:
        if os.geteuid() == 0:
            file_result = _as_nobody("secret.txt", tmp_path)
            dir_result = _as_nobody("locked", tmp_path)
        else:
            monkeypatch.chdir(tmp_path)
            file_result = [r.to_dict() for r in read_inputs(["secret.txt"])]
            dir_result = [r.to_dict() for r in read_inputs(["locked"])]
    finally:
        locked.chmod(0o755)
        secret.chmod(0o644)
    assert file_result == [{"origin": "secret.txt", "reason": "cannot read: permission denied", "fatal": True}]
    assert dir_result[0] == {
        "origin": "locked",
        "reason": "cannot list directory: permission denied",
        "fatal": True,
    }


# --- directories, stdin, progress --------------------------------------------------------


def test_directories_are_walked_recursively_in_order_skipping_what_is_not_an_article(tmp_path):
    root = tmp_path / "inbox"
    (root / "b-sub").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD.txt").write_text(STORY)
    (root / ".hidden.txt").write_text(STORY)
    (root / "README.md").write_text("# How this folder is organised\n\nDrop articles here.")
    (root / "c.txt").write_text(STORY + " C.")
    (root / "a.jsonl").write_text(json.dumps({"text": STORY + " A."}) + "\n")
    (root / "b-sub" / "b.txt").write_text(STORY + " B.")
    (root / "scan.pdf").write_bytes(b"%PDF-1.7 \x00\x01")
    (root / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    os.mkfifo(root / "pipe.txt")  # must be skipped, not opened (opening would block)
    articles, problems = read(root)
    assert [a.origin for a in articles] == [f"{root}/a.jsonl:1", f"{root}/b-sub/b.txt", f"{root}/c.txt"]
    assert len(problems) == 1
    summary = problems[0]
    assert (summary.origin, summary.fatal) == (str(root), False)
    assert "2 files of unknown type (.jpg, .pdf)" in summary.reason
    assert "README" not in summary.reason  # documentation is skipped silently
    assert "1 file that are not regular files" in summary.reason
    assert count_inputs([root]) == 3


def test_a_folder_without_articles_is_reported(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.7")
    problems = [p for p in read_inputs([str(tmp_path)]) if p.fatal]
    assert [p.origin for p in problems] == [str(tmp_path)]
    assert problems[0].reason.startswith("no article files found")


def test_progress_is_reported_once_per_input_file(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(STORY + name)
    missing = tmp_path / "missing.txt"
    done = []
    records = list(read_inputs([tmp_path, missing, tmp_path / "a.txt"], progress=done.append))
    assert count_inputs([tmp_path, missing, tmp_path / "a.txt"]) == 3 == len(done)
    assert len(records) == 4  # 3 articles, 1 problem for the missing file


def test_stdin_plain_text_with_metadata(tmp_path):
    a = only_article("-", stdin=io.StringIO("date 2026-03-11 " + STORY), source="Pasted")
    assert (a.origin, a.published, a.source, a.text) == ("<stdin>", date(2026, 3, 11), "Pasted", STORY)


def test_stdin_json_lines_are_sniffed(tmp_path):
    data = "\n".join(json.dumps({"text": STORY + f" Update {i}."}) for i in range(3)) + "\n{broken\n"
    articles, problems = read("-", stdin=io.BytesIO(data.encode()))
    assert [a.origin for a in articles] == ["<stdin>:1", "<stdin>:2", "<stdin>:3"]
    assert [p.origin for p in problems] == ["<stdin>:4"]


def test_empty_stdin(tmp_path):
    problem = only_problem("-", stdin=io.BytesIO(b""))
    assert (problem.origin, problem.reason) == ("<stdin>", "empty input")


# --- demo data -------------------------------------------------------------------------


def test_demo_articles_are_installed_and_read_cleanly():
    paths = demo_paths()
    assert all(p.parent == demo_dir() and p.exists() for p in paths)
    articles, problems = read(*paths)
    assert problems == []
    assert count_inputs([demo_dir()]) == len(paths)
    folder_articles, folder_problems = read(demo_dir())
    assert folder_problems == []  # the folder holds the articles and a README, nothing else
    assert {a.id for a in folder_articles} == {a.id for a in articles}
    assert len(articles) == 8
    assert len({a.id for a in articles}) == 8
    assert all(a.language == "en" and a.source and a.title and a.published for a in articles)
    assert all(150 <= len(a.text.split()) <= 350 for a in articles), [len(a.text.split()) for a in articles]
    assert {a.published for a in articles} == {date(2026, 3, d) for d in (10, 11, 12, 13, 14, 16)}
    assert len({a.source for a in articles}) >= 5
    wire = next(a for a in articles if a.source == "Meridian Press Agency")
    copy = next(a for a in articles if a.source == "Copperbelt Courier")
    assert wire.id != copy.id
    assert difflib.SequenceMatcher(None, wire.text, copy.text).ratio() > 0.9  # a near-duplicate


def test_articles_are_counted_inside_files_for_the_progress_bar(tmp_path):
    from counterclaim.ingest import count_articles

    (tmp_path / "rows.csv").write_text('text,title\n"one\nspanning two lines",a\n"two",b\n\n"three",c\n')
    (tmp_path / "lines.jsonl").write_text(json.dumps({"text": STORY}) + "\n\n" + json.dumps({"text": STORY}) + "\n")
    (tmp_path / "feed.xml").write_text(RSS)
    (tmp_path / "one.txt").write_text(STORY)
    os.mkfifo(tmp_path / "pipe.txt")  # skipped by the walk; named explicitly, one refused input, never opened
    assert count_articles([tmp_path]) == 3 + 2 + 2 + 1
    assert count_articles([tmp_path / "pipe.txt", "-", tmp_path / "missing.csv"]) == 3


def test_special_files_named_explicitly_are_refused_by_type(tmp_path):
    fifo = tmp_path / "feed.jsonl"
    os.mkfifo(fifo)
    problem = only_problem(fifo)
    assert problem.fatal and problem.reason.startswith("a named pipe (FIFO), not a file")
    assert only_problem("/dev/zero").reason.startswith("a device, not a file")


def test_a_csv_larger_than_an_article_is_read_row_by_row(tmp_path):
    f = tmp_path / "big.csv"
    row = '"' + (STORY + " ") * 40 + '"\n'
    f.write_text("text\n" + row * 40)
    articles, problems = read(f, max_article_chars=len(row))
    assert len(articles) == 40 and problems == []
    articles, problems = read(f, max_article_chars=100)
    assert articles == [] and len(problems) == 40 and "too long for one article" in problems[0].reason
