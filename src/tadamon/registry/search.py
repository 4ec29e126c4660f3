"""Arabic- and French-aware search of organizations and products.

Text is normalized with :func:`tadamon.core.text.normalize` on both sides (stored and queried).
SQLite searches an FTS5 index; PostgreSQL a weighted ``tsvector`` with ranking helped by
``pg_trgm`` similarity. On both, a query word of five letters or more also matches indexed words
one typo away, found through :class:`~tadamon.registry.models.SearchTerm` (deletion variants), and an
Arabic word matches with or without its article (ال).
Names weigh more than descriptions, so the best matches come first.
"""

from django.db import connection

from tadamon.core.text import deletions, normalize, within_one_edit

from .models import SearchTerm

FUZZY_MIN_LENGTH = 5
#: The last query word, from this length, also matches the longer words it begins (a visitor still
#: typing it). Shorter ones are whole words: in Arabic, three letters are most often a whole word
#: whose longer relatives mean something else (زيت oil / زيتون olives, تمر dates / تمرين exercise),
#: and in French too (thé / théâtre); and a short prefix reads many words from the index.
PREFIX_MIN_LENGTH = 4
MAX_QUERY_WORDS = 8

TABLES = {"organization": "registry_organization", "product": "registry_product"}


# ---- indexing of the words used for typo tolerance -------------------------------------------

def index_terms(texts):
    """Record the words (five letters or more) of ``texts`` with their deletion variants."""
    words = set()
    for text in texts:
        words.update(w for w in (text or "").split(" ") if len(w) >= FUZZY_MIN_LENGTH and len(w) <= 60)
    if not words:
        return 0
    rows = []
    for word in words:
        rows.append(SearchTerm(variant=word, term=word))
        rows.extend(SearchTerm(variant=v, term=word) for v in deletions(word))
    SearchTerm.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return len(words)


def fuzzy_alternatives(word):
    """Indexed words within one edit of ``word`` (the word itself included when indexed)."""
    if len(word) < FUZZY_MIN_LENGTH:
        return set()
    keys = deletions(word) | {word}
    candidates = SearchTerm.objects.filter(variant__in=keys).values_list("term", flat=True).distinct()
    return {c for c in candidates if c != word and within_one_edit(word, c)}


#: Little words that carry no meaning in a search; dropped from queries (not from the index).
STOP_WORDS = {
    "de", "du", "des", "d", "la", "le", "les", "l", "et", "a", "au", "aux", "en", "pour", "par", "sur", "un", "une",
    "the", "of", "and", "for", "in",
    "في", "من", "على", "الى", "و", "عن", "مع",
}


def query_words(query):
    words = [w for w in normalize(query).split(" ") if w]
    meaningful = [w for w in words if w not in STOP_WORDS]
    return (meaningful or words)[:MAX_QUERY_WORDS]


ARABIC_ARTICLE = "ال"


def article_forms(word):
    """An Arabic word with and without its article: "زعفران" also finds "الزعفران" and the other
    way round (names say "تعاونية الزعفران", people type "زعفران")."""
    if not word or not "\u0600" <= word[0] <= "\u06ff":
        return [word]
    if word.startswith(ARABIC_ARTICLE):
        return [word, word[2:]] if len(word) >= 4 else [word]
    return [word, ARABIC_ARTICLE + word]


def _alternatives(words):
    """For each query word, its forms, whether they match as prefixes, and the indexed words one
    typo away. Only the last word is a prefix (the word being typed, as in search-as-you-type):
    the words before it are whole, so "عسل الزعتر" does not read every word starting with عسل
    from the index (a prefix costs several times a whole word there). Whether the last word is a
    prefix depends on its length as typed, for each of its forms ("زيت" also finds "الزيت", not
    "الزيتون")."""
    groups = []
    for position, word in enumerate(words):
        forms = article_forms(word)
        typos = set().union(*(fuzzy_alternatives(form) for form in forms)) - set(forms)
        prefix = position == len(words) - 1 and len(word) >= PREFIX_MIN_LENGTH
        groups.append((forms, prefix, sorted(typos)))
    return groups


def _is_prefix(form, prefix):
    return prefix and len(form) >= 3


# ---- the match expression per database ---------------------------------------------------------

def _fts5_match(groups):
    parts = []
    for forms, prefix, alternatives in groups:
        terms = [f'"{form}"' + ("*" if _is_prefix(form, prefix) else "") for form in forms]
        terms += [f'"{alt}"' for alt in alternatives]
        parts.append("(" + " OR ".join(terms) + ")")
    return " AND ".join(parts)


def _tsquery(groups):
    parts = []
    for forms, prefix, alternatives in groups:
        terms = [f"'{form}'" + (":*" if _is_prefix(form, prefix) else "") for form in forms]
        terms += [f"'{alt}'" for alt in alternatives]
        parts.append("(" + " | ".join(terms) + ")")
    return " & ".join(parts)


def _where(filters, alias):
    """Turn simple equality filters into SQL; column names come from our code, never from users."""
    clauses, params = [], []
    for column, value in filters.items():
        if column.endswith("__isnull"):
            clauses.append(f"{alias}.{column[:-8]} IS {'' if value else 'NOT '}NULL")
            continue
        if value is None or value == "":
            continue
        if isinstance(value, (list, tuple, set)):
            values = list(value)
            if not values:
                clauses.append("1 = 0")
                continue
            clauses.append(f"{alias}.{column} IN ({', '.join(['%s'] * len(values))})")
            params.extend(values)
        else:
            clauses.append(f"{alias}.{column} = %s")
            params.append(value)
    return clauses, params


#: A search counts its hits up to this number and never pages past it: beyond, the count says
#: "1,000 or more" and the first pages come straight from an index instead of ranking every hit.
MAX_RESULTS = 1000

#: Columns of each FTS5 table and their weight in SQLite's bm25 (names weigh most).
BM25_WEIGHTS = {"organization": "10.0, 1.0, 2.0", "product": "10.0, 1.0"}


def search_ids(kind, query, filters=None, limit=20, offset=0, max_results=MAX_RESULTS, restrict=None):
    """Ids of the ``kind`` ("organization" or "product") objects matching ``query`` and
    ``filters`` (column → value or list of values), best first, and their number, counted up to
    ``max_results`` (the best ``max_results`` are all a search pages through; None: every hit,
    for the exports).

    ``restrict``: ``(sql, params)`` of a subquery selecting the ids allowed (another app's selection,
    e.g. the products on sale in the market), written by our code, never by users."""
    words = [w for w in query_words(query) if w]
    if not words:
        return [], 0
    table = TABLES[kind]
    groups = _alternatives(words)
    clauses, params = _where(filters or {}, "t")
    if restrict is not None:
        clauses.append(f"t.id IN ({restrict[0]})")
        params.extend(restrict[1])
    extra = (" AND " + " AND ".join(clauses)) if clauses else ""
    cap = max_results if max_results is not None else 2**62
    limit = max(0, min(limit, cap - offset))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            ids, hits = _postgres(cursor, table, groups, extra, params, limit, offset, cap)
            return ids, min(hits, cap)
        match = _fts5_match(groups)
        base = (f"FROM {table}_fts f JOIN {table} t ON t.id = f.rowid "
                f"WHERE {table}_fts MATCH %s{extra}")
        # Counting stops after the bound: a word that most of the registry contains costs no more
        # to count than a rare one.
        cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 {base} LIMIT %s) hits",  # noqa: S608
                       [match, *params, cap + 1])
        hits = cursor.fetchone()[0]
        if not hits or not limit:
            return [], min(hits, cap)
        cursor.execute(
            f"SELECT t.id {base} ORDER BY bm25({table}_fts, {BM25_WEIGHTS[kind]}), t.id "  # noqa: S608
            "LIMIT %s OFFSET %s", [match, *params, limit, offset])
        return [row[0] for row in cursor.fetchall()], min(hits, cap)


def _like(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _name_score(groups):
    """SQL adding 1 for each query word found in the hit's name (as the start of a name's word for
    the word being typed, else a whole word), and its parameters. Plain ``LIKE`` on the short
    normalized names of the candidates: no text search parsing at ranking time."""
    terms, params = [], []
    for forms, prefix, alternatives in groups:
        patterns = [f"% {_like(form)}%" if _is_prefix(form, prefix) else f"% {_like(form)} %" for form in forms]
        patterns += [f"% {_like(alt)} %" for alt in alternatives]
        terms.append("(CASE WHEN " + " OR ".join(["padded LIKE %s"] * len(patterns)) + " THEN 1 ELSE 0 END)")
        params.extend(patterns)
    return " + ".join(terms), params


def _postgres(cursor, table, groups, extra, params, limit, offset, cap):
    """One statement: the first ``cap`` + 1 hits (read from the GIN index, or in table order when
    most rows match), counted, and the page of them ranked. Only the hits' names are read for the
    ranking: the query words found in the name, then the shorter name (the closer to the query),
    then the id; so the long descriptions are read once, by the match itself. A page past the end
    still gets the count from the same statement (an empty list of ids)."""
    tsquery = _tsquery(groups)
    score, score_params = _name_score(groups)
    cursor.execute(
        f"WITH hits AS MATERIALIZED (SELECT t.id, ' ' || t.search_name || ' ' AS padded FROM {table} t "  # noqa: S608
        f"WHERE t.search_vector @@ to_tsquery('simple', %s){extra} LIMIT %s) "
        f"SELECT (SELECT COUNT(*) FROM hits), ARRAY(SELECT hits.id FROM hits "
        f"ORDER BY {score} DESC, length(hits.padded), hits.id LIMIT %s OFFSET %s)",
        [tsquery, *params, cap + 1, *score_params, limit, offset])
    hits, ids = cursor.fetchone()
    return list(ids), hits


def in_order(queryset, ids):
    """The objects of ``queryset`` with these ids, in the order of ``ids``."""
    objects = {obj.pk: obj for obj in queryset.filter(pk__in=ids)}
    return [objects[i] for i in ids if i in objects]
