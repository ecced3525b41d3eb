"""The data every stage shares, and the code that only reads it.

Word lists, gazetteers, outlet and alliance tables and trained weights live
here as files; the modules beside them load them (``lexicon``) or model them
in plain Python (``sides``: which side of a war a party is on).  Like
``counterclaim.records`` this is below every stage: ``ingest``, ``nlp``,
``link`` and ``store`` may all import it, and it imports none of them.
"""
