"""The most work one search may ask for, said once.

A 200-character query of made-up words cost seconds of CPU: every unknown
word was matched with typos and as a prefix in three fields (each walking
the vocabulary), and looked up again for "did you mean". A long query is
still useful: the words the index knows are searched first, and only a
few unknown ones are forgiven their typos.
"""

MAX_WORDS = 12  # words of one query searched (the index's own words first)
MAX_TERMS = 24  # analysed terms in all (a Chinese word gives one per two characters)
MAX_FORGIVEN = 3  # unknown words matched with typos or as a prefix, and corrected
MAX_FORGIVEN_LENGTH = 20  # characters: a longer "word" is no typo (the automaton grows with it)
MAX_EXPANSIONS = 64  # indexed words that one typo or prefix match stands for
