"""The Gaussian term averaged over codes and batch (F.mse_loss style) instead of summed over codes, as many InfoGAN
ports do with nn.MSELoss (e.g. eriklindernoren/PyTorch-GAN infogan.py's continuous_loss)."""
EXERCISE = "infogan_q_loss"
EXPECT = "Sum the squared errors over the continuous codes"
EDIT = [("cont_part = ((c_cont - cont_mean) ** 2 / 2).sum(dim=1).mean()", "cont_part = ((c_cont - cont_mean) ** 2 / 2).mean()")]
