"""The content store: editors' markdown files, parsed once, held in memory."""
