"""Languages: which one a reader gets, and the interface translations."""
