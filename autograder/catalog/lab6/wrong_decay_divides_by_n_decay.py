"""The decay divided by n_decay instead of n_decay + 1, so the last trained epoch already gets a learning rate of 0
(junyanz/pytorch-CycleGAN-and-pix2pix's lambda_rule divides by n_epochs_decay + 1; issue #1627 asks about its
boundaries)."""
EXERCISE = "linear_decay"
EXPECT = "divides by n_decay"
EDIT = [("/ (n_decay + 1))", "/ n_decay)")]
