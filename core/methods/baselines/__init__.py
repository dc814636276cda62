"""Methods without learning: uniform, random, k-means, VSUMM (de Avila 2011) and feature-norm.

None of them imports torch, so a summary by one of them starts in well under a second."""
