"""The information optimizer over the generator and the Q head only, missing D's shared trunk: the
``optim.RMSprop(itertools.chain(G.parameters(), Q.parameters()))`` of the ciwGAN/fiwGAN code (a WaveGAN with a Q
network), where Q is a separate network; with Q a head on D's trunk, as in Chen et al. (2016), the same set leaves
the trunk to the adversarial loss."""
EXERCISE = "infogan_optimizers"
EXPECT = "trunk"
EDIT = [('{"params": discriminator.parameters(), "lr": lr_d}', '{"params": discriminator.classes.parameters(), "lr": lr_d}')]
