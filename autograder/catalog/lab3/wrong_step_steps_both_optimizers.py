"""Training step that steps *both* optimizers after the discriminator's backward ("for opt in (opt_d, opt_g):
opt.step()"), with the fakes correctly detached: the generator moves on whatever gradient its .grad still holds
(the previous call's generator gradient, or stale ones), and the fakes must then be drawn again because the
generator changed in place (reusing them raises "modified by an inplace operation", the error PyTorch forum and
issue threads on GAN loops keep reporting). Only a replay of the whole step can see it: it reaches the hidden
"the D step moves G" diagnosis."""
EXERCISE = "train_step"
EXPECT = "discriminator step"
EDIT = [("    opt_d.step()\n", "    opt_d.step()\n    opt_g.step()\n    x_fake = generator(z)\n")]
