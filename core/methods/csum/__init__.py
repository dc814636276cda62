"""CSUM (Sosnovik 2023): label-free contrastive training of a score network."""
