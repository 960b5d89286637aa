"""Kept so that older imports work: the reader is the package :mod:`sendkg.reader`."""

from sendkg.reader import Para, Vocabulary, extract, html_paragraphs, read_page, read_text, text_paragraphs  # noqa: F401
from sendkg.reader.paragraphs import logical_paragraphs  # noqa: F401
