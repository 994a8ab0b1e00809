"""Hidden tests for Lab 8 (video GANs)."""
