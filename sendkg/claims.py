"""Kept so that older imports work: the claim families are modules of :mod:`sendkg.reader`."""

from sendkg.reader.vocabulary import ClaimCues, phrase_regex  # noqa: F401
