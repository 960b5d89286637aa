"""Output formats: one small module each (table, mermaid, dot); JSON and CSV are the standard library's."""
