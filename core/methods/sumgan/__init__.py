"""SUM-GAN-AAE (Apostolidis 2020) with the dictionary loss: selector, encoder–decoder and
discriminator trained adversarially without labels."""
