"""Any bytes at all: the clean step never raises and loses nothing (property-based)."""

from __future__ import annotations

import base64

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas import CleanArticle, DeadLetter
from streams.settings import Topics
from streams.steps import Record, SourceRef, StepContext, clean

TOPICS = Topics()
REF = SourceRef("news.raw", 0, 42)


def clean_step(value: bytes, key: bytes | None, max_page_bytes: int):
    ctx = StepContext(topics=TOPICS, tables={"article_versions": {}}, max_page_bytes=max_page_bytes)
    return clean(ctx, Record(value, key, REF))


markup = st.lists(
    st.sampled_from(
        [
            "<html>",
            "<body>",
            "<p>",
            "</p>",
            "<div>",
            "</div>",
            "<script>",
            "</script>",
            "<article>",
            "<h1>",
            "</h1>",
            "과기정통부는",
            " 발표했다. ",
            "&amp;",
            "&#xD55C;",
            "<!--",
            "-->",
            "<meta charset='euc-kr'>",
            "\x00",
            "\ufeff",
            "<img src=x onerror=1>",
        ]
    ),
    max_size=60,
).map("".join)
values = st.one_of(
    st.binary(max_size=2048),
    markup.map(lambda s: s.encode("utf-8")),
    markup.map(lambda s: s.encode("utf-8", "ignore")[::-1]),
    st.builds(
        lambda h, i: ('{"id": "%s", "html": %s}' % (i, h)).encode(),
        st.sampled_from(['"<p>x</p>"', "1", "null", '"<p>', "[]"]),
        st.text(max_size=5),
    ),
)


@given(value=values, key=st.one_of(st.none(), st.binary(max_size=40)))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_clean_step_gives_exactly_one_output_and_never_raises(value, key):
    [out] = clean_step(value, key, max_page_bytes=1 << 20)
    if out.topic == TOPICS.deadletter:
        letter = DeadLetter.model_validate_json(out.value)
        assert base64.b64decode(letter.original) == value  # the original bytes, whole
        assert letter.reason and letter.reason != "internal_error", letter.message
        assert (letter.topic, letter.partition, letter.offset) == ("news.raw", 0, 42)
    else:
        article = CleanArticle.model_validate_json(out.value)
        # keyed by its id: deduplicated here, on to news.unique by fingerprint; else re-keyed by id
        if key == article.id.encode():
            assert out.topic == TOPICS.unique and out.key == article.fingerprint.encode()
        else:
            assert out.topic == TOPICS.rekeyed and out.key == article.id.encode()
        for text in [article.title, *article.paragraphs, *article.captions]:
            assert "<script" not in text.lower() and "onerror" not in text.lower()


def test_a_dead_letter_too_big_to_carry_keeps_size_hash_and_a_prefix():
    value = b"<html><body><p>" + b"x" * 5000 + b"</p></body></html>"
    [out] = clean_step(value, b"k", max_page_bytes=1024)
    letter = DeadLetter.model_validate_json(out.value)
    assert letter.reason == "too_large" and not letter.original_truncated
    from streams.steps import dead_letter

    small = dead_letter(TOPICS, REF, value, b"k", "clean", "too_large", "m", max_message_bytes=64 * 1024 + 3000)
    letter = DeadLetter.model_validate_json(small.value)
    assert letter.original_truncated and letter.original_size == len(value)
    assert value.startswith(base64.b64decode(letter.original))
    import hashlib

    assert letter.original_sha256 == hashlib.sha256(value).hexdigest()


def test_an_output_too_large_for_its_topic_becomes_a_dead_letter_of_the_input():
    from streams.steps import Output, fit_for_topic

    limit = 200 * 1024
    small = Output(TOPICS.enriched, b"a1", b"x" * 1000)
    assert fit_for_topic(TOPICS, small, REF, b"input", b"a1", limit) is small
    big = Output(TOPICS.enriched, b"a1", b"x" * limit)
    letter_out = fit_for_topic(TOPICS, big, REF, b"the input page", b"a1", limit)
    letter = DeadLetter.model_validate_json(letter_out.value)
    assert letter_out.topic == TOPICS.deadletter and letter_out.reason == "too_large_to_publish"
    assert (letter.stage, base64.b64decode(letter.original)) == ("publish", b"the input page")
