"""Korean boundary rules: when a matched name is a word of its own and not part of another word.

A Korean name may be glued to a particle (과기정통부의, 산업부는, 교육부와의) or to a short title
suffix (산업부장관, 국세청장, 공정위원장) but not to other Hangul (문화산업부문, 평생교육부서), and
a name glued after other Hangul (문화산업부) is not the name. English forms need ASCII word bounds.
"""

from __future__ import annotations

from itertools import product

# Postpositions (조사), copula endings and their usual stacks, as they follow a noun.
PARTICLES: frozenset[str] = frozenset(
    """
    의 는 은 이 가 와 과 를 을 도 에 에서 에게 께 로 으로 와의 과의 까지 만 부터 에는 에서는 에서도
    에도 에선 엔 로는 으로는 로서 으로서 로써 으로써 로부터 으로부터 에서부터 에게서 한테 처럼 보다 마저
    조차 마다 뿐 만이 만은 만의 만큼 와는 과는 와도 과도 이나 나 이나마 이든 든 든지 이든지 랑 이랑 하고
    이다 다 였다 이었다 입니다 이며 며 이고 고 이라고 라고 이라며 라며 이라는 라는 이란 란 이라 라
    까지도 까지의 에서의 으로의 로의 와도 으로도 로도 에서만 에만 으로만 로만 이며 이자 자 께서 에겐
    이었던 였던 인 이지만 지만 이면 면 이라도 라도 야 이야 가운데
    야말로 이야말로 로선 으로선 로서는 으로서는 조차도 마저도 보다는 보다도 까지는 부터는 에게는 에게도
    께서는 께서도
    """.split()
)

# Words glued straight after a body name that still mean the body (title, part, side).
_COMMON_SUFFIXES = "측 산하 소관 주관 주도 관계자 대변인 공무원 직원 청사 출신 내 간 등 안 발 당국 차원".split()
SUFFIXES_BY_KIND: dict[str, tuple[str, ...]] = {
    "부": (
        "장관",
        "차관",
        "제1차관",
        "제2차관",
        "1차관",
        "2차관",
        "장차관",
        "장관급",
        "차관급",
        "장관실",
        *_COMMON_SUFFIXES,
    ),
    "처": ("장", "처장", "차장", *_COMMON_SUFFIXES),
    "청": ("장", "차장", *_COMMON_SUFFIXES),
    # 공정위 + 원장 = 공정위원장; 위원회 + 위원장 spelled without a space is rare but seen.
    "위원회": ("원장", "부위원장", "원회", "위원장", "장", *_COMMON_SUFFIXES),
    "other": tuple(_COMMON_SUFFIXES),
}


def _tails(suffixes: tuple[str, ...]) -> frozenset[str]:
    return frozenset(PARTICLES | set(suffixes) | {s + p for s, p in product(suffixes, PARTICLES)})


TAILS_BY_KIND: dict[str, frozenset[str]] = {kind: _tails(sfx) for kind, sfx in SUFFIXES_BY_KIND.items()}
PARTICLE_TAILS: frozenset[str] = frozenset(PARTICLES)


def is_hangul(ch: str) -> bool:
    """A Hangul syllable or jamo (the characters that glue words together)."""
    o = ord(ch)
    return 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F


def is_ascii_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


def hangul_run_after(text: str, end: int, limit: int = 12) -> str:
    """The Hangul characters that follow text[:end] without a break (at most `limit`)."""
    stop = end
    n = len(text)
    while stop < n and stop - end < limit and is_hangul(text[stop]):
        stop += 1
    return text[end:stop]


def korean_word_bounded(text: str, start: int, end: int, tails: frozenset[str]) -> bool:
    """True if text[start:end] is a word: not glued after Hangul, and followed by nothing Hangul
    or by an allowed tail (a particle, or a title suffix plus particle)."""
    if start > 0 and is_hangul(text[start - 1]):
        return False
    run = hangul_run_after(text, end)
    return not run or run in tails


def ascii_word_bounded(text: str, start: int, end: int) -> bool:
    """True if text[start:end] is not part of a longer ASCII word (AI in AIR is not AI).

    Hangul may follow (AI반도체, MSIT는); an ASCII letter or digit may not.
    """
    if start > 0 and is_ascii_word_char(text[start - 1]):
        return False
    return end >= len(text) or not is_ascii_word_char(text[end])


def previous_tokens(text: str, start: int, count: int = 2, max_chars: int = 40) -> list[str]:
    """Up to `count` whitespace-separated tokens right before text[start:], nearest last.

    "중국 외교부" -> [.., "중국"]; "美국방부" -> ["美"] (a glued non-Hangul char is its own token);
    "North Korea's Ministry" -> ["North", "Korea's"].
    """
    if start > 0 and not text[start - 1].isspace():
        return [text[start - 1]]  # glued; the left boundary already ruled out Hangul: 美국방부
    lo = max(0, start - max_chars)
    tokens: list[str] = []
    i = start
    while len(tokens) < count:
        while i > lo and text[i - 1].isspace():
            i -= 1
        j = i
        while j > lo and not text[j - 1].isspace():
            j -= 1
        if j == i:
            break
        tokens.insert(0, text[j:i])
        i = j
    return tokens


TOKEN_PUNCT = "\"'“”‘’()[]<>·,."  # quotes, brackets and stops a token is read without


def strip_particle(token: str) -> str:
    """'미국의' -> '미국', '중국은' -> '중국' (longest particle first)."""
    token = token.strip(TOKEN_PUNCT)
    for k in (3, 2, 1):
        if len(token) > k and token[-k:] in PARTICLES:
            return token[:-k]
    return token
