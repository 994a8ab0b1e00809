"""The decay starts one epoch late (max(0, epoch - n_constant)), the rule junyanz/pytorch-CycleGAN-and-pix2pix issue
#1126 proposes as "more rational" than the reference's epoch + epoch_count - n_epochs with epoch_count = 1."""
EXERCISE = "linear_decay"
EXPECT = "one epoch late"
EDIT = [("max(0, epoch - n_constant + 1)", "max(0, epoch - n_constant)")]
