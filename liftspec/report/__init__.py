"""report: one small renderer per output format."""
