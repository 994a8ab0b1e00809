"""The information update without its own zero_grad(): the gradients g_loss left on G (and on D, through which it
ran) are added to the information gradient. A slip of a step with three optimizers (no public source found for it
in this form); the hidden replay with stale gradients is what catches it."""
EXERCISE = "infogan_step"
EXPECT = "zero_grad"
EDIT = [("    opt_info.zero_grad()                                   # drops the G step's gradients on G and on D\n", "")]
