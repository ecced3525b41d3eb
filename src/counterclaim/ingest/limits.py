"""How large an input may be: per article, not per file.

What must be bounded is the article: the parser takes at most spaCy's
1,000,000 characters in one text, and extraction time grows with it.  A
file is only bounded so that it fits in memory: a CSV of 5,000 articles or a
day's feed is legitimately larger than any one article, and is read as long
as each of its articles fits.

- ``max_article_chars`` (CLI ``--max-article-size``): the longest article
  text stored; a longer one is refused by name with its length (raising the
  limit raises the parser's own with it).
- ``max_bytes`` (CLI ``--max-file-size``): the largest file read (for JSON
  lines, the longest line).  A plain-text file is one article, so it is
  refused from its size alone when it cannot hold an article under the
  limit (4 bytes per character at most, plus a header), without being read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..records import Article, InputProblem

DEFAULT_MAX_BYTES = 100_000_000
DEFAULT_MAX_ARTICLE_CHARS = 1_000_000  # spaCy's own limit (``nlp.max_length``)
# UTF-8 and UTF-16 take at most 4 bytes per character; the header is metadata lines.
_BYTES_PER_CHAR = 4
_HEADER_BYTES = 64 * 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS

    def __post_init__(self) -> None:
        if self.max_bytes < 1 or self.max_article_chars < 1:
            raise ValueError(f"limits must be positive, got {self.max_bytes} bytes, {self.max_article_chars} characters")

    def file_bytes(self, kind: Optional[str]) -> int:
        """The most bytes one input of this format may have."""
        if kind == "text":
            return min(self.max_bytes, _BYTES_PER_CHAR * self.max_article_chars + _HEADER_BYTES)
        return self.max_bytes

    def checked(self, record: Article | InputProblem) -> Article | InputProblem:
        """What a reader gave, an article over the limit replaced by the problem naming it."""
        return (self.refuse(record) or record) if isinstance(record, Article) else record

    def refuse(self, article: Article) -> Optional[InputProblem]:
        """A problem naming the article when its text is over the limit, else None."""
        n = len(article.text)
        if n <= self.max_article_chars:
            return None
        return InputProblem(article.origin or "?", f"too long for one article: {n:,} characters, over the limit of "
                                                   f"{self.max_article_chars:,}; skipped (--max-article-size raises it)")
