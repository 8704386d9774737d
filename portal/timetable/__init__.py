"""When things happen: sessions, opening hours and calendar feeds, in London time."""
