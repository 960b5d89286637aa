"""The sendkg commands, one module per family; each module lists its commands in COMMANDS."""
