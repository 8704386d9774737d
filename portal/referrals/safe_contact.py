"""How a family said it is safe to contact them, as the team must read it.

For a family living with domestic abuse a call, a voicemail or a letter can
be dangerous. The staff pages put these answers first, and a note that
mentions a way the family did not allow is flagged to whoever wrote it.
"""

import re
from dataclasses import dataclass

# The ways a family may allow, in the order the team reads them. "message"
# (voicemail or a message left with someone) qualifies a phone call or text.
WAYS = ("phone", "text", "email", "message", "letter")
SHORT_NAMES = {"phone": "phone", "text": "text", "email": "e-mail", "letter": "letter"}
REFUSALS = {
    "phone": "Do not phone.",
    "text": "Do not text.",
    "email": "Do not e-mail.",
    "message": "Do not leave voicemail or messages.",
    "letter": "Do not write.",
}
# What a note may say of each way, and how the warning names it.
MENTIONS = {
    "phone": (r"phoned|phoning|phone ?calls?|called|calling|rang|ringing|rung|on the phone|by phone"
              r"|will (?:phone|call|ring)", "not to be phoned"),
    "text": (r"texted|texting|texts?|sms|whats ?app(?:ed)?", "not to be texted"),
    "email": (r"e-?mailed|e-?mailing|e-?mails?", "not to be e-mailed"),
    "message": (r"voice ?mails?|left (?:a )?messages?|answer ?phone|answering machine",
                "for no voicemail or messages"),
    "letter": (r"letters?|wr(?:ote|ite|iting|itten) to|will write|posted|by post", "not to be written to"),
}
PATTERNS = {way: re.compile(rf"\b(?:{words})\b", re.IGNORECASE) for way, (words, _) in MENTIONS.items()}


@dataclass(frozen=True, slots=True)
class SafeContact:
    """The family's answers in the team's words."""

    allowed: tuple[str, ...]  # in WAYS order
    headline: str  # "Text only.", "Phone, text or e-mail."
    refusals: tuple[str, ...]  # "Do not phone.", ...

    @property
    def summary(self):
        """One line: "Text only. Do not phone. Do not write." """
        return " ".join((self.headline,) + self.refusals)


def read(ways):
    """Return the SafeContact for the ways a family ticked."""
    allowed = tuple(way for way in WAYS if way in set(ways or ()))
    channels = [SHORT_NAMES[way] for way in allowed if way in SHORT_NAMES]
    if not channels:
        headline = "No safe way to contact given."
    elif len(channels) == 1:
        headline = f"{channels[0].capitalize()} only."
    else:
        headline = (", ".join(channels[:-1]) + " or " + channels[-1]).capitalize() + "."
    refusals = tuple(REFUSALS[way] for way in WAYS if way not in allowed)
    return SafeContact(allowed, headline, refusals)


def warnings(note, ways):
    """Return a warning for each way the note mentions that the family did not allow."""
    allowed = set(ways or ())
    found = []
    for way in WAYS:
        if way in allowed:
            continue
        match = PATTERNS[way].search(note or "")
        if match:
            found.append(f"You wrote '{match.group(0)}'; this family asked {MENTIONS[way][1]}.")
    return found
