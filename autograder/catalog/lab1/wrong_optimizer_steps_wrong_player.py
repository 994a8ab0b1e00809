"""Copy-paste bug: opt_x.step() is called where opt_y.step() was meant, so x moves twice and y never."""
EXERCISE = "autograd_gda_step"
EXPECT = "each optimizer must step only its own"
EDIT = [("        opt_y.step()\n    else:", "        opt_x.step()  # BUG: should be opt_y.step()\n    else:"),
        ("        opt_x.step()\n        opt_y.step()\n", "        opt_x.step()\n        opt_x.step()  # BUG: should be opt_y.step()\n")]
