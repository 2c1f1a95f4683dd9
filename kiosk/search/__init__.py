"""Search over the procedure catalog: substring (1–2 Chinese characters too), aliases and
colloquial synonyms, full pinyin and initials, mixed input; and word candidates for the
on-screen keyboard. In memory, built from a Catalog; no SQLite needed."""

from kiosk.search.index import SearchIndex
from kiosk.search.results import Hit, Match, SearchResult, Suggestions

__all__ = ["Hit", "Match", "SearchIndex", "SearchResult", "Suggestions"]
