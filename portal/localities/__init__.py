"""Which locality team covers a family's postcode."""
