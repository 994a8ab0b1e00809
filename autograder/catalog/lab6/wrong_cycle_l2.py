"""The cycle loss with squared errors (MSE, as the LSGAN terms use) instead of the L1 distance of eq. 2: the criterion
copied from the adversarial terms (eriklindernoren/PyTorch-GAN issue #63 asks why MSE is used for the GAN loss and L1
for the cycle and identity losses)."""
EXERCISE = "cycle_loss"
EXPECT = "squared"
EDIT = [("forward_cycle = torch.mean(torch.abs(x_rec - x_real))", "forward_cycle = torch.mean((x_rec - x_real) ** 2)"),
        ("backward_cycle = torch.mean(torch.abs(y_rec - y_real))",
         "backward_cycle = torch.mean((y_rec - y_real) ** 2)")]
