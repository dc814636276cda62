"""Schema revisions, oldest first: 0001 labels, 0002 training, 0003 review, 0004 authors,
0005 mark notes."""
