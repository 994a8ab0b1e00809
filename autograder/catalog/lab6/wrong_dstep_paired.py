"""The discriminators trained on (input, output) pairs as in pix2pix (D_Y(cat(x, y)) and D_Y(cat(x, G(x)))): code
carried over from a pix2pix model (junyanz/pytorch-CycleGAN-and-pix2pix issue #75 shows the pix2pix pool queried with
torch.cat((real_A, fake_B), 1)), which needs paired data CycleGAN does not have."""
EXERCISE = "discriminator_step"
EXPECT = "unconditional"
EDIT = [("loss_d_y = lsgan_discriminator_loss(D_Y(y_real), D_Y(y_pooled.detach()))",
         "loss_d_y = lsgan_discriminator_loss(D_Y(torch.cat([x_real, y_real], 1)), "
         "D_Y(torch.cat([x_real, y_pooled.detach()], 1)))"),
        ("loss_d_x = lsgan_discriminator_loss(D_X(x_real), D_X(x_pooled.detach()))",
         "loss_d_x = lsgan_discriminator_loss(D_X(torch.cat([y_real, x_real], 1)), "
         "D_X(torch.cat([y_real, x_pooled.detach()], 1)))")]
