"""The reader of `sendkg lint`: an authority's page (plain text, Markdown or HTML) into claims, as RDF.

- ``paragraphs``: the page into paragraphs whose every character remembers its line and column;
- ``vocabulary``: the words, all from the graph (queries/lint-vocabulary.rq, lint-claim-cues.rq);
- ``sentence``: the sentence model the claim families share (sentences, clauses, quotation);
- one module per claim family: ``time_limits``, ``terms`` (superseded names, councils that no longer
  exist), ``duties`` (modality, obligations, actors), ``scope`` (the section I exception, lists of
  appealable decisions, health and social care), ``bodies``, ``citations``, and ``mentions`` (routes,
  conditions, services and providers named);
- ``page``: the claim nodes; ``orchestrator``: the order the families read a page in.

Claims are written in the vocabulary of authority content, so the same shapes check a modelled
authority and a page; what a claim is checked against is never decided here. The reader imports
nothing of lint, lintconfig or authorities.
"""

from sendkg.reader.orchestrator import extract
from sendkg.reader.paragraphs import Para, html_paragraphs, read_page, read_text, text_paragraphs
from sendkg.reader.vocabulary import ClaimCues, Vocabulary, phrase_regex, vocabulary_store

__all__ = ["ClaimCues", "Para", "Vocabulary", "extract", "html_paragraphs", "phrase_regex", "read_page", "read_text",
           "text_paragraphs", "vocabulary_store"]
