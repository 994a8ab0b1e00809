"""Hidden tests for Lab 2 (the vanilla GAN). Filled in with the lab."""
