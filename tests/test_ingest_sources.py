"""Reading files, folders, stdin and JSON into Raw records, and every bad input as an IngestError."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from narrascope.ingest.sources import IngestError, decode, iter_raw
from narrascope.pipeline import Raw

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def read(*sources: str | Path, **options) -> list[Raw | IngestError]:
    return list(iter_raw([str(s) for s in sources], **options))


def one_error(*sources: str | Path, **options) -> IngestError:
    (item,) = read(*sources, **options)
    assert isinstance(item, IngestError), item
    assert "\n" not in item.message
    return item


def test_plain_text_file_keeps_content_and_encoding():
    (raw,) = read(FIXTURES / "plain.txt")
    assert raw.format == "text" and raw.source.endswith("plain.txt")
    assert raw.content.startswith("Night of drones over Kyiv\n\n")
    assert raw.meta["encoding"] == "utf-8"


def test_html_file_by_extension_and_by_sniffing(tmp_path):
    (raw,) = read(FIXTURES / "page.html")
    assert raw.format == "html" and "<article>" in raw.content
    sniffed = tmp_path / "saved-page.txt"
    sniffed.write_text((FIXTURES / "page.html").read_text("utf-8"), "utf-8")
    assert read(sniffed)[0].format == "html"


def test_json_object_and_jsonl_records():
    (obj,) = read(FIXTURES / "record.json")
    assert obj.format == "json" and obj.content.startswith("Engineers restored power")
    assert obj.meta["outlet"] == "Harbour Post" and obj.meta["title"] == "Power restored in Kharkiv"
    first, second = read(FIXTURES / "records.jsonl")
    assert first.meta["author"] == "Ivan Petrenko" and first.meta["url"].endswith("/ferry")
    assert first.meta["published"] == "2024-02-23T10:00:00Z" and first.source.endswith("records.jsonl:1")
    assert '"Ferry service resumes in Odesa"' in first.meta["raw"]
    assert second.content.startswith("Grain exports") and "title" not in second.meta


def test_json_list_reports_bad_records_and_keeps_the_rest(tmp_path):
    path = tmp_path / "list.json"
    path.write_text('[{"text": "Kyiv said the attack failed."}, {"title": "no text"}, 3]', "utf-8")
    good, no_text, not_object = read(path)
    assert isinstance(good, Raw) and good.source.endswith("list.json#1")
    assert isinstance(no_text, IngestError) and "no 'text' field" in no_text.message
    assert isinstance(not_object, IngestError) and "expected an object" in not_object.message


def test_malformed_jsonl_names_the_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine"}\n{"text": oops}\n', "utf-8")
    good, bad = read(path)
    assert isinstance(good, Raw)
    assert isinstance(bad, IngestError) and "line 2" in bad.message and bad.source.endswith("bad.jsonl:2")


def test_malformed_json_and_json_without_text(tmp_path):
    (tmp_path / "broken.json").write_text('{"text": "unterminated', "utf-8")
    assert "malformed JSON" in one_error(tmp_path / "broken.json").message
    (tmp_path / "notext.json").write_text('{"title": "headline only"}', "utf-8")
    assert "no 'text' field" in one_error(tmp_path / "notext.json").message


def test_directory_is_read_recursively_with_default_patterns_and_glob(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("First article text.", "utf-8")
    (tmp_path / "sub" / "b.md").write_text("Second article text.", "utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / ".hidden.txt").write_text("hidden", "utf-8")
    assert [Path(r.source).name for r in read(tmp_path)] == ["a.txt", "b.md"]
    assert [Path(r.source).name for r in read(tmp_path, glob="*.md")] == ["b.md"]
    assert "no files matching" in one_error(tmp_path, glob="*.xml").message


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("Title\n\nBody text here.".encode())))
    (raw,) = read("-")
    assert raw.source == "stdin" and raw.content.startswith("Title")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    assert one_error("-").message == "empty input on stdin"


def test_missing_empty_and_binary_files(tmp_path):
    assert one_error(tmp_path / "nope.txt").message == "no such file or directory"
    (tmp_path / "empty.txt").write_bytes(b"  \n")
    assert one_error(tmp_path / "empty.txt").message == "empty file"
    (tmp_path / "nul.txt").write_bytes(b"abc\x00def\x00" * 10)
    assert "binary file" in one_error(tmp_path / "nul.txt").message
    (tmp_path / "doc.txt").write_bytes(b"%PDF-1.7\n...")
    assert "PDF" in one_error(tmp_path / "doc.txt").message


def test_undecodable_bytes_are_an_encoding_error(tmp_path):
    (tmp_path / "garbage.txt").write_bytes(bytes(range(1, 32)) * 20)
    assert "unreadable encoding" in one_error(tmp_path / "garbage.txt").message


def test_unsupported_scheme():
    assert "only http and https" in one_error("ftp://example.invalid/a.txt").message


def test_batch_continues_past_bad_inputs(tmp_path):
    items = read(tmp_path / "missing.txt", FIXTURES / "plain.txt")
    assert isinstance(items[0], IngestError) and isinstance(items[1], Raw)


def test_size_cap_on_files_and_stdin(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_text("word " * 100, "utf-8")
    assert "too large" in one_error(path, max_bytes=100).message
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 500)))
    assert "too large" in one_error("-", max_bytes=100).message


TEXT = "Kyiv’s “defenders” held; the café near the front stayed open — naïve hopes, résumé."


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("utf-16", "utf-16"), ("cp1252", "cp1252")],
)
def test_encodings(tmp_path, encoding, expected):
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(TEXT.encode(encoding))
    (raw,) = read(path)
    assert raw.content == TEXT
    assert raw.meta["encoding"] == expected


def test_utf8_cut_off_inside_its_last_character_stays_utf8(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes((TEXT + " “").encode("utf-8")[:-1])
    (raw,) = read(path)
    assert raw.content == TEXT + " "
    assert raw.meta["encoding"] == "utf-8 (its last character cut off)"


def test_latin1_fallback(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Le général a dit : « nous tenons ». Très bien.".encode("latin-1"))
    (raw,) = read(path)
    assert "général" in raw.content and "« nous tenons »" in raw.content


def test_cyrillic_cp1251_is_detected(tmp_path):
    text = "Министерство обороны заявило в понедельник, что войска удерживают позиции под Часовым Яром."
    path = tmp_path / "ru.txt"
    path.write_bytes(text.encode("cp1251"))
    (raw,) = read(path)
    assert raw.content == text and raw.meta["encoding"] == "cp1251"


@pytest.mark.parametrize("declaration", ['<meta charset="windows-1251">',
                                         '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'])
def test_a_page_is_read_in_the_charset_it_declares(tmp_path, declaration):
    """A Cyrillic page in windows-1251 is mostly ASCII markup: without its <meta> charset it was read as cp1252
    ("Ìîñòè" for "Мости"). A page that declares a charset but is valid UTF-8 stays UTF-8."""
    text = "Мости відкриють у пʼятницю, заявив мер."
    nav = "".join(f'<li><a href="/section/{i}/index.html">Section {i}</a></li>' for i in range(60))
    page = f"<html><head>{declaration}<title>Мости</title></head><body><ul>{nav}</ul><p>{text}</p></body></html>"
    (tmp_path / "uk.html").write_bytes(page.replace("ʼ", "'").encode("cp1251"))
    (raw,) = read(tmp_path / "uk.html")
    assert text.replace("ʼ", "'") in raw.content and raw.meta["encoding"] == "cp1251"
    (tmp_path / "utf8.html").write_bytes(page.encode("utf-8"))
    (raw,) = read(tmp_path / "utf8.html")
    assert text in raw.content and raw.meta["encoding"] == "utf-8"


@pytest.mark.parametrize("label", ["ISO-8859-1", "latin1", "us-ascii"])
def test_a_declared_latin1_or_ascii_is_read_as_windows_1252(label):
    """As browsers do: read as Latin-1, \x93 and \x94 were C1 control characters, not curly quotes."""
    data = "The mayor said “we will rebuild” on Monday, and café owners agreed.".encode("cp1252")
    assert decode(data, label) == ("The mayor said “we will rebuild” on Monday, and café owners agreed.", "cp1252")
    page = b'<html><head><meta charset="' + label.encode() + b'"></head><body><p>' + data + b"</p></body></html>"
    assert "“we will rebuild”" in decode(page)[0]


def test_a_feed_is_read_in_the_encoding_its_xml_declaration_names():
    items = "".join(f"<item><title>Новини {i}</title><link>https://news.invalid/{i}</link></item>" for i in range(40))
    feed = f'<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>Київ</title>{items}</channel></rss>'
    text, encoding = decode(feed.encode("cp1251"))
    assert text == feed and encoding == "cp1251"


def test_jsonl_is_streamed_with_the_size_cap_per_record(tmp_path):
    path = tmp_path / "corpus.jsonl"
    small = '{"text": "Officials said the bridge reopened on Monday."}\n'
    path.write_bytes((small * 5).encode() + b'{"text": "' + b"x" * 300 + b'"}\n' + b'{"text": "caf\xe9"}\n' + small.encode())
    items = read(path, max_bytes=200)
    assert [type(i).__name__ for i in items] == ["Raw"] * 5 + ["IngestError"] * 2 + ["Raw"]
    assert items[5].message == "line 6: record too large (more than 200 bytes)"
    assert items[6].message == "line 7: not valid UTF-8 (JSON must be UTF-8)" and items[7].source.endswith(":8")
    assert items[0].meta["raw"] == small.strip()


def test_json_metadata_objects_are_read_by_their_name(tmp_path):
    """News APIs give "source": {"id": ..., "name": "BBC News"}: its Python repr was stored as the outlet."""
    record = {"text": "Officials said the bridge was closed on Monday.", "source": {"id": "bbc-news", "name": "BBC News"},
              "author": [{"name": "A. One"}, "B. Two", None], "title": {"id": 7}, "published": 20240312}
    (tmp_path / "api.json").write_text(json.dumps(record), "utf-8")
    (raw,) = read(tmp_path / "api.json")
    assert raw.meta["outlet"] == "BBC News" and raw.meta["author"] == "A. One, B. Two"
    assert "title" not in raw.meta and raw.meta["published"] == "20240312"


def test_a_record_says_whether_its_text_is_missing_empty_or_not_a_string(tmp_path):
    lines = ['{"title": "a"}', '{"text": "  "}', '{"text": 5}', '{"text": ["a"]}']
    (tmp_path / "bad.jsonl").write_text("\n".join(lines), "utf-8")
    assert [e.message for e in read(tmp_path / "bad.jsonl")] == [
        "line 1 has no 'text' field (a non-empty string is required)",
        "line 2 has an empty 'text' field (a non-empty string is required)",
        "line 3 has a number for its 'text' field (a non-empty string is required)",
        "line 4 has a list for its 'text' field (a non-empty string is required)"]
