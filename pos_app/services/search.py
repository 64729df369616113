"""Product search for the search dialog: what a cashier types, however they type it.

The query is normalised first (NFKC: full-width ｃｑｘｍ and ６９０ become ASCII; traditional
characters folded to simplified, 長城干紅 → 长城干红; control characters and NUL dropped). Each
word must then be in the name, its full pinyin or its initials, anywhere (migration 0016's
two FTS5 indexes: trigrams for three characters or more, and every character of the name and
initials one by one for fewer, a pair as a phrase of two; so every query is answered by an index
and the count is complete at 1,000,000 SKUs).
Words mixing Hanzi and letters (cq小面, 重庆xiaomian) are matched through their pinyin, and a
pinyin word is also tried with one syllable read the other way a polyphone allows (shanxian
finds 单县, danxian in the index; lucha finds 绿茶), those hits checked against the name's
readings. Digits are also barcodes (exact, first digits, last six), PLU and SKU.

Ranking: codes, exact name, name prefix, initials prefix, other readings of polyphones, then
every other match; within each level the better-selling products first (search_popularity),
then name, initials or index order. Popularity orders what each level brings to the page
(its first page-full in its own order: every match when they fit in the page); looking up
the best sellers among a hundred thousand matches of a broad query costs more than the search
budget. Each page comes with the total count, later pages on demand.
Only active products are found (the index holds nothing else).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from sqlalchemy import ColumnElement, Select, func, literal_column, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import InstrumentedAttribute, Session

from pos_app.domain.barcodes import parse_barcode
from pos_app.domain.parsed_barcode import BarcodeKind, InvalidBarcode
from pos_app.services.pinyin import char_readings, is_hanzi, reading_variants, spells
from pos_app.services.search_popularity import scores, today_number
from pos_app.services.till import scale_layouts
from pos_app.store.models import Barcode, Product

DEFAULT_LIMIT = 50
TRIGRAM = 3  # the trigram index answers words of three characters or more as they are
TRIGRAMS, CHARS = "products_fts", "products_chars"  # the two indexes (migration 0016)
MAX_SPELLINGS = 16  # pinyin spellings tried for one mixed word (polyphones multiply them)
VARIANT_CANDIDATES = 500  # polyphone-variant hits checked against the name, at most
CODE_HITS = 1000  # partial-code hits counted, at most
BARCODE_PREFIX_MIN, BARCODE_TAIL = 7, 6  # partial barcodes: first 7+ digits, or the last 6
SKU_PREFIX_MIN = 3

_DIGITS = re.compile(r"^[0-9]+$")
_LETTERS = re.compile(r"^[a-z]+$")
_ALNUM = re.compile(r"^[a-z0-9]+$")
_PARTS = re.compile(r"[a-z0-9]+|[^a-z0-9]")  # runs of ASCII, single other characters


Term = tuple[str, str]  # an index and what it is asked (an FTS5 MATCH expression)


@dataclass(frozen=True)
class Match:
    """What the indexes are asked: every term, and at least one term of each group in either."""

    every: tuple[Term, ...]
    either: tuple[tuple[Term, ...], ...] = ()

    def __and__(self, other: Match) -> Match:
        return Match(self.every + other.every, self.either + other.either)


@dataclass(frozen=True)
class ProductHit:
    """One search result, enough to show a row and put the item in the cart."""

    product_id: int
    sku: str
    name: str
    price_fen: int
    member_price_fen: int | None
    unit: str
    barcode: str | None
    weighed: bool


@dataclass(frozen=True)
class SearchPage:
    """One page of results in rank order and how many products match in all (None when that
    was not counted: more match than the page holds, and the caller asked for the page alone)."""

    hits: list[ProductHit]
    total: int | None


@cache
def _to_simplified() -> Callable[[str], str]:
    from zhconv import convert  # type: ignore[import-untyped]  # here: its table costs ~50 ms

    return lambda text: str(convert(text, "zh-hans"))


_U_UMLAUT = str.maketrans(dict.fromkeys("üǖǘǚǜ", "v"))  # the index spells 绿 (lü) as lv


def normalise_query(text: str) -> str:
    """NFKC, traditional → simplified, lower case, ü as v, control characters out, single
    spaces."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_U_UMLAUT)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    if not text.isascii():
        text = _to_simplified()(text)
    return " ".join(text.lower().split())


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _chars(text: str) -> str:
    """The characters index's phrase for one or two characters: a token each, neighbours."""
    return _phrase(" ".join(text))


def _gram(text: str) -> Term:
    """The index term for text: the trigrams from three characters on, its characters below."""
    return (TRIGRAMS, _phrase(text)) if len(text) >= TRIGRAM else (CHARS, _chars(text))


def _any(phrases: Iterable[str]) -> str:
    return "(" + " OR ".join(dict.fromkeys(phrases)) + ")"


def _spellings(word: str, *, initials: bool) -> list[str]:
    """word with each Hanzi replaced by a reading (or its first letter), at most a few."""
    found = [""]
    for part in _PARTS.findall(word):
        options = char_readings(part) if len(part) == 1 and is_hanzi(part) else (part,)
        if initials and options != (part,):
            options = tuple(dict.fromkeys(r[0] for r in options))
        found = [f + o for f in found for o in options][:MAX_SPELLINGS]
    return found


def _word_clause(word: str) -> Match:
    """What the indexes are asked for one word: in the name, the pinyin or the initials."""
    hanzi = [ch for ch in word if is_hanzi(ch)]
    if not hanzi or (len(hanzi) == len(word) and len(word) < TRIGRAM):
        return Match((_gram(word),))
    if len(hanzi) == len(word):
        # each pair of neighbours, spaces of the name ignored (可乐听装 finds 可口可乐 听装);
        # never through pinyin, whose common trigrams cost a hundred times more to read
        pairs = " AND ".join(_chars(word[i : i + 2]) for i in range(len(word) - 1))
        return Match(((CHARS, f"({pairs})"),))
    spelled = [*_spellings(word, initials=True), *_spellings(word, initials=False)]
    pinyin = [_phrase(s) for s in spelled if len(s) >= TRIGRAM]
    literal = _gram(word)
    if not pinyin:
        return Match((literal,))
    # The word itself, or its pinyin and its Hanzi: the word found holds the Hanzi too, so
    # that is its Hanzi and (the word or its pinyin), each index asked once.
    chars = (CHARS, " AND ".join(_chars(ch) for ch in dict.fromkeys(hanzi)))
    if literal[0] == TRIGRAMS:
        return Match((chars, (TRIGRAMS, _any([literal[1], *pinyin]))))
    return Match((chars,), either=((literal, (TRIGRAMS, _any(pinyin))),))


def _match(words: Sequence[str]) -> Match:
    clauses = [_word_clause(word) for word in words]
    match = clauses[0]
    for clause in clauses[1:]:
        match &= clause
    return match


def _query(match: Match) -> tuple[str, str, dict[str, str]]:
    """The index a query reads (in rowid order), its WHERE clause and parameters: the
    characters index when asked (what it is asked may be common letters, costly to read in
    full), the other's terms and the either groups as rowids each looked up once."""
    asked: dict[str, list[str]] = {}
    for index, expression in match.every:
        asked.setdefault(index, []).append(expression)
    reads = CHARS if CHARS in asked else TRIGRAMS
    params: dict[str, str] = {}

    def bound(expression: str) -> str:
        name = f"m{len(params)}"
        params[name] = expression
        return f":{name}"

    def among(index: str, expression: str) -> str:
        # +rowid: the subquery's rowids are found in its result, not handed to the index
        # read, which would run a MATCH for each of them (a thousand times slower)
        return f"+rowid IN (SELECT rowid FROM {index} WHERE {index} MATCH {bound(expression)})"

    conditions = [f"{reads} MATCH {bound(' AND '.join(asked.pop(reads)))}"]
    conditions += [among(index, " AND ".join(terms)) for index, terms in asked.items()]
    conditions += [_any(among(*term) for term in group) for group in match.either]
    return reads, " AND ".join(conditions), params


def _fts_ids(session: Session, match: Match, limit: int) -> list[int]:
    index, where, params = _query(match)
    query = sql_text(f"SELECT rowid FROM {index} WHERE {where} ORDER BY rowid LIMIT :n")
    return list(session.scalars(query, {**params, "n": limit}))


def _fts_count(session: Session, match: Match) -> int:
    index, where, params = _query(match)
    return int(session.scalar(sql_text(f"SELECT count(*) FROM {index} WHERE {where}"), params) or 0)


def _fts_subset(session: Session, match: Match, ids: Iterable[int]) -> set[int]:
    """Which of ids the match also finds."""
    id_list = ",".join(str(int(i)) for i in ids)
    if not id_list:
        return set()
    index, where, params = _query(match)
    query = sql_text(f"SELECT rowid FROM {index} WHERE {where} AND rowid IN ({id_list})")
    return set(session.scalars(query, params))


def _next_prefix(prefix: str) -> str:
    """The smallest string greater than every string starting with prefix."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _prefix(col: InstrumentedAttribute[str], prefix: str) -> ColumnElement[bool]:
    """col starts with prefix, written as a range so the column's index is used."""
    return (col >= prefix) & (col < _next_prefix(prefix))


IdQuery = Select[int]
_ACTIVE_IDS: IdQuery = select(Product.id).where(Product.status == "active")


def _ids(session: Session, query: IdQuery, limit: int) -> list[int]:
    return list(session.scalars(query.limit(limit)))


def _code_ids(session: Session, code: str, limit: int) -> list[int]:
    """Products a digit string names as a code: exact barcode (normalised: UPC-E, GTIN-14),
    scale label PLU, PLU or SKU; then barcodes starting with it or ending with it, SKU prefix."""
    try:
        parsed = parse_barcode(code, scale_layouts(session), allow_zero_price=True)
    except InvalidBarcode:
        parsed = None
    exact: list[IdQuery] = []
    if parsed is not None and parsed.kind is BarcodeKind.SCALE:
        exact.append(_ACTIVE_IDS.where(Product.plu_code == parsed.scale_item_code))
    codes = {code} if parsed is None else {code, parsed.code}
    exact.append(_ACTIVE_IDS.join(Barcode).where(Barcode.code.in_(codes)))
    exact.append(_ACTIVE_IDS.where((Product.plu_code == code) | (Product.sku == code)))
    partial: list[IdQuery] = []
    if len(code) >= BARCODE_PREFIX_MIN:
        partial.append(_ACTIVE_IDS.join(Barcode).where(_prefix(Barcode.code, code)))
    if len(code) >= BARCODE_TAIL:
        # a literal -6, so SQLite sees the expression of index ix_barcodes_tail
        tail = func.substr(Barcode.code, literal_column(str(-BARCODE_TAIL))) == code[-BARCODE_TAIL:]
        ends = Barcode.code.endswith(code, autoescape=True)
        partial.append(_ACTIVE_IDS.join(Barcode).where(tail, ends))
    if len(code) >= SKU_PREFIX_MIN:
        partial.append(_ACTIVE_IDS.where(_prefix(Product.sku, code)).order_by(Product.sku))
    found: dict[int, None] = {}
    for query in (*exact, *partial):
        found.update(dict.fromkeys(_ids(session, query, limit)))
    return list(found)


def _ranked_ids(session: Session, text: str, words: list[str], limit: int) -> list[int]:
    """Exact name, name prefix and initials prefix: the top of the ranking (all also match)."""
    name = _ACTIVE_IDS.where(Product.name == text)
    prefix = _ACTIVE_IDS.where(_prefix(Product.name, text)).order_by(Product.name)
    queries = [name, prefix]
    initials = _initials_word(words)
    if initials:
        by_initials = _prefix(Product.pinyin_initials, initials)
        queries.append(_ACTIVE_IDS.where(by_initials).order_by(Product.pinyin_initials))
    found: dict[int, None] = {}
    for query in queries:
        found.update(dict.fromkeys(_ids(session, query, limit)))
    return list(found)


def _initials_word(words: list[str]) -> str | None:
    """The word an initials prefix is looked for with: a single word of letters and digits."""
    return words[0] if len(words) == 1 and _ALNUM.match(words[0]) else None


def _rank(
    session: Session, text: str, words: list[str], ids: list[int], variants: set[int]
) -> list[int]:
    """ids in rank order: exact name, name prefix (by name), initials prefix (by initials),
    other readings, every other match (by id); within each, the better-selling first."""
    rows = session.execute(
        select(Product.id, Product.name, Product.pinyin_initials).where(Product.id.in_(ids))
    )
    keys = {pid: (name, initials) for pid, name, initials in rows}
    sold = scores(session, ids, today=today_number())
    initials_word = _initials_word(words)

    def key(pid: int) -> tuple[int, int, str, int]:
        name, initials = keys.get(pid, ("", ""))
        if name == text:
            level, within = 0, ""
        elif name.startswith(text):
            level, within = 1, name
        elif initials_word and initials.startswith(initials_word):
            level, within = 2, initials
        else:
            level, within = (3 if pid in variants else 4), ""
        return (level, -sold.get(pid, 0), within, pid)

    return sorted(ids, key=key)


def _variant_ids(session: Session, words: list[str], exclude: set[int]) -> list[int]:
    """Products found by reading one syllable of a pinyin word the other way (polyphones, ü
    as u), kept only where the name really spells what was typed."""
    if len(words) != 1 or not _LETTERS.match(words[0]) or len(words[0]) < TRIGRAM:
        return []
    variants = [v for v in reading_variants(words[0]) if len(v) >= TRIGRAM]
    if not variants:
        return []
    match = Match(((TRIGRAMS, "pinyin_full : " + _any(_phrase(v) for v in variants)),))
    candidates = [i for i in _fts_ids(session, match, VARIANT_CANDIDATES) if i not in exclude]
    if not candidates:
        return []
    names = session.execute(select(Product.id, Product.name).where(Product.id.in_(candidates)))
    spelled = {pid for pid, name in names if spells(name, words[0])}
    return [i for i in candidates if i in spelled]


def _hits(session: Session, ids: Sequence[int]) -> list[ProductHit]:
    """ProductHits for ids, in the order given."""
    if not ids:
        return []
    first_barcode = (
        select(func.min(Barcode.code))
        .where(Barcode.product_id == Product.id)
        .correlate_except(Barcode)
        .scalar_subquery()
    )
    query = select(
        Product.id,
        Product.sku,
        Product.name,
        Product.price_fen,
        Product.member_price_fen,
        Product.unit,
        first_barcode,
        Product.weighed,
    ).where(Product.id.in_(ids))
    rows = {row[0]: ProductHit(*row) for row in session.execute(query)}
    return [rows[i] for i in ids if i in rows]


def _joined_pinyin(words: list[str]) -> list[str]:
    """Spaced pinyin (le shi shu pian) is one word to the index: several all-letter words
    are joined when some are too short for it to see on their own."""
    letters = all(_LETTERS.match(w) for w in words)
    if len(words) > 1 and letters and any(len(w) < TRIGRAM for w in words):
        return ["".join(words)]
    return words


def search_page(
    session: Session,
    text: str,
    *,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    count: bool = True,
) -> SearchPage:
    """One page of the active products matching what the cashier typed, best first, and the
    number of matches in all. Never raises for odd input: it simply finds nothing.

    Counting thousands of matches costs more than finding the page (the index stops at the
    page in rowid order but must visit every match to count): with count=False the total is
    None whenever there are more matches than the page, so the page can be shown at once and
    the count asked for in a second call."""
    query_text = normalise_query(text)
    words = _joined_pinyin(query_text.split())
    if not words or limit <= 0:
        return SearchPage([], 0)
    want = offset + limit
    match = _match(words)
    is_code = len(words) == 1 and _DIGITS.match(words[0]) is not None
    codes = _code_ids(session, words[0], CODE_HITS) if is_code else []
    codes_found = _fts_subset(session, match, codes)
    extra = [i for i in codes if i not in codes_found]
    found = _fts_ids(session, match, want)
    # fewer than a page: that is every match. Other readings only then (each is a lookup).
    few = len(found) < want
    variants = _variant_ids(session, words, set(extra)) if few else []
    literal = _fts_subset(session, match, variants)
    variants = [i for i in variants if i not in literal]
    named = [*_ranked_ids(session, query_text, words, want), *variants]
    named = list(dict.fromkeys([*named, *found]))
    ranked: dict[int, None] = dict.fromkeys(codes[:want])
    ranked.update(dict.fromkeys(_rank(session, query_text, words, named, set(variants))))
    hits = _hits(session, list(ranked)[offset:want])
    if not (few or count):
        return SearchPage(hits, None)
    literal_total = len(found) if few else _fts_count(session, match)
    total = literal_total + len(extra) + len(variants)
    return SearchPage(hits, max(total, len(ranked)))


def search_products(session: Session, text: str, *, limit: int = DEFAULT_LIMIT) -> list[ProductHit]:
    """The first `limit` products for what the cashier typed: a code, pinyin, or the name."""
    return search_page(session, text, limit=limit).hits


def prepare_search() -> None:
    """Load pypinyin's and zhconv's tables now (about half a second, once per process) so that
    the first search a cashier types is not the slow one. Call it from a worker thread."""
    reading_variants("kele")
    spells("可乐", "kl")
    normalise_query("樂")
