"""The data every stage shares, and the code that only reads it.

Word lists, gazetteers, outlet and alliance tables and trained weights live
here as files; the modules beside them (``lexicon``) load them.  Like
``counterclaim.records`` this is below every stage: ``ingest``, ``nlp``,
``link`` and ``store`` may all import it, and it imports none of them.
"""
