"""Real text from package registries for the tagging bench's external set (measured only).

Labels: tests/fixtures/tagging/real/external.jsonl, keyed by `<package>==<version>:<path inside>`.
The text is never committed: `make real-text` (this file run as a script) downloads the pinned
packages with their registries' own clients into `.cache/real-text/` (ignored by git; or
`NEWSROOM_REAL_TEXT`), checks each archive's sha256, and extracts the files that are labelled.
`external_items()` is None where that cache is absent, and callers skip, saying so. The same cache
holds the pages of tests/fixtures/tagging/real/more_labels.jsonl (labelled for training the topic
model, never scored as unseen; bench/tagging.py `more_items()`), built by the same `build_article`.

Sources (each archive pinned by version and sha256):
- konlpy==0.5.2 (PyPI wheel, GPL-3.0-or-later): `konlpy/data/corpus/kobill/*.txt`, ten bills of
  the 18th National Assembly (2010-2011), and `kolaw/constitution.txt`; plain Korean text.
- newspaper4k==0.9.6 (PyPI sdist, MIT): `tests/data/txt/*.txt`, the library's reference texts of
  real news pages (title from `tests/data/metadata/<name>.json` where there is one, else the first line).
- github.com/advancedlogic/GoOse (Go module, Apache-2.0): `sites/*.html`, news pages; the text is
  the `Title` and `CleanedText` that `crawler_test.go` expects for the page (a reference text);
  a page without one there goes through the project's cleaner.
- unfluff==3.2.0 (npm, Apache-2.0): `fixtures/test_*.html`, news pages (python-goose's test set);
  its expected texts are cut short, so the page goes through the project's cleaner.
- github.com/markusmobius/go-trafilatura v1.12.2 and go-htmldate v1.10.1 (Go modules,
  Apache-2.0): `test-files/comparison/*.html`, `test-files/mediacloud/*.html`, real pages of
  trafilatura's and htmldate's evaluation sets; no reference text, so the page goes through the
  project's cleaner (`streams.clean`), and a refused page counts as no tags.
- konlp==0.0.58 (PyPI wheel, KoNLTK; its LICENSE file states no licence terms):
  `konlp/test/files/test_w2v.txt`, 100 articles of the feminist weekly 일다 (ildaro.com, 2017-2018),
  one a line with no title or date; a label names one line, `<path>#<line>` (1-based), and the
  article is built sentence by sentence, the first sentence as the title.
- mediacloud-metadata==2.1.0 (PyPI sdist, Apache-2.0) and gne==0.4.3 (PyPI sdist, MIT in its
  metadata, the GPL-3.0 text in its LICENSE file):
  `mcmetadata/test/fixtures/<hash>.html` (a 매일경제 page) and `visiable_test/khan/1.html` (a 경향신문
  column), news pages through the project's cleaner.
- mediacloud-metadata==1.4.3 (PyPI sdist, Apache-2.0): the two `mcmetadata/test/fixtures/cached-*`
  captures of www.mk.co.kr/news/society/view/2020/07/693939 (the 매일경제 story of the 2.1.0 page, as
  MK's own site served it in its 2020-2022 layout and as the Wayback Machine served it in 2022,
  toolbar and all), news pages through the project's cleaner.
- gensim==4.4.0 (PyPI wheel for CPython 3.11 on x86-64 Linux: gensim has no sdist pip can prepare
  without building it, and the wheel's name and sha256 are per interpreter and platform; LGPL-2.1):
  `gensim/test/test_data/lee_background.cor` and `lee.cor`, the Lee corpus's 300 background and 50
  test documents (Lee, Pincombe & Welsh 2005): short news stories, one a line with no title or date;
  the background ones ABC (Australian Broadcasting Corporation) stories of Nov-Dec 2001 (seven lines
  repeat another), the test ones wire and newspaper stories of 2002 (AP, the Guardian, Australian
  papers); built like konlp's lines but read as Latin-1 (`lines-latin1`: lee.cor has a one-byte '£').
- github.com/markusmobius/go-trafilatura v1.11.1 (Go module, Apache-2.0): nine English news pages
  of `test-files/mock/` (trafilatura's own test pages: a Covid count, Berlin's colonial street
  names, climate pledges, ...) whose bytes no comparison or mediacloud page repeats (the other mock
  pages are German, French, blogs, shops, or copies of comparison pages); pinned at v1.11.1 because
  v1.12.2 is pinned above for its comparison pages (v1.12.2 ships these nine too); through
  the project's cleaner.
- codeberg.org/readeck/go-readability/v2 v2.1.3 (Go module, MIT): four English pages of its
  `test-pages/<name>/source.html` (Readability.js's test pages) that labels.jsonl's readability
  pages do not include: salon-1, yahoo-2, noscript-img-2 (The New Yorker) and lwn-1 (the rest are
  markup tests, non-English, blogs, how-tos, wikis, junk once cleaned as yahoo-3, or a long-form
  profile whose subject its opening does not show, noscript-img-1); through the project's cleaner.

Articles are built like labels.jsonl's: a title and paragraphs, `published_at` the label's date
where the text has none.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXTERNAL_LABELS = ROOT / "tests" / "fixtures" / "tagging" / "real" / "external.jsonl"
DEFAULT_CACHE = ROOT / ".cache" / "real-text"


@dataclass(frozen=True)
class Source:
    name: str  # `<package>==<version>`: the labels' key prefix and the folder under files/
    registry: str  # "pypi-wheel", "pypi-sdist", "npm" or "go"
    archive: str  # the archive's file name as downloaded
    sha256: str
    prefix: str  # the archive's own top folder, stripped from the member paths
    members: tuple[str, ...]  # fnmatch patterns of the paths (after prefix) to extract
    licence: str
    # how an article is built from a member: "kobill", "newspaper4k", "goose", "lines", "lines-latin1", "clean"
    text: str

    @property
    def package(self) -> str:
        return self.name.split("==", 1)[0]

    @property
    def version(self) -> str:
        return self.name.split("==", 1)[1]


GOOSE = "github.com/advancedlogic/GoOse==v0.0.0-20191112112754-e742535969c1"
SOURCES = (
    Source(
        "konlpy==0.5.2",
        "pypi-wheel",
        "konlpy-0.5.2-py2.py3-none-any.whl",
        "65ab33ad28fb072306e44128ff3f23b5771d97d6501fa995511834ba8dd2bd40",
        "",
        ("konlpy/data/corpus/kobill/*.txt", "konlpy/data/corpus/kolaw/*.txt"),
        "GPL-3.0-or-later (KoNLPy); the bills and the constitution are Korean public documents",
        "kobill",
    ),
    Source(
        "newspaper4k==0.9.6",
        "pypi-sdist",
        "newspaper4k-0.9.6.tar.gz",
        "a3f2f0e017dddb6f1019ee77aaa8980e13e6ecea0b949abc7167aae4770d2d0e",
        "newspaper4k-0.9.6/",
        ("tests/data/txt/*.txt", "tests/data/metadata/*.json"),
        "MIT (newspaper4k); the pages are the publishers'",
        "newspaper4k",
    ),
    Source(
        GOOSE,
        "go",
        "v0.0.0-20191112112754-e742535969c1.zip",
        "a0381a7776ddcaf3338c950519c7acccbf71970ea07e913e6159579071f4ae64",
        "github.com/advancedlogic/GoOse@v0.0.0-20191112112754-e742535969c1/",
        ("sites/*.html", "crawler_test.go", "LICENSE"),
        "Apache-2.0 (GoOse); the pages are the publishers'",
        "goose",
    ),
    Source(
        "unfluff==3.2.0",
        "npm",
        "unfluff-3.2.0.tgz",
        "ea948f345f6b7bb42d0cfd0dcb5590f66055c1bd00edc42ad9d9bf920c0323bb",
        "package/",
        ("fixtures/test_*.html", "LICENSE"),
        "Apache-2.0 (unfluff); the pages are the publishers'",
        "clean",
    ),
    Source(
        "github.com/markusmobius/go-trafilatura==v1.12.2",
        "go",
        "v1.12.2.zip",
        "7da0a1455b901cfab79f27801aac9ff1e99774d0cb7ef4ab6d3eaee17cb2d5b2",
        "github.com/markusmobius/go-trafilatura@v1.12.2/",
        ("test-files/comparison/*.html", "LICENSE"),
        "Apache-2.0 (go-trafilatura); the pages are the publishers'",
        "clean",
    ),
    Source(
        "github.com/markusmobius/go-htmldate==v1.10.1",
        "go",
        "v1.10.1.zip",
        "b43e703ea7605917239029f51af7d035067c66756c4e2f5dcc2a916b38212302",
        "github.com/markusmobius/go-htmldate@v1.10.1/",
        ("test-files/comparison/*.html", "test-files/mediacloud/*.html", "LICENSE"),
        "Apache-2.0 (go-htmldate); the pages are the publishers'",
        "clean",
    ),
    Source(
        "konlp==0.0.58",
        "pypi-wheel",
        "konlp-0.0.58-py3-none-any.whl",
        "f155a27f64a744b2dd7d6c045fc0777df08247b74e3c680a2958130e41576079",
        "",
        ("konlp/test/files/test_w2v.txt*", "konlp-0.0.58.dist-info/LICENSE.txt"),
        "KoNLTK project's package (its LICENSE names no licence); the articles are 일다's (ildaro.com)",
        "lines",
    ),
    Source(
        "mediacloud-metadata==2.1.0",
        "pypi-sdist",
        "mediacloud_metadata-2.1.0.tar.gz",
        "e0a170a3c4403d3ecdbeddb5c06eb1ee2a3ac97d8a9453e07c6270ea5af74b3e",
        "mediacloud_metadata-2.1.0/",
        ("mcmetadata/test/fixtures/88c877380d8fd7e092877ae96c3c3050.html", "LICENSE"),
        "Apache-2.0 (mediacloud-metadata); the page is the publisher's",
        "clean",
    ),
    Source(
        "gne==0.4.3",
        "pypi-sdist",
        "gne-0.4.3.tar.gz",
        "26ed77fc2b96d5e9dd28b288ebfdeaf6bf7f034a92b8f75067c64eefffd0b4a9",
        "gne-0.4.3/",
        ("visiable_test/khan/1.html", "LICENSE"),
        "MIT (gne, per its pyproject; its LICENSE file is the GPL-3.0 text); the page is the publisher's",
        "clean",
    ),
    Source(
        "mediacloud-metadata==1.4.3",
        "pypi-sdist",
        "mediacloud_metadata-1.4.3.tar.gz",
        "90d7d1bd6ec4d214d10b84e1ca4e179d3dafbb0c368318d289dd3266154f91c1",
        "mediacloud_metadata-1.4.3/",
        (
            "mcmetadata/test/fixtures/cached-httpswwwmkcokrnewssocietyview202007693939",
            "mcmetadata/test/fixtures/cached-httpswebarchiveorgwebhttpswwwmkcokrnewssocietyview202007693939",
            "LICENSE",
        ),
        "Apache-2.0 (mediacloud-metadata); the pages are the publisher's (one as the Wayback Machine served it)",
        "clean",
    ),
    Source(
        "gensim==4.4.0",
        "pypi-wheel",
        "gensim-4.4.0-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl",
        "91a7fa5e814e7b1bad4b2dffa8d62c1e55410d5cbdf930714c1997ffb4404db8",
        "",
        (
            "gensim/test/test_data/lee_background.cor",
            "gensim/test/test_data/lee.cor",
            "gensim-4.4.0.dist-info/licenses/COPYING",
        ),
        "LGPL-2.1 (gensim); the news texts are their publishers' (ABC and others; the Lee corpus)",
        "lines-latin1",
    ),
    Source(
        "github.com/markusmobius/go-trafilatura==v1.11.1",
        "go",
        "v1.11.1.zip",
        "54a7d23fd34f9888e9de1d1e279abb5cb993187d0c75c7c77f9544daf21110e6",
        "github.com/markusmobius/go-trafilatura@v1.11.1/",
        tuple(
            f"test-files/mock/{name}.html"
            for name in (
                "dailymail.co.uk",
                "dw.com.colonial",
                "dw.com.uncork",
                "knowtechie.com.rally",
                "mercurynews.com.2023.01.16.letters-1119",
                "theverge.com.ios13",
                "threatpost.com.android",
                "vancouversun.com.microsoft",
                "vice.com.amazon",
            )
        )
        + ("LICENSE",),
        "Apache-2.0 (go-trafilatura); the pages are the publishers'",
        "clean",
    ),
    Source(
        "codeberg.org/readeck/go-readability/v2==v2.1.3",
        "go",
        "v2.1.3.zip",
        "1ebdeed0ad5ce08e9cc0b05db617327d86538c7b36c53eeb5cba3d2a47f4f26a",
        "codeberg.org/readeck/go-readability/v2@v2.1.3/",
        tuple(f"test-pages/{name}/source.html" for name in ("salon-1", "yahoo-2", "noscript-img-2", "lwn-1"))
        + ("LICENSE",),
        "MIT (go-readability); the pages are the publishers' (Readability.js's test pages)",
        "clean",
    ),
)
BY_NAME = {s.name: s for s in SOURCES}


def cache_dir() -> Path:
    return Path(os.environ.get("NEWSROOM_REAL_TEXT") or DEFAULT_CACHE)


def files_dir(cache: Path | None = None) -> Path:
    return (cache or cache_dir()) / "files"


def _stamp(source: Source) -> str:
    """What a source's `.complete` marker holds: its archive's sha256 and the member patterns it was
    extracted with, so a source whose list of files changed is extracted again."""
    return "\n".join([source.sha256, *source.members]) + "\n"


def _extracted(source: Source, base: Path) -> bool:
    marker = base / source.name / ".complete"
    return marker.exists() and marker.read_text("utf-8") == _stamp(source)


def cached(cache: Path | None = None) -> Path | None:
    """The extracted files' folder, or None where `make real-text` has not been run since a source
    was added or its files changed."""
    base = files_dir(cache)
    if all(_extracted(s, base) for s in SOURCES):
        return base
    return None


def split_key(key: str) -> tuple[Source, str]:
    name, _, path = key.partition(":")
    return BY_NAME[name], path


def key_path(key: str, cache: Path | None = None) -> Path:
    """The extracted file a key names; `#<line>` after the path (a file of one article a line)
    names a line of that file, so the file is the path before it."""
    source, path = split_key(key)
    return files_dir(cache) / source.name / path.partition("#")[0]


# -- fetching ------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _download(source: Source, cache: Path) -> Path:
    downloads = cache / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    if source.registry == "go":
        go = shutil.which("go")
        if go is None:
            raise SystemExit(f"real-text: `go` is not installed, so {source.name} cannot be fetched from the Go proxy")
        env = {**os.environ, "GOMODCACHE": str(cache / "gomod"), "GOFLAGS": "-modcacherw"}
        module = f"{source.package}@{source.version}"
        done = subprocess.run(
            [go, "mod", "download", "-json", module], env=env, capture_output=True, text=True, check=False
        )
        info = json.loads(done.stdout or "{}")
        if done.returncode or "Zip" not in info:
            raise SystemExit(f"real-text: go mod download {module} failed: {info.get('Error') or done.stderr}")
        return Path(info["Zip"])
    archive = downloads / source.archive
    if not archive.exists() and source.registry == "npm":
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit(f"real-text: `npm` is not installed, so {source.name} cannot be fetched")
        subprocess.run([npm, "pack", "--silent", f"{source.package}@{source.version}"], cwd=downloads, check=True)
    if not archive.exists():
        kind = "--only-binary" if source.registry == "pypi-wheel" else "--no-binary"
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", kind, ":all:", "-d", str(downloads), source.name],
            check=True,
        )
    return archive


def _members(source: Source, archive: Path) -> dict[str, bytes]:
    """The wanted members' bytes by path (the archive's top folder stripped)."""
    out = {}

    def wanted(name: str) -> str | None:
        if not name.startswith(source.prefix):
            return None
        rel = name[len(source.prefix) :]
        return rel if any(fnmatch.fnmatch(rel, p) for p in source.members) else None

    if archive.name.endswith((".zip", ".whl")):
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                rel = wanted(info.filename)
                if rel and not info.is_dir():
                    out[rel] = zf.read(info)
    else:
        with tarfile.open(archive) as tf:
            for member in tf.getmembers():
                rel = wanted(member.name)
                handle = tf.extractfile(member) if rel and member.isfile() else None
                if rel and handle is not None:
                    out[rel] = handle.read()
    return out


def fetch(cache: Path | None = None) -> Path:
    """Download every pinned source, check its sha256, extract the wanted files. Idempotent."""
    cache = cache or cache_dir()
    for source in SOURCES:
        target = files_dir(cache) / source.name
        if _extracted(source, files_dir(cache)):
            print(f"real-text: {source.name} already extracted")
            continue
        archive = _download(source, cache)
        digest = _sha256(archive)
        if digest != source.sha256:
            raise SystemExit(f"real-text: {archive} has sha256 {digest}, pinned {source.sha256}")
        members = _members(source, archive)
        for rel, data in members.items():
            path = target / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        target.mkdir(parents=True, exist_ok=True)
        (target / ".complete").write_text(_stamp(source), "utf-8")
        print(f"real-text: {source.name}: {len(members)} files -> {target}")
    return files_dir(cache)


# -- articles ------------------------------------------------------------------------------------

PAGE_MARK = re.compile(r"^\s*-\s*\d+\s*-\s*$")
SHORT_LINE = 20  # characters: a wrapped body line of the bills is 30-40


def kobill_paragraphs(text: str) -> list[str]:
    """A bill or law as paragraphs. Its lines are hard-wrapped, inside words too (a line that ends
    in a space broke between words): wrapped lines are joined as they are. A new paragraph starts
    at an indented line, after a line ending in '.', and after a short line (a heading, a field
    of the bill's form); page numbers ('- 3 -') and form feeds are dropped."""
    paragraphs: list[str] = []
    current, previous = "", ""
    for raw in text.replace("\f", "\n").splitlines():
        if not raw.strip() or PAGE_MARK.match(raw):
            continue
        starts = raw[:1].isspace() or previous.rstrip().endswith(".") or len(previous.strip()) < SHORT_LINE
        if starts and current.strip():
            paragraphs.append(" ".join(current.split()))
            current = ""
        current += raw.lstrip() if not current else raw
        previous = raw
    if current.strip():
        paragraphs.append(" ".join(current.split()))
    return paragraphs


SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=\S)")


def line_paragraphs(line: str) -> list[str]:
    """An article stored as one line (no title, no paragraph breaks) as paragraphs: one sentence
    each, split after '.', '?' or '!' and a space; the first stands as the title."""
    return [s for s in (part.strip() for part in SENTENCE_END.split(line.strip())) if s]


def _plain_article(key: str, lines: list[str], title: str | None, label: dict, extractor: str):
    from schemas.events import CleanArticle

    lines = [" ".join(line.split()) for line in lines if line.strip()]
    if title is None:
        title, lines = (lines[0] if lines else ""), lines[1:]
    text = "\n".join([title, *lines])
    return CleanArticle(
        id=key,
        title=title,
        paragraphs=lines,
        published_at=label["date"],
        language=label["lang"],
        press=split_key(key)[0].package,
        fingerprint=hashlib.sha1(text.encode()).hexdigest(),
        extractor=extractor,
    )


def _goose_references(base: Path) -> dict[str, tuple[str, str]]:
    """GoOse's expected (title, text) per page, from the Article literals of crawler_test.go."""
    source = (base / GOOSE / "crawler_test.go").read_text("utf-8")
    go_string = r'"((?:[^"\\]|\\.)*)"'
    refs = {}
    for block in re.split(r"\n\s*article\s*:?=\s*Article\{", source)[1:]:
        domain = re.search(r"Domain:\s*" + go_string, block)
        title = re.search(r"Title:\s*" + go_string, block)
        text = re.search(r"CleanedText:\s*" + go_string, block)
        if domain and title and text:
            try:  # Go's escapes in these literals (\n, \", \uXXXX) are JSON's
                refs[json.loads(f'"{domain.group(1)}"')] = (
                    json.loads(f'"{title.group(1)}"'),
                    json.loads(f'"{text.group(1)}"'),
                )
            except ValueError:
                continue  # a literal with an escape JSON lacks: that page goes through the cleaner
    return refs


def build_article(base: Path, label: dict, goose_refs: dict[str, tuple[str, str]] | None = None):
    """(article, refused): the article a label's key names, or None and the cleaner's reason."""
    source, path = split_key(label["key"])
    file = base / source.name / path.partition("#")[0]
    if source.text == "kobill":
        lines = kobill_paragraphs(file.read_text("utf-8"))
        return _plain_article(label["key"], lines[1:], lines[0], label, "konlpy-text"), None
    if source.text == "newspaper4k":
        meta = file.parents[1] / "metadata" / f"{file.stem}.json"
        title = json.loads(meta.read_text("utf-8")).get("title") if meta.exists() else None
        lines = file.read_text("utf-8").split("\n")
        return _plain_article(label["key"], lines, title or None, label, "newspaper4k-reference"), None
    if source.text == "lines-latin1":  # the same, in Latin-1 (the Lee corpus writes '£' as one byte)
        number = int(path.partition("#")[2])
        lines = line_paragraphs(file.read_text("latin-1").split("\n")[number - 1])
        return _plain_article(label["key"], lines[1:], lines[0], label, "line-text"), None
    if source.text == "lines":
        number = int(path.partition("#")[2])
        lines = line_paragraphs(file.read_text("utf-8").split("\n")[number - 1])
        return _plain_article(label["key"], lines[1:], lines[0], label, "line-text"), None
    if source.text == "goose":
        refs = goose_refs if goose_refs is not None else _goose_references(base)
        ref = refs.get(Path(path).name.removesuffix(".html"))
        if ref is not None:
            title, text = ref
            return _plain_article(label["key"], text.split("\n\n"), title, label, "goose-reference"), None
    return _cleaned_article(file, label)


def _cleaned_article(file: Path, label: dict):
    from streams.clean import CleanError, clean_event
    from streams.inputs import InputError, read_record

    try:
        record = read_record(str(file))
        article = clean_event(record.value, record.key)
    except (CleanError, InputError) as exc:
        return None, f"{exc.code}: {exc.message}"
    update = {"id": label["key"]}
    if not article.published_at:
        update["published_at"] = label["date"]
    return article.model_copy(update=update), None


def load_external_labels(path: Path = EXTERNAL_LABELS) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def external_articles(base: Path | None = None) -> list[tuple[dict, object, str | None]] | None:
    """(label, article or None, refusal) per label of external.jsonl; None where the cache is absent."""
    base = base or cached()
    if base is None:
        return None
    refs = _goose_references(base)
    return [(label, *build_article(base, label, refs)) for label in load_external_labels()]


ABSENT = "the external real text is absent (.cache/real-text or NEWSROOM_REAL_TEXT): run `make real-text`"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="fetch", choices=("fetch", "show"))
    parser.add_argument("keys", nargs="*", help="show: the articles of these keys (title + paragraphs)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.command == "fetch":
        fetch()
        return
    base = cached()
    if base is None:
        sys.exit(ABSENT)
    refs = _goose_references(base)
    for key in args.keys:
        fake = {"key": key, "lang": "ko" if key.startswith(("konlpy", "konlp==")) else "en", "date": "2000-01-01"}
        article, refused = build_article(base, fake, refs)
        print(f"=== {key}")
        if article is None:
            print(f"(refused: {refused})")
            continue
        print(f"# {article.title}  [{article.published_at}] ({article.extractor})")
        for p in article.paragraphs:
            print(p)


if __name__ == "__main__":
    main()
