"""Photos in a found body: each figure's image URLs and caption, the figure taken out of the text;
then the body's other images. A profile names its site's figure and caption markup; other pages
use the shared selectors of data/text_rules.yaml."""

from __future__ import annotations

from schemas.events import Image

from .blocks import node_text
from .images import image_url
from .profiles import Profile
from .rules import RULES
from .selectors import PageNames, first_css

_IMAGES = RULES["image_tags"]
_FIGURE_MAX_TEXT = RULES["figure_max_text"]
# Blocks looked at above an image for its caption: a figure written as a `div` wraps its image in a
# few (WordPress' div.wp-caption > a > img: 2). Unbounded, a page that nests thousands of empty
# blocks around an image made each of them search its whole subtree: 13 s on one fuzzed page.
_FIGURE_MAX_LEVELS = 8
_CAPTION_MAX = 300  # characters: a caption is a line or two
_CREDIT_SLACK = 80  # characters of a photo credit or agency line beside a caption, outside its element


def collect_figures(body, profile: Profile | None, base: str | None, names: PageNames) -> tuple[list[Image], list[str]]:
    """(images, captions) of the body; figures are removed from it."""
    figure_sel = names.keep(profile.figures if profile and profile.figures else RULES["figure_selectors"])
    caption_sels = [
        s
        for s in (profile.caption if profile and profile.caption else RULES["caption_selectors"])
        if names.may_match(s)
    ]
    attrs = profile.image_attrs if profile and profile.image_attrs else RULES["image_attrs"]
    drop_query = bool(profile and profile.image_drop_query)
    images: list[Image] = []
    captions: list[str] = []
    seen: set[str] = set()
    figures = body.css(figure_sel) if figure_sel else []
    caption_nodes = [_caption_node(fig, caption_sels) for fig in figures]  # read once, on the whole tree
    slides = len(figures) >= _SLIDES_MIN and _a_slideshow(body, caption_nodes)
    for fig, node in zip(figures, caption_nodes):
        if fig.parent is None or len(fig.text(deep=True) or "") > _FIGURE_MAX_TEXT:
            continue  # gone with an outer figure, or a wrapper of the story that says `photo`
        if fig.css_first("table") is not None and fig.css_first(_IMAGES) is None:
            continue  # a table written as a figure (`figure.wp-block-table > table`): the story's data, no photo
        caption = (node_text(node) or None) if node is not None else None
        kept = None
        if slides and caption and _a_slides_text(node, caption):
            kept, caption = node, None
        urls = [u for u in (image_url(img, attrs, base, drop_query) for img in fig.css(_IMAGES)) if u]
        for u in urls:
            if u not in seen:
                seen.add(u)
                images.append(Image(url=u, caption=caption))
        if caption and (urls or caption not in captions):
            captions.append(caption)
        if kept is not None:  # the slide's text stays where the slide was, its picture goes
            fig.insert_before(kept)
        elif not urls:
            quote = _quoted_words(fig, body)
            if quote is not None:  # the quotation stays where it stood, its speaker's line goes with the figure
                fig.insert_before(quote)
        fig.decompose()
    for img in body.css(_IMAGES):
        fig, caption = _unmarked_figure(img, body, caption_sels)
        if fig is not None and caption:
            if caption not in captions:
                captions.append(caption)
            url = image_url(img, attrs, base, drop_query)
            if url and url not in seen:
                seen.add(url)
                images.append(Image(url=url, caption=caption))
            fig.decompose()
            continue
        url = image_url(img, attrs, base, drop_query)
        size = img.attributes.get("width") or ""
        if url and url not in seen and not (size.isdigit() and int(size) < 100):
            seen.add(url)
            images.append(Image(url=url, caption=None))
    if profile is None and names.may_match(_LEFT_CAPTIONS):
        _left_captions(body, captions)
    return images, captions


_EMBED_NAMES = ("embed", "twitter", "tweet", "instagram", "tiktok", "facebook", "bluesky", "mastodon", "threads")


def _quoted_words(fig, body):
    """The `blockquote` of a figure without a picture that quotes someone (`figure > blockquote +
    figcaption`, the speaker named in the caption, as the HTML standard writes a quotation): the
    story's words, not a photo's caption; None where the figure holds none, where the quote is a
    social network's post (`blockquote.twitter-tweet` in `figure.wp-block-embed`), or where the
    body says the words elsewhere too (a pull quote repeating a sentence of the story)."""
    quote = fig.css_first("blockquote")
    if quote is None:
        return None
    names = f"{fig.attributes.get('class') or ''} {quote.attributes.get('class') or ''}".lower()
    if any(word in names for word in _EMBED_NAMES):
        return None
    words = " ".join((quote.text(deep=True) or "").split())
    if not words:
        return None
    shown = " ".join((body.text(deep=True) or "").split())
    return quote if shown.count(words) <= 1 else None


_SLIDE_TEXT_MIN = 100  # characters
_SLIDES_MIN = 3  # figures whose captions are paragraphs: a story told in slides ...
_SLIDES_SHARE = 0.25  # ... holding this share of the body's text


def _caption_node(fig, caption_sels: list[str]):
    """The figure's caption element: the first the caption selectors find, in their order; or None."""
    for sel in caption_sels:
        node = first_css(fig, sel)
        if node is not None:
            return node
    return None


def _a_slideshow(body, caption_nodes: list) -> bool:
    """_SLIDES_MIN or more of the figures have a caption written as paragraphs, and these hold a
    quarter of the body's text or more: a story told in slides, not a story with a few long captions."""
    found = length = 0
    for node in caption_nodes:
        if node is not None:
            text = node_text(node)
            if _a_slides_text(node, text):
                found, length = found + 1, length + len(text)
    return found >= _SLIDES_MIN and length >= len((body.text(deep=True) or "").strip()) * _SLIDES_SHARE


def _a_slides_text(node, caption: str) -> bool:
    """A caption written as paragraphs of its own (`figcaption > p`, 100+ characters): the text of a
    story told in slides (a gallery post: each slide a picture and a paragraph of the story)."""
    return len(caption) >= _SLIDE_TEXT_MIN and node.css_first("p") is not None


# A caption left in the story where its picture or video was (the player is never content: the
# unsafe tags went first): BBC's `p.caption` in a `div.videoInStoryB`, CBC's `span.media-caption`.
_LEFT_CAPTIONS = "[class*=caption i]"
_BLOCKS = "p, div, li, table"  # (lexbor's css() may return the element itself: it is not its own block)


def _left_captions(body, captions: list[str]) -> None:
    for node in body.css(_LEFT_CAPTIONS):
        if node.parent is None or node.mem_id == body.mem_id:
            continue  # gone with an outer caption, or the body itself
        text = node_text(node)
        if not text or len(text) > _CAPTION_MAX or any(b.mem_id != node.mem_id for b in node.css(_BLOCKS)):
            continue  # a box that holds blocks of its own says `caption` for some other reason
        if text not in captions:
            captions.append(text)
        node.decompose()


def _unmarked_figure(img, body, caption_sels: list[str]):
    """(block, caption) where an image sits in a block that holds nothing else but its caption: a
    figure a site writes as a `div` (WordPress' `div.wp-caption` with `p.wp-caption-text`, an
    image wrapper with a `__description`); (None, None) where the image's blocks hold other text."""
    node, levels = img.parent, 0
    while node is not None and node.mem_id != body.mem_id and levels < _FIGURE_MAX_LEVELS:
        levels += 1
        text = (node.text(deep=True) or "").strip()
        if len(text) > _FIGURE_MAX_TEXT:
            break
        caption = block_caption(node, caption_sels, text)
        if caption is not None:
            return (node, caption) if caption else (None, None)
        node = node.parent
    return None, None


def block_caption(node, caption_sels: list[str] = RULES["caption_selectors"], text: str | None = None) -> str | None:
    """The caption of a block that holds an image and nothing but its caption (and a credit beside
    it): the caption; "" where the block holds a caption and other text too (not a figure); None
    where it holds no caption."""
    text = (node.text(deep=True) or "").strip() if text is None else text
    for sel in caption_sels:
        found = first_css(node, sel)
        caption = node_text(found) if found is not None else ""
        if caption:
            return caption if len(text) <= len(caption) + _CREDIT_SLACK else ""
    return None
