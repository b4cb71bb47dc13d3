"""The `liftspec` command line: one module per command group."""
