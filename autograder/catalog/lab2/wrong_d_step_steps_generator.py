"""Copy-paste slip: the discriminator step calls opt_g.step() instead of opt_d.step()."""
EXERCISE = "train_step"
EXPECT = "opt_d.step()"
EDIT = [("        opt_d.step()\n", "        opt_g.step()\n")]
