"""LSGAN generator loss without the factor 1/2, as in eriklindernoren/PyTorch-GAN implementations/lsgan/lsgan.py
(nn.MSELoss for G, 0.5 * (...) only for D); the lab follows Mao et al. 2017, eq. 2."""
EXERCISE = "lsgan_losses"
EXPECT = "factor 1/2"
EDIT = [("g_loss = 0.5 * ((fake_scores - 1) ** 2).mean()", "g_loss = ((fake_scores - 1) ** 2).mean()")]
