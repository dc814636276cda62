"""Schema revisions, oldest first: 0001 labels, 0002 training."""
