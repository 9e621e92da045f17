"""Survey data: reading organisations' exports, mapping columns and labels, validation, and sample data."""
